"""Benchmark: a cold full report build vs a naive sequential papermill + nbconvert loop.

Both build every report of reports.toml from scratch on the same machine in the same run
(the record's parsed-table cache is warm for both: it is shared data, not report state).

* rupak: ``rupak reports --force --out <tmp>`` (parallel workers, in-process HTML export);
* naive: for each report, ``papermill NB OUT -p k v ...`` then
  ``jupyter nbconvert --to html OUT``, one after the other, as separate commands.

Also times a second, no-op ``rupak reports`` (nothing changed: nothing executes).
Run: ``RUPAK_MIRROR=../shared/external .venv/bin/python benchmarks/bench_reports.py``.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def timed(command: list[str], cwd: Path = ROOT) -> float:
    started = time.perf_counter()
    subprocess.run(
        command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    return time.perf_counter() - started


def naive(out: Path) -> float:
    from rupak.publish.reports import load_config

    total = 0.0
    for spec in load_config():
        executed = out / f"{spec.name}.ipynb"
        params: list[str] = []
        for key, value in spec.parameters.items():
            params += ["-p", key, str(value)]
        total += timed(
            [
                str(BIN / "papermill"),
                str(spec.notebook),
                str(executed),
                "--cwd",
                str(spec.notebook.parent),
                "-k",
                "python3",
                *params,
            ]
        )
        total += timed(
            [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)]
        )
    return total


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        timed([str(BIN / "rupak"), "fetch"])  # warm the record cache for both contenders
        ours = timed([str(BIN / "rupak"), "reports", "--force", "--out", str(tmp_path / "a")])
        noop = timed([str(BIN / "rupak"), "reports", "--out", str(tmp_path / "a")])
        (tmp_path / "b").mkdir()
        theirs = naive(tmp_path / "b")
    print(f"cold full build (rupak reports --force): {ours:6.1f} s")
    print(f"naive papermill + nbconvert loop:         {theirs:6.1f} s")
    print(f"ratio rupak / naive:                      {ours / theirs:6.2f} (goal <= 0.35)")
    print(f"second build, nothing changed:            {noop:6.2f} s (goal < 1 s)")


if __name__ == "__main__":
    main()
