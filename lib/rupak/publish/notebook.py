"""What every notebook calls: setup, numbered figures and tables, quotes, references, appendix.

Source text can contain markup and links (one text carries a spam URL): everything that comes
from a source or the record is escaped, never rendered as Markdown, so it can never become a
live element or anchor in a report.

A notebook, top to bottom::

    setup_notebook()                                   # style, determinism, counters reset
    show_quotes(rows, heading="…", date="date_start")  # de-duplicated, in date order
    n = show_figure(plots.timeline(…), "Events …")     # "Figure 1. Events …", alt text too
    show_table(plots.timeline_key(events), f"The events numbered in Figure {n}")
    show_glossary("cameo", "goldstein")                # what the codes mean
    say("… {x:.2f} …", x=value)                        # a computed statement
    provenance_footer(parameters, methods=["hage2011", "cameo2002", "goldstein1992"])

Figures and tables are numbered per notebook ("Figure 1.", "Table 3."); :func:`show_figure`
and :func:`show_table` return the number for the text to refer to. Every table's CSV travels
in its output's metadata (``{"rupak": {"table": {"number", "slug", "csv"}}}``) and the page
export writes it beside the report (:func:`rupak.publish.html.export_html`). The footer
shows References, "How to cite this report" and the provenance appendix (folded).
"""

from __future__ import annotations

import base64
import html
import io
import warnings
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from rupak.base import provenance
from rupak.publish import labels
from rupak.publish import tables as table_layout

SOURCE_LABELS = labels.SourceLabels()
source_label = labels.source_label
OPENING_MARKS = "“‘\"'«‹„‚"
CLOSING_MARKS = "”’\"'»›“‘"
_counters = {"figure": 0, "table": 0}


class Number(int):
    """A figure or table number: an ``int`` for the text, invisible as a cell's last value."""

    def _ipython_display_(self) -> None:
        return None


def setup_notebook() -> None:
    """Fix display options, plot style and determinism; reset figure and table numbers."""
    import matplotlib

    matplotlib.use("Agg")
    from IPython import get_ipython

    from rupak.publish.figure_style import DPI, apply_style

    apply_style()
    shell = get_ipython()
    if shell is not None:
        shell.run_line_magic("matplotlib", "inline")
        shell.run_line_magic("config", "InlineBackend.figure_formats = ['png']")
        shell.run_line_magic(
            "config",
            "InlineBackend.print_figure_kwargs = {'bbox_inches': 'tight', "
            f"'dpi': {DPI}, 'metadata': {{'Software': None}}}}",
        )
    pd.set_option("display.max_rows", 60)
    pd.set_option("display.max_columns", 20)
    pd.set_option("display.precision", 3)
    pd.set_option("display.width", 120)
    warnings.filterwarnings("ignore", category=FutureWarning)
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    provenance.reset()
    _counters.update(figure=0, table=0)


def _next(kind: str) -> Number:
    _counters[kind] += 1
    return Number(_counters[kind])


def _display(obj: Any, metadata: Mapping[str, Any] | None = None) -> None:
    from IPython.display import display

    display(obj, metadata=dict(metadata) if metadata else None)


class HTMLBlock:
    """An HTML output with a plain-text form (what nbval compares, what a terminal shows)."""

    def __init__(self, markup: str, text: str):
        self.markup, self.text = markup, text

    def _repr_html_(self) -> str:
        return self.markup

    def __repr__(self) -> str:
        return self.text


# --- figures ------------------------------------------------------------------------------


def show_figure(fig: Any, caption: str) -> Number:
    """Show a figure with "Figure n. caption" below it; the caption is also its alt text.

    The PNG (150 dpi, deterministic) carries ``alt`` in its output metadata, which the page
    template writes into ``<img alt>``. Returns the figure's number.
    """
    from IPython.display import display
    from PIL import Image

    from rupak.publish.figure_style import DPI, figure_png

    number = _next("figure")
    text = f"Figure {number}. {caption}".strip()
    png = figure_png(fig)
    width = round(Image.open(io.BytesIO(png)).width * 96 / DPI)
    display(
        {"image/png": base64.b64encode(png).decode("ascii"), "text/plain": text},
        raw=True,
        metadata={
            "image/png": {"alt": text, "width": width},
            "rupak": {"figure": {"number": number, "label": f"Figure {number}.", "text": caption}},
        },
    )
    return number


def caption(text: str) -> None:
    """A caption shown under a figure drawn some other way (prefer :func:`show_figure`)."""
    _display(HTMLBlock(f'<p class="rupak-caption">{html.escape(text)}</p>', text))


# --- tables -------------------------------------------------------------------------------


def table(frame: pd.DataFrame, caption: str = "", number: int = 0, **options: Any) -> HTMLBlock:
    """A table as an HTML block (no numbering side effect); see :func:`show_table`."""
    options.pop("float_format", None)  # older notebooks; formats now follow the measure
    rendered = table_layout.render(frame, caption, number, **options)
    return HTMLBlock(rendered.html, rendered.text)


def show_table(frame: pd.DataFrame, caption: str = "", **options: Any) -> Number:
    """Show "Table n. caption" with human headers, a CSV beside it; return n.

    Options: ``index`` (show the index as a column), ``headers`` and ``formats`` (per-column
    overrides, see :mod:`rupak.publish.tables`), ``slug`` (the CSV's file name).
    """
    options.pop("float_format", None)
    number = _next("table")
    rendered = table_layout.render(frame, caption, number, **options)
    meta = {"number": number, "slug": rendered.slug, "csv": rendered.csv}
    _display(HTMLBlock(rendered.html, rendered.text), metadata={"rupak": {"table": meta}})
    return number


# --- quotes -------------------------------------------------------------------------------


def quote_marks(quote: str) -> str:
    """A quote in “…”, unless it already begins or ends with a quotation mark."""
    text = str(quote).strip()
    if text[:1] in OPENING_MARKS or text[-1:] in CLOSING_MARKS:
        return text
    return f"“{text}”"


def dedupe_quotes(rows: pd.DataFrame) -> pd.DataFrame:
    """One quote per passage: rows of a source whose offsets overlap keep the longest.

    Rows without offsets are de-duplicated by identical text. Order is kept.
    """
    if rows.empty:
        return rows.copy()
    frame = rows.reset_index(drop=True)
    keep: set[int] = set()
    has_offsets = {"char_start", "char_end"} <= set(frame.columns)
    located = (
        frame["char_start"].notna() & frame["char_end"].notna()
        if has_offsets
        else pd.Series(False, index=frame.index)
    )
    for _, part in frame[located].groupby("source_id", sort=False):
        spans = part.sort_values(["char_start", "char_end"])
        group: list[int] = []
        end = -1
        for i, row in spans.iterrows():
            if group and int(row["char_start"]) < end:
                group.append(i)
                end = max(end, int(row["char_end"]))
                continue
            if group:
                keep.add(max(group, key=lambda j: (_span(frame, j), -j)))
            group, end = [i], int(row["char_end"])
        if group:
            keep.add(max(group, key=lambda j: (_span(frame, j), -j)))
    loose = frame[~located].drop_duplicates(subset=["source_id", "quote"])
    keep.update(loose.index)
    return frame.loc[sorted(keep)].reset_index(drop=True)


def _span(frame: pd.DataFrame, i: int) -> int:
    return int(frame.at[i, "char_end"]) - int(frame.at[i, "char_start"])


def order_quotes(rows: pd.DataFrame, date: str | None = None) -> pd.DataFrame:
    """Quotes in date order (``date`` column, else ``date_start`` or ``date`` if present)."""
    column = date or next((c for c in ("date_start", "date") if c in rows.columns), None)
    if column is None or column not in rows.columns:
        return rows.reset_index(drop=True)
    keys = [column] + [c for c in ("source_id", "char_start") if c in rows.columns]
    return rows.sort_values(keys, kind="stable", na_position="last").reset_index(drop=True)


def _where(row: Any) -> str:
    """The passage a quote stands in: its sentence, else its paragraph, else its offsets."""
    for column in ("sentence_id", "paragraph_id"):
        value = getattr(row, column, None)
        if isinstance(value, str) and value:
            return value
    return f"{row.char_start}:{row.char_end}"


def quotes(rows: pd.DataFrame, heading: str = "", date: str | None = None) -> HTMLBlock:
    """Verbatim quotes as escaped block quotes, de-duplicated and in date order.

    Each is cited by its source's label; the passage id (or offsets) appears only in the
    small citation text, with the event it is evidence for when ``title`` is given.
    """
    shown = order_quotes(dedupe_quotes(rows), date)
    parts, lines = [], []
    if heading:
        parts.append(f'<p class="rupak-quotes-heading"><strong>{html.escape(heading)}</strong></p>')
    for row in shown.itertuples():
        label = labels.source_label(row.source_id)
        where = _where(row)
        about = getattr(row, "title", None)
        about_html = f" · on {html.escape(str(about))}" if isinstance(about, str) and about else ""
        text = quote_marks(row.quote)
        parts.append(
            f'<blockquote class="rupak-quote">{html.escape(text)}'
            f'<footer><small>— {html.escape(label)}{about_html} · <span class="rupak-ref">'
            f"{html.escape(str(where))}</span></small></footer></blockquote>"
        )
        lines.append(f"[{row.source_id} {where}] {text}")
    return HTMLBlock("\n".join(parts), "\n".join(lines))


def show_quotes(rows: pd.DataFrame, heading: str = "", date: str | None = None) -> None:
    _display(quotes(rows, heading, date))


# --- statements and explanations ----------------------------------------------------------


def say(text: str, **values: Any) -> None:
    """A computed statement: our own words with values substituted (escaped) into them."""
    safe = {k: html.escape(v) if isinstance(v, str) else v for k, v in values.items()}
    body = text.format(**safe)
    _display(HTMLBlock(f'<p class="rupak-finding">{body}</p>', html.unescape(body)))


GLOSSARY: Mapping[str, tuple[str, str]] = {
    "cameo": (
        "CAMEO",
        "Conflict and Mediation Event Observations (Gerner et al. 2002), a codebook of event "
        "types. Root codes 01–08 (statements, appeals, intent to cooperate, consultation, "
        "diplomatic and material cooperation, aid, yielding) are counted as cooperative; "
        "09–20 (from demands and disapproval to threats, coercion and the use of force) as "
        "conflictual. See docs/methods.md#event-coding.",
    ),
    "goldstein": (
        "Goldstein scale",
        "A weight from −10 (most conflictual, e.g. military attack) to +10 (most "
        "cooperative, e.g. military assistance) given to each CAMEO event code (Goldstein "
        "1992). It rates one act, not a relationship; totals add the acts of a year.",
    ),
    "tiv": (
        "SIPRI TIV",
        "SIPRI's trend-indicator value (millions): the volume of military capability "
        "transferred, priced at fixed unit costs. It is not money and cannot be compared with "
        "dollar figures. See docs/methods.md#tiv.",
    ),
    "agreement": (
        "Vote agreement",
        "How alike two states voted on the UN General Assembly's roll calls in a year: "
        "chance-corrected (Cohen's κ, Scott's π; Häge 2011) so that the many unanimous "
        "'yes' votes do not inflate it. 1 is identical voting, 0 what chance would give. "
        "See docs/methods.md#agreement.",
    ),
    "fightin_words": (
        "Fightin' Words",
        "A log-odds ratio of word use with an informative Dirichlet prior (Monroe, Colaresi "
        "& Quinn 2008); z ranks words by how reliably they separate two texts. See "
        "docs/methods.md#fightin-words.",
    ),
}


def glossary(*keys: str) -> HTMLBlock:
    """Short explanations of the codes and scales a page uses (default: CAMEO, Goldstein)."""
    chosen = keys or ("cameo", "goldstein")
    unknown = [k for k in chosen if k not in GLOSSARY]
    if unknown:
        raise ValueError(f"unknown glossary term(s) {unknown}; known: {', '.join(GLOSSARY)}")
    items = [GLOSSARY[k] for k in chosen]
    markup = "".join(
        f"<dt>{html.escape(term)}</dt><dd>{html.escape(text)}</dd>" for term, text in items
    )
    text = "\n".join(f"{term}: {text}" for term, text in items)
    return HTMLBlock(f'<dl class="rupak-glossary">{markup}</dl>', text)


def show_glossary(*keys: str) -> None:
    _display(glossary(*keys))


# --- the end of every page: references, how to cite, provenance ---------------------------


def references_block(
    methods: Iterable[str] = (),
    data: Iterable[str] | None = None,
    sources: Iterable[str] | None = None,
) -> HTMLBlock:
    """The References section (sources, data, methods); see :mod:`rupak.publish.references`."""
    from rupak.publish.references import references

    parts = ['<section class="rupak-references"><h2 id="References">References</h2>']
    lines = ["References"]
    for section, refs in references(methods, data, sources).items():
        parts.append(f"<h3>{html.escape(section)}</h3><ul>")
        lines.append(section)
        for ref in refs:
            doi = (
                f' doi:<a href="https://doi.org/{html.escape(ref.doi)}">{html.escape(ref.doi)}</a>'
                if ref.doi
                else ""
            )
            note = f" <em>{html.escape(ref.note)}</em>" if ref.note else ""
            parts.append(f"<li>{html.escape(ref.text)}{doi}{note}</li>")
            shown = (ref.text, f"doi:{ref.doi}" if ref.doi else "", ref.note)
            lines.append(" ".join(p for p in shown if p))
        parts.append("</ul>")
    parts.append("</section>")
    return HTMLBlock("".join(parts), "\n".join(lines))


def show_references(
    methods: Iterable[str] = (),
    data: Iterable[str] | None = None,
    sources: Iterable[str] | None = None,
) -> None:
    _display(references_block(methods, data, sources))


def citation_block() -> HTMLBlock:
    """ "How to cite this report": project version, data version; the page adds title and date.

    The build date is filled in when the page is exported (the notebook output stays the
    same from day to day): ``rupak-report-title`` and ``rupak-built`` are placeholders.
    """
    from rupak import __version__

    data = provenance.data_version()
    markup = (
        '<section class="rupak-cite"><h2 id="How-to-cite-this-report">How to cite this report'
        '</h2><p class="rupak-cite-line"><span class="rupak-report-title">rupak report</span>. '
        f"rupak version {html.escape(__version__)}, curated data version "
        f"<code>{html.escape(data)}</code>, built "
        '<span class="rupak-built">(date of the page build)</span>. '
        "Cite the sources and data listed under References as well.</p></section>"
    )
    text = f"How to cite: rupak version {__version__}, curated data version {data}."
    return HTMLBlock(markup, text)


def appendix_block(parameters: Mapping[str, Any] | None = None) -> tuple[HTMLBlock, list[str]]:
    """The folded provenance appendix, and the list of inputs for the report runner."""
    files = provenance.files_read()
    record = provenance.record_read()
    rows = [
        ("curated data version", provenance.data_version()),
        ("rupak version", provenance.code_version().split("+")[0]),
    ]
    if parameters:
        rows += [(f"parameter {k}", repr(v)) for k, v in parameters.items()]
    rows += [(f["path"], f["sha256"][:16]) for f in files]
    rows += [(f"record: {r['name']}", r["sha256"][:16]) for r in record]
    body = "".join(
        f"<tr><td>{html.escape(k)}</td><td><code>{html.escape(v)}</code></td></tr>" for k, v in rows
    )
    markup = (
        '<details class="rupak-appendix"><summary id="Appendix-provenance">Appendix: '
        f"provenance — {len(files)} project files and {len(record)} record files read, with "
        "their SHA-256, the code version and the parameters</summary>"
        f'<div class="rupak-scroll"><table class="rupak-provenance">{body}</table></div>'
        "</details>"
    )
    text = "\n".join(f"{k}: {v}" for k, v in rows)
    inputs = [f["path"] for f in files] + [f"record:{r['name']}" for r in record]
    return HTMLBlock(markup, text), inputs


def provenance_footer(
    parameters: Mapping[str, Any] | None = None,
    citations: Iterable[str] | None = None,
    methods: Iterable[str] = (),
) -> None:
    """End a notebook: References, How to cite this report, and the folded appendix.

    ``methods`` are the method references the page used (keys of
    :data:`rupak.publish.references.METHODS`, e.g. ``"hage2011"``); ``citations`` names the
    datasets to cite (default: those the notebook read). The list of inputs also travels in
    the output's metadata, where the report runner reads it to decide, next time, whether
    this report needs to run again.
    """
    blocks = [references_block(methods, citations), citation_block()]
    appendix, inputs = appendix_block(parameters)
    blocks.append(appendix)
    combined = HTMLBlock("\n".join(b.markup for b in blocks), "\n\n".join(b.text for b in blocks))
    meta = {"inputs": inputs, "data_version": provenance.data_version()}
    _display(combined, metadata={"rupak": meta})
