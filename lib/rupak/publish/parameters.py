"""Notebook parameters: declared in the notebook, checked before anything runs.

A notebook's first code cell is tagged ``parameters`` and reads like a function signature::

    focal: str = "RUS"  # the state whose relations are studied (ISO3)
    start: int = 1965  # first year of the window

:func:`declared` parses that cell with :mod:`ast` (values are literals, never evaluated as
code); :func:`check` compares proposed values with it and with the project's rules
(ISO3 codes known to the record, ``start <= end``, source ids that exist, choices).
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: Parameters whose values must be ISO3 codes of states (or SUN for the Soviet Union).
STATE_PARAMETERS = frozenset({"focal", "partner", "rival", "patron"})
#: Parameters that name a source text.
SOURCE_PARAMETERS = frozenset({"source_a", "source_b"})
#: Parameters with a closed set of values.
CHOICES: dict[str, tuple[str, ...]] = {
    "measure": ("kappa", "pi", "s", "ia", "percent"),
    "unit": ("sentence", "paragraph"),
}
#: Parameters that must be greater than zero.
POSITIVE = frozenset({"prior_strength", "top_n", "min_count", "min_votes", "block"})
#: Pairs that must be ordered.
ORDERED = (("start", "end"), ("window_start", "window_end"))
#: Years the record covers, for spans.
YEAR_RANGE = (1946, 2022)

_TYPES: dict[str, type | tuple[type, ...]] = {
    "str": str,
    "int": int,
    "float": (int, float),
    "bool": bool,
    "list[str]": list,
}


class ParameterError(ValueError):
    """Every problem with a report's parameters, in one message."""

    def __init__(self, where: str, problems: list[str]):
        self.problems = problems
        super().__init__(f"{where}: invalid parameters:\n  " + "\n  ".join(problems))


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    default: Any
    doc: str


def parameters_cell(notebook: dict) -> dict:
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "code" and "parameters" in cell.get("metadata", {}).get(
            "tags", []
        ):
            return cell
    raise ValueError("no code cell tagged 'parameters'")


def declared(notebook_path: Path) -> dict[str, Parameter]:
    """The parameters a notebook declares, in order, with types, defaults and meanings."""
    notebook = json.loads(Path(notebook_path).read_text(encoding="utf-8"))
    cell = parameters_cell(notebook)
    source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
    comments = {
        number: line.split("#", 1)[1].strip()
        for number, line in enumerate(source.splitlines(), start=1)
        if "#" in line
    }
    found: dict[str, Parameter] = {}
    for node in ast.parse(source).body:
        if not (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)):
            raise ValueError(
                f"{notebook_path}: parameters cell line {node.lineno}: write parameters as "
                "'name: type = default  # meaning'"
            )
        kind = ast.unparse(node.annotation)
        if kind not in _TYPES:
            raise ValueError(
                f"{notebook_path}: parameter {node.target.id}: type {kind} is "
                f"not one of {', '.join(_TYPES)}"
            )
        default = ast.literal_eval(node.value) if node.value is not None else None
        found[node.target.id] = Parameter(
            node.target.id, kind, default, comments.get(node.lineno, "")
        )
    return found


def _type_ok(value: Any, kind: str) -> bool:
    if kind in {"int", "float"} and isinstance(value, bool):
        return False
    if kind == "list[str]":
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    return isinstance(value, _TYPES[kind])


def _known_states() -> set[str]:
    from rupak.record.countries import known_iso3

    return set(known_iso3()) | {"SUN"}


def check_in_notebook(notebook: str, values: dict[str, Any]) -> dict[str, Any]:
    """For a notebook's first cell after its parameters: the same checks the runner makes.

    ``values`` is the notebook's namespace; only declared parameters are looked at, so a
    researcher who edits a value in JupyterLab gets the runner's precise error.
    """
    from rupak.base.paths import REPO_ROOT

    path = REPO_ROOT / "notebooks" / notebook
    spec = declared(path)
    return check(path, {k: values[k] for k in spec if k in values}, where=notebook)


def check(notebook_path: Path, values: dict[str, Any], where: str | None = None) -> dict[str, Any]:
    """Return the full parameter set (defaults overlaid with ``values``) or raise, listing all."""
    where = where or str(notebook_path)
    spec = declared(notebook_path)
    problems: list[str] = []
    for name in values:
        if name not in spec:
            problems.append(f"{name}: unknown parameter (the notebook declares: {', '.join(spec)})")
    merged = {name: p.default for name, p in spec.items()}
    merged.update({k: v for k, v in values.items() if k in spec})
    for name, value in merged.items():
        kind = spec[name].type
        if not _type_ok(value, kind):
            problems.append(f"{name}: {value!r} is a {type(value).__name__}, expected {kind}")
            continue
        if name in STATE_PARAMETERS and value not in _known_states():
            problems.append(f"{name}: {value!r} is not a known ISO3 state code")
        if name in SOURCE_PARAMETERS:
            from rupak.evidence.corpus import source_ids

            if value not in source_ids():
                problems.append(f"{name}: {value!r} is not a source id ({', '.join(source_ids())})")
        if name == "period_id":
            from rupak.evidence.curated import periods

            known = list(periods()["period_id"])
            if value not in known:
                problems.append(f"period_id: {value!r} is not a period ({', '.join(known)})")
        if name in POSITIVE and isinstance(value, int | float) and value <= 0:
            problems.append(f"{name}: {value} must be greater than 0")
        if name in CHOICES and value not in CHOICES[name]:
            problems.append(f"{name}: {value!r} is not one of {', '.join(CHOICES[name])}")
        if (
            kind == "int"
            and name in {"start", "end", "window_start", "window_end"}
            and not (YEAR_RANGE[0] <= value <= YEAR_RANGE[1])
        ):
            problems.append(
                f"{name}: {value} is outside the years the record covers "
                f"({YEAR_RANGE[0]}–{YEAR_RANGE[1]})"
            )
    for first, last in ORDERED:
        a, b = merged.get(first), merged.get(last)
        if isinstance(a, int) and isinstance(b, int) and a > b:
            problems.append(f"{first} > {last}: {a} > {b}")
    if {"source_a", "source_b"} <= merged.keys() and merged["source_a"] == merged["source_b"]:
        problems.append(
            f"source_a and source_b are both {merged['source_a']!r}; compare two different sources"
        )
    if problems:
        raise ParameterError(where, problems)
    return merged
