"""Freshness: what a report depends on, the key it was built under, and the stored state.

Why apart: deciding that a report need not run is the runner's whole speed-up, and it must be
right; it depends on the notebook's cells, its parameters, the library, the files the report
read last time and the record files' pinned hashes, never on when or how it was executed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from rupak.base.paths import REPO_ROOT, data_dir
from rupak.base.storage import atomic_write_bytes
from rupak.publish.reports.config import ReportSpec

RUNNER_VERSION = "1"


@dataclass
class Outcome:
    name: str
    status: str  # built | unchanged | failed
    seconds: float = 0.0
    message: str = ""
    built_at: str = ""
    data_version: str = ""
    key: str = ""
    inputs: list[str] = field(default_factory=list)
    #: Where the time went: executing the notebook (kernel start, imports, cells) and export.
    execute_seconds: float = 0.0
    export_seconds: float = 0.0
    #: What the report asks and its headline finding, read from its outputs (for the index).
    summary: dict[str, str] = field(default_factory=dict)


def digest(*parts: bytes | str) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(part.encode() if isinstance(part, str) else part)
        hasher.update(b"\x00")
    return hasher.hexdigest()


def cells_fingerprint(notebook: dict) -> str:
    cells = [
        (c["cell_type"], "".join(c["source"]), c.get("metadata", {}).get("tags", []))
        for c in notebook["cells"]
    ]
    return digest(json.dumps(cells, sort_keys=True))


def notebook_fingerprint(path: Path) -> str:
    """Hash of a notebook's cells' sources and types: its stored outputs do not count."""
    return cells_fingerprint(json.loads(Path(path).read_text(encoding="utf-8")))


def library_fingerprint() -> str:
    from rupak.base.provenance import code_version

    return code_version()


def inputs_fingerprint(inputs: Iterable[str]) -> str:
    """Hash of the files a report read last time (repo-relative paths) and record names."""
    from rupak.record.fetch import lookup

    parts = []
    for item in sorted(inputs):
        if item.startswith("record:"):
            parts.append(f"{item}={lookup(item[7:]).sha256}")
        else:
            path = REPO_ROOT / item
            if item.startswith("data/"):
                path = data_dir() / item[5:]
            parts.append(
                f"{item}={hashlib.sha256(path.read_bytes()).hexdigest()}"
                if path.is_file()
                else f"{item}=missing"
            )
    return digest(*parts)


def report_key(spec: ReportSpec, show_code: bool, inputs: Iterable[str] | None) -> str:
    """Everything that decides a report's content; ``inputs`` None means unknown yet."""
    return digest(
        RUNNER_VERSION,
        spec.name,
        notebook_fingerprint(spec.notebook),
        json.dumps(spec.parameters, sort_keys=True),
        library_fingerprint(),
        "show_code" if show_code else "hide_code",
        inputs_fingerprint(inputs) if inputs is not None else "unknown",
    )


def config_key(config: Path, specs: Iterable[ReportSpec]) -> str:
    """What the parameter checks of a configuration depend on (to check it once)."""
    from rupak.base.provenance import data_version

    notebooks = sorted({spec.notebook for spec in specs})
    return digest(
        Path(config).read_bytes(),
        library_fingerprint(),
        data_version(),
        *[f"{p}={notebook_fingerprint(p)}" for p in notebooks],
    )


def summary_of(notebook: Any) -> dict[str, str]:
    """The question and headline finding a report's summary carries in its output metadata."""
    found: dict[str, str] = {}
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            meta = output.get("metadata", {}).get("rupak", {})
            if isinstance(meta.get("summary"), dict):
                found.update({str(k): str(v) for k, v in meta["summary"].items()})
            if meta.get("title") and "title" not in found:
                found["title"] = str(meta["title"])
    return found


def inputs_of(notebook: Any) -> list[str]:
    """The inputs an executed notebook recorded (its provenance footer's metadata)."""
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            meta = output.get("metadata", {}).get("rupak", {})
            if "inputs" in meta:
                return list(meta["inputs"])
    return []


# --- state --------------------------------------------------------------------------------------


def state_path(out: Path, name: str) -> Path:
    return out / ".state" / f"{name}.json"


def read_state(out: Path, name: str) -> dict[str, Any] | None:
    try:
        return json.loads(state_path(out, name).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError, UnicodeDecodeError):
        return None


def write_state(out: Path, outcome: Outcome) -> None:
    data = json.dumps(asdict(outcome), indent=2, sort_keys=True).encode()
    atomic_write_bytes(state_path(out, outcome.name), data)


def is_current(spec: ReportSpec, out: Path, show_code: bool) -> bool:
    state = read_state(out, spec.name)
    if not state or state.get("status") != "built":
        return False
    if not (out / f"{spec.name}.html").is_file() or not (out / f"{spec.name}.ipynb").is_file():
        return False
    try:
        return state.get("key") == report_key(spec, show_code, state.get("inputs", []))
    except (OSError, KeyError, ValueError):
        return False
