"""Report tables: human headers, fitting rounding, "—" for missing, folding, CSV, escaping."""

from __future__ import annotations

import io
import math
import re
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rupak.publish import tables

SPAM = "http://www.artforhealingfoundation.org/synthroid"
RAW_MISSING = ("<NA>", "nan", "NaN", "None", "NaT")


class Cells(HTMLParser):
    """Every table cell's text and class, every anchor's href."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[tuple[str, str, str]] = []  # (tag, class, text)
        self.hrefs: list[str] = []
        self._open: tuple[str, str] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("td", "th"):
            self._open, self._text = (tag, attrs.get("class") or ""), []
        if tag == "a":
            self.hrefs.append(attrs.get("href") or "")

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._open:
            self.cells.append((*self._open, "".join(self._text)))
            self._open = None

    def handle_data(self, data):
        if self._open:
            self._text.append(data)


def cells_of(markup: str) -> Cells:
    parser = Cells()
    parser.feed(markup)
    return parser


def test_headers_are_human_and_the_interval_is_one_column():
    frame = pd.DataFrame(
        {
            "dyad": ["RUS–PAK"],
            "mean": [0.1234],
            "ci_low": [0.01],
            "ci_high": [0.2],
            "n_years": [11],
            "goldstein_total": [12.3],
        }
    )
    out = tables.render(frame, "Means", 1)
    headers = [text for tag, _, text in cells_of(out.html).cells if tag == "th"]
    assert headers == ["Dyad", "Mean", "95 % interval", "Years with a value", "Goldstein total"]
    assert "[0.01, 0.20]" in out.html
    assert "ci_low" not in out.html and "goldstein_total" not in out.html


def test_each_measure_is_rounded_its_own_way():
    frame = pd.DataFrame(
        {
            "SIPRI TIV (millions)": [13318.0, 25.4],
            "mean": [-0.456, 0.5],
            "share": [0.4637, 0.05],
            "events": [3.0, 12.0],  # floats that are integers are shown as integers
            "year": [1965, 2021],
        }
    )
    cells = [text for tag, _, text in cells_of(tables.render(frame, "x", 1).html).cells]
    assert "13,318" in cells and "25" in cells  # TIV: separators, no decimals
    assert "13318.000" not in cells
    assert "\u221245" not in cells and "\u22120.46" in cells  # agreement: 2 decimals, true minus
    assert "46\u00a0%" in cells and "5\u00a0%" in cells  # shares as per cent
    assert "3" in cells and "12" in cells and "3.0" not in cells
    assert "1965" in cells and "1,965" not in cells  # years have no separator


def test_text_is_left_aligned_and_numbers_right_aligned():
    frame = pd.DataFrame({"event": ["A long title of an event"], "events": [2]})
    cells = cells_of(tables.render(frame, "x", 1).html).cells
    classes = {text: cls for _, cls, text in cells}
    assert classes["A long title of an event"].startswith("text")
    assert classes["2"] == "num"


@pytest.mark.parametrize(
    "missing", [None, np.nan, pd.NA, pd.NaT, float("nan"), "nan", "None", "<NA>", ""]
)
def test_missing_values_read_as_a_dash(missing):
    frame = pd.DataFrame({"label": ["a", missing], "value": [1.5, None]}, dtype=object)
    out = tables.render(frame, "x", 1)
    texts = [text for tag, _, text in cells_of(out.html).cells if tag == "td"]
    assert tables.MISSING in texts
    assert not any(t in RAW_MISSING for t in texts)
    assert not any(re.search(rf"(?<!\w){re.escape(t)}(?!\w)", out.text) for t in RAW_MISSING)


values = st.one_of(
    st.none(),
    st.just(float("nan")),
    st.just(pd.NA),
    st.just(pd.NaT),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.integers(-(10**6), 10**6),
    st.text(max_size=12),
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(st.tuples(values, values), min_size=0, max_size=25))
def test_no_raw_missing_marker_ever_reaches_a_cell(rows):
    frame = pd.DataFrame(rows, columns=["first", "second"], dtype=object)
    out = tables.render(frame, "Hostile", 2)
    texts = [text for tag, _, text in cells_of(out.html).cells if tag == "td"]
    assert not any(t.strip() in RAW_MISSING for t in texts)
    shown_rows = len(frame) + (min(len(frame), tables.PREVIEW_ROWS) if len(frame) > 15 else 0)
    assert len(texts) == 2 * shown_rows
    assert len(pd.read_csv(io.StringIO(out.csv), keep_default_na=False)) == len(frame)


def test_a_long_table_is_folded_with_its_first_rows_shown():
    long = pd.DataFrame({"year": range(1950, 1970), "value": np.linspace(0, 1, 20)})
    out = tables.render(long, "Twenty years", 4)
    assert out.html.count("<details") == 1 and "<details open" not in out.html
    assert "All 20 rows" in out.html and "First 10 of 20 rows" in out.html
    preview, folded = out.html.split("<details", 1)
    assert preview.count("<tr>") == 1 + 10 and folded.count("<tr>") == 1 + 20
    short = tables.render(long.head(15), "Fifteen years", 5)
    assert "<details" not in short.html


def test_every_table_has_a_number_caption_and_csv_link():
    out = tables.render(pd.DataFrame({"year": [1965]}), "Events of the window (1965–75)", 3)
    assert "<strong>Table 3.</strong> Events of the window (1965–75)" in out.html
    assert out.filename == "03-events-of-the-window-1965-75.csv"
    assert f'href="tables/{out.filename}"' in out.html
    assert out.text.startswith("Table 3. Events of the window (1965–75)\n")


def test_the_csv_has_human_headers_and_unrounded_numbers():
    frame = pd.DataFrame(
        {
            "dyad": ["A", "B"],
            "mean": [0.123456, None],
            "ci_low": [0.1, None],
            "ci_high": [0.2, None],
        }
    )
    csv = pd.read_csv(io.StringIO(tables.render(frame, "x", 1).csv))
    assert list(csv.columns) == ["Dyad", "Mean", "95 % interval, low", "95 % interval, high"]
    assert csv.loc[0, "Mean"] == pytest.approx(0.123456)
    assert math.isnan(csv.loc[1, "Mean"])


def test_hostile_text_is_escaped_and_never_a_link():
    frame = pd.DataFrame(
        {"quote": ['<script>alert("x")</script>', f'see <a href="{SPAM}">this</a> {SPAM}']}
    )
    out = tables.render(frame, "<b>caption</b>", 1)
    assert "<script>" not in out.html and "&lt;script&gt;" in out.html
    assert "<b>caption</b>" not in out.html
    hrefs = cells_of(out.html).hrefs
    assert hrefs == ["tables/01-b-caption-b.csv"]  # only the CSV link is a link
    assert not any("artforhealing" in h for h in hrefs)


def test_the_same_input_gives_the_same_bytes():
    frame = pd.DataFrame({"a": [1.5, None], "b": ["x", "y"]})
    first, second = tables.render(frame, "c", 1), tables.render(frame, "c", 1)
    assert (first.html, first.text, first.csv) == (second.html, second.text, second.csv)
    assert "T_" not in first.html  # no random Styler ids


def test_internal_ids_are_shown_by_name():
    frame = pd.DataFrame(
        {
            "item": ["proximity_1965_1975", "cold_war_divergence"],
            "kind": ["diplomatic_shift", "un_veto"],
            "durrani_share": [0.25, 0.5],
            "kaushiki_bawa_only": [3, 4],
            "note": ["free_text stays", "as_written"],
            "mixed": ["balance_of_power", "all frames (pooled)"],
            "words": ["war", "a war"],
        }
    )
    out = tables.render(frame, "x", 1)
    texts = [text for _, _, text in cells_of(out.html).cells]
    assert "Strategic proximity" in texts and "Cold War divergence" in texts
    assert "Diplomatic shift" in texts and "UN veto" in texts
    assert "Durrani: share" in texts and "Kaushiki & Bawa 2022 only" in texts
    assert "free_text stays" in texts  # not every value is an id: left as written
    assert "Regional balance and multipolarity" in texts and "all frames (pooled)" in texts
    assert "war" in texts and "a war" in texts  # one-word ids only when every value is one
    assert "proximity_1965_1975" not in out.html


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        (
            "Trade-register deals RUS→PAK ordered 1965–1975",
            "trade-register-deals-rus-pak-ordered-1965-1975",
        ),
        ("Mean yearly Cohen's κ", "mean-yearly-cohen-s"),
        ("", "table"),
        ("<script>", "script"),
    ],
)
def test_slugs_are_ascii_and_short(text, slug):
    assert tables.slugify(text) == slug
    assert len(tables.slugify(text * 10)) <= 48
