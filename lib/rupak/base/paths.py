"""Where the project's own files live.

The package is installed in editable mode from ``lib/``; the curated data, notebooks and
reports sit beside it in the repository. ``RUPAK_DATA`` points elsewhere (tests use it to
feed broken copies of the data).
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]


def data_dir() -> Path:
    value = os.environ.get("RUPAK_DATA")
    return Path(value).resolve() if value else REPO_ROOT / "data"


def curated_dir() -> Path:
    return data_dir() / "curated"
