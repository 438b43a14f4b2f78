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
