"""The external record: where each third-party file comes from, its hash, cache and mirror.

The files (Voeten's UNGA votes as packaged by ``unvotes``; SIPRI TIV tables and trade
register) are never committed. Each is pinned in ``registry.txt`` by URL (at a fixed
upstream commit) and SHA-256. A file is taken from

* the offline mirror ``RUPAK_MIRROR`` when that variable (or ``mirror=``) is set: the file
  must be there with the pinned hash, or it is an error — never a silent download; or
* the download cache ``RUPAK_CACHE`` (default: the user cache dir), downloading it with
  pooch when missing. pooch checks the hash and keeps nothing that does not match.

Parsed tables are cached as Parquet keyed by the hashes of the files they come from and the
parser's version, written atomically and checked against a sidecar hash on every read, so a
corrupted entry is rebuilt rather than trusted. Each entry also keeps its files' (size,
mtime) as verified; a file that changed since is hashed again before the entry is used, so a
tampered record file is caught even while its parsed table is cached.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rupak.base import provenance, storage
from rupak.base.provenance import cached
from rupak.base.storage import cache_dir

if TYPE_CHECKING:  # heavy imports stay lazy: `rupak reports` with nothing to do starts fast
    import pandas as pd

REGISTRY_FILE = Path(__file__).with_name("registry.txt")
MIRROR_ENV = "RUPAK_MIRROR"

CITATIONS = {
    "unvotes": (
        "Erik Voeten, 'Data and Analyses of Voting in the UN General Assembly', Harvard "
        "Dataverse hdl:1902.1/12379 (CC0), as packaged by the R package unvotes "
        "(Robinson & Voeten, MIT)."
    ),
    "sipri": (
        "SIPRI Arms Transfers Database (Stockholm International Peace Research Institute), "
        "TIV tables generated 28 July 2022 and trade register; TIV is SIPRI's "
        "trend-indicator value, a measure of volume, not money."
    ),
}


class RecordError(RuntimeError):
    """A record file is missing, corrupt or unknown; the message says which and what to do."""


@dataclass(frozen=True)
class RecordFile:
    """One pinned third-party file."""

    name: str
    sha256: str
    url: str

    @property
    def dataset(self) -> str:
        return self.name.split("/", 1)[0]


@cached
def registry() -> dict[str, RecordFile]:
    """The pinned files, by name (their path below the mirror root)."""
    files: dict[str, RecordFile] = {}
    for lineno, line in enumerate(REGISTRY_FILE.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split()
        if len(parts) != 3:
            raise RecordError(f"{REGISTRY_FILE}:{lineno}: expected 'name sha256 url'")
        files[parts[0]] = RecordFile(*parts)
    return files


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def mirror_dir() -> Path | None:
    value = os.environ.get(MIRROR_ENV)
    return Path(value).expanduser().resolve() if value else None


def lookup(name: str) -> RecordFile:
    try:
        return registry()[name]
    except KeyError:
        known = ", ".join(sorted({f.name.rsplit("/", 1)[0] for f in registry().values()}))
        raise RecordError(f"{name}: not a known record file (known folders: {known})") from None


# Verified (path, size, mtime) -> sha256, so a warm process hashes each file once.
_verified: dict[tuple[str, int, int], str] = {}


def _verify(path: Path, expected: str, name: str, where: str, remedy: str) -> Path:
    stat = path.stat()
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    found = _verified.get(key) or sha256_of(path)
    if found != expected:
        raise RecordError(
            f"{path}: SHA-256 mismatch for record file {name} ({where})\n"
            f"  expected {expected}\n  found    {found}\n  {remedy}"
        )
    _verified[key] = found
    return path


def path(name: str, *, mirror: Path | None = None, download: bool = True) -> Path:
    """Local path of a verified record file: from the mirror if one is set, else the cache."""
    entry = lookup(name)
    provenance.note_record(name, entry.sha256)
    mirror = mirror or mirror_dir()
    if mirror is not None:
        candidate = mirror / name
        if not candidate.is_file():
            raise RecordError(
                f"{candidate}: record file {name} is missing from the mirror "
                f"{MIRROR_ENV}={mirror}\n"
                f"  expected sha256 {entry.sha256}\n"
                f"  copy it there from {entry.url}, or unset {MIRROR_ENV} to download it"
            )
        return _verify(
            candidate,
            entry.sha256,
            name,
            "offline mirror",
            f"the mirror holds a different file: replace it with the one at {entry.url}",
        )
    target = cache_dir() / "files" / name
    if target.is_file():
        return _verify(
            target,
            entry.sha256,
            name,
            "download cache",
            f"delete {target} and run `rupak fetch` to download it again",
        )
    if not download:
        raise RecordError(f"{target}: record file {name} is not cached; run `rupak fetch`")
    return download_file(entry, target.parent)


def download_file(entry: RecordFile, folder: Path) -> Path:
    """Download one file with pooch into ``folder``, verifying its pinned hash."""
    import pooch

    folder.mkdir(parents=True, exist_ok=True)
    filename = entry.name.rsplit("/", 1)[-1]
    try:
        fetched = pooch.retrieve(
            entry.url,
            known_hash=f"sha256:{entry.sha256}",
            fname=filename,
            path=folder,
            progressbar=False,
        )
    except ValueError as error:  # pooch's hash mismatch: it has already deleted the download
        raise RecordError(
            f"{entry.url}: downloaded record file {entry.name} does not match its pinned hash\n"
            f"  expected {entry.sha256}\n  {error}\n"
            "  the upstream file changed or the download was corrupted; nothing was kept"
        ) from error
    except Exception as error:  # network, HTTP status, disk
        raise RecordError(
            f"{entry.url}: could not download record file {entry.name}: {error}\n"
            f"  without network, point {MIRROR_ENV} at a mirror holding the file"
        ) from error
    return Path(fetched)


def fetch(names: Iterable[str] | None = None) -> list[tuple[RecordFile, Path]]:
    """Fetch (or find in the mirror) and verify every named record file, default all."""
    selected = sorted(names) if names is not None else sorted(registry())
    problems: list[str] = []
    done: list[tuple[RecordFile, Path]] = []
    for name in selected:
        try:
            done.append((lookup(name), path(name)))
        except RecordError as error:
            problems.append(str(error))
    if problems:
        raise RecordError("\n".join(problems))
    return done


def fingerprint(names: Iterable[str]) -> str:
    """A short digest of the pinned hashes of the named files (their data version)."""
    digest = hashlib.sha256()
    for name in sorted(names):
        digest.update(f"{name}={lookup(name).sha256}\n".encode())
    return digest.hexdigest()[:16]


def local_path(name: str) -> Path:
    """Where record file ``name`` is (or would be) on this machine, without reading it."""
    mirror = mirror_dir()
    return mirror / name if mirror is not None else cache_dir() / "files" / name


def _stat_signature(names: Iterable[str]) -> list[list[object]]:
    """(name, path, size, mtime_ns) of each file as it is now: cheap, no hashing."""
    signature: list[list[object]] = []
    for name in names:
        where = local_path(name)
        try:
            stat = where.stat()
        except OSError:
            signature.append([name, str(where), None, None])
        else:
            signature.append([name, str(where), stat.st_size, stat.st_mtime_ns])
    return signature


#: Tables already read in this process, by (cache entry, finish), with their signature.
_in_memory: dict[tuple[str, str], tuple[list[list[object]], pd.DataFrame]] = {}


def cached_table(
    key: str,
    sources: Iterable[str],
    build: Callable[[], pd.DataFrame],
    version: str = "1",
    finish: Callable[[pd.DataFrame], pd.DataFrame] | None = None,
) -> pd.DataFrame:
    """A table parsed from record files, cached under the files' pinned hashes and ``version``.

    Every source file is verified by SHA-256 before the table is built, and the entry keeps
    the files' (size, mtime) as they were then. A warm entry is used only while the files
    still show that signature; when one differs (a file replaced, touched or moved) the files
    are hashed again, and a file whose bytes no longer match its pinned hash raises
    :class:`RecordError` naming both hashes, even though the parsed table is cached.

    ``finish`` (types, a relabelling) is applied once; the finished table is also kept in
    memory under the same signature rule, and each call gets its own copy.
    """
    sources = sorted(sources)
    for name in sources:
        provenance.note_record(name, lookup(name).sha256)
    stamp = fingerprint(sources) + "-" + storage.short_hash(version)
    entry = storage.cache_entry(key, stamp)
    memo_key = (str(entry), getattr(finish, "__qualname__", ""))
    kept = _in_memory.get(memo_key)
    if kept is not None and kept[0] == _memory_signature(sources, entry):
        return kept[1].copy()
    frame = _disk_cached_table(key, stamp, sources, build)
    if finish is not None:
        frame = finish(frame)
    _in_memory[memo_key] = (_memory_signature(sources, entry), frame)
    return frame.copy()


def _memory_signature(sources: list[str], entry: Path) -> list[list[object]]:
    """The files' signature plus the cache entry's: a table kept in memory is used only while
    neither the record files nor the Parquet entry changed since (see :func:`cached_table`)."""
    try:
        stat = entry.stat()
        own: list[object] = [str(entry), stat.st_size, stat.st_mtime_ns]
    except OSError:
        own = [str(entry), None, None]
    return [*_stat_signature(sources), own]


def _disk_cached_table(
    key: str, stamp: str, sources: list[str], build: Callable[[], pd.DataFrame]
) -> pd.DataFrame:

    def verify_all() -> None:
        for name in sources:
            path(name, download=False)

    def verified_build() -> pd.DataFrame:
        for name in sources:
            path(name)  # verify (or download) every input first
        return build()

    return storage.cached_frame(
        key,
        stamp,
        verified_build,
        inputs=lambda: _stat_signature(sources),
        recheck=verify_all,
    )
