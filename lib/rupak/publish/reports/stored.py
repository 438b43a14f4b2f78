"""The committed notebooks' stored outputs: are they current (``--check``), and refreshing them.

Why apart: nbval compares the committed outputs with a fresh run, so they must have been
made from the current code, data and record; that is a question about files in git, not about
a build. Refreshing re-executes each notebook with its committed defaults in the ``rupak``
kernel, and refuses a notebook whose parameters cell differs from git HEAD (an exploration
would otherwise become the new stored defaults).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from pathlib import Path

from rupak.base.storage import atomic_write_bytes
from rupak.publish.reports import committed
from rupak.publish.reports.config import DEFAULT_TIMEOUT, NOTEBOOKS, ConfigError, ReportSpec
from rupak.publish.reports.keys import inputs_of, report_key
from rupak.publish.reports.run import (
    KERNEL,
    bound_outputs,
    check_kernel,
    kernel_manager_class,
    kernel_sockets,
    strip_timing,
)


def stored_key(notebook_path: Path) -> str:
    """The key a committed notebook's outputs were made under (empty if never refreshed)."""
    notebook = json.loads(Path(notebook_path).read_text(encoding="utf-8"))
    return notebook.get("metadata", {}).get("rupak", {}).get("key", "")


def current_key(notebook_path: Path, inputs: Iterable[str]) -> str:
    spec = ReportSpec(Path(notebook_path).stem, Path(notebook_path), "")
    return report_key(spec, show_code=True, inputs=inputs)


def _stored_inputs(notebook_path: Path) -> list[str]:
    import nbformat

    return inputs_of(nbformat.read(notebook_path, as_version=4))


def stale_notebooks(paths: Iterable[Path] | None = None) -> list[str]:
    """Notebooks whose stored outputs were not made from the current code, data and record."""
    stale = []
    for path in sorted(paths or NOTEBOOKS.glob("*.ipynb")):
        stored = stored_key(path)
        if not stored:
            stale.append(f"{path.name}: outputs carry no build key (never refreshed)")
        elif stored != current_key(path, _stored_inputs(path)):
            stale.append(f"{path.name}: outputs are stale (code, data, record or cells changed)")
    return stale


def _refuse_explored(paths: list[Path]) -> None:
    """Refuse notebooks whose parameters differ from HEAD: refreshing would commit them."""
    dirty = {}
    for path in paths:
        changes = committed.differences(path).parameters
        if changes:
            dirty[path] = changes
    if dirty:
        raise ConfigError(committed.refusal(dirty, {}, "refresh-notebooks --allow-dirty"))


def refresh_notebooks(
    paths: Iterable[Path] | None = None,
    allow_dirty: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
) -> list[Path]:
    """Re-execute notebooks with their default parameters and save their outputs in place."""
    import nbformat
    from nbclient import NotebookClient

    chosen = [Path(p).resolve() for p in sorted(paths or NOTEBOOKS.glob("*.ipynb"))]
    if not allow_dirty:
        _refuse_explored(chosen)
    try:
        check_kernel()
    except RuntimeError as error:
        raise ConfigError(str(error)) from None
    done = []
    with kernel_sockets() as sockets:
        for path in chosen:
            notebook = nbformat.read(path, as_version=4)
            deadline = time.monotonic() + timeout
            NotebookClient(
                notebook,
                kernel_name=KERNEL,
                timeout=int(timeout),
                timeout_func=lambda cell, end=deadline: max(0.5, end - time.monotonic()),
                shutdown_kernel="immediate",
                kernel_manager_class=kernel_manager_class(sockets),
                resources={"metadata": {"path": str(path.parent)}},
            ).execute()
            strip_timing(notebook)
            bound_outputs(notebook)
            notebook.metadata.pop("widgets", None)
            notebook.metadata["rupak"] = {"key": current_key(path, inputs_of(notebook))}
            atomic_write_bytes(path, nbformat.writes(notebook).encode())
            done.append(path)
    return done
