"""Tables a reader can use: human headers with units, fitting rounding, folding, CSV beside.

Why: a raw ``DataFrame.to_html`` shows ``goldstein_total``, ``13318.000``, ``<NA>`` and
right-aligned text. :func:`render` turns a frame into a numbered, captioned table:

- headers from :data:`HEADERS` (``ci_low``/``ci_high`` become one "95 % interval" column),
  else from :data:`PATTERNS`, else the name with underscores turned into words;
- each column formatted by its KIND (:data:`FORMATS`): integers where the data are integers,
  agreement to 2 decimals, SIPRI TIV with thousands separators and no decimals, shares as %,
  Goldstein weights to 1 decimal; ids of sources, kinds and periods shown by name;
- missing values as "—" (never ``<NA>``, ``nan``, ``None``, ``NaT``); text left-aligned,
  numbers right-aligned;
- more than :data:`FOLD_AFTER` rows: the first :data:`PREVIEW_ROWS` shown, the whole table
  in a ``<details>``; wide tables scroll inside their own box;
- the data as CSV (human headers, numbers unrounded), linked from the caption.

Cells are escaped by Jinja's autoescape: source text can never become markup or a link.
A notebook calls :func:`rupak.publish.notebook.show_table`, which numbers tables per notebook;
override headers or kinds per call with ``headers={"col": "Header"}`` and
``formats={"col": "share"}``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from rupak.publish import labels

FOLD_AFTER = 15
PREVIEW_ROWS = 10
SHORT_TEXT = 12  # text columns no longer than this never wrap (dates, codes, ranges)
MISSING = "—"
MINUS = "\u2212"
INTERVAL = "95 % interval"
TEMPLATE = Path(__file__).resolve().parent / "templates" / "table.html.j2"

# internal name → (header, kind)
HEADERS: Mapping[str, tuple[str, str]] = {
    "year": ("Year", "year"),
    "years": ("Years", "text"),
    "window": ("Years", "text"),
    "ordered": ("Ordered", "year"),
    "order_year": ("Ordered", "year"),
    "dyad": ("Dyad", "text"),
    "segment": ("Segment", "text"),
    "state": ("State", "text"),
    "with": ("With", "text"),
    "direction": ("Direction", "text"),
    "mean": ("Mean", "agreement"),
    "value": ("Value", "agreement"),
    "n": ("n", "integer"),
    "id": ("ID", "text"),
    "item": ("Item", "text"),
    "per_1000": ("Per 1,000 words", "decimal"),
    "n_years": ("Years with a value", "integer"),
    "roll_calls": ("Roll calls", "integer"),
    "events": ("Events", "integer"),
    "goldstein": ("Goldstein", "goldstein"),
    "Goldstein": ("Goldstein", "goldstein"),
    "goldstein_total": ("Goldstein total", "goldstein"),
    "goldstein_mean": ("Goldstein mean", "goldstein"),
    "cameo_code": ("CAMEO", "text"),
    "tiv": ("SIPRI TIV (millions)", "tiv"),
    "tiv_delivered": ("SIPRI TIV delivered (millions)", "tiv"),
    "SIPRI TIV (millions)": ("SIPRI TIV (millions)", "tiv"),
    "SIPRI TIV delivered (millions)": ("SIPRI TIV delivered (millions)", "tiv"),
    "number": ("Number", "integer"),
    "share": ("Share", "share"),
    "source_id": ("Source", "source"),
    "mentioned_by": ("Mentioned by", "mentioned"),
    "mentioned by": ("Mentioned by", "mentioned"),
    "kind": ("Kind", "kind"),
    "period_id": ("Period", "period"),
    "frame_id": ("Frame", "text"),
    "verdict": ("Verdict", "text"),
    "z": ("z", "z"),
    "count": ("Count", "integer"),
    "total": ("Total", "integer"),
    "both": ("Both sources", "integer"),
    "alpha": ("Krippendorff's α", "agreement"),
    "kappa": ("Cohen's κ", "agreement"),
    "precision": ("Precision", "agreement"),
    "recall": ("Recall", "agreement"),
    "f1": ("F1", "agreement"),
    "per_1000_words": ("Per 1,000 words", "decimal"),
}
# (regex on the internal name, header template, kind): for composed names
PATTERNS: tuple[tuple[str, str, str], ...] = (
    (r"^(?P<x>.+) value$", "{x} value", "agreement"),
    (r"^(?P<x>.+) n$", "{x} roll calls", "integer"),
    (r"^(?P<x>.+) \(SIPRI TIV, millions\)$", "{x} (SIPRI TIV, millions)", "tiv"),
    (r"^(?P<x>.+)_only$", "{x} only", "integer"),
    (r"(?i)^(?P<x>.*share.*)$", "{x}", "share"),
    (r"(?i)^(?P<x>.*TIV.*)$", "{x}", "tiv"),
    (r"(?i)^(?P<x>.*year.*)$", "{x}", "year"),
)


def _number(value: Any) -> float | None:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _signed(text: str) -> str:
    return text.replace("-", MINUS) if text.startswith("-") else text


def _fmt_integer(v: float) -> str:
    return _signed(f"{round(v):,}")


def _fmt_year(v: float) -> str:
    return str(round(v))


def _fixed(decimals: int, separators: bool = False) -> Callable[[float], str]:
    pattern = f"{{:{',' if separators else ''}.{decimals}f}}"

    def fmt(v: float) -> str:
        text = pattern.format(v)
        return _signed(text) if not re.fullmatch(r"-0\.?0*", text) else text.lstrip("-")

    return fmt


FORMATS: Mapping[str, Callable[[float], str]] = {
    "integer": _fmt_integer,
    "year": _fmt_year,
    "agreement": _fixed(2),
    "z": _fixed(2),
    "goldstein": _fixed(1),
    "tiv": _fixed(0, separators=True),
}
TEXT_KINDS = {"text", "source", "mentioned", "kind", "period", "date"}


@dataclass(frozen=True)
class Column:
    """How one column is shown: its header, kind, and whether it reads as text."""

    name: str
    header: str
    kind: str

    @property
    def is_text(self) -> bool:
        return self.kind in TEXT_KINDS


def header_and_kind(
    name: str, series: pd.Series, sources: Mapping[str, str] | None = None
) -> tuple[str, str]:
    """The header and kind of a column, from its name first, then from its values.

    ``sources`` maps source ids to short labels: a column named after a source
    (``kaushiki_bawa``) or prefixed by one (``durrani_share``) is headed by its label.
    """
    header, kind = _by_name(name, sources or {})
    inferred = _infer_kind(series)
    if not kind or (kind not in TEXT_KINDS and inferred in {"text", "date", "boolean"}):
        kind = inferred
    if kind == "decimal" and inferred == "integer":
        kind = "integer"
    return header, kind


def _by_name(name: str, sources: Mapping[str, str]) -> tuple[str, str]:
    if name in HEADERS:
        return HEADERS[name]
    if name in sources:
        return sources[name], ""
    for source_id, label in sorted(sources.items(), key=lambda item: -len(item[0])):
        if name.startswith(source_id + "_"):
            rest = name[len(source_id) + 1 :]
            if rest == "only":
                return f"{label} only", "integer"
            header, kind = _by_name(rest, {})
            return f"{label}: {header[:1].lower() + header[1:]}", kind
    found = _by_pattern(name)
    if found:
        return _header_words(found[0]), found[1]
    return _header_words(name), ""


def _by_pattern(name: str) -> tuple[str, str] | None:
    for pattern, template, kind in PATTERNS:
        match = re.match(pattern, name)
        if match:
            return template.format(**match.groupdict()), kind
    return None


def _header_words(name: str) -> str:
    if re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)+", name):
        return labels.humanize(name)
    return name[:1].upper() + name[1:] if name[:1].islower() else name


_ID = re.compile(r"[a-z0-9]+(_[a-z0-9]+)*")


def id_names(cells: list[str], sources: Mapping[str, str]) -> dict[str, str] | None:
    """Names for the internal ids in a text column, or None when there are none.

    Single-word ids (kinds such as ``war``, source ids) are renamed only when every value of
    the column is one, so free text is never rewritten; ``snake_case`` ids of periods and
    frames are renamed wherever they are a whole cell.
    """
    distinct = {c for c in cells if c != MISSING}
    if not distinct:
        return None
    if distinct <= set(labels.KIND_NAMES):
        return {c: labels.kind_name(c) for c in distinct}
    if distinct <= set(sources) | {"both"}:
        return {c: sources.get(c, "both sources") for c in distinct}
    snake = {c for c in distinct if _ID.fullmatch(c) and "_" in c}
    if not snake:
        return None
    from rupak.evidence import curated, framing_tables

    known = curated.periods().set_index("period_id")["name"].to_dict()
    known.update(framing_tables.frames().set_index("frame_id")["name"].to_dict())
    found = {c: str(known[c]) for c in snake if c in known}
    return found or None


def _infer_kind(series: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(series):
        return "boolean"
    if pd.api.types.is_datetime64_any_dtype(series):
        return "date"
    if pd.api.types.is_numeric_dtype(series):
        values = pd.to_numeric(series, errors="coerce").dropna().to_numpy(dtype=float)
        if pd.api.types.is_integer_dtype(series) or np.all(np.mod(values, 1) == 0):
            return "integer"
        return "decimal"
    return "text"


def _decimal_format(series: pd.Series) -> Callable[[float], str]:
    values = pd.to_numeric(series, errors="coerce").dropna().abs()
    largest = float(values.max()) if len(values) else 0.0
    if largest >= 1000:
        return _fixed(0, separators=True)
    if largest >= 100:
        return _fixed(1)
    return _fixed(2)


def _share_format(series: pd.Series) -> Callable[[float], str]:
    values = pd.to_numeric(series, errors="coerce").dropna().abs() * 100
    small = bool(((values > 0) & (values < 10) & (np.mod(values, 1) != 0)).any())
    decimals = 1 if small else 0
    return lambda v: _signed(f"{v * 100:.{decimals}f}\u00a0%")


def _text(value: Any, kind: str) -> str:
    """A text cell: lists joined, booleans as yes/no, ids by name; missing as "—"."""
    if isinstance(value, (list, tuple, set, np.ndarray)):
        items = [_text(v, kind) for v in value]
        return ", ".join(i for i in items if i != MISSING) or MISSING
    if value is None or value is pd.NA or value is pd.NaT:
        return MISSING
    if isinstance(value, float) and math.isnan(value):
        return MISSING
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (pd.Timestamp, datetime, date)):
        return value.strftime("%Y-%m-%d")
    text = str(value).strip()
    if not text or text.lower() in {"nan", "none", "<na>", "nat"}:
        return MISSING
    if kind == "source":
        return labels.source_label(text, short=True) if text != "both" else "both sources"
    if kind == "mentioned":
        return labels.mentioned_by_name(text)
    if kind == "kind":
        return labels.kind_name(text)
    if kind == "period":
        try:
            return labels.period_name(text, years=False)
        except ValueError:
            return labels.humanize(text)
    return text


def format_column(series: pd.Series, kind: str) -> list[str]:
    """Every cell of a column as display text, by kind."""
    if kind in TEXT_KINDS or kind == "boolean":
        return [_text(v, kind) for v in series]
    if kind == "share":
        fmt = _share_format(series)
    elif kind == "decimal":
        fmt = _decimal_format(series)
    else:
        fmt = FORMATS.get(kind, _fixed(2))
    out = []
    for value in series:
        number = _number(value)
        out.append(MISSING if number is None else fmt(number))
    return out


def slugify(text: str, limit: int = 48) -> str:
    """``"Events of the period (1965–75)"`` → ``events-of-the-period-1965-75``."""
    spaced = re.sub(r"[\u2010-\u2015\u2212\u2190-\u21ff/]", "-", text)
    ascii_text = unicodedata.normalize("NFKD", spaced).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug or "table"


@dataclass(frozen=True)
class Rendered:
    """A table ready to show: HTML, plain text (what nbval compares), CSV and file name."""

    html: str
    text: str
    csv: str
    number: int
    slug: str

    @property
    def filename(self) -> str:
        return f"{self.number:02d}-{self.slug}.csv"


def columns_of(
    frame: pd.DataFrame,
    headers: Mapping[str, str] | None = None,
    formats: Mapping[str, str] | None = None,
    sources: Mapping[str, str] | None = None,
) -> list[Column]:
    headers, formats = dict(headers or {}), dict(formats or {})
    out = []
    for name in frame.columns:
        header, kind = header_and_kind(str(name), frame[name], sources)
        out.append(Column(str(name), headers.get(name, header), formats.get(name, kind)))
    return out


def _interval_kind(columns: list[Column]) -> str:
    for column in columns:
        if column.name in {"mean", "value"}:
            return column.kind
    return "agreement"


def cell_class(is_text: bool, cells: list[str]) -> str:
    """``num`` (right-aligned), ``text`` (left, wraps) or ``text short`` (left, never wraps)."""
    if not is_text:
        return "num"
    longest = max((len(c) for c in cells), default=0)
    return "text short" if longest <= SHORT_TEXT else "text"


def display_table(
    frame: pd.DataFrame,
    headers: Mapping[str, str] | None = None,
    formats: Mapping[str, str] | None = None,
) -> tuple[list[str], list[bool], list[list[str]], pd.DataFrame]:
    """(headers, is-text flags, rows of display strings, CSV frame) for a frame."""
    sources = labels.source_labels(short=True)
    columns = columns_of(frame, headers, formats, sources)
    interval = "ci_low" in frame.columns and "ci_high" in frame.columns
    shown: list[tuple[str, bool, list[str]]] = []
    csv = pd.DataFrame(index=frame.index)
    for column in columns:
        if interval and column.name in {"ci_low", "ci_high"}:
            end = "low" if column.name == "ci_low" else "high"
            csv[f"{INTERVAL}, {end}"] = frame[column.name]
            if column.name == "ci_low":
                kind = _interval_kind(columns)
                low = format_column(frame["ci_low"], kind)
                high = format_column(frame["ci_high"], kind)
                cells = [
                    MISSING if MISSING in (a, b) else f"[{a}, {b}]"
                    for a, b in zip(low, high, strict=True)
                ]
                shown.append((INTERVAL, False, cells))
            continue
        cells = format_column(frame[column.name], column.kind)
        if column.kind == "text":
            names = id_names(cells, sources)
            cells = [names.get(c, c) for c in cells] if names else cells
        shown.append((column.header, column.is_text, cells))
        csv[column.header] = (
            ["" if c == MISSING else c for c in cells] if column.is_text else frame[column.name]
        )
    rows = [list(r) for r in zip(*(cells for _, _, cells in shown), strict=True)]
    return [h for h, _, _ in shown], [t for _, t, _ in shown], rows, csv


@cache
def _template() -> Any:
    import jinja2

    environment = jinja2.Environment(
        autoescape=True, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False
    )
    return environment.from_string(TEMPLATE.read_text(encoding="utf-8"))


def render(
    frame: pd.DataFrame,
    caption: str,
    number: int,
    *,
    index: bool = False,
    headers: Mapping[str, str] | None = None,
    formats: Mapping[str, str] | None = None,
    slug: str | None = None,
    fold_after: int = FOLD_AFTER,
    preview_rows: int = PREVIEW_ROWS,
) -> Rendered:
    """A numbered, captioned table as HTML, plain text and CSV (see the module docstring)."""
    data = frame.reset_index() if index else frame.reset_index(drop=True)
    names, is_text, rows, csv_frame = display_table(data, headers, formats)
    title = f"Table {number}."
    slug = slug or slugify(caption or f"table {number}")
    filename = f"{number:02d}-{slug}.csv"
    folded = len(rows) > fold_after
    classes = [cell_class(text, [row[i] for row in rows]) for i, text in enumerate(is_text)]
    html = _template().render(
        title=title,
        caption=caption,
        headers=names,
        classes=classes,
        rows=rows,
        preview=rows[:preview_rows] if folded else None,
        csv_href=f"tables/{filename}",
        count=len(rows),
    )
    text_frame = pd.DataFrame(rows, columns=names) if rows else pd.DataFrame(columns=names)
    body = text_frame.to_string(index=False) if len(names) else ""
    text = f"{title} {caption}".strip() + "\n" + body
    csv = csv_frame.to_csv(index=False, lineterminator="\r\n")  # RFC 4180; quotes a lone CR
    return Rendered(html, text, csv, number, slug)
