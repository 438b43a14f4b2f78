"""Turn an exploration into a named variant: a ``[[report]]`` appended to reports.toml.

Why: the way to publish "notebook 02 for India" is a report of its own, built from the committed
notebook with the parameters written down, never an edited default. The entry is checked like
any report (name, notebook, every parameter against the committed notebook and the record)
and appended as text, atomically, so the file's comments and layout stay as they were.
"""

from __future__ import annotations

import json
import math
import tomllib
from pathlib import Path
from typing import Any

from rupak.base.storage import atomic_write_bytes
from rupak.publish import parameters as params
from rupak.publish.reports import committed
from rupak.publish.reports.config import (
    CONFIG,
    ConfigError,
    ReportSpec,
    name_problems,
    parse_config,
    read_config,
)


def find_notebook(value: str, base: Path) -> Path:
    """A notebook by path, file name, or number prefix (``02``) in ``<base>/notebooks``."""
    for candidate in (Path(value), base / value, base / "notebooks" / value):
        if candidate.suffix == ".ipynb" and candidate.is_file():
            return candidate.resolve()
    folder = base / "notebooks"
    matches = sorted(folder.glob(f"{value}*.ipynb")) if "/" not in value else []
    if len(matches) == 1:
        return matches[0].resolve()
    known = ", ".join(p.name for p in sorted(folder.glob("*.ipynb")))
    what = "matches several" if matches else "matches no"
    raise ConfigError(f"--notebook {params.shown(value)} {what} notebook (known: {known})")


def _convert(text: str, kind: str | None) -> Any:
    """A command-line value as the declared type (a string when the name is unknown)."""
    if kind == "int":
        return int(text)
    if kind == "float":
        return float(text)
    if kind == "bool":
        lowered = text.strip().lower()
        if lowered not in {"true", "false", "yes", "no", "1", "0"}:
            raise ValueError(text)
        return lowered in {"true", "yes", "1"}
    if kind == "list[str]":
        if text.strip().startswith("["):
            return json.loads(text)
        return [part.strip() for part in text.split(",") if part.strip()]
    return text


def parse_assignments(
    assignments: list[str], declared: dict[str, params.Parameter], where: str
) -> dict[str, Any]:
    """``NAME=VALUE`` pairs converted by the notebook's declared types; raise listing all."""
    values: dict[str, Any] = {}
    problems = []
    for assignment in assignments:
        name, sep, text = assignment.partition("=")
        name = name.strip()
        if not sep or not name:
            problems.append(f"-p {params.shown(assignment)}: write NAME=VALUE")
            continue
        kind = declared[name].type if name in declared else None
        try:
            values[name] = _convert(text, kind)
        except ValueError:
            article = "an" if str(kind)[0] in "aeiou" else "a"
            problems.append(f"{name}: {params.shown(text)} is not {article} {kind}")
    if problems:
        raise params.ParameterError(where, problems)
    return values


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value} is not a finite number")
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise ValueError(f"cannot write {type(value).__name__} values")


def entry_text(spec: ReportSpec, notebook: str, timeout: float | None) -> str:
    lines = ["", "[[report]]", f"name = {_toml_value(spec.name)}"]
    lines.append(f"title = {_toml_value(spec.title)}")
    lines.append(f"notebook = {_toml_value(notebook)}")
    if spec.description:
        lines.append(f"description = {_toml_value(spec.description)}")
    if timeout is not None:
        lines.append(f"timeout = {_toml_value(float(timeout))}")
    if spec.parameters:
        lines += ["", "[report.parameters]"]
        lines += [f"{k} = {_toml_value(v)}" for k, v in spec.parameters.items()]
    return "\n".join(lines) + "\n"


def add_variant(
    name: str,
    notebook: str,
    assignments: list[str],
    title: str | None = None,
    description: str = "",
    timeout: float | None = None,
    config: Path = CONFIG,
) -> ReportSpec:
    """Check a variant and append it to ``config``; raise ConfigError/ParameterError if bad.

    Defaults and types come from the committed notebook (git HEAD) when there is one, so a
    working copy someone is exploring does not leak its edited defaults into the check.
    """
    config = Path(config)
    base = config.resolve().parent
    existing = parse_config(read_config(config), config)
    problems = name_problems(name, [s.name for s in existing], f"{config}: variant")
    if problems:
        raise ConfigError("\n".join(problems))
    path = find_notebook(notebook, base)
    text = committed.committed_text(path) or None
    where = f"variant {name!r} ({committed.display(path)})"
    values = parse_assignments(assignments, params.declared(path, text), where)
    params.check(path, values, where, text=text)
    try:
        relative = path.relative_to(base).as_posix()
    except ValueError:
        relative = str(path)
    shown_values = ", ".join(f"{k}={v!r}" for k, v in values.items()) or "defaults"
    title = title or f"Variant: {path.stem} with {shown_values}"
    spec = ReportSpec(name, path, title, values, description)
    original = config.read_bytes().decode("utf-8")
    updated = original + ("" if original.endswith("\n") or not original else "\n")
    updated += entry_text(spec, relative, timeout)
    specs = parse_config(tomllib.loads(updated), config)  # names, paths, structure, timeout
    if len(specs) != len(existing) + 1:
        raise ConfigError(f"{config}: the variant could not be added as one new report")
    atomic_write_bytes(config, updated.encode("utf-8"))
    return spec
