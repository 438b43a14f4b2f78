"""The notebooks' version-control habits, checked in CI without pre-commit.

The pre-commit hooks (.pre-commit-config.yaml) strip session metadata with nbstripout and run
tools/check_notebooks.py; these tests run the same two hooks, with the same arguments, over
the committed notebooks, and show that each hook catches what it is for.
"""

from __future__ import annotations

import json
import runpy
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml
from nbformat.v4 import new_code_cell, new_notebook, new_output

from rupak.base.paths import REPO_ROOT

NOTEBOOKS = sorted((REPO_ROOT / "notebooks").glob("*.ipynb"))
CONFIG = yaml.safe_load((REPO_ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
HOOKS = {hook["id"]: hook for repo in CONFIG["repos"] for hook in repo["hooks"]}
check_notebooks = runpy.run_path(str(REPO_ROOT / "tools" / "check_notebooks.py"))
KERNEL = {"name": "rupak", "display_name": "Python (rupak)", "language": "python"}


def hook_command(hook_id: str) -> list[str]:
    """A hook's entry as argv, with the environment's tools (the config says .venv/bin/)."""
    argv = shlex.split(HOOKS[hook_id]["entry"])
    tool = Path(sys.executable).parent / Path(argv[0]).name
    return [str(tool), *argv[1:]]


def write_notebook(path: Path, cells, **metadata) -> Path:
    notebook = new_notebook(cells=cells, metadata={"kernelspec": dict(KERNEL), **metadata})
    nbformat.write(notebook, path)
    return path


def executed(source: str, count: int, text: str = "1") -> nbformat.NotebookNode:
    return new_code_cell(
        source,
        execution_count=count,
        outputs=[new_output("execute_result", {"text/plain": text}, execution_count=count)],
    )


def test_every_hook_is_local_and_runs_the_environments_own_tools():
    """Installing or running the hooks downloads nothing: they work offline."""
    assert [repo["repo"] for repo in CONFIG["repos"]] == ["local"]
    assert set(HOOKS) == {
        "ruff-check",
        "ruff-format",
        "nbstripout",
        "notebook-hygiene",
        "reports-check",
    }
    for hook in HOOKS.values():
        assert hook["language"] == "system"
        assert hook["entry"].startswith(".venv/bin/"), hook["id"]
    assert HOOKS["reports-check"]["entry"] == ".venv/bin/rupak reports --check"


def test_the_pre_commit_config_is_valid():
    pre_commit = shutil.which("pre-commit", path=str(Path(sys.executable).parent))
    if pre_commit is None:
        pytest.skip("pre-commit is not installed (it is in requirements-dev.lock)")
    result = subprocess.run(
        [pre_commit, "validate-config", str(REPO_ROOT / ".pre-commit-config.yaml")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_committed_notebooks_ask_for_the_rupak_kernel():
    for path in NOTEBOOKS:
        metadata = json.loads(path.read_text(encoding="utf-8"))["metadata"]
        assert metadata["kernelspec"] == KERNEL, path.name


def test_the_committed_notebooks_pass_the_notebook_hygiene_hook():
    result = subprocess.run(
        hook_command("notebook-hygiene") + [str(p) for p in NOTEBOOKS],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO_ROOT,
    )
    assert result.returncode == 0, result.stderr


def test_nbstripout_leaves_the_committed_notebooks_byte_for_byte_as_they_are():
    """A refreshed notebook passes the hook unchanged: outputs, counts and ids are kept."""
    result = subprocess.run(
        [*hook_command("nbstripout"), "--verify", *map(str, NOTEBOOKS)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_nbstripout_drops_session_metadata_and_keeps_what_nbval_compares(tmp_path):
    cell = executed("1 + 1", 1, "2")
    cell.metadata.update(
        {
            "tags": ["parameters"],
            "ExecuteTime": {"end_time": "2026-01-01T10:00:00"},
            "execution": {"iopub.status.busy": "2026-01-01T10:00:00"},
            "papermill": {"duration": 1.5},
            "collapsed": True,
        }
    )
    cell.outputs[0].metadata = {"rupak": {"key": "abc"}}
    path = write_notebook(
        tmp_path / "dirty.ipynb",
        [cell],
        papermill={"input_path": "somewhere.ipynb", "duration": 3.2},
        widgets={"application/vnd.jupyter.widget-state+json": {"state": {}}},
        vscode={"interpreter": {"hash": "0123"}},
    )
    subprocess.run([*hook_command("nbstripout"), str(path)], check=True, timeout=60)
    notebook = json.loads(path.read_text(encoding="utf-8"))
    assert set(notebook["metadata"]) == {"kernelspec"}
    (stripped,) = notebook["cells"]
    assert stripped["metadata"] == {"tags": ["parameters"]}
    assert stripped["execution_count"] == 1
    assert "".join(stripped["outputs"][0]["data"]["text/plain"]) == "2"
    assert stripped["outputs"][0]["metadata"] == {"rupak": {"key": "abc"}}
    assert stripped["id"] == cell["id"]


def test_the_hygiene_check_passes_a_notebook_as_refresh_writes_it(tmp_path):
    path = write_notebook(
        tmp_path / "ok.ipynb", [executed("import rupak", 1), executed("x = 1", 2, "")]
    )
    assert check_notebooks["problems"](path) == []


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("kernel", "metadata.kernelspec"),
        ("order", "execution counts [2, 1]"),
        ("cleared", "no stored outputs"),
        ("home", "/home/alice/rupak/data/x.csv"),
        ("mac", "/Users/bob/notes"),
        ("windows", "C:\\Users\\carol\\rupak"),
        ("tmp", "/tmp/tmpab12/report.ipynb"),
    ],
)
def test_the_hygiene_check_names_each_problem(tmp_path, case, expected):
    cells = [executed("1", 1), executed("2", 2)]
    metadata = {}
    if case == "kernel":
        metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    elif case == "order":
        cells = [executed("1", 2), executed("2", 1)]
    elif case == "cleared":
        for cell in cells:
            cell.outputs = []
    else:
        cells[1].outputs[0].data["text/plain"] = f"read {expected}"
    path = write_notebook(tmp_path / f"{case}.ipynb", cells, **metadata)
    found = check_notebooks["problems"](path)
    assert len(found) == 1, found
    assert found[0].startswith(f"{path}: ") and expected in found[0]
    assert check_notebooks["main"]([str(path)]) == 1


def test_the_hygiene_check_ignores_embedded_images_and_relative_paths(tmp_path):
    cell = executed("plot()", 1, "see data/curated/events.csv and ../reports/x.html")
    cell.outputs.append(new_output("display_data", {"image/png": "iVBORw0KGgo/home/AAAA"}))
    path = write_notebook(tmp_path / "images.ipynb", [cell])
    assert check_notebooks["problems"](path) == []


def test_the_hygiene_check_reports_an_unreadable_file_by_name(tmp_path):
    path = tmp_path / "broken.ipynb"
    path.write_text("{not json", encoding="utf-8")
    (found,) = check_notebooks["problems"](path)
    assert found.startswith(f"{path}: cannot be read as a notebook")


def test_the_stored_outputs_are_current_for_this_code_and_data():
    """What the pre-push hook checks (`rupak reports --check`), in the suite as well: a change
    to the library or the data without `make refresh` leaves stored outputs of older code."""
    from rupak.publish.reports import stale_notebooks

    assert stale_notebooks() == []
