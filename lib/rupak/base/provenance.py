"""What a computation read, and the versions that make a report reproducible.

The library notes every project file and record file it reads. A notebook's provenance
footer shows them with their hashes, and the report runner stores the list so that a later
build re-runs a report only when something it actually read has changed.

Results kept in memory must not hide what they were computed from: :func:`cached` (the
library's ``functools.cache``) remembers what the first call noted and notes it again on every
later call, so a kernel that runs several reports one after the other still gives each report
the provenance it would have had in a fresh kernel.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from rupak import __version__
from rupak.base.paths import REPO_ROOT, data_dir

_files_read: set[Path] = set()
_record_read: dict[str, str] = {}
#: What each cached computation now running has noted so far (innermost last).
_capturing: list[tuple[set[Path], dict[str, str]]] = []
_resolved: dict[str, Path] = {}

F = TypeVar("F", bound=Callable[..., Any])


def note_file(path: Path) -> None:
    """Record that a project file (curated table, raw text, descriptor) was read."""
    raw = str(path)
    resolved = _resolved.get(raw)
    if resolved is None:  # resolving is slow; only absolute paths mean the same file twice
        resolved = Path(path).resolve()
        if Path(path).is_absolute():
            _resolved[raw] = resolved
    _files_read.add(resolved)
    for files, _ in _capturing:
        files.add(resolved)


def note_record(name: str, sha256: str) -> None:
    """Record that an external record file (by registry name, with its pinned hash) was read."""
    _record_read[name] = sha256
    for _, records in _capturing:
        records[name] = sha256


def cached(function: F) -> F:
    """``functools.cache`` that keeps provenance: a hit notes again what the first call read.

    Use it for every in-memory cache of something read from the data or the record; a plain
    ``functools.cache`` would make a second report in the same kernel lose those files from
    its provenance footer and from the inputs the incremental build watches.
    """
    results: dict[Any, tuple[Any, frozenset[Path], tuple[tuple[str, str], ...]]] = {}

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        key = functools._make_key(args, kwargs, typed=False)
        hit = results.get(key)
        if hit is None:
            files: set[Path] = set()
            records: dict[str, str] = {}
            _capturing.append((files, records))
            try:
                value = function(*args, **kwargs)
            finally:
                _capturing.pop()
            results[key] = (value, frozenset(files), tuple(records.items()))
            return value
        value, files_read, records_read = hit
        for path in files_read:
            note_file(path)
        for name, sha256 in records_read:
            note_record(name, sha256)
        return value

    wrapper.cache_clear = results.clear  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


def reset() -> None:
    _files_read.clear()
    _record_read.clear()


def _display_path(path: Path) -> str:
    try:
        return path.relative_to(REPO_ROOT).as_posix()
    except ValueError:
        try:
            return "data/" + path.relative_to(data_dir()).as_posix()
        except ValueError:
            return path.name


def file_digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def files_read() -> list[dict[str, str]]:
    """Project files read so far, as repo-relative paths with their SHA-256."""
    return [
        {"path": _display_path(p), "sha256": file_digest(p)}
        for p in sorted(_files_read, key=_display_path)
        if p.is_file()
    ]


def record_read() -> list[dict[str, str]]:
    """Record files read so far, by name, with their pinned SHA-256."""
    return [{"name": n, "sha256": _record_read[n]} for n in sorted(_record_read)]


def data_version(root: Path | None = None) -> str:
    """A short digest of every file of the data package (descriptor, tables, raw texts)."""
    root = Path(root) if root is not None else data_dir()
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and "_staging" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:12]


def code_version() -> str:
    """Package version plus a short digest of the library's source files."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parents[1]
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix in {
            ".py",
            ".txt",
            ".toml",
            ".json",
            ".csv",
            ".css",
            ".j2",
        }:
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(path.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:10]}"
