"""An executed notebook as a self-contained HTML page: the report a reader opens.

Why apart from the runner: how a page looks (template, contents box, figures) is one idea;
when and in which process it is built is another (:mod:`rupak.publish.reports`).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TEMPLATES = Path(__file__).resolve().parent / "templates"


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
    if not entries:
        return body
    nav = (
        '<nav class="rupak-toc" aria-label="Contents"><strong>Contents</strong><ul>'
        + "".join(entries)
        + "</ul></nav>"
    )
    style = (
        "<style>.rupak-toc{max-width:1100px;margin:1em auto;padding:.5em 1em;"
        "border:1px solid #ddd;background:#fafafa;font-family:sans-serif;font-size:90%}"
        ".rupak-toc ul{margin:.3em 0;padding-left:1.2em}.rupak-toc .toc-h3{margin-left:1.2em}"
        "</style>"
    )
    return re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + style + nav, body, count=1)


def export_html(notebook: Any, show_code: bool, title: str, name: str = "report") -> Page:
    """Render an executed notebook to a self-contained HTML page (images inline)."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(extra_template_basedirs=[str(TEMPLATES)], template_name="rupak_report")
    exporter.exclude_input = not show_code
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    notebook.metadata["title"] = title
    body, _ = exporter.from_notebook_node(notebook)
    return Page(_with_toc(body))
