"""Benchmark: a cold full report build vs a naive sequential papermill + nbconvert loop.

Both build every report of reports.toml from scratch on the same machine in the same run, in
the same environment (.venv, installed with compiled bytecode), and the record's parsed-table
cache is warm for both: it is shared data, not report state.

* rupak: ``rupak reports --force --out <tmp>`` (parallel workers, in-process HTML export);
* naive: for each report, ``papermill NB OUT -p k v ...`` then
  ``jupyter nbconvert --to html OUT``, one after the other, as separate commands.

Also times a second, no-op ``rupak reports`` (nothing changed: nothing executes), says where a
report's time goes (executing: kernel start, imports and cells; exporting the page), and
times an interrupt: Ctrl-C (SIGINT) sent to a cold build while its kernels run, to its exit.
Run: ``RUPAK_MIRROR=../shared/external .venv/bin/python benchmarks/bench_reports.py``.
"""

from __future__ import annotations

import json
import signal
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


def where_time_goes(out: Path) -> tuple[float, float]:
    """Mean seconds per report executing (kernel, imports, cells) and exporting the page."""
    states = [json.loads(p.read_text()) for p in (out / ".state").glob("*.json")]
    states = [s for s in states if "execute_seconds" in s]
    return (
        sum(s["execute_seconds"] for s in states) / len(states),
        sum(s["export_seconds"] for s in states) / len(states),
    )


def interrupt(out: Path) -> float:
    """Seconds from SIGINT, sent while a cold build's kernels run, to the build's exit."""
    process = subprocess.Popen(
        [str(BIN / "rupak"), "reports", "--force", "--out", str(out)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    while not list((out / ".work").glob("*.ipynb")):
        time.sleep(0.05)
    time.sleep(2)
    sent = time.perf_counter()
    process.send_signal(signal.SIGINT)
    code = process.wait(timeout=60)
    seconds = time.perf_counter() - sent
    assert code == 130, code
    return seconds


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        timed([str(BIN / "rupak"), "fetch"])  # warm the record cache for both contenders
        ours = timed([str(BIN / "rupak"), "reports", "--force", "--out", str(tmp_path / "a")])
        noop = timed([str(BIN / "rupak"), "reports", "--out", str(tmp_path / "a")])
        executing, exporting = where_time_goes(tmp_path / "a")
        stop = interrupt(tmp_path / "c")
        (tmp_path / "b").mkdir()
        theirs = naive(tmp_path / "b")
    print(f"cold full build (rupak reports --force): {ours:6.1f} s")
    print(f"naive papermill + nbconvert loop:         {theirs:6.1f} s")
    print(f"ratio rupak / naive:                      {ours / theirs:6.2f} (goal <= 0.35)")
    print(f"second build, nothing changed:            {noop:6.2f} s (goal < 1 s)")
    print(f"per report: executing {executing:.1f} s, exporting {exporting:.2f} s (means)")
    print(f"Ctrl-C during a cold build to exit:       {stop:6.2f} s (goal: a few seconds)")


if __name__ == "__main__":
    main()
