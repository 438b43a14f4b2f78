"""What every notebook calls: one setup, escaped displays, and the provenance footer.

Source text can contain markup and links (one text carries a spam URL): everything that comes
from a source or the record is shown through :func:`html.escape`, never as Markdown, so it can
never become a live element or anchor in a report.
"""

from __future__ import annotations

import html
import warnings
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from rupak.base import provenance

SOURCE_LABELS = {
    "durrani": "Durrani (Pakistani author)",
    "kaushiki_bawa": "Kaushiki & Bawa 2022 (Indian authors)",
}


def setup_notebook() -> None:
    """Fix display options, plot style and determinism; keep outputs free of noise."""
    import matplotlib

    matplotlib.use("Agg")
    from IPython import get_ipython

    from rupak.publish.plots import apply_style

    apply_style()
    shell = get_ipython()
    if shell is not None:
        shell.run_line_magic("matplotlib", "inline")
        shell.run_line_magic("config", "InlineBackend.figure_formats = ['png']")
        shell.run_line_magic(
            "config",
            "InlineBackend.print_figure_kwargs = {'bbox_inches': 'tight', "
            "'metadata': {'Software': None}}",
        )
    pd.set_option("display.max_rows", 60)
    pd.set_option("display.max_columns", 20)
    pd.set_option("display.precision", 3)
    pd.set_option("display.width", 120)
    warnings.filterwarnings("ignore", category=FutureWarning)
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    provenance.reset()


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


def table(
    frame: pd.DataFrame, caption: str = "", *, index: bool = False, float_format: str = "{:.3f}"
) -> HTMLBlock:
    """An escaped HTML table with a caption, plus its plain-text rendering."""
    formatters = {
        c: float_format.format for c in frame.columns if pd.api.types.is_float_dtype(frame[c])
    }
    markup = frame.to_html(
        index=index, escape=True, border=0, na_rep="–", formatters=formatters, classes="rupak-table"
    )
    if caption:
        markup = markup.replace(
            '<table border="0" class="dataframe rupak-table">',
            '<table border="0" class="dataframe rupak-table">'
            f"<caption>{html.escape(caption)}</caption>",
            1,
        )
    text = frame.to_string(index=index, na_rep="–", formatters=formatters)
    return HTMLBlock(markup, f"{caption}\n{text}" if caption else text)


def show_table(frame: pd.DataFrame, caption: str = "", **kwargs: Any) -> None:
    _display(table(frame, caption, **kwargs))


def quotes(rows: pd.DataFrame, heading: str = "") -> HTMLBlock:
    """Verbatim quotes as escaped block quotes, each with its source and passage id."""
    parts, lines = [], []
    if heading:
        parts.append(f"<p><strong>{html.escape(heading)}</strong></p>")
    for row in rows.itertuples():
        label = SOURCE_LABELS.get(row.source_id, row.source_id)
        where = getattr(row, "sentence_id", None) or f"{row.char_start}:{row.char_end}"
        parts.append(
            f'<blockquote class="rupak-quote">“{html.escape(row.quote)}”'
            f"<br><small>— {html.escape(label)}, <code>{html.escape(str(where))}</code>"
            "</small></blockquote>"
        )
        lines.append(f"[{row.source_id} {where}] {row.quote}")
    return HTMLBlock("\n".join(parts), "\n".join(lines))


def show_quotes(rows: pd.DataFrame, heading: str = "") -> None:
    _display(quotes(rows, heading))


def say(text: str, **values: Any) -> None:
    """A computed statement: our own words with values substituted (escaped) into them."""
    safe = {k: html.escape(v) if isinstance(v, str) else v for k, v in values.items()}
    body = text.format(**safe)
    _display(HTMLBlock(f'<p class="rupak-finding">{body}</p>', html.unescape(body)))


def caption(text: str) -> None:
    """A figure caption (our words; escaped all the same)."""
    _display(HTMLBlock(f'<p class="rupak-caption"><em>{html.escape(text)}</em></p>', text))


def provenance_footer(
    parameters: Mapping[str, Any] | None = None, citations: Iterable[str] = ("unvotes", "sipri")
) -> None:
    """Data version, files read with hashes, record files, code version, citations.

    The list of inputs also travels in the output's metadata, where the report runner reads
    it to decide, next time, whether this report needs to run again.
    """
    from rupak.record.fetch import CITATIONS

    files = provenance.files_read()
    record = provenance.record_read()
    rows = [
        ("curated data version", provenance.data_version()),
        ("rupak version", provenance.code_version().split("+")[0]),
    ]
    rows += [(f["path"], f["sha256"][:16]) for f in files]
    rows += [(f"record: {r['name']}", r["sha256"][:16]) for r in record]
    if parameters:
        rows += [(f"parameter {k}", repr(v)) for k, v in parameters.items()]
    body = "".join(
        f"<tr><td>{html.escape(k)}</td><td><code>{html.escape(v)}</code></td></tr>" for k, v in rows
    )
    cites = "".join(f"<li>{html.escape(CITATIONS[c])}</li>" for c in citations if c in CITATIONS)
    markup = (
        f'<details class="rupak-provenance" open><summary>Provenance</summary>'
        f"<table>{body}</table><p>Record cited:</p><ul>{cites}</ul></details>"
    )
    text = "\n".join(f"{k}: {v}" for k, v in rows)
    inputs = [f["path"] for f in files] + [f"record:{r['name']}" for r in record]
    _display(HTMLBlock(markup, text), metadata={"rupak": {"inputs": inputs}})
