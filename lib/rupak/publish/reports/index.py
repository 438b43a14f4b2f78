"""The index page: every report with its parameters, status, data version and build time.

Why a template file: the page is markup, kept with the other templates
(``templates/rupak_index/index.html.j2``) and rendered by Jinja2 with autoescaping, so no
title, parameter or error message can become live HTML.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rupak.base.storage import atomic_write_bytes
from rupak.publish.html import TEMPLATES
from rupak.publish.parameters import shown
from rupak.publish.reports.config import ReportSpec
from rupak.publish.reports.keys import read_state


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text):,} characters)"


def _row(spec: ReportSpec, out: Path) -> dict[str, Any]:
    state = read_state(out, spec.name) or {}
    status = str(state.get("status", "not built"))
    target = f"{spec.name}.failed.html" if status == "failed" else f"{spec.name}.html"
    return {
        "status": status,
        "link": target if (out / target).is_file() else "",
        "title": str(state.get("summary", {}).get("title") or spec.title),
        "name": spec.name,
        "notebook": spec.notebook.name,
        "parameters": [(k, shown(v, 120)) for k, v in sorted(spec.parameters.items())],
        "message": _cut(str(state.get("message", "")), 1000),
        "data_version": state.get("data_version", ""),
        "built_at": state.get("built_at", ""),
        "seconds": state.get("seconds", ""),
        "question": _cut(str(state.get("summary", {}).get("question", "")), 600),
        "headline": _cut(str(state.get("summary", {}).get("headline", "")), 900),
        "changes": _changes(spec),
        "description": spec.description,
    }


def _changes(spec: ReportSpec) -> str:
    """What a variant changes from its notebook's defaults, in words ("" for a default)."""
    if not spec.parameters:
        return ""
    from rupak.publish.parameters import STATE_PARAMETERS, declared

    try:
        defaults = {name: p.default for name, p in declared(spec.notebook).items()}
    except (OSError, ValueError):
        return ""
    words = []
    for name, value in sorted(spec.parameters.items()):
        before = defaults.get(name)
        if before == value:
            continue
        if name in STATE_PARAMETERS:
            before, value = _state(before), _state(value)
        words.append(f"{name.replace('_', ' ')}: {shown(before, 40)} → {shown(value, 40)}")
    return "; ".join(words)


def _state(code: object) -> str:
    from rupak.record.countries import name

    try:
        return name(str(code))
    except ValueError:
        return str(code)


def render_index(specs: Sequence[ReportSpec], out: Path) -> str:
    import jinja2

    from rupak.base.provenance import code_version
    from rupak.record.fetch import CITATIONS

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES / "rupak_index"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    from rupak.publish.references import source_references

    return environment.get_template("index.html.j2").render(
        rows=[_row(spec, out) for spec in specs],
        sources=[reference.text for reference in source_references()],
        code_version=code_version(),
        citations=list(CITATIONS.values()),
    )


def write_index(specs: Sequence[ReportSpec], out: Path) -> Path:
    """Write ``index.html`` from the stored state of every report (escaped throughout)."""
    target = out / "index.html"
    atomic_write_bytes(target, render_index(specs, out).encode())
    return target
