"""Reports are built from committed notebooks, never from one someone is exploring.

Why: JupyterLab autosaves. A researcher who sets ``partner = "SSD"`` and runs all cells has
rewritten the notebook's default in the working copy, and a build that read it would publish
that exploration under the committed report's title. So the runner compares each notebook's
code cells with the version in git (``HEAD``) and refuses a notebook that differs, naming the
parameters that changed; ``--allow-dirty`` overrides, loudly. Outside a git checkout (an
unpacked archive, a test's temporary folder) there is no committed version to compare with.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from rupak.base.paths import REPO_ROOT
from rupak.publish import parameters as params


@cache
def _toplevel(folder: Path) -> Path | None:
    git = shutil.which("git")
    if git is None:
        return None
    result = subprocess.run(
        [git, "-C", str(folder), "rev-parse", "--show-toplevel"],
        capture_output=True,
        text=True,
        check=False,
    )
    return Path(result.stdout.strip()).resolve() if result.returncode == 0 else None


def committed_text(path: Path) -> str | None:
    """The notebook as committed in ``HEAD``; '' if not committed; None outside git."""
    path = Path(path).resolve()
    top = _toplevel(path.parent)
    if top is None:
        return None
    result = subprocess.run(
        [
            shutil.which("git") or "git",
            "-C",
            str(top),
            "show",
            f"HEAD:{path.relative_to(top).as_posix()}",
        ],
        capture_output=True,
        check=False,
    )
    if result.returncode != 0:
        return ""
    return result.stdout.decode("utf-8", errors="replace")


def _code_cells(notebook: dict) -> list[tuple[int, str, bool]]:
    """(position, source, is the parameters cell) of every code cell."""
    cells = []
    for position, cell in enumerate(notebook.get("cells", []), start=1):
        if cell.get("cell_type") == "code":
            tagged = "parameters" in cell.get("metadata", {}).get("tags", [])
            cells.append((position, params.cell_source(cell), tagged))
    return cells


def _parameter_values(source: str, where: str) -> dict[str, Any] | str:
    try:
        return {name: p.default for name, p in params.parse_cell(source, where).items()}
    except params.ParameterError as error:
        return "; ".join(error.problems)


def _parameter_changes(committed: str, working: str, where: str) -> list[str]:
    old, new = _parameter_values(committed, where), _parameter_values(working, where)
    if isinstance(new, str):
        return [f"the parameters cell differs and is not valid: {new}"]
    if isinstance(old, str):
        return ["the parameters cell differs (the committed one does not parse)"]
    changes = []
    for name in [*old, *(n for n in new if n not in old)]:
        if name not in new:
            changes.append(
                f"{name}: removed in the working copy (committed {params.shown(old[name])})"
            )
        elif name not in old:
            changes.append(f"{name}: added in the working copy ({params.shown(new[name])})")
        elif old[name] != new[name] or type(old[name]) is not type(new[name]):
            changes.append(
                f"{name}: {params.shown(new[name])} in the working copy, "
                f"{params.shown(old[name])} committed"
            )
    return changes or ["the parameters cell differs in its comments or layout"]


@dataclass
class Changes:
    """How a working copy differs from HEAD: its parameters, and its other code cells."""

    parameters: list[str] = field(default_factory=list)
    cells: list[str] = field(default_factory=list)

    def all(self) -> list[str]:
        return [*self.parameters, *self.cells]

    def __bool__(self) -> bool:
        return bool(self.parameters or self.cells)


def differences(path: Path) -> Changes:
    """How the working copy's code cells differ from ``HEAD`` (empty: same, or no git)."""
    text = committed_text(path)
    if text is None:
        return Changes()
    if text == "":
        return Changes(cells=["not committed: the notebook is not in git HEAD"])
    try:
        working = _code_cells(json.loads(Path(path).read_text(encoding="utf-8")))
        committed = _code_cells(json.loads(text))
    except (OSError, ValueError) as error:
        return Changes(cells=[f"cannot be compared with the committed version ({error})"])
    if [c[1:] for c in working] == [c[1:] for c in committed]:
        return Changes()
    found = Changes()
    old_cell = next((c[1] for c in committed if c[2]), "")
    new_cell = next((c[1] for c in working if c[2]), "")
    if old_cell != new_cell:
        found.parameters = _parameter_changes(old_cell, new_cell, display(path))
    others_old = [c for c in committed if not c[2]]
    others_new = [c for c in working if not c[2]]
    changed = [n[0] for o, n in zip(others_old, others_new, strict=False) if o[1] != n[1]]
    extra = abs(len(others_old) - len(others_new))
    if changed or extra:
        first = changed[0] if changed else min(len(others_old), len(others_new)) + 1
        found.cells = [
            f"{len(changed) + extra} other code cell(s) differ from the committed version "
            f"(first: cell {first})"
        ]
    return found


def display(path: Path) -> str:
    path = Path(path).resolve()
    try:
        return path.relative_to(REPO_ROOT.resolve()).as_posix()
    except ValueError:
        return str(path)


def refusal(dirty: dict[Path, list[str]], users: dict[Path, list[str]], flag: str) -> str:
    """The message that refuses notebooks differing from their committed version."""
    lines = []
    for path, changes in dirty.items():
        used = ", ".join(users.get(path, []))
        lines.append(
            f"{display(path)} differs from the committed version (git HEAD)"
            + (f"; used by report(s) {used}" if used else "")
            + ":"
        )
        lines += [f"  {change}" for change in changes]
    number = Path(next(iter(dirty))).name.split("_", 1)[0]
    lines.append(
        "Reports are built from committed notebooks only. Commit the change, restore the "
        "notebook (git restore <notebook>), keep the exploration as a named variant "
        f"(rupak variant NAME --notebook {number} -p name=value), or build from the working "
        f"copy anyway with {flag}."
    )
    return "\n".join(lines)
