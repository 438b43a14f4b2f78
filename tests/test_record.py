"""The record: pinned files from a mirror or a download (a local HTTP server here), verified."""

from __future__ import annotations

import functools
import hashlib
import http.server
import threading
from pathlib import Path

import pandas as pd
import pytest

from rupak.base import storage
from rupak.cli import main
from rupak.record import fetch as record

REAL_MIRROR = record.mirror_dir()


@pytest.fixture
def server(tmp_path):
    """A loopback HTTP server over a folder, for the download path (no internet needed)."""
    root = tmp_path / "served"
    root.mkdir()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def entry_for(root: Path, base: str, name: str, data: bytes, pinned: bytes | None = None):
    (root / name).write_bytes(data)
    digest = hashlib.sha256(pinned if pinned is not None else data).hexdigest()
    return record.RecordFile(f"test/{name}", digest, f"{base}/{name}")


def test_every_registered_file_verifies_in_the_mirror(capsys):
    assert main(["fetch"]) == 0
    assert "138 record file(s) verified by SHA-256" in capsys.readouterr().out


def test_registry_pins_the_hashes_named_in_the_external_readme():
    pinned = {n: f.sha256 for n, f in record.registry().items()}
    assert pinned["unvotes/un_votes.rda"].startswith("cf814a48bc53")
    assert pinned["sipri/trade-register.csv"].startswith("4dd9eea50762")
    assert sum(n.startswith("sipri/tiv-exports/") for n in pinned) == 134
    urls = {f.url for f in record.registry().values()}
    assert all(u.startswith("https://raw.githubusercontent.com/") for u in urls)
    assert any("7eb7034314ff79c49c9e0785fcd9d216fa04cf14" in u for u in urls)


def test_download_from_a_server_verifies_and_caches(server, tmp_path):
    root, base = server
    entry = entry_for(root, base, "votes.csv", b"a,b\n1,2\n")
    path = record.download_file(entry, tmp_path / "cache")
    assert path.read_bytes() == b"a,b\n1,2\n"


def test_a_corrupted_download_is_refused_and_not_kept(server, tmp_path):
    root, base = server
    entry = entry_for(root, base, "votes.csv", b"a,b\n1,2", pinned=b"a,b\n1,2\n3,4\n")
    with pytest.raises(record.RecordError) as caught:
        record.download_file(entry, tmp_path / "cache")
    message = str(caught.value)
    assert "does not match its pinned hash" in message and entry.sha256 in message
    assert not (tmp_path / "cache" / "votes.csv").exists()


def test_an_unreachable_server_says_what_to_do(tmp_path):
    entry = record.RecordFile("test/x.csv", "0" * 64, "http://127.0.0.1:9/x.csv")
    with pytest.raises(record.RecordError, match="point RUPAK_MIRROR at a mirror"):
        record.download_file(entry, tmp_path)


def test_a_mirror_without_the_file_is_an_error_not_a_download(tmp_path):
    with pytest.raises(record.RecordError) as caught:
        record.path("unvotes/un_votes.rda", mirror=tmp_path)
    message = str(caught.value)
    assert "is missing from the mirror" in message
    assert "cf814a48bc536e8f87f8e027942ac515fe6aae9d63cd71dd88ed718b14887e87" in message


def test_a_mirror_file_with_the_wrong_hash_names_both_hashes(tmp_path):
    target = tmp_path / "unvotes" / "un_votes.rda"
    target.parent.mkdir()
    target.write_bytes(b"truncated")
    with pytest.raises(record.RecordError) as caught:
        record.path("unvotes/un_votes.rda", mirror=tmp_path)
    message = str(caught.value)
    assert "SHA-256 mismatch" in message
    assert "expected cf814a48" in message
    assert f"found    {hashlib.sha256(b'truncated').hexdigest()}" in message


def test_an_unknown_record_name_is_refused():
    with pytest.raises(record.RecordError, match="not a known record file"):
        record.path("sipri/elsewhere.csv")


def test_a_corrupted_cache_entry_is_detected_and_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("RUPAK_CACHE", str(tmp_path))
    calls = []

    def build() -> pd.DataFrame:
        calls.append(1)
        return pd.DataFrame({"x": [1, 2, 3]})

    sources = ["unvotes/un_roll_call_issues.rda"]
    first = record.cached_table("probe", sources, build)
    assert len(calls) == 1
    record.cached_table("probe", sources, build)
    assert len(calls) == 1  # warm: read, not rebuilt
    (entry,) = (tmp_path / "parsed").glob("probe-*.parquet")
    entry.write_bytes(entry.read_bytes()[:-20])  # truncate it
    again = record.cached_table("probe", sources, build)
    assert len(calls) == 2
    pd.testing.assert_frame_equal(first, again)
    assert not list((tmp_path / "parsed").glob(".*.tmp"))


def test_the_cache_key_changes_with_the_parser_version(tmp_path, monkeypatch):
    monkeypatch.setenv("RUPAK_CACHE", str(tmp_path))
    record.cached_table("probe", [], lambda: pd.DataFrame({"x": [1]}), version="1")
    record.cached_table("probe", [], lambda: pd.DataFrame({"x": [2]}), version="2")
    assert len(list((tmp_path / "parsed").glob("probe-*.parquet"))) == 2


def test_atomic_write_leaves_the_old_file_when_writing_fails(tmp_path):
    target = tmp_path / "table.txt"
    target.write_text("old")
    with pytest.raises(TypeError):
        storage.atomic_write_bytes(target, object())  # type: ignore[arg-type]
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["table.txt"]


def test_atomic_write_gives_ordinary_permissions(tmp_path):
    """Reports are served by web servers: not owner-only like a temporary file."""
    import os

    old = os.umask(0o022)
    try:
        target = tmp_path / "page.html"
        storage.atomic_write_bytes(target, b"<p>x</p>")
    finally:
        os.umask(old)
    assert target.stat().st_mode & 0o777 == 0o644


# --- a cache that cannot be written, and a record file changed under a warm cache ---------

ISSUES_FILE = "unvotes/un_roll_call_issues.rda"


@pytest.fixture
def fresh_warning(monkeypatch):
    """Forget any earlier cache warning of this process, so each test sees its own."""
    monkeypatch.setattr(storage, "_warned", [])


def _probe(calls: list[int]):
    def build() -> pd.DataFrame:
        calls.append(1)
        return pd.DataFrame({"x": [1, 2, 3]})

    return build


def _cache_warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "rupak.cache"]


@pytest.mark.parametrize("where", ["a file", "under a file"])
def test_a_cache_that_cannot_be_written_degrades_with_one_warning(
    where, tmp_path, monkeypatch, caplog, fresh_warning
):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    cache = blocker if where == "a file" else blocker / "cache"
    monkeypatch.setenv("RUPAK_CACHE", str(cache))
    calls: list[int] = []
    with caplog.at_level("WARNING", logger="rupak.cache"):
        first = record.cached_table("probe", [ISSUES_FILE], _probe(calls))
        second = record.cached_table("probe", [ISSUES_FILE], _probe(calls))
        storage.cached_frame("other", "1", lambda: pd.DataFrame({"y": [1]}))
    assert first.equals(second) and calls == [1]  # built once, kept in memory; never an error
    (message,) = _cache_warnings(caplog)  # one warning per process, however many misses
    assert f"the rupak cache at {cache / 'parsed'} cannot be used" in message
    assert "working without it" in message and "RUPAK_CACHE" in message
    assert blocker.read_text() == "x"


def test_a_read_only_cache_folder_degrades(tmp_path, monkeypatch, caplog, fresh_warning):
    import os

    cache = tmp_path / "cache"
    (cache / "parsed").mkdir(parents=True)
    os.chmod(cache / "parsed", 0o555)
    try:
        if os.access(cache / "parsed", os.W_OK):
            pytest.skip("running as root: chmod does not stop writes (see the file cases)")
        monkeypatch.setenv("RUPAK_CACHE", str(cache))
        with caplog.at_level("WARNING", logger="rupak.cache"):
            frame = record.cached_table("probe", [ISSUES_FILE], _probe([]))
        assert len(frame) == 3
        assert len(_cache_warnings(caplog)) == 1
    finally:
        os.chmod(cache / "parsed", 0o755)


def test_a_full_disk_degrades(tmp_path, monkeypatch, caplog, fresh_warning):
    import errno

    def full(target, data):
        raise OSError(errno.ENOSPC, "No space left on device", str(target))

    monkeypatch.setenv("RUPAK_CACHE", str(tmp_path))
    monkeypatch.setattr(storage, "atomic_write_bytes", full)
    with caplog.at_level("WARNING", logger="rupak.cache"):
        frame = record.cached_table("probe", [ISSUES_FILE], _probe([]))
    assert len(frame) == 3
    (message,) = _cache_warnings(caplog)
    assert "No space left on device" in message and str(tmp_path / "parsed") in message


def test_validate_with_an_unwritable_cache_blames_no_data(tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "cache-is-a-file"
    blocker.write_text("x")
    monkeypatch.setenv("RUPAK_CACHE", str(blocker))
    assert main(["validate"]) == 0
    captured = capsys.readouterr()
    assert "problem" not in captured.err and "valid" in captured.out


@pytest.fixture
def own_mirror(tmp_path, monkeypatch):
    """A private, writable copy of one record file as the mirror, and an empty cache."""
    mirror = tmp_path / "mirror"
    source = record.path(ISSUES_FILE)
    (mirror / "unvotes").mkdir(parents=True)
    copy = mirror / ISSUES_FILE
    copy.write_bytes(source.read_bytes())
    monkeypatch.setenv("RUPAK_MIRROR", str(mirror))
    monkeypatch.setenv("RUPAK_CACHE", str(tmp_path / "cache"))
    return copy


def _bump_mtime(path: Path) -> None:
    import os

    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))


def test_a_tampered_mirror_file_is_caught_while_the_cache_is_warm(own_mirror):
    calls: list[int] = []
    record.cached_table("probe", [ISSUES_FILE], _probe(calls))
    record.cached_table("probe", [ISSUES_FILE], _probe(calls))
    assert calls == [1]  # warm
    data = bytearray(own_mirror.read_bytes())
    data[100] ^= 0xFF  # different bytes, same size
    own_mirror.write_bytes(bytes(data))
    _bump_mtime(own_mirror)
    with pytest.raises(record.RecordError) as caught:
        record.cached_table("probe", [ISSUES_FILE], _probe(calls))
    message = str(caught.value)
    assert "SHA-256 mismatch" in message and str(own_mirror) in message
    assert f"expected {record.lookup(ISSUES_FILE).sha256}" in message
    assert f"found    {hashlib.sha256(bytes(data)).hexdigest()}" in message
    assert calls == [1]  # the cached table was not handed out, nor rebuilt


def test_a_touched_but_unchanged_file_is_hashed_once_more_then_trusted(own_mirror, monkeypatch):
    record.cached_table("probe", [ISSUES_FILE], _probe([]))
    _bump_mtime(own_mirror)
    hashed: list[Path] = []
    real = record.sha256_of
    monkeypatch.setattr(record, "sha256_of", lambda p: hashed.append(p) or real(p))
    record.cached_table("probe", [ISSUES_FILE], _probe([]))
    assert hashed == [own_mirror]  # re-verified because (size, mtime) changed
    record._verified.clear()  # a new process would not remember it either
    record.cached_table("probe", [ISSUES_FILE], _probe([]))
    assert hashed == [own_mirror]  # the entry now carries the new signature: no hashing


def test_a_tampered_sipri_register_is_caught_by_deals(own_mirror, tmp_path):
    from rupak.record import sipri

    mirror = own_mirror.parents[1]
    register = mirror / sipri.REGISTER
    register.parent.mkdir()
    register.write_bytes(record.path(sipri.REGISTER, mirror=REAL_MIRROR).read_bytes())
    warm = sipri.deals()
    assert len(sipri.deals()) == len(warm)
    data = register.read_bytes().replace(b"Pakistan", b"Pakistam", 1)
    register.write_bytes(data)
    _bump_mtime(register)
    with pytest.raises(record.RecordError, match="SHA-256 mismatch for record file sipri/trade"):
        sipri.deals()
