"""Generic file I/O: atomic writes and a Parquet cache of derived tables.

Why one module: a report, a cache entry or a curated table rewritten by a command must never
be seen half-written, and every derived table (parsed record files, sentence segmentation) is
cached the same way. Nothing here knows what the files mean.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas stays lazy: `rupak reports` with nothing to do starts fast
    import pandas as pd

CACHE_ENV = "RUPAK_CACHE"


def cache_dir() -> Path:
    """Root of the download and parsed-table cache: ``RUPAK_CACHE`` or the user cache dir."""
    value = os.environ.get(CACHE_ENV)
    if value:
        return Path(value).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("rupak"))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write_bytes(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` so that readers see the old file or the new, never half.

    The file gets the permissions an ordinary write would (0666 less the umask), not the
    owner-only mode of a temporary file, so a web server can publish what a build writes.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def cached_frame(key: str, stamp: str, build: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """Return ``build()``'s table, cached as Parquet under ``key`` and ``stamp``.

    ``stamp`` names everything the table depends on (input hashes, parser version). The cache
    entry's own SHA-256 is stored beside it; an entry whose bytes do not match (truncated,
    corrupted) is rebuilt, never read.
    """
    import pandas as pd

    folder = cache_dir() / "parsed"
    entry = folder / f"{key}-{stamp}.parquet"
    sidecar = entry.with_suffix(".parquet.sha256")
    if entry.is_file() and sidecar.is_file():
        data = entry.read_bytes()
        if hashlib.sha256(data).hexdigest() == sidecar.read_text().strip():
            return pd.read_parquet(io.BytesIO(data))
    frame = build()
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    data = buffer.getvalue()
    atomic_write_bytes(entry, data)
    atomic_write_bytes(sidecar, hashlib.sha256(data).hexdigest().encode())
    return frame


def short_hash(text: str, length: int = 8) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:length]
