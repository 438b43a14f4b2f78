"""An executed notebook as a report page: the HTML a reader opens, and the files beside it.

Why apart from the runner: how a page looks (template, contents box, figures, tables) is one
idea; when and in which process it is built is another (:mod:`rupak.publish.reports`).

:func:`export_html` renders with the ``rupak_report`` template and a lean stylesheet of our
own (``templates/rupak_report/rupak.css``, inlined: a page is one file that opens offline),
adds a contents box, turns each table's CSV (carried in the output metadata by
:func:`rupak.publish.notebook.show_table`) into ``Page.files`` at
``<name>/tables/<nn>-<slug>.csv`` and links it, gives every figure its caption as alt text,
and fills in the report's title and build date in "How to cite this report".
"""

from __future__ import annotations

import copy
import functools
import html
import os
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

TEMPLATES = Path(__file__).resolve().parent / "templates"
STYLESHEET = TEMPLATES / "rupak_report" / "rupak.css"


@dataclass
class Page:
    """A rendered report: the HTML and the files that go beside it.

    ``files`` maps paths relative to the output folder (``<name>/tables/01-x.csv``,
    ``assets/rupak.css``) to their bytes; the runner writes them atomically before the page.
    """

    html: str
    files: dict[str, bytes] = field(default_factory=dict)


_HEADING = re.compile(r'<h([1-3])\s+id="([^"]+)"[^>]*>(.*?)</h\1>', re.S)
_TAGS = re.compile(r"<[^>]+>")


def _with_toc(body: str) -> str:
    """Insert a table of contents after <body>, from the headings nbconvert anchored."""
    entries = []
    for level, anchor, inner in _HEADING.findall(body):
        text = html.unescape(_TAGS.sub("", inner)).replace("¶", "").strip()
        entries.append(f'<li class="toc-h{level}"><a href="#{anchor}">{html.escape(text)}</a></li>')
    if 'id="Appendix-provenance"' in body:
        entries.append(
            '<li class="toc-h2"><a href="#Appendix-provenance">Appendix: provenance</a></li>'
        )
    if not entries:
        return body
    nav = (
        '<nav class="rupak-toc" aria-label="Contents"><div><strong>Contents</strong><ul>'
        + "".join(entries)
        + "</ul></div></nav>"
    )
    return re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + nav, body, count=1)


def _outputs(notebook: Any):
    for cell in notebook.cells:
        yield from cell.get("outputs", [])


def _caption_text(output: Any) -> str | None:
    data = output.get("data", {})
    if 'class="rupak-caption"' in str(data.get("text/html", "")):
        return str(data.get("text/plain", "")).strip() or None
    return None


def _alt_from_captions(notebook: Any) -> None:
    """Figures drawn without :func:`show_figure`: the caption shown next gives the alt text."""
    outputs = list(_outputs(notebook))
    for i, output in enumerate(outputs):
        if "image/png" not in output.get("data", {}):
            continue
        meta = output.setdefault("metadata", {}).setdefault("image/png", {})
        if meta.get("alt"):
            continue
        for following in outputs[i + 1 : i + 4]:
            if "image/png" in following.get("data", {}):
                break
            text = _caption_text(following)
            if text:
                meta["alt"] = text
                break


def _compact_images(notebook: Any) -> None:
    """Embed every figure as a palette PNG (a third of the bytes, same look)."""
    import base64

    from rupak.publish.images import compact_png

    for output in _outputs(notebook):
        data = output.get("data", {})
        if "image/png" in data:
            raw = base64.b64decode(data["image/png"])
            data["image/png"] = base64.b64encode(compact_png(raw)).decode("ascii")


def table_files(notebook: Any, name: str) -> dict[str, bytes]:
    """The CSV of every table shown with ``show_table``, by path beside the report."""
    files = {}
    for output in _outputs(notebook):
        table = output.get("metadata", {}).get("rupak", {}).get("table")
        if table:
            path = f"{name}/tables/{int(table['number']):02d}-{table['slug']}.csv"
            files[path] = str(table["csv"]).encode("utf-8")
    return files


def build_date() -> str:
    """Today (UTC), or the date of ``SOURCE_DATE_EPOCH`` for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = datetime.fromtimestamp(int(epoch), UTC) if epoch else datetime.now(UTC)
    return when.strftime("%Y-%m-%d")


def stylesheet(show_code: bool) -> str:
    """Our stylesheet, plus Pygments' rules when code cells are shown."""
    css = STYLESHEET.read_text(encoding="utf-8")
    if show_code:
        from pygments.formatters import HtmlFormatter

        css += "\n" + HtmlFormatter(style="default").get_style_defs(".highlight")
    return css


def _finish(body: str, name: str, title: str, built: str) -> str:
    body = re.sub(
        r'<a\b[^>]*\bclass="rupak-csv"[^>]*>',
        lambda m: m.group(0).replace('href="tables/', f'href="{html.escape(name)}/tables/'),
        body,
    )
    body = re.sub(
        r'<span class="rupak-report-title">[^<]*</span>',
        f'<span class="rupak-report-title">{html.escape(title)}</span>',
        body,
    )
    return re.sub(
        r'<span class="rupak-built">[^<]*</span>',
        f'<span class="rupak-built">{html.escape(built)}</span>',
        body,
    )


def generated_title(notebook: Any) -> str:
    """The title a notebook generated from its parameters (``show_title``), if any."""
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            found = output.get("metadata", {}).get("rupak", {}).get("title")
            if found:
                return str(found)
    return ""


@functools.cache
def load_exporter(show_code: bool = False) -> Any:
    """nbconvert's HTML exporter with the report template, made once per process: loading
    nbconvert and compiling the template cost a page more than rendering it."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(extra_template_basedirs=[str(TEMPLATES)], template_name="rupak_report")
    exporter.exclude_input = not show_code
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    return exporter


def export_html(
    notebook: Any, show_code: bool, title: str, name: str = "report", built: str | None = None
) -> Page:
    """Render an executed notebook to a page (images inline) and the CSV files beside it.

    ``built`` is the build date shown in "How to cite this report" (default: today, UTC).
    The notebook itself is not changed, except for its ``title`` metadata.
    """
    title = generated_title(notebook) or title
    notebook.metadata["title"] = title
    shown = copy.deepcopy(notebook)
    _alt_from_captions(shown)
    _compact_images(shown)
    exporter = load_exporter(show_code)
    body, _ = exporter.from_notebook_node(shown, resources={"rupak_css": stylesheet(show_code)})
    page = _finish(_with_toc(body), name, title, built or build_date())
    return Page(page, table_files(shown, name))
