"""Executing one report in a worker process and exporting it: the part that runs code.

Why apart: this module (with :mod:`~rupak.publish.reports.warm`) is the only code that starts
kernels. Everything that can hang or fill a disk is bounded here: a report runs under a
deadline (``timeout`` in reports.toml, passed to papermill/nbclient as the time left for each
cell), each cell output is cut at :data:`MAX_OUTPUT_CHARS`, and every kernel talks over IPC
sockets kept in one folder per build (:func:`kernel_sockets`), which is removed, with any
kernel still running from it, when the build ends or is interrupted. A worker runs its reports
in one kernel, reset between them and replaced after any failure.
"""

from __future__ import annotations

import html
import os
import shutil
import signal
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rupak.base.storage import atomic_write_bytes
from rupak.publish import html as html_page
from rupak.publish.reports.config import ReportSpec
from rupak.publish.reports.keys import (
    Outcome,
    inputs_of,
    report_key,
    summary_of,
    write_state,
)

#: The Jupyter kernel reports run in: the project's own environment, whatever the notebook's
#: metadata says (installed by ``make env``).
KERNEL = "rupak"
KERNEL_DISPLAY = "Python (rupak)"
#: Characters one cell output may keep; beyond it the output is cut and says so.
MAX_OUTPUT_CHARS = 2_000_000
SOCKETS_PREFIX = "rupak-kernel-"


class KernelMissing(RuntimeError):
    """The ``rupak`` kernel is not installed in this environment."""


def check_kernel() -> None:
    """Raise :class:`KernelMissing` with the command that installs the kernel."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec(KERNEL)
    except NoSuchKernel:
        raise KernelMissing(
            f"the Jupyter kernel {KERNEL!r} is not installed in this environment; run `make env`, "
            f'or: python -m ipykernel install --sys-prefix --name {KERNEL} --display-name "'
            f'{KERNEL_DISPLAY}"'
        ) from None


# --- kernels and their sockets ------------------------------------------------------------------


def kernel_manager_class(sockets: Path) -> type:
    from jupyter_client.manager import AsyncKernelManager

    class IPCKernelManager(AsyncKernelManager):
        """Kernels talk over IPC sockets in ``sockets``: no TCP port on this machine is opened,
        and the build can remove every socket and connection file when it ends.

        Asynchronous, as nbclient expects: with a blocking client the wait for output blocks
        the event loop, and no cell timeout can ever fire.
        """

        def __init__(self, **kwargs: Any) -> None:
            stem = sockets / f"k{uuid.uuid4().hex[:10]}"
            kwargs.setdefault("connection_file", f"{stem}.json")
            super().__init__(transport="ipc", ip=str(stem), **kwargs)

    return IPCKernelManager


def _stop_processes_using(folder: Path) -> int:
    """Kill processes whose command line names ``folder`` (kernels started from it)."""
    import psutil

    stopped = 0
    for process in psutil.process_iter(["cmdline"]):
        try:
            if any(str(folder) in part for part in process.info["cmdline"] or []):
                try:
                    os.killpg(process.pid, signal.SIGKILL)  # the kernel leads its own session
                except OSError:
                    process.kill()
                stopped += 1
        except (psutil.Error, OSError):
            continue
    return stopped


def _remove_stale_socket_folders() -> None:
    """Folders left by builds that were killed outright (their build process is gone)."""
    import psutil

    for folder in Path(tempfile.gettempdir()).glob(f"{SOCKETS_PREFIX}*-*"):
        pid = folder.name[len(SOCKETS_PREFIX) :].split("-", 1)[0]
        if folder.is_dir() and pid.isdigit() and not psutil.pid_exists(int(pid)):
            _stop_processes_using(folder)
            shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def kernel_sockets() -> Iterator[Path]:
    """A private folder for this build's kernel sockets; emptied of kernels and removed after."""
    _remove_stale_socket_folders()
    folder = Path(tempfile.mkdtemp(prefix=f"{SOCKETS_PREFIX}{os.getpid()}-"))
    try:
        yield folder
    finally:
        _stop_processes_using(folder)
        shutil.rmtree(folder, ignore_errors=True)


# --- the notebook after execution ---------------------------------------------------------------


def strip_timing(notebook: Any) -> None:
    """Drop papermill's and nbclient's timing metadata: same inputs, same bytes.

    Papermill also gives the cell it injects a random id; it gets a fixed one.
    """
    notebook.metadata.pop("papermill", None)
    for cell in notebook.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        cell.metadata.pop("ExecuteTime", None)
        if "id" in cell and "injected-parameters" in cell.metadata.get("tags", []):
            cell["id"] = "injected-parameters"


def _text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _size(output: Any) -> int:
    if output.get("output_type") == "stream":
        return len(_text(output.get("text", "")))
    if output.get("output_type") == "error":
        return len(str(output.get("evalue", ""))) + sum(map(len, output.get("traceback", [])))
    return sum(len(_text(v)) for v in output.get("data", {}).values())


def _cut(output: Any, size: int, limit: int) -> Any:
    from nbformat import NotebookNode

    note = (
        f"\n[rupak: this output was cut: {size:,} characters, over the limit of {limit:,} "
        "per output; the first part is shown]\n"
    )
    kind = output.get("output_type")
    if kind == "stream":
        text = _text(output.get("text", ""))[:limit]
        return NotebookNode(
            output_type="stream", name=output.get("name", "stdout"), text=text + note
        )
    if kind == "error":
        kept, total = [], 0
        for line in output.get("traceback", []):
            if total + len(line) > limit:
                break
            kept.append(line)
            total += len(line)
        return NotebookNode(
            output_type="error",
            ename=str(output.get("ename", ""))[:200],
            evalue=str(output.get("evalue", ""))[: limit // 2] + note,
            traceback=[*kept, note],
        )
    plain = _text(output.get("data", {}).get("text/plain", ""))[:limit]
    cut = NotebookNode(output_type=kind, data={"text/plain": plain + note}, metadata={})
    if kind == "execute_result":
        cut["execution_count"] = output.get("execution_count")
    return cut


def bound_outputs(notebook: Any, limit: int = MAX_OUTPUT_CHARS) -> int:
    """Cut every cell output larger than ``limit`` characters; return how many were cut.

    Text keeps its beginning; a rich output (HTML, an image) over the limit keeps only its
    plain-text form, so nothing half-cut is ever rendered as markup.
    """
    cut = 0
    for cell in notebook.cells:
        outputs = cell.get("outputs", [])
        for position, output in enumerate(outputs):
            size = _size(output)
            if size > limit:
                outputs[position] = _cut(output, size, limit)
                cut += 1
    return cut


def _failure_notice(notebook: Any, message: str) -> None:
    """Put the reason of a failure at the top of the failed page (escaped: it is data)."""
    from nbformat.v4 import new_markdown_cell

    text = html.escape(message).replace("\n", " ")
    notebook.cells.insert(0, new_markdown_cell(f"**This report failed:** {text}"))


# --- one report -------------------------------------------------------------------------------


def ignore_interrupts() -> None:
    """The build process alone decides what an interrupt stops."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def start_worker(sockets: Path) -> None:
    """Worker initializer: ignore interrupts, then get ready while the build still checks.

    The worker starts its kernel, loads papermill and the page exporter while the kernel
    boots, and has the kernel import what every notebook imports; the build process meanwhile
    checks the configuration, parameters and data. A worker that cannot get ready here
    (a kernel that will not start) says nothing: its first report starts a kernel itself,
    and fails with the reason if that fails too.
    """
    ignore_interrupts()
    try:
        kernel = _warm_kernel(sockets)
        kernel.launch()
        from rupak.publish import html as page

        page.load_exporter()
        kernel.prepare(Path.cwd(), warm_up=True)
    except Exception:
        _discard_kernel()


def ready() -> bool:
    """A task with nothing to do: submitting it makes the pool start a worker now."""
    return True


#: This worker's kernel, kept for its next report (see :mod:`rupak.publish.reports.warm`).
_warm: Any = None


#: One thread for the numerical libraries in a report's kernel: the build already runs one
#: report per core, and a second thread each only spins (it cost a third more CPU here).
SINGLE_THREADED = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def _warm_kernel(sockets: Path) -> Any:
    """The worker's kernel for the next report: the one kept warm, or a new one."""
    global _warm
    from rupak.publish.reports.warm import WarmKernel, register_engine

    for name, value in SINGLE_THREADED.items():  # the kernel inherits them; a user's win
        os.environ.setdefault(name, value)
    if _warm is None or _warm.sockets != sockets:
        from multiprocessing import util

        register_engine()
        _warm = WarmKernel(kernel_manager_class(sockets), KERNEL, sockets)
        util.Finalize(_warm, _warm.stop, exitpriority=10)  # the worker's exit stops it
    return _warm


def _discard_kernel() -> None:
    """Never reuse a kernel after a failure: the next report starts a fresh one."""
    global _warm
    if _warm is not None:
        _warm.stop()
        _warm = None


def _execute(spec: ReportSpec, scratch: Path, sockets: Path) -> tuple[str, str, bool]:
    """Run the notebook into ``scratch`` under the report's deadline, in the worker's kernel.

    Returns (status, message, whether the page needs a notice: papermill marks the failing
    cell of an execution error itself, but not a timeout or a kernel that died).
    """
    import papermill
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    from rupak.publish.reports.warm import ENGINE

    deadline = time.monotonic() + spec.timeout

    def time_left(cell: Any) -> float:
        return max(0.5, deadline - time.monotonic())

    status, message, notice = "failed", "", True
    try:
        kernel = _warm_kernel(sockets)
        kernel.prepare(spec.notebook.parent)
        papermill.execute_notebook(
            str(spec.notebook),
            str(scratch),
            parameters=spec.parameters,
            engine_name=ENGINE,
            warm=kernel,
            kernel_name=KERNEL,
            cwd=str(spec.notebook.parent),
            progress_bar=False,
            log_output=False,
            report_mode=False,
            execution_timeout=spec.timeout,
            timeout_func=time_left,
        )
        status, message, notice = "built", "", False
    except PapermillExecutionError as error:
        message, notice = f"{error.ename}: {error.evalue}", False
    except (CellTimeoutError, TimeoutError):
        message = (
            f"timed out: the report ran longer than its timeout of {spec.timeout:g} s "
            "(timeout in reports.toml) and was stopped"
        )
    except DeadKernelError as error:
        message = f"the kernel died: {error}"
    except Exception as error:  # kernel would not start, notebook unreadable
        message = f"{type(error).__name__}: {error}"
    if status != "built":
        _discard_kernel()
    return status, message, notice


def execute_report(
    spec: ReportSpec, out: Path, show_code: bool, sockets: Path, note: str = ""
) -> Outcome:
    """Execute one report and write its files atomically; never raises for notebook errors.

    ``note`` is said on the index when the report was built from an uncommitted notebook.
    """
    import nbformat

    from rupak.base.provenance import data_version

    started = time.perf_counter()
    scratch = out / ".work" / f"{spec.name}.ipynb"
    scratch.parent.mkdir(parents=True, exist_ok=True)
    status, message, notice = _execute(spec, scratch, sockets)
    executed = time.perf_counter()
    source = scratch if scratch.is_file() else spec.notebook
    notebook = nbformat.read(source, as_version=4)
    strip_timing(notebook)
    bound_outputs(notebook)
    if notice:
        _failure_notice(notebook, message)
    shown = show_code or status == "failed"
    page = html_page.export_html(notebook, show_code=shown, title=spec.title, name=spec.name)
    outcome = Outcome(
        spec.name,
        status,
        message=message or note,
        built_at=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        data_version=data_version(),
        execute_seconds=round(executed - started, 2),
    )
    if status == "built":
        outcome.inputs = inputs_of(notebook)
        outcome.summary = summary_of(notebook)
        outcome.key = report_key(spec, show_code, outcome.inputs)
        atomic_write_bytes(out / f"{spec.name}.ipynb", nbformat.writes(notebook).encode())
        for relative, data in sorted(page.files.items()):
            atomic_write_bytes(out / relative, data)
        atomic_write_bytes(out / f"{spec.name}.html", page.html.encode())
        (out / f"{spec.name}.failed.html").unlink(missing_ok=True)
    else:  # the shared files only: the last good report's own files stay as they were
        for relative, data in sorted(page.files.items()):
            if Path(relative).parts[0] != spec.name:
                atomic_write_bytes(out / relative, data)
        atomic_write_bytes(out / f"{spec.name}.failed.html", page.html.encode())
    scratch.unlink(missing_ok=True)
    outcome.seconds = round(time.perf_counter() - started, 2)
    outcome.export_seconds = round(outcome.seconds - outcome.execute_seconds, 2)
    write_state(out, outcome)
    return outcome
