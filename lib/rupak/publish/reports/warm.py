"""One kernel per build worker, kept warm from one report to the next.

Why: starting a kernel and importing pandas, matplotlib and the library costs a report about a
second of its few; a worker that builds four reports pays it once. What a warm kernel must not
change is the report, so before each report the kernel is reset to what a fresh one would
give the notebook:

* the user namespace is emptied and the execution counter restarts at 1
  (``InteractiveShell.reset(new_session=True)``), so cell numbers and names are a fresh run's;
* open figures are closed and the working directory is the notebook's folder;
* what stays is what is safe to keep: imported modules, and the library's in-memory caches,
  which note their inputs again on every hit (:func:`rupak.base.provenance.cached`), so a
  report's provenance footer and the inputs the incremental build watches are unchanged.

A kernel is never reused after a report that failed, timed out or killed it: it is shut down
and the next report starts a fresh one. Papermill runs the notebook through its own engine
interface (``WarmKernelEngine``, registered as ``rupak-warm``), given the warm kernel.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

#: Name of the papermill engine that runs a notebook in an already started kernel.
ENGINE = "rupak-warm"
#: Seconds a reset may take before the kernel is given up and replaced.
RESET_TIMEOUT = 30

_RESET = """\
get_ipython().reset(new_session=True)
import os as _os, sys as _sys
if "matplotlib.pyplot" in _sys.modules:
    _sys.modules["matplotlib.pyplot"].close("all")
_os.chdir({cwd!r})
del _os, _sys
"""
#: What every report's notebook imports first (pandas, matplotlib, IPython's display and the
#: publishing layer); importing it while the build still checks saves each worker's first
#: report the time. Nothing is run and no name is left in the namespace.
_WARM_UP = """import rupak.publish.notebook, rupak.publish.plots, rupak.publish.findings_view
del rupak
"""


class WarmKernel:
    """A kernel started once by a worker and reset between the reports it runs.

    It keeps one client too: a new client waits for the kernel to answer and for its output
    channel to fall quiet (about 0.3 s each time), which a report need not pay twice.
    """

    def __init__(self, manager_class: type, kernel_name: str, sockets: Path) -> None:
        self.manager = manager_class(kernel_name=kernel_name)
        #: The build's socket folder: a kernel belongs to one build.
        self.sockets = sockets
        self.client: Any = None

    def launch(self) -> None:
        """Start the kernel process and return at once (it boots while the caller works)."""
        from jupyter_client.utils import run_sync

        if not self.manager.has_kernel:
            run_sync(self.manager.start_kernel)()

    def prepare(self, cwd: Path, warm_up: bool = False) -> None:
        """Start the kernel if it is not running, then reset it for a report run in ``cwd``.

        ``warm_up`` also imports, silently, the modules every report's notebook imports.
        """
        from jupyter_client.utils import run_sync

        run_sync(self._prepare)(cwd, warm_up)

    async def _prepare(self, cwd: Path, warm_up: bool) -> None:
        if not self.manager.has_kernel:
            await self.manager.start_kernel()
        if self.client is None:
            self.client = self.manager.client()
            self.client.allow_stdin = False
            self.client.start_channels()
            await self.client.wait_for_ready(timeout=RESET_TIMEOUT)
        code = _RESET.format(cwd=str(cwd)) + (_WARM_UP if warm_up else "")
        reply = await self.client.execute_interactive(
            code,
            silent=True,
            store_history=False,
            timeout=RESET_TIMEOUT,
            output_hook=lambda message: None,
        )
        if reply["content"]["status"] != "ok":
            content = reply["content"]
            raise RuntimeError(
                f"the warm kernel could not be reset: {content.get('ename')}: "
                f"{content.get('evalue')}"
            )

    def stop(self) -> None:
        """Shut the kernel down now and release its sockets (safe to call twice)."""
        from jupyter_client.utils import run_sync

        run_sync(self._stop)()

    async def _stop(self) -> None:
        if self.client is not None:
            with contextlib.suppress(Exception):
                self.client.stop_channels()
            self.client = None
        try:
            if self.manager.has_kernel:
                await self.manager.shutdown_kernel(now=True)
        except Exception:  # already dead: only its files are left to remove
            pass
        finally:
            with contextlib.suppress(Exception):
                await self.manager.cleanup_resources()


def register_engine() -> None:
    """Make papermill's ``engine_name=ENGINE`` run notebooks in a given kernel manager."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.log import logger
    from papermill.utils import merge_kwargs, remove_args

    if ENGINE in papermill_engines._engines:
        return

    class WarmKernelEngine(NBClientEngine):
        """papermill's nbclient engine, except that the kernel and its client are the
        caller's (``warm=``, a :class:`WarmKernel`) and both survive the notebook."""

        @classmethod
        def execute_managed_notebook(
            cls,
            nb_man: Any,
            kernel_name: str,
            log_output: bool = False,
            stdout_file: Any = None,
            stderr_file: Any = None,
            start_timeout: int = 60,
            execution_timeout: int | None = None,
            **kwargs: Any,
        ) -> Any:
            kwargs = remove_args(["input_path"], **kwargs)
            safe_kwargs = remove_args(["timeout", "startup_timeout"], **kwargs)
            final_kwargs = merge_kwargs(
                safe_kwargs,
                timeout=execution_timeout if execution_timeout else kwargs.get("timeout"),
                startup_timeout=start_timeout,
                kernel_name=kernel_name,
                log=logger,
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
            )
            warm = final_kwargs.pop("warm")
            client = PapermillNotebookClient(nb_man, km=warm.manager, **final_kwargs)
            client.kc = warm.client  # the kernel's own client, ready: no new one to wait for
            return client.execute(cleanup_kc=False)

    papermill_engines.register(ENGINE, WarmKernelEngine)
