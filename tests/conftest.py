"""Shared fixtures. The record comes from the offline mirror (RUPAK_MIRROR), never the network."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

from rupak.base.paths import REPO_ROOT

SHARED_MIRROR = REPO_ROOT.parent / "shared" / "external"
if not os.environ.get("RUPAK_MIRROR") and SHARED_MIRROR.is_dir():
    os.environ["RUPAK_MIRROR"] = str(SHARED_MIRROR)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A private copy of data/ (datapackage, curated tables, raw sources) to break."""
    target = tmp_path / "data"
    shutil.copytree(REPO_ROOT / "data", target)
    return target


def tree_digest(root: Path) -> dict[str, str]:
    """SHA-256 of every file below ``root``: to prove a command changed nothing."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def digest():
    return tree_digest


def write_notebook(path: Path, *sources: str) -> Path:
    """A small notebook: a tagged parameters cell, then one code cell per source."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    cells = [new_code_cell('label: str = "x"  # a label', metadata={"tags": ["parameters"]})]
    cells += [new_code_cell(source) for source in sources]
    kernel = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(new_notebook(cells=cells, metadata={"kernelspec": kernel}), path)
    return path
