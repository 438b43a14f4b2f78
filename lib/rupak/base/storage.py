"""Generic file I/O: atomic writes and a Parquet cache of derived tables.

Why one module: a report, a cache entry or a curated table rewritten by a command must never
be seen half-written, and every derived table (parsed record files, sentence segmentation) is
cached the same way. Nothing here knows what the files mean.

The cache is an optimisation, never a requirement: a cache folder that cannot be read or
written (read-only, full disk, ``RUPAK_CACHE`` pointing at a file) makes the tables be built
in memory instead, with one logged warning per process naming the path, and never an error that
could be mistaken for a problem in the data.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pandas stays lazy: `rupak reports` with nothing to do starts fast
    import pandas as pd

CACHE_ENV = "RUPAK_CACHE"

log = logging.getLogger("rupak.cache")


_warned: list[str] = []  # the one path warned about in this process, if any


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


def warn_cache_unusable(path: Path, error: OSError) -> None:
    """Warn, once per process, that the cache at ``path`` cannot be used, and why."""
    if _warned:
        log.debug("cache still unusable at %s: %s", path, error)
        return
    _warned.append(str(path))
    reason = error.strerror or str(error)
    log.warning(
        "warning: the rupak cache at %s cannot be used (%s); working without it, so parsed "
        "tables are rebuilt in every process (set %s to a writable folder)",
        path,
        reason,
        CACHE_ENV,
    )


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def cache_entry(key: str, stamp: str) -> Path:
    """Where :func:`cached_frame` keeps the table ``key`` built under ``stamp``."""
    return cache_dir() / "parsed" / f"{key}-{stamp}.parquet"


def cached_frame(
    key: str,
    stamp: str,
    build: Callable[[], pd.DataFrame],
    *,
    inputs: Callable[[], Any] | None = None,
    recheck: Callable[[], None] | None = None,
) -> pd.DataFrame:
    """Return ``build()``'s table, cached as Parquet under ``key`` and ``stamp``.

    ``stamp`` names everything the table depends on (input hashes, parser version). The cache
    entry's own SHA-256 is stored beside it; an entry whose bytes do not match (truncated,
    corrupted) is rebuilt, never read.

    ``inputs`` (optional) returns a cheap, JSON-able signature of the input files as they are
    now (e.g. their size and mtime); it is stored with the entry when the entry is written.
    When a warm entry's stored signature differs from the current one, ``recheck`` runs
    before the entry is trusted: it verifies the inputs properly (e.g. by hash) and raises if
    they changed; if it returns, the new signature is stored and the entry is used.

    A cache that cannot be read or written is skipped, with one logged warning per process.
    """
    import pandas as pd

    entry = cache_entry(key, stamp)
    folder = entry.parent
    sidecar = entry.with_suffix(".parquet.sha256")
    signature_file = entry.with_suffix(".parquet.inputs.json")
    try:
        data = entry.read_bytes() if entry.is_file() and sidecar.is_file() else None
        expected = sidecar.read_text().strip() if data is not None else None
    except OSError as error:  # e.g. an unreadable folder
        warn_cache_unusable(folder, error)
        data = expected = None
    if data is not None and hashlib.sha256(data).hexdigest() == expected:
        if inputs is not None:
            now = inputs()
            if _read_json(signature_file) != now:
                if recheck is not None:
                    recheck()  # raises when the inputs are not what the entry was built from
                _write_cache(signature_file, json.dumps(now).encode())
        return pd.read_parquet(io.BytesIO(data))
    frame = build()
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    data = buffer.getvalue()
    if _write_cache(entry, data):
        _write_cache(sidecar, hashlib.sha256(data).hexdigest().encode())
        if inputs is not None:
            _write_cache(signature_file, json.dumps(inputs()).encode())
    return frame


def _write_cache(target: Path, data: bytes) -> bool:
    """Write a cache file atomically; on an OS error warn (once) and report False."""
    try:
        atomic_write_bytes(target, data)
    except OSError as error:
        warn_cache_unusable(target.parent, error)
        return False
    return True


def short_hash(text: str, length: int = 8) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:length]
