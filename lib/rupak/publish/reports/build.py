"""The build: check everything, then run what changed in parallel workers; stop cleanly.

Why apart from :mod:`run`: deciding what runs, in how many processes, and what an interrupt
stops is one idea; running one notebook is another. Before anything runs, the configuration,
the output folder, the notebooks' committed state, the parameters and the data are checked.
On Ctrl-C or SIGTERM the queued reports are cancelled, the workers and their kernels are
killed, the working files and kernel sockets removed, the last good reports kept, and
:class:`Interrupted` raised (the command exits 130); a second interrupt exits at once.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from multiprocessing import get_context
from pathlib import Path
from types import FrameType

from rupak.base.storage import atomic_write_bytes
from rupak.publish.reports import committed
from rupak.publish.reports.config import (
    CONFIG,
    OUT_DIR,
    ConfigError,
    ReportSpec,
    check_all_parameters,
    check_out,
    ensure_writable,
    parse_config,
    read_config,
)
from rupak.publish.reports.index import write_index
from rupak.publish.reports.keys import Outcome, config_key, is_current, write_state
from rupak.publish.reports.run import (
    KernelMissing,
    check_kernel,
    execute_report,
    kernel_sockets,
    ready,
    start_worker,
)


class DataError(ValueError):
    """The curated data are invalid; the problems were printed and nothing was built."""


class Interrupted(KeyboardInterrupt):
    """The build was interrupted and cleaned up; the message says what was stopped."""


def _progress(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def ensure_valid_data(out: Path = OUT_DIR) -> bool:
    """Validate the curated data unless this exact data version was validated before."""
    from rupak.base.provenance import data_version
    from rupak.evidence.validate import problems_in

    stamp = out / ".state" / "validated-data"
    version = data_version()
    if stamp.is_file() and stamp.read_text().strip() == version:
        return True
    problems = problems_in()
    if problems:
        for problem in problems:
            _progress(str(problem))
        _progress(f"{len(problems)} problem(s) in the curated data; no report was built")
        return False
    atomic_write_bytes(stamp, version.encode())
    return True


def _select(specs: list[ReportSpec], only: Sequence[str] | None, config: Path) -> list:
    if not only:
        return specs
    unknown = sorted(set(only) - {s.name for s in specs})
    if unknown:
        raise ConfigError(
            f"{config}: no report named {', '.join(unknown)} "
            f"(known: {', '.join(s.name for s in specs)})"
        )
    return [s for s in specs if s.name in only]


def _committed_notes(selected: list[ReportSpec], allow_dirty: bool) -> dict[str, str]:
    """Refuse reports whose notebook differs from git HEAD (or note it, with allow_dirty)."""
    users: dict[Path, list[str]] = {}
    for spec in selected:
        users.setdefault(spec.notebook, []).append(spec.name)
    dirty = {path: found.all() for path in users if (found := committed.differences(path))}
    if not dirty:
        return {}
    if not allow_dirty:
        raise ConfigError(committed.refusal(dirty, users, "--allow-dirty"))
    notes = {}
    for path, changes in dirty.items():
        _progress(
            f"WARNING: building {', '.join(users[path])} from the UNCOMMITTED working copy of "
            f"{committed.display(path)} (--allow-dirty): {'; '.join(changes)}"
        )
        for name in users[path]:
            notes[name] = f"built from an uncommitted working copy: {'; '.join(changes)}"
    return notes


class _Signals:
    """The first SIGINT/SIGTERM raises KeyboardInterrupt; after that, one exits at once."""

    def __enter__(self) -> _Signals:
        self.previous: dict[int, object] = {}
        if threading.current_thread() is threading.main_thread():
            for number in (signal.SIGINT, signal.SIGTERM):
                self.previous[number] = signal.signal(number, self._first)
        return self

    def _first(self, number: int, frame: FrameType | None) -> None:
        self.exit_on_next()
        raise KeyboardInterrupt

    @staticmethod
    def _second(number: int, frame: FrameType | None) -> None:
        os.write(2, b"interrupted again: exiting now\n")
        os._exit(130)

    def exit_on_next(self) -> None:
        for number in self.previous:
            signal.signal(number, self._second)

    def __exit__(self, *exc: object) -> None:
        for number, handler in self.previous.items():
            signal.signal(number, handler)


def _kill_workers(pool: ProcessPoolExecutor) -> int:
    """Kill the pool's workers and everything they started (kernels lead their own session).

    The workers are reaped through their own ``multiprocessing`` handles: a worker reaped by
    anyone else looks alive to the executor for ever (``waitpid`` fails, ``poll`` says
    "running"), and Python 3.11's executor then spins in its shutdown, never returning.
    """
    import psutil

    try:  # the executor's own record of its workers
        handles = list(pool._processes.values())
    except AttributeError:  # or, failing that, this process's spawned children
        handles = []
    pids = [handle.pid for handle in handles] or [
        child.pid
        for child in psutil.Process().children()
        if "spawn_main" in " ".join(child.cmdline())
    ]
    workers, started = [], []
    for pid in pids:
        try:
            worker = psutil.Process(pid)
            started += worker.children(recursive=True)
            workers.append(worker)
        except psutil.Error:
            continue
    for process in [*workers, *started]:
        with contextlib.suppress(psutil.Error):
            process.kill()
    for handle in handles:
        handle.join(timeout=2)
    if not handles:
        psutil.wait_procs(workers, timeout=2)
    return len(workers)


def _remove_partial(out: Path, names: Sequence[str]) -> None:
    """The working notebooks and half-written files of the reports that were stopped."""
    for name in names:
        (out / ".work" / f"{name}.ipynb").unlink(missing_ok=True)
        for pattern in (f".{name}.*.tmp", f".state/.{name}.json.*.tmp", f"{name}/**/.*.tmp"):
            for partial in out.glob(pattern):
                partial.unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        (out / ".work").rmdir()


@contextlib.contextmanager
def _workers(count: int, sockets: Path) -> Iterator[ProcessPoolExecutor | None]:
    """``count`` worker processes, started now so they get ready while the build checks.

    Each worker starts its kernel and loads what a report needs (:func:`start_worker`). On
    an error or an interrupt before the pool is handed back, the workers and their kernels
    are killed; after a normal end the pool is shut down.
    """
    if not count:
        yield None
        return
    pool = ProcessPoolExecutor(
        max_workers=count,
        mp_context=get_context("spawn"),
        initializer=start_worker,
        initargs=(sockets,),
    )
    for _ in range(count):  # the pool spawns a worker per task waiting, not before
        pool.submit(ready)
    try:
        yield pool
    except Interrupted:  # the run already stopped the workers and said what it stopped
        raise
    except BaseException as error:
        stopped = _kill_workers(pool)
        pool.shutdown(wait=True, cancel_futures=True)
        if isinstance(error, KeyboardInterrupt) and not isinstance(error, Interrupted):
            raise Interrupted(
                f"interrupted while checking, before any report ran: {stopped} worker(s) "
                "and their kernels stopped; the last good reports are kept"
            ) from None
        raise
    pool.shutdown(wait=True)


def _run_all(
    pool: ProcessPoolExecutor,
    signals: _Signals,
    todo: list[ReportSpec],
    out: Path,
    show_code: bool,
    notes: dict[str, str],
    sockets: Path,
) -> dict[str, Outcome]:
    outcomes: dict[str, Outcome] = {}
    futures: dict[Future, ReportSpec] = {}
    try:
        for spec in todo:
            args = (spec, out, show_code, sockets, notes.get(spec.name, ""))
            futures[pool.submit(execute_report, *args)] = spec
        for done, future in enumerate(as_completed(futures), start=1):
            spec = futures[future]
            try:
                outcome = future.result()
            except Exception as error:  # the worker itself died
                message = f"{type(error).__name__}: {error}"
                outcome = Outcome(spec.name, "failed", message=message)
                write_state(out, outcome)
            outcomes[spec.name] = outcome
            tail = f" — {outcome.message}" if outcome.message else ""
            _progress(
                f"[{done}/{len(todo)}] {outcome.status:<7} {spec.name} "
                f"({outcome.seconds:.1f} s){tail}"
            )
    except KeyboardInterrupt:
        started = time.perf_counter()
        signals.exit_on_next()
        # Not Future.cancel(): the pool, finding its workers dead, fails every pending
        # future itself (cancelling first makes Python 3.11's executor thread raise).
        unfinished = sum(not future.done() for future in futures)
        stopped = _kill_workers(pool)
        pool.shutdown(wait=True, cancel_futures=True)
        _remove_partial(out, [s.name for s in todo if s.name not in outcomes])
        raise Interrupted(
            f"interrupted: {unfinished} unfinished report(s) stopped or cancelled, "
            f"{stopped} worker(s) and their kernels killed, working files removed "
            f"({time.perf_counter() - started:.1f} s); the last good reports are kept"
        ) from None
    with contextlib.suppress(OSError):
        (out / ".work").rmdir()
    return outcomes


def build(
    only: Sequence[str] | None = None,
    jobs: int | None = None,
    force: bool = False,
    out: Path = OUT_DIR,
    show_code: bool = False,
    config: Path = CONFIG,
    validate_data: bool = False,
    allow_dirty: bool = False,
) -> list[Outcome]:
    """Build the reports (all, or ``only``); return one outcome per selected report.

    No report runs and nothing is written unless the configuration, ``out``, the selected
    notebooks' committed state (``allow_dirty`` builds from the working copy, loudly), the
    parameters and (with ``validate_data``) the curated data are all sound. The workers
    start (and their kernels boot) while those checks run; a failed check stops them.
    """
    config = Path(config)
    specs = parse_config(read_config(config), config)
    out = check_out(Path(out), specs, config)
    selected = _select(specs, only, config)
    notes = _committed_notes(selected, allow_dirty)
    outcomes: dict[str, Outcome] = {}
    todo = []
    for spec in selected:
        if not force and not notes.get(spec.name) and is_current(spec, out, show_code):
            outcomes[spec.name] = Outcome(spec.name, "unchanged")
        else:
            todo.append(spec)
    if todo:
        try:
            check_kernel()
        except KernelMissing as error:
            raise ConfigError(str(error)) from None
    workers = max(1, min(jobs or os.cpu_count() or 1, len(todo))) if todo else 0
    with (
        _Signals() as signals,
        kernel_sockets() if todo else contextlib.nullcontext() as sockets,
        _workers(workers, sockets) as pool,
    ):
        _check_before_building(specs, config, out, validate_data)
        if pool is not None:
            _progress(
                f"building {len(todo)} report(s) with {workers} worker(s); "
                f"{len(selected) - len(todo)} unchanged"
            )
            outcomes.update(_run_all(pool, signals, todo, out, show_code, notes, sockets))
            write_index(specs, out)
        elif not (out / "index.html").is_file():
            write_index(specs, out)
    return [outcomes[s.name] for s in selected]


def _check_before_building(
    specs: list[ReportSpec], config: Path, out: Path, validate_data: bool
) -> None:
    """Parameters (unless this configuration was checked before), data, a writable ``out``."""
    stamp = out / ".state" / "checked-config"
    key = config_key(config, specs)
    try:
        checked = stamp.read_text().strip() == key
    except (OSError, UnicodeDecodeError):
        checked = False
    if not checked:
        check_all_parameters(specs, config)
    if validate_data and not ensure_valid_data_in(out):
        raise DataError("the curated data are invalid; no report was built")
    ensure_writable(out)
    if not checked:
        atomic_write_bytes(stamp, key.encode())


def ensure_valid_data_in(out: Path) -> bool:
    """:func:`ensure_valid_data` for an output folder that may not exist yet."""
    try:
        return ensure_valid_data(out)
    except OSError as error:
        raise ConfigError(f"--out {out}: cannot write there ({error.strerror or error})") from None
