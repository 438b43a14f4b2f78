"""Figures: colour by role, gaps at missing years, small flows visible, readable timelines."""

from __future__ import annotations

import io
import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.colors import to_hex

from rupak.publish import palette, plots


def yearly(years, value=0.5, n=40):
    return pd.DataFrame({"year": list(years), "value": value, "n": n})


def line_colours(fig):
    return {line.get_label(): to_hex(line.get_color()) for line in fig.axes[0].get_lines()}


def test_roles_and_sources_have_fixed_distinct_colours():
    roles = [palette.role(r).colour for r in palette.ROLES]
    sources = [palette.source(s).colour for s in palette.SOURCES]
    natures = [palette.nature(True).colour, palette.nature(False).colour]
    assert len(set(roles + sources + natures)) == 8
    assert palette.role("studied").colour == "#0072B2"
    assert palette.source("kaushiki_bawa_only") == palette.source("kaushiki_bawa")
    with pytest.raises(ValueError, match="unknown figure role"):
        palette.role("rival")


def test_a_dyad_keeps_its_colour_whatever_the_order():
    labels = {"studied": "RUS–PAK", "comparison": "RUS–IND", "patron": "USA–PAK"}
    a = {"studied": yearly(range(1960, 1970)), "comparison": yearly(range(1960, 1970), 0.2)}
    b = {
        "comparison": a["comparison"],
        "patron": yearly(range(1960, 1970)),
        "studied": a["studied"],
    }
    first = line_colours(plots.dyad_series(a, None, "κ", labels=labels))
    second = line_colours(plots.dyad_series(b, (1962, 1965), "κ", labels=labels))
    assert first["RUS–PAK"] == second["RUS–PAK"] == palette.role("studied").colour.lower()
    assert second["USA–PAK"] == palette.role("patron").colour.lower()


def test_series_keyed_by_label_take_roles_in_order():
    series = {"RUS–PAK": yearly(range(1960, 1965)), "RUS–IND": yearly(range(1960, 1965))}
    colours = line_colours(plots.dyad_series(series, None, "κ"))
    assert colours["RUS–PAK"] == palette.role("studied").colour.lower()
    assert colours["RUS–IND"] == palette.role("comparison").colour.lower()


def test_a_missing_year_breaks_the_line():
    frame = yearly([1962, 1963, 1965, 1966])  # no roll calls in 1964
    fig = plots.dyad_series({"studied": frame}, None, "κ")
    line = fig.axes[0].get_lines()[0]
    xs, ys = np.asarray(line.get_xdata(), float), np.asarray(line.get_ydata(), float)
    assert 1964 in xs and np.isnan(ys[list(xs).index(1964)])
    assert plots.missing_years(frame) == [1964]
    assert "1964" in plots.gaps_note({"studied": frame})
    assert plots.gaps_note({"studied": yearly(range(1990, 1995))}) == ""


@settings(max_examples=50, deadline=None)
@given(st.sets(st.integers(1946, 2019), min_size=1, max_size=40))
def test_missing_years_are_exactly_the_holes(years):
    frame = yearly(sorted(years))
    expected = sorted(set(range(min(years), max(years) + 1)) - set(years))
    assert plots.missing_years(frame) == expected
    full = plots.with_gaps(frame)
    assert list(full["year"]) == list(range(min(years), max(years) + 1))


def test_year_ranges_read_compactly():
    assert plots.year_ranges([1964, 1971, 1972, 1973, 2020]) == "1964, 1971–1973, 2020"


def flows(studied_tiv):
    years = list(range(1960, 1980))
    return {
        "studied": pd.DataFrame({"year": years, "tiv": [studied_tiv] * 20}),
        "comparison": pd.DataFrame({"year": years, "tiv": np.linspace(500, 3000, 20)}),
    }


def test_a_small_studied_flow_gets_its_own_panel_and_the_caption_says_so():
    small = flows(20.0)
    fig = plots.flows_chart(small, (1965, 1975), labels={"studied": "RUS→PAK"})
    assert len(fig.axes) == 2
    assert plots.flows_note(small, {"studied": "RUS→PAK"}).startswith(
        "The lower panel repeats RUS→PAK on its own scale"
    )
    assert fig.axes[1].get_ylim()[1] < 100  # its own scale, not 3,000
    large = flows(1500.0)
    assert len(plots.flows_chart(large, None).axes) == 1
    assert plots.flows_note(large) == ""


def events():
    rows = [
        ("a", "1965-01-01", "1969-12-31", "diplomatic_shift", True, "both", 3.5),
        ("b", "1965-06-01", "1966-12-31", "diplomatic_shift", False, "durrani", -4.0),
        ("c", "1965-02-01", "1965-02-01", "diplomatic_shift", True, "kaushiki_bawa", 1.9),
        ("d", "1968-07-01", "1968-07-01", "arms_deal", True, "kaushiki_bawa", 8.3),
        ("e", "1950-01-01", "1991-12-31", "un_veto", False, "both", -5.0),  # beyond the window
    ]
    frame = pd.DataFrame(
        rows,
        columns=[
            "event_id",
            "date_start",
            "date_end",
            "kind",
            "cooperative",
            "mentioned_by",
            "goldstein",
        ],
    )
    frame["date_start"] = pd.to_datetime(frame["date_start"])
    frame["date_end"] = pd.to_datetime(frame["date_end"])
    return frame


def assert_no_overlap(layout):
    for _, row in layout.groupby("row"):
        spans = sorted(zip(row["x0"], row["reach"], strict=True))
        for (_, end), (start, _) in itertools.pairwise(spans):
            assert start > end, (row, spans)


def test_timeline_spans_that_overlap_go_to_separate_lanes():
    layout = plots.timeline_layout(events(), 1965, 1975)
    shifts = layout[layout["kind"] == "diplomatic_shift"]
    assert shifts["row"].nunique() == 2  # a overlaps b and c; c's label ends before b starts
    assert_no_overlap(layout)
    assert list(layout["number"]) == [1, 2, 3, 4, 5]
    lo, hi = pd.Timestamp("1965-01-01"), pd.Timestamp("1975-12-31")
    assert layout["x0"].between(lo, hi).all() and layout["x1"].between(lo, hi).all()


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 4000), st.integers(0, 2000), st.sampled_from(["visit", "aid"])),
        min_size=1,
        max_size=30,
    )
)
def test_no_two_events_of_a_row_ever_overlap(spans):
    start = pd.Timestamp("1965-01-01")
    frame = pd.DataFrame(
        {
            "date_start": [start + pd.Timedelta(days=a) for a, _, _ in spans],
            "date_end": [start + pd.Timedelta(days=a + b) for a, b, _ in spans],
            "kind": [k for _, _, k in spans],
        }
    )
    layout = plots.timeline_layout(frame, 1965, 1975)
    assert_no_overlap(layout)
    bands = layout.groupby("kind")["row"].agg(["min", "max"]).sort_values("min")
    assert (bands["min"].iloc[1:].to_numpy() > bands["max"].iloc[:-1].to_numpy()).all()


def test_timeline_uses_human_names_and_keeps_everything_inside():
    fig = plots.timeline(events(), 1965, 1975)
    ax = fig.axes[0]
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert "Diplomatic shift" in ticks and "UN veto" in ticks
    assert not any("_" in t for t in ticks)
    lo, hi = ax.get_xlim()
    xs = [x for line in ax.get_lines() for x in np.atleast_1d(line.get_xdata(orig=False))]
    assert all(lo < float(x) < hi for x in xs)
    legend_text = " ".join(
        t.get_text() for a in fig.axes[1].artists for t in [a.get_title(), *a.get_texts()]
    )
    assert "CAMEO 01–08" in legend_text and "Goldstein" in legend_text


def test_figures_are_150_dpi_and_byte_identical():
    from PIL import Image

    make = lambda: plots.dyad_series({"studied": yearly(range(1960, 1970))}, None, "κ")  # noqa: E731
    first, second = plots.figure_png(make()), plots.figure_png(make())
    assert first == second
    assert Image.open(io.BytesIO(first)).width >= 8 * plots.DPI


def test_the_timeline_key_numbers_the_events_in_words():
    from rupak.analysis import periods
    from rupak.publish import tables

    events = periods.window_events(1965, 1975, ["RUS", "PAK"])
    key = plots.timeline_key(events)
    assert list(key["no."]) == list(range(1, len(events) + 1))
    shown = tables.render(key, "Key", 1).html
    assert "only only" not in shown and "Sources only" not in shown
    assert "Kaushiki &amp; Bawa 2022 only" in shown and "Diplomatic shift" in shown
    assert "diplomatic_shift" not in shown and "kaushiki_bawa" not in shown
