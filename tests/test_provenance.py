"""In-memory caches keep provenance: a second report in the same kernel sees what it read."""

from __future__ import annotations

from pathlib import Path

import pytest

from rupak.base import provenance


@pytest.fixture(autouse=True)
def _clean() -> None:
    provenance.reset()
    yield
    provenance.reset()


def _noted() -> tuple[set[str], dict[str, str]]:
    return (
        {Path(p).name for p in provenance._files_read},
        dict(provenance._record_read),
    )


def test_a_hit_notes_again_what_the_first_call_read(tmp_path: Path) -> None:
    table = tmp_path / "events.csv"
    table.write_text("a\n1\n")
    calls = []

    @provenance.cached
    def load(name: str) -> str:
        calls.append(name)
        provenance.note_file(table)
        provenance.note_record("unga/votes.csv", "ab" * 32)
        return name.upper()

    assert load("x") == "X"
    provenance.reset()  # the next report starts
    assert load("x") == "X"
    assert calls == ["x"]  # computed once
    assert _noted() == ({"events.csv"}, {"unga/votes.csv": "ab" * 32})


def test_an_outer_cache_captures_what_an_inner_hit_replays(tmp_path: Path) -> None:
    (tmp_path / "inner.csv").write_text("x\n")
    (tmp_path / "outer.csv").write_text("y\n")

    @provenance.cached
    def inner() -> int:
        provenance.note_file(tmp_path / "inner.csv")
        return 1

    @provenance.cached
    def outer() -> int:
        provenance.note_file(tmp_path / "outer.csv")
        return inner() + 1

    inner()  # inner is cached before outer first runs
    provenance.reset()
    assert outer() == 2
    provenance.reset()
    assert outer() == 2  # a hit of outer alone
    assert _noted()[0] == {"inner.csv", "outer.csv"}


def test_arguments_are_separate_entries_and_failures_are_not_kept(tmp_path: Path) -> None:
    attempts = []

    @provenance.cached
    def square(n: int, fail: bool = False) -> int:
        attempts.append(n)
        provenance.note_file(tmp_path / f"{n}.csv")
        if fail:
            raise ValueError(n)
        return n * n

    assert square(2) == 4 and square(3) == 9 and square(2) == 4
    with pytest.raises(ValueError):
        square(4, fail=True)
    with pytest.raises(ValueError):
        square(4, fail=True)
    assert attempts == [2, 3, 4, 4]
    assert provenance._capturing == []  # a failure leaves no capture open
    square.cache_clear()
    square(2)
    assert attempts[-1] == 2


def test_every_in_memory_cache_of_the_library_keeps_provenance() -> None:
    """No plain functools.cache over data: only the page template and exporter and the git
    lookups (nothing read from the data or the record) use one."""
    root = Path(provenance.__file__).resolve().parents[1]
    plain = sorted(
        path.relative_to(root).as_posix()
        for path in root.rglob("*.py")
        if "from functools import cache" in path.read_text()
        or "@functools.cache" in path.read_text()
        or "lru_cache" in path.read_text()
    )
    assert plain == ["publish/html.py", "publish/reports/committed.py", "publish/tables.py"]
