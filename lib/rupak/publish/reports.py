"""The report runner: notebooks × parameters → HTML reports, incremental and parallel.

``reports.toml`` lists the reports. For each, :func:`build`

1. checks the parameters against the notebook's declared ones (nothing runs on bad input);
2. skips it when nothing it depends on changed: the notebook's cells, its parameters, the
   library code, the project files it read last time (curated tables, raw texts) and the
   record files' pinned hashes, the export options;
3. otherwise executes it with papermill's Python API in a worker process, exports HTML
   in-process with nbconvert (input hidden unless ``show_code``; images embedded; a table of
   contents), and replaces ``reports/<name>.html`` and ``<name>.ipynb`` atomically.

A failing notebook does not stop the others: its page ``<name>.failed.html`` shows the failing
cell, the last good report stays in place, the index marks the failure and the command exits
non-zero. ``reports/index.html`` lists every report with its parameters, status, data version
and build time.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import sys
import tempfile
import time
import tomllib
import uuid
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from rupak.base.paths import REPO_ROOT, data_dir
from rupak.base.storage import atomic_write_bytes
from rupak.publish import html as html_page
from rupak.publish import parameters as params

RUNNER_VERSION = "1"
CONFIG = REPO_ROOT / "reports.toml"
OUT_DIR = REPO_ROOT / "reports"
KERNEL = "python3"


class ConfigError(ValueError):
    """reports.toml is unreadable or inconsistent; the message lists every problem."""


class DataError(ValueError):
    """The curated data are invalid; the problems were printed and nothing was built."""


@dataclass(frozen=True)
class ReportSpec:
    name: str
    notebook: Path
    title: str
    parameters: dict[str, Any] = field(default_factory=dict)
    description: str = ""


@dataclass
class Outcome:
    name: str
    status: str  # built | unchanged | failed
    seconds: float = 0.0
    message: str = ""
    built_at: str = ""
    data_version: str = ""
    key: str = ""
    inputs: list[str] = field(default_factory=list)


_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def load_config(path: Path = CONFIG, check_parameters: bool = True) -> list[ReportSpec]:
    """Read ``reports.toml``; raise :class:`ConfigError` listing every problem."""
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None
    entries = raw.get("report")
    if not isinstance(entries, list) or not entries:
        raise ConfigError(f"{path}: expected one or more [[report]] tables")
    problems: list[str] = []
    specs: list[ReportSpec] = []
    seen: set[str] = set()
    base = Path(path).resolve().parent
    for number, entry in enumerate(entries, start=1):
        where = f"{path}: report #{number}"
        unknown = set(entry) - {"name", "notebook", "title", "parameters", "description"}
        if unknown:
            problems.append(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
        name = entry.get("name")
        if not isinstance(name, str) or not _NAME.match(name):
            problems.append(f"{where}: name {name!r} must be lower-case letters, digits, - or _")
            continue
        where = f"{path}: report {name!r}"
        if name in seen:
            problems.append(f"{where}: duplicate report name")
        seen.add(name)
        notebook = base / str(entry.get("notebook", ""))
        if not entry.get("notebook") or not notebook.is_file():
            problems.append(f"{where}: notebook {entry.get('notebook')!r} does not exist")
            continue
        values = entry.get("parameters", {})
        if not isinstance(values, dict):
            problems.append(f"{where}: parameters must be a table")
            continue
        try:
            if check_parameters:
                params.check(notebook, values, where)
        except params.ParameterError as error:
            problems.extend(f"{where}: {p}" for p in error.problems)
        except ValueError as error:
            problems.append(f"{where}: {error}")
        specs.append(
            ReportSpec(
                name,
                notebook,
                str(entry.get("title", name)),
                values,
                str(entry.get("description", "")),
            )
        )
    if problems:
        raise ConfigError("\n".join(problems))
    return specs


# --- what a report depends on -------------------------------------------------------------


def _digest(*parts: bytes | str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode() if isinstance(part, str) else part)
        digest.update(b"\x00")
    return digest.hexdigest()


def notebook_fingerprint(path: Path) -> str:
    """Hash of a notebook's cells' sources and types: its stored outputs do not count."""
    notebook = json.loads(Path(path).read_text(encoding="utf-8"))
    cells = [
        (c["cell_type"], "".join(c["source"]), c.get("metadata", {}).get("tags", []))
        for c in notebook["cells"]
    ]
    return _digest(json.dumps(cells, sort_keys=True))


def library_fingerprint() -> str:
    from rupak.base.provenance import code_version

    return code_version()


def inputs_fingerprint(inputs: Iterable[str]) -> str:
    """Hash of the files a report read last time (repo-relative paths) and record names."""
    from rupak.record.fetch import lookup

    parts = []
    for item in sorted(inputs):
        if item.startswith("record:"):
            parts.append(f"{item}={lookup(item[7:]).sha256}")
        else:
            path = REPO_ROOT / item
            if item.startswith("data/"):
                path = data_dir() / item[5:]
            parts.append(
                f"{item}={hashlib.sha256(path.read_bytes()).hexdigest()}"
                if path.is_file()
                else f"{item}=missing"
            )
    return _digest(*parts)


def report_key(spec: ReportSpec, show_code: bool, inputs: Iterable[str] | None) -> str:
    """Everything that decides a report's content; ``inputs`` None means unknown yet."""
    return _digest(
        RUNNER_VERSION,
        spec.name,
        notebook_fingerprint(spec.notebook),
        json.dumps(spec.parameters, sort_keys=True),
        library_fingerprint(),
        "show_code" if show_code else "hide_code",
        inputs_fingerprint(inputs) if inputs is not None else "unknown",
    )


# --- state --------------------------------------------------------------------------------


def _state_path(out: Path, name: str) -> Path:
    return out / ".state" / f"{name}.json"


def read_state(out: Path, name: str) -> dict[str, Any] | None:
    try:
        return json.loads(_state_path(out, name).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None


def write_state(out: Path, outcome: Outcome) -> None:
    data = json.dumps(asdict(outcome), indent=2, sort_keys=True).encode()
    atomic_write_bytes(_state_path(out, outcome.name), data)


def is_current(spec: ReportSpec, out: Path, show_code: bool) -> bool:
    state = read_state(out, spec.name)
    if not state or state.get("status") != "built":
        return False
    if not (out / f"{spec.name}.html").is_file() or not (out / f"{spec.name}.ipynb").is_file():
        return False
    try:
        return state.get("key") == report_key(spec, show_code, state.get("inputs", []))
    except (OSError, KeyError, ValueError):
        return False


# --- executing one report (in a worker process) -------------------------------------------


def _strip_timing(notebook: Any) -> None:
    """Drop papermill's and nbclient's timing metadata: same inputs, same bytes."""
    notebook.metadata.pop("papermill", None)
    for cell in notebook.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if "ExecuteTime" in cell.metadata:
            cell.metadata.pop("ExecuteTime")


def _inputs_of(notebook: Any) -> list[str]:
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            meta = output.get("metadata", {}).get("rupak", {})
            if "inputs" in meta:
                return list(meta["inputs"])
    return []


def _ipc_kernel_manager():
    from jupyter_client.manager import KernelManager

    class IPCKernelManager(KernelManager):
        """Kernels talk over local IPC sockets: no TCP port on this machine is opened."""

        def __init__(self, **kwargs):
            # An absolute socket path: the kernel's working directory is the notebook's.
            # jupyter_client removes the socket files when the kernel is cleaned up.
            sockets = Path(tempfile.gettempdir()) / f"rupak-kernel-{uuid.uuid4().hex[:12]}"
            super().__init__(transport="ipc", ip=str(sockets), **kwargs)

    return IPCKernelManager


def execute_report(spec: ReportSpec, out: Path, show_code: bool) -> Outcome:
    """Execute one report and write its files atomically; never raises for notebook errors."""
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from rupak.base.provenance import data_version

    started = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    scratch = out / ".work" / f"{spec.name}.ipynb"
    scratch.parent.mkdir(parents=True, exist_ok=True)
    status, message = "built", ""
    try:
        papermill.execute_notebook(
            str(spec.notebook),
            str(scratch),
            parameters=spec.parameters,
            kernel_name=KERNEL,
            cwd=str(spec.notebook.parent),
            progress_bar=False,
            log_output=False,
            report_mode=False,
            kernel_manager_class=_ipc_kernel_manager(),
        )
    except PapermillExecutionError as error:
        status, message = "failed", f"{error.ename}: {error.evalue}"
    except Exception as error:  # kernel died, notebook unreadable
        status, message = "failed", f"{type(error).__name__}: {error}"
    notebook = (
        nbformat.read(scratch, as_version=4)
        if scratch.is_file()
        else nbformat.read(spec.notebook, as_version=4)
    )
    _strip_timing(notebook)
    shown = show_code or status == "failed"
    page = html_page.export_html(notebook, show_code=shown, title=spec.title, name=spec.name)
    outcome = Outcome(
        spec.name,
        status,
        round(time.perf_counter() - started, 2),
        message,
        datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        data_version(),
    )
    if status == "built":
        outcome.inputs = _inputs_of(notebook)
        outcome.key = report_key(spec, show_code, outcome.inputs)
        atomic_write_bytes(out / f"{spec.name}.ipynb", nbformat.writes(notebook).encode())
        for relative, data in sorted(page.files.items()):
            atomic_write_bytes(out / relative, data)
        atomic_write_bytes(out / f"{spec.name}.html", page.html.encode())
        (out / f"{spec.name}.failed.html").unlink(missing_ok=True)
    else:
        atomic_write_bytes(out / f"{spec.name}.failed.html", page.html.encode())
    scratch.unlink(missing_ok=True)
    write_state(out, outcome)
    return outcome


# --- the index ------------------------------------------------------------------------------


def _params_html(values: dict[str, Any]) -> str:
    if not values:
        return "<em>defaults</em>"
    return "<br>".join(
        f"<code>{html.escape(k)}</code> = <code>{html.escape(repr(v))}</code>"
        for k, v in sorted(values.items())
    )


def write_index(specs: Sequence[ReportSpec], out: Path) -> Path:
    """Write ``index.html`` from the stored state of every report (escaped throughout)."""
    from rupak.base.provenance import code_version
    from rupak.record.fetch import CITATIONS

    rows = []
    for spec in specs:
        state = read_state(out, spec.name) or {}
        status = state.get("status", "not built")
        target = f"{spec.name}.failed.html" if status == "failed" else f"{spec.name}.html"
        link = (
            f'<a href="{html.escape(target)}">{html.escape(spec.title)}</a>'
            if (out / target).is_file()
            else html.escape(spec.title)
        )
        note = (
            f"<br><small>{html.escape(state.get('message', ''))}</small>"
            if status == "failed"
            else ""
        )
        rows.append(
            f'<tr class="status-{html.escape(status)}"><td>{link}<br><small><code>'
            f"{html.escape(spec.name)}</code> · {html.escape(spec.notebook.name)}</small></td>"
            f"<td>{_params_html(spec.parameters)}</td>"
            f"<td>{html.escape(status)}{note}</td>"
            f"<td><code>{html.escape(state.get('data_version', ''))}</code></td>"
            f"<td>{html.escape(state.get('built_at', ''))}<br><small>"
            f"{html.escape(str(state.get('seconds', '')))} s</small></td></tr>"
        )
    cites = "".join(f"<li>{html.escape(c)}</li>" for c in CITATIONS.values())
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>rupak reports</title>
<style>
body{{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}}
table{{border-collapse:collapse;width:100%}}td,th{{border-bottom:1px solid #ddd;padding:.5em;
text-align:left;vertical-align:top}}tr.status-failed td{{background:#fde8e8}}
tr.status-built td:nth-child(3){{color:#176f2c}}code{{font-size:90%}}
</style></head><body>
<h1>rupak reports</h1>
<p>Russia–Pakistan relations in two sources, tested against UN General Assembly votes and
SIPRI arms transfers. Each report is a notebook executed with the parameters shown.</p>
<table><thead><tr><th>Report</th><th>Parameters</th><th>Status</th><th>Data version</th>
<th>Built</th></tr></thead><tbody>
{"".join(rows)}
</tbody></table>
<p><small>Code version {html.escape(code_version())}. Record: </small></p>
<ul><small>{cites}</small></ul>
</body></html>
"""
    target = out / "index.html"
    atomic_write_bytes(target, page.encode())
    return target


# --- the build ----------------------------------------------------------------------------


def _progress(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def build(
    only: Sequence[str] | None = None,
    jobs: int | None = None,
    force: bool = False,
    out: Path = OUT_DIR,
    show_code: bool = False,
    config: Path = CONFIG,
    validate_data: bool = False,
) -> list[Outcome]:
    """Build the reports (all, or ``only``); return one outcome per selected report.

    With ``validate_data`` the curated data are validated (once per data version) after the
    configuration is found sound and before anything runs.
    """
    out = Path(out)
    stamp = out / ".state" / "checked-config"
    config_key = _digest(
        Path(config).read_bytes() if Path(config).is_file() else b"",
        library_fingerprint(),
        *[notebook_fingerprint(p) for p in sorted(NOTEBOOKS.glob("*.ipynb"))],
    )
    checked = stamp.is_file() and stamp.read_text().strip() == config_key
    specs = load_config(config, check_parameters=not checked)
    if validate_data and not ensure_valid_data(out):
        raise DataError("the curated data are invalid; no report was built")
    if not checked:
        atomic_write_bytes(stamp, config_key.encode())
    if only:
        unknown = sorted(set(only) - {s.name for s in specs})
        if unknown:
            raise ConfigError(
                f"{config}: no report named {', '.join(unknown)} "
                f"(known: {', '.join(s.name for s in specs)})"
            )
        selected = [s for s in specs if s.name in only]
    else:
        selected = specs
    out.mkdir(parents=True, exist_ok=True)
    outcomes: dict[str, Outcome] = {}
    todo = []
    for spec in selected:
        if not force and is_current(spec, out, show_code):
            outcomes[spec.name] = Outcome(spec.name, "unchanged")
        else:
            todo.append(spec)
    if todo:
        workers = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
        _progress(
            f"building {len(todo)} report(s) with {workers} worker(s); "
            f"{len(selected) - len(todo)} unchanged"
        )
        with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
            futures = {pool.submit(execute_report, s, out, show_code): s for s in todo}
            for done, future in enumerate(as_completed(futures), start=1):
                spec = futures[future]
                try:
                    outcome = future.result()
                except Exception as error:  # the worker itself died
                    outcome = Outcome(
                        spec.name, "failed", message=f"{type(error).__name__}: {error}"
                    )
                    write_state(out, outcome)
                outcomes[spec.name] = outcome
                _progress(
                    f"[{done}/{len(todo)}] {outcome.status:<7} {spec.name} "
                    f"({outcome.seconds:.1f} s){' — ' + outcome.message if outcome.message else ''}"
                )
        write_index(specs, out)
    elif not (out / "index.html").is_file():
        write_index(specs, out)
    return [outcomes[s.name] for s in selected]


# --- data validation before a build, stored outputs -----------------------------------------


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


NOTEBOOKS = REPO_ROOT / "notebooks"


def stored_key(notebook_path: Path) -> str:
    """The key a committed notebook's outputs were made under (empty if never refreshed)."""
    notebook = json.loads(Path(notebook_path).read_text(encoding="utf-8"))
    return notebook.get("metadata", {}).get("rupak", {}).get("key", "")


def current_key(notebook_path: Path, inputs: Iterable[str]) -> str:
    spec = ReportSpec(Path(notebook_path).stem, Path(notebook_path), "")
    return report_key(spec, show_code=True, inputs=inputs)


def _stored_inputs(notebook_path: Path) -> list[str]:
    import nbformat

    return _inputs_of(nbformat.read(notebook_path, as_version=4))


def stale_notebooks(paths: Iterable[Path] | None = None) -> list[str]:
    """Notebooks whose stored outputs were not made from the current code, data and record."""
    stale = []
    for path in sorted(paths or NOTEBOOKS.glob("*.ipynb")):
        stored = stored_key(path)
        if not stored:
            stale.append(f"{path.name}: outputs carry no build key (never refreshed)")
        elif stored != current_key(path, _stored_inputs(path)):
            stale.append(f"{path.name}: outputs are stale (code, data, record or cells changed)")
    return stale


def refresh_notebooks(paths: Iterable[Path] | None = None) -> list[Path]:
    """Re-execute notebooks with their default parameters and save their outputs in place."""
    import nbformat
    from nbclient import NotebookClient

    done = []
    for path in sorted(paths or NOTEBOOKS.glob("*.ipynb")):
        path = Path(path).resolve()
        notebook = nbformat.read(path, as_version=4)
        NotebookClient(
            notebook,
            kernel_name=KERNEL,
            timeout=600,
            kernel_manager_class=_ipc_kernel_manager(),
            resources={"metadata": {"path": str(path.parent)}},
        ).execute()
        _strip_timing(notebook)
        notebook.metadata.pop("widgets", None)
        notebook.metadata["rupak"] = {"key": current_key(path, _inputs_of(notebook))}
        atomic_write_bytes(path, nbformat.writes(notebook).encode())
        done.append(path)
    return done
