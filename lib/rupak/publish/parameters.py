"""Notebook parameters: declared in the notebook, checked before anything runs.

A notebook's first code cell is tagged ``parameters`` and reads like a function signature::

    focal: str = "RUS"  # the state whose relations are studied (ISO3)
    start: int = 1965  # first year of the window

:func:`declared` reads that cell with ``papermill.inspect_notebook`` (the same reader papermill
uses when it injects values after the cell) and parses it again with :mod:`ast` for what papermill
does not give: literal defaults (never evaluated as code), declared types and line numbers for
messages. :func:`check` compares proposed values with it and with the project's rules, so that
a report cannot be built from parameters that make nonsense: finite numbers, known states in
distinct roles, spans inside the record's era, bounds that keep the analysis non-empty, and
states that actually voted in the UN General Assembly in the years asked
(docs/methods.md#agreement).

Every problem is listed at once; long values are shortened in messages. In a notebook a
:class:`ParameterError` shows as its message alone (IPython's ``_render_traceback_``).
"""

from __future__ import annotations

import ast
import json
import math
import os
import re
import tempfile
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

from rupak.record.measures import MEASURES

#: Parameters whose values must be ISO3 codes of states (or SUN for the Soviet Union), in the
#: order of their roles: the state studied, its partner, the partner's rival, its other patron.
STATE_PARAMETERS = ("focal", "partner", "rival", "patron")
#: Parameters that name a source text.
SOURCE_PARAMETERS = frozenset({"source_a", "source_b"})
#: Parameters with a closed set of values.
CHOICES: dict[str, tuple[str, ...]] = {
    "measure": MEASURES,
    "unit": ("sentence", "paragraph"),
}
#: Parameters that must be greater than zero.
POSITIVE = frozenset({"prior_strength", "top_n", "min_count", "min_votes", "block"})
#: Upper bounds, where a larger value would leave the analysis empty or meaningless.
UPPER_BOUNDS: dict[str, tuple[float, str]] = {
    "min_votes": (
        100,
        "a year has about 84 UNGA roll calls on average and never more than 160; above 100 "
        "most years would get no value",
    ),
    "top_n": (100, "a table of more than 100 distinctive terms is not read"),
    "min_count": (100, "a term used more than 100 times is rare in two short articles"),
    "block": (50, "wider blocks than half a century merge the periods compared"),
    "prior_strength": (1e7, "a prior this strong shrinks every log-odds to zero"),
}
#: Pairs that must be ordered.
ORDERED = (
    ("start", "end"),
    ("window_start", "window_end"),
    ("before_start", "before_end"),
    ("after_start", "after_end"),
)
#: Year parameters: the span shown and the window tested.
YEARS = ("start", "end", "window_start", "window_end")
#: The segments a window is compared with (the years before it, the years after it).
SEGMENT_YEARS = ("before_start", "before_end", "after_start", "after_end")
#: A segment year of 0 means "automatic": the ten years either side of the window.
AUTOMATIC = 0
#: The plausible era of a year parameter: the UN General Assembly first met in 1946, and no
#: record file (UNGA votes to 2020, SIPRI transfers to 2022) reaches past 2022. Whether a
#: state actually voted in the years asked is checked against the record itself.
YEAR_RANGE = (1946, 2022)
#: Longest text value (a state code, a source id, a choice is a few characters).
MAX_TEXT = 200
#: Characters of a value shown in a message before it is shortened.
SHOWN = 60

_TYPES: dict[str, type | tuple[type, ...]] = {
    "str": str,
    "int": int,
    "float": (int, float),
    "bool": bool,
    "list[str]": list,
}
_NAME_AT = re.compile(r"^\s*([A-Za-z_]\w*)\s*[:=]")


def shown(value: Any, limit: int = SHOWN) -> str:
    """``repr(value)``, shortened to about ``limit`` characters with the full length said."""
    if isinstance(value, str) and len(value) > limit:
        return f"{value[:limit]!r}… ({len(value):,} characters)"
    if isinstance(value, list | tuple | dict) and len(value) > 20:
        text = repr(value[:20] if not isinstance(value, dict) else dict(list(value.items())[:20]))
        return f"{text[:limit]}… ({len(value):,} items)"
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text):,} characters)"


class ParameterError(ValueError):
    """Every problem with a report's parameters (or a notebook's parameters cell), in one message.

    In a notebook it renders as that message alone: IPython calls ``_render_traceback_``
    instead of printing the stack, which says nothing to a researcher who mistyped a state.
    """

    def __init__(self, where: str, problems: list[str], what: str = "invalid parameters"):
        self.where, self.problems, self.what = where, list(problems), what
        super().__init__(f"{where}: {what}:\n  " + "\n  ".join(self.problems))

    def __reduce__(self):
        return (type(self), (self.where, self.problems, self.what))

    def _render_traceback_(self) -> list[str]:
        lines = str(self).splitlines()
        return [f"ParameterError: {lines[0]}", *lines[1:]]


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    default: Any
    doc: str
    line: int = 0


def parameters_cell(notebook: dict) -> dict:
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "code" and "parameters" in cell.get("metadata", {}).get(
            "tags", []
        ):
            return cell
    raise ValueError("no code cell tagged 'parameters'")


def cell_source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def parse_cell(source: str, where: str) -> dict[str, Parameter]:
    """The parameters a cell declares, read with :mod:`ast`; raise listing every bad line.

    A cell that is not valid Python, a line that is not ``name: type = literal``, a type
    outside :data:`_TYPES` or a default of the wrong type gets a message naming ``where``,
    the line and the parameter.
    """
    lines = source.splitlines()
    try:
        tree = ast.parse(source)
    except SyntaxError as error:
        number = error.lineno or 0
        text = lines[number - 1] if 0 < number <= len(lines) else ""
        name = _NAME_AT.match(text)
        about = f" (parameter {name.group(1)!r})" if name else ""
        raise ParameterError(
            where,
            [f"line {number}{about}: not valid Python ({error.msg}): {shown(text.strip())}"],
            "parameters cell",
        ) from None
    found: dict[str, Parameter] = {}
    problems: list[str] = []
    for node in tree.body:
        text = ast.get_source_segment(source, node) or ""
        if not (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)):
            problems.append(
                f"line {node.lineno}: {shown(text)}: write each parameter as "
                "'name: type = default  # meaning'"
            )
            continue
        name, kind = node.target.id, ast.unparse(node.annotation)
        at = f"line {node.lineno} (parameter {name!r})"
        if kind not in _TYPES:
            problems.append(f"{at}: type {shown(kind)} is not one of {', '.join(_TYPES)}")
            continue
        if node.value is None:
            problems.append(f"{at}: no default value")
            continue
        try:
            default = ast.literal_eval(node.value)
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            value = ast.get_source_segment(source, node.value) or ""
            problems.append(
                f"{at}: default {shown(value)} is not a literal (write a number, a string, "
                "True/False or a list of strings)"
            )
            continue
        if not _type_ok(default, kind):
            problems.append(f"{at}: default {shown(default)} is not a {kind}")
            continue
        line = lines[node.lineno - 1] if node.lineno <= len(lines) else ""
        doc = line.split("#", 1)[1].strip() if "#" in line else ""
        found[name] = Parameter(name, kind, default, doc, node.lineno)
    if problems:
        raise ParameterError(where, problems, "parameters cell")
    return found


def _inspected(notebook_path: Path, text: str | None) -> dict[str, dict]:
    """``papermill.inspect_notebook``'s reading of the parameters cell (on a copy if needed)."""
    import papermill

    if text is None and "{" not in str(notebook_path):
        return papermill.inspect_notebook(str(notebook_path))
    if text is None:
        text = Path(notebook_path).read_text(encoding="utf-8")
    handle, copy = tempfile.mkstemp(suffix=".ipynb", prefix="rupak-inspect-")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        return papermill.inspect_notebook(copy)
    finally:
        os.unlink(copy)


def declared(notebook_path: Path, text: str | None = None) -> dict[str, Parameter]:
    """The parameters a notebook declares, in order, with types, defaults and meanings.

    ``text`` is the notebook's JSON when it does not come from the file itself (the
    committed version, read from git). Raise :class:`ParameterError` (parameters cell) or
    ValueError (not a notebook) naming the notebook.
    """
    where = str(notebook_path)
    try:
        raw = text if text is not None else Path(notebook_path).read_text(encoding="utf-8")
        notebook = json.loads(raw)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"{where}: not a readable notebook ({error})") from None
    try:
        source = cell_source(parameters_cell(notebook))
    except (ValueError, AttributeError, TypeError):
        raise ValueError(f"{where}: no code cell tagged 'parameters'") from None
    parsed = parse_cell(source, where)
    try:
        inspected = _inspected(Path(notebook_path), text)
    except Exception as error:  # papermill cannot read the notebook at all
        raise ValueError(f"{where}: papermill cannot read its parameters ({error})") from None
    if list(inspected) != list(parsed):
        raise ParameterError(
            where,
            [
                f"papermill reads the parameters {shown(list(inspected), 200)}, rupak reads "
                f"{shown(list(parsed), 200)}: write one 'name: type = default  # meaning' per "
                "line, with no '=' in the comment"
            ],
            "parameters cell",
        )
    return {
        name: Parameter(
            name,
            p.type,
            p.default,
            str(inspected[name].get("help") or p.doc),
            p.line,
        )
        for name, p in parsed.items()
    }


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
    researcher who edits a value in JupyterLab gets the runner's precise error (shown as its
    message alone). The cell is read with :mod:`ast` only: importing papermill in every
    kernel would cost seconds per report for a reading the runner has already cross-checked.
    """
    from rupak.base.paths import REPO_ROOT

    path = REPO_ROOT / "notebooks" / notebook
    try:
        source = cell_source(parameters_cell(json.loads(path.read_text(encoding="utf-8"))))
    except (OSError, ValueError) as error:
        raise ParameterError(notebook, [str(error)], "parameters cell") from None
    spec = parse_cell(source, notebook)
    return _check(spec, {k: values[k] for k in spec if k in values}, notebook)


def check(
    notebook_path: Path,
    values: dict[str, Any],
    where: str | None = None,
    text: str | None = None,
) -> dict[str, Any]:
    """Return the full parameter set (defaults overlaid with ``values``) or raise, listing all.

    ``text`` is the notebook's JSON when the defaults must come from another version than
    the file on disk (the committed one).
    """
    return _check(declared(notebook_path, text), values, where or str(notebook_path))


def check_values(values: dict[str, Any], where: str) -> dict[str, Any]:
    """The same checks for values that come from elsewhere than a notebook (the command
    line's ``rupak findings``): each value's declared type is the type it has."""
    kinds = {bool: "bool", int: "int", float: "float", str: "str", list: "list[str]"}
    spec = {
        name: Parameter(name, kinds.get(type(value), "str"), value, "")
        for name, value in values.items()
    }
    return _check(spec, values, where)


def _check(spec: dict[str, Parameter], values: dict[str, Any], where: str) -> dict[str, Any]:
    problems: list[str] = []
    for name in values:
        if name not in spec:
            label = name if isinstance(name, str) and len(name) <= SHOWN else shown(name)
            problems.append(
                f"{label}: unknown parameter (the notebook declares: {', '.join(spec)})"
            )
    merged = {name: p.default for name, p in spec.items()}
    merged.update({k: v for k, v in values.items() if k in spec})
    good: dict[str, Any] = {}
    for name, value in merged.items():
        problem = _value_problem(name, value, spec[name].type)
        if problem:
            problems.append(f"{name}: {problem}")
        else:
            good[name] = value
    problems += _relation_problems(good)
    if not problems and len(good) == len(merged):
        problems += record_problems(merged)
    if problems:
        raise ParameterError(where, problems)
    return merged


def _value_problem(name: str, value: Any, kind: str) -> str:
    """What is wrong with one value on its own ('' when nothing)."""
    if not _type_ok(value, kind):
        return f"{shown(value)} is a {type(value).__name__}, expected {kind}"
    if kind in {"int", "float"} and not math.isfinite(value):
        return f"{value} is not a finite number"
    if isinstance(value, str) and len(value) > MAX_TEXT:
        return f"{shown(value)} is longer than {MAX_TEXT} characters"
    if isinstance(value, list) and (len(value) > 100 or any(len(v) > MAX_TEXT for v in value)):
        return f"{shown(value)} is too long (at most 100 items of {MAX_TEXT} characters)"
    if name in STATE_PARAMETERS and value not in _known_states():
        return f"{shown(value)} is not a known ISO3 state code"
    if name in SOURCE_PARAMETERS:
        from rupak.evidence.corpus import source_ids

        if value not in source_ids():
            return f"{shown(value)} is not a source id ({', '.join(source_ids())})"
    if name == "period_id":
        from rupak.evidence.curated import periods

        known = list(periods()["period_id"])
        if value not in known:
            return f"{shown(value)} is not a period ({', '.join(known)})"
    if name in POSITIVE and isinstance(value, int | float) and value <= 0:
        return f"{value} must be greater than 0"
    if name in UPPER_BOUNDS and isinstance(value, int | float):
        bound, reason = UPPER_BOUNDS[name]
        if value > bound:
            return f"{value} is above {bound:g}: {reason}"
    if name in CHOICES and value not in CHOICES[name]:
        return f"{shown(value)} is not one of {', '.join(CHOICES[name])}"
    if (
        kind == "int"
        and name in YEARS + SEGMENT_YEARS
        and not (name in SEGMENT_YEARS and value == AUTOMATIC)
        and not YEAR_RANGE[0] <= value <= YEAR_RANGE[1]
    ):
        return (
            f"{value} is outside the years the record covers ({YEAR_RANGE[0]}–{YEAR_RANGE[1]}: "
            "the first UN General Assembly to the last record file)"
        )
    return ""


def _same_state(code: str) -> str:
    return "RUS" if code == "SUN" else code  # the UNGA record files the USSR as Russia


def _relation_problems(values: dict[str, Any]) -> list[str]:
    """Problems between values: order, spans, distinct roles and sources."""
    problems = []
    for first, last in ORDERED:
        a, b = values.get(first), values.get(last)
        if isinstance(a, int) and isinstance(b, int) and a > b:
            problems.append(f"{first} > {last}: {a} > {b}")
    if all(isinstance(values.get(k), int) for k in YEARS):
        s, e, ws, we = (values[k] for k in YEARS)
        if s <= e and ws <= we and not (s <= ws and we <= e):
            problems.append(
                f"window_start–window_end ({ws}–{we}) must lie within start–end ({s}–{e}): "
                "the window is tested against the years shown around it"
            )
    problems += _segment_problems(values)
    if isinstance(values.get("block"), int) and all(isinstance(values.get(k), int) for k in YEARS):
        years = values["end"] - values["start"] + 1
        if years > 0 and values["block"] > years:
            problems.append(f"block: {values['block']} is wider than the {years} years shown")
    roles = [r for r in STATE_PARAMETERS if isinstance(values.get(r), str)]
    for a, b in combinations(roles, 2):
        if _same_state(values[a]) == _same_state(values[b]):
            problems.append(
                f"{a} {shown(values[a])} and {b} {shown(values[b])} are the same state: the "
                "roles (focal, partner, rival, patron) must be different states"
            )
    if {"source_a", "source_b"} <= values.keys() and values["source_a"] == values["source_b"]:
        problems.append(
            f"source_a and source_b are both {shown(values['source_a'])}; "
            "compare two different sources"
        )
    return problems


def _segment_problems(values: dict[str, Any]) -> list[str]:
    """The segment before a window ends before it starts; the one after starts after it ends."""
    ws, we = values.get("window_start"), values.get("window_end")
    problems = []
    before, after = values.get("before_end"), values.get("after_start")
    before = None if before == AUTOMATIC else before
    after = None if after == AUTOMATIC else after
    if isinstance(before, int) and isinstance(ws, int) and before >= ws:
        problems.append(f"before_end {before} must be earlier than window_start {ws}")
    if isinstance(after, int) and isinstance(we, int) and after <= we:
        problems.append(f"after_start {after} must be later than window_end {we}")
    return problems


def record_problems(values: dict[str, Any]) -> list[str]:
    """States without UNGA votes in the years asked, and windows with too few roll calls.

    Read from the record itself (lazily: only notebooks with states and years pay for it).
    The self-agreement of a state counts the roll calls it voted on, year by year.
    """
    roles = [r for r in STATE_PARAMETERS if r in values]
    if not roles or not {"start", "end"} <= values.keys():
        return []
    from rupak.record import unga

    start, end = values["start"], values["end"]
    problems: list[str] = []
    absent: set[str] = set()
    for role in roles:
        code = _same_state(values[role])
        try:
            table = unga.agreement(code, code, by="year", min_votes=0)
        except ValueError:
            problems.append(f"{role} {values[role]!r}: no UNGA votes in the record")
            absent.add(role)
            continue
        years = table.loc[table["n"] > 0, "year"]
        if not ((years >= start) & (years <= end)).any():
            first, last = int(years.min()), int(years.max())
            if first > end:
                when = f"member from {first}"
            elif last < start:
                when = f"votes until {last}"
            else:
                when = f"votes {first}–{last}"
            problems.append(f"{role} {values[role]!r}: no UNGA votes in {start}–{end} ({when})")
            absent.add(role)
    if {"window_start", "window_end"} <= values.keys():
        problems += _window_problems(values, unga, absent)
    return problems


def _window_problems(values: dict[str, Any], unga: Any, absent: set[str]) -> list[str]:
    """The window's dyads (docs/methods.md#agreement) need roll calls both states voted on."""
    first, last = values["window_start"], values["window_end"]
    minimum = int(values.get("min_votes", 1))
    if set(STATE_PARAMETERS) <= values.keys():
        pairs = [("focal", "partner"), ("focal", "rival"), ("patron", "partner")]
    elif {"focal", "partner"} <= values.keys():
        pairs = [("focal", "partner")]
    else:
        return []
    problems = []
    for a, b in pairs:
        if a in absent or b in absent:
            continue
        x, y = _same_state(values[a]), _same_state(values[b])
        try:
            n = int(unga.agreement(x, y, by=None, start=first, end=last, min_votes=0)["n"].iloc[0])
        except ValueError as error:  # no roll calls at all in the window
            return [f"window {first}–{last}: {error}"]
        if n < minimum:
            problems.append(
                f"window {first}–{last}: {values[a]} and {values[b]} both voted on {n} UNGA roll "
                f"call(s), fewer than min_votes = {minimum}"
            )
    return problems
