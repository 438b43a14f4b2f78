"""A build worker keeps its kernel warm between reports, and no report can tell."""

from __future__ import annotations

import importlib
import json
import os
import re
import time
from pathlib import Path

import nbformat
import pytest

from conftest import write_notebook
from rupak.publish import reports

PID = "import os\nprint('pid', os.getpid())"


def write_config(path: Path, body: str) -> Path:
    path.write_text("timeout = 600\n" + body, encoding="utf-8")
    return path


def _printed(out: Path, name: str) -> list[str]:
    notebook = nbformat.read(out / f"{name}.ipynb", as_version=4)
    return [
        line
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if output.get("output_type") == "stream"
        for line in output["text"].splitlines()
    ]


def _pid(out: Path, name: str) -> str:
    """The kernel's process id a report printed (a failed report: from its failure page)."""
    if (out / f"{name}.ipynb").is_file():
        return next(line for line in _printed(out, name) if line.startswith("pid "))
    page = (out / f"{name}.failed.html").read_text(encoding="utf-8")
    return re.search(r"pid \d+", page).group(0)


@pytest.fixture(scope="module")
def one_worker(tmp_path_factory):
    """Four small reports, one worker: first and second share a kernel; a failure ends it."""
    root = tmp_path_factory.mktemp("warm")
    (root / "one").mkdir()
    (root / "two").mkdir()
    write_notebook(root / "one" / "first.ipynb", PID, "leak = 41")
    write_notebook(
        root / "two" / "second.ipynb",
        PID,
        "print('leak' in globals(), os.path.basename(os.getcwd()))",
        "import matplotlib.pyplot as plt\nprint('figures', len(plt.get_fignums()))",
        "print('blas', os.environ.get('OPENBLAS_NUM_THREADS'))",
    )
    write_notebook(
        root / "one" / "broken.ipynb",
        PID,
        "import matplotlib.pyplot as plt\nfigure = plt.figure()\nraise RuntimeError('planted')",
    )
    write_notebook(root / "one" / "after.ipynb", PID, "print('leak' in globals())")
    entries = [("first", "one"), ("second", "two"), ("broken", "one"), ("after", "one")]
    config = write_config(
        root / "reports.toml",
        "".join(
            f'[[report]]\nname = "{name}"\nnotebook = "{folder}/{name}.ipynb"\n'
            for name, folder in entries
        ),
    )
    out = root / "out"
    outcomes = {o.name: o for o in reports.build(config=config, out=out, jobs=1)}
    return out, outcomes


def test_reports_in_one_worker_share_its_kernel(one_worker):
    out, outcomes = one_worker
    assert [outcomes[n].status for n in ("first", "second", "after")] == ["built"] * 3
    assert _pid(out, "first") == _pid(out, "second") == _pid(out, "broken")


def test_a_warm_kernel_is_reset_to_what_a_fresh_one_gives(one_worker):
    out, _ = one_worker
    printed = _printed(out, "second")
    assert "False two" in printed  # no name left by the last report; in its own folder
    assert "figures 0" in printed  # no figure left open
    notebook = nbformat.read(out / "second.ipynb", as_version=4)
    counts = [c.execution_count for c in notebook.cells if c.cell_type == "code"]
    assert counts == list(range(1, len(counts) + 1))


def test_the_kernel_is_never_reused_after_a_failure(one_worker):
    out, outcomes = one_worker
    assert outcomes["broken"].status == "failed" and "planted" in outcomes["broken"].message
    assert _pid(out, "after") != _pid(out, "broken")
    assert "False" in _printed(out, "after")


def test_report_kernels_run_the_numerical_libraries_on_one_thread(one_worker):
    if "OPENBLAS_NUM_THREADS" in os.environ:
        pytest.skip("the environment sets OPENBLAS_NUM_THREADS itself (a user's choice wins)")
    assert "blas 1" in _printed(one_worker[0], "second")


def test_the_injected_parameters_cell_has_a_fixed_id(one_worker):
    notebook = json.loads((one_worker[0] / "first.ipynb").read_text(encoding="utf-8"))
    ids = [c["id"] for c in notebook["cells"] if "injected-parameters" in c["metadata"]["tags"]]
    assert ids in ([], ["injected-parameters"])


def test_a_report_built_after_another_in_a_warm_kernel_is_the_report_built_alone(tmp_path):
    """The same bytes, provenance included: the library's caches note their inputs again."""
    config = {s.name: s for s in reports.load_config()}
    first, second = config["cold-war-divergence"], config["cold-war-us-pakistan"]

    def entry(spec) -> str:
        values = "".join(f"{key} = {json.dumps(value)}\n" for key, value in spec.parameters.items())
        table = f"[report.parameters]\n{values}" if values else ""
        return f'[[report]]\nname = "{spec.name}"\nnotebook = "{spec.notebook.as_posix()}"\n{table}'

    together = write_config(tmp_path / "reports.toml", entry(first) + entry(second))
    warm = reports.build(config=together, out=tmp_path / "warm", jobs=1)
    alone = reports.build(config=together, out=tmp_path / "alone", jobs=1, only=[second.name])
    assert [o.status for o in warm] == ["built", "built"] and alone[0].status == "built"
    name = second.name
    assert (tmp_path / "warm" / f"{name}.ipynb").read_bytes() == (
        tmp_path / "alone" / f"{name}.ipynb"
    ).read_bytes()
    states = [reports.read_state(tmp_path / d, name) for d in ("warm", "alone")]
    assert states[0]["inputs"] == states[1]["inputs"] and states[0]["key"] == states[1]["key"]
    assert any(i.startswith("record:sipri/") for i in states[0]["inputs"])


def _started_here() -> list:
    """This process's descendants that are build workers or their kernels."""
    import psutil

    found = []
    for child in psutil.Process().children(recursive=True):
        try:
            line = " ".join(child.cmdline())
            if ("spawn_main" in line or "ipykernel" in line) and child.status() != "zombie":
                found.append(child)
        except psutil.Error:
            continue
    return found


def test_an_interrupt_while_checking_stops_the_workers_started_early(tmp_path, monkeypatch):
    build_module = importlib.import_module("rupak.publish.reports.build")

    write_notebook(tmp_path / "only.ipynb", PID)
    config = write_config(
        tmp_path / "reports.toml", '[[report]]\nname = "only"\nnotebook = "only.ipynb"\n'
    )
    seen = []

    def interrupted(*args, **kwargs) -> None:
        deadline = time.time() + 60  # the workers' kernels are up while the build checks
        while time.time() < deadline and not any(
            "ipykernel" in " ".join(p.cmdline()) for p in _started_here()
        ):
            time.sleep(0.1)
        seen.extend(_started_here())
        raise KeyboardInterrupt

    monkeypatch.setattr(build_module, "_check_before_building", interrupted)
    with pytest.raises(reports.Interrupted, match="interrupted while checking, before any report"):
        reports.build(config=config, out=tmp_path / "out", jobs=1)
    assert seen, "no worker had started while the build checked"
    assert not _started_here()
    assert not (tmp_path / "out" / "only.html").exists()
