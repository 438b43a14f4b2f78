"""Hostile inputs and faults for the report runner: containment, hangs, interrupts, exploring.

Each case asserts the message, the exit code, and that nothing was changed (or that what a
fault must not touch, the last good reports, is intact). Classes: containment (``--out``,
notebook paths), traceback-free errors (config folder, parameters cell), long values, hang
(timeout), output size, interrupt (SIGINT, SIGTERM, a second interrupt), exploring (a notebook
edited in a git working copy), and ``rupak variant``.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from conftest import write_notebook
from rupak.base.paths import REPO_ROOT
from rupak.cli import main
from rupak.publish import reports

RUPAK = str(Path(sys.executable).parent / "rupak")
NB02 = REPO_ROOT / "notebooks" / "02_proximity_1965_1975.ipynb"
ENTRY = f'[[report]]\nname = "r"\nnotebook = "{NB02.as_posix()}"\n'


def run(capsys, *args: str) -> tuple[int, str]:
    code = main(list(args))
    return code, capsys.readouterr().err


# --- traceback-free errors ---------------------------------------------------------------------


def test_a_config_that_is_a_folder_gets_a_message(tmp_path, capsys, digest):
    config = tmp_path / "reports.toml"
    config.mkdir()
    before = digest(tmp_path)
    code, err = run(capsys, "reports", "--config", str(config), "--out", str(tmp_path / "out"))
    assert code == 2 and f"{config}: is a folder, not a reports file" in err
    assert "Traceback" not in err and digest(tmp_path) == before


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        (
            'label: str = "x"  # a label\nyear: int = 19 65  # a typo made in JupyterLab',
            "parameters cell: line 2 (parameter 'year'): not valid Python (invalid syntax",
        ),
        (
            'label: str = open("/etc/hostname").read()  # never evaluated',
            "parameters cell: line 1 (parameter 'label'): default 'open(\"/etc/hostname\")"
            ".read()' is not a literal",
        ),
    ],
)
def test_a_bad_parameters_cell_is_named_by_notebook_line_and_parameter(
    tmp_path, capsys, digest, cell, message
):
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    kernel = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook = new_notebook(
        cells=[new_code_cell(cell, metadata={"tags": ["parameters"]}), new_code_cell("1")],
        metadata={"kernelspec": kernel},
    )
    nbformat.write(notebook, tmp_path / "nb.ipynb")
    config = tmp_path / "reports.toml"
    config.write_text('[[report]]\nname = "r"\nnotebook = "nb.ipynb"\n', encoding="utf-8")
    before = digest(tmp_path)
    code, err = run(capsys, "reports", "--config", str(config), "--out", str(tmp_path / "out"))
    assert code == 2
    assert f"report 'r': {tmp_path / 'nb.ipynb'}: {message}" in err, err
    assert "Traceback" not in err and digest(tmp_path) == before


def test_a_20_mb_value_is_not_echoed(tmp_path, capsys, digest):
    config = tmp_path / "reports.toml"
    config.write_text(ENTRY + f'[report.parameters]\npartner = "{"X" * 20_000_000}"\n')
    before = digest(tmp_path)
    code, err = run(capsys, "reports", "--config", str(config), "--out", str(tmp_path / "out"))
    assert code == 2 and "(20,000,000 characters) is longer than 200 characters" in err
    assert len(err) < 2000 and digest(tmp_path) == before


# --- containment --------------------------------------------------------------------------------


def _out_cases(tmp: Path) -> dict[str, tuple[Path, str]]:
    (tmp / "a-file").write_text("x")
    (tmp / "into-notebooks").symlink_to(REPO_ROOT / "notebooks")
    return {
        "the notebooks folder": (REPO_ROOT / "notebooks", "is notebooks/ or inside it"),
        "inside the data": (REPO_ROOT / "data" / "site", "is data/ or inside it"),
        "the repository root": (REPO_ROOT, "is the project's root or inside it"),
        "a folder holding the repository": (REPO_ROOT.parent, "holds"),
        "a symlink into the notebooks": (tmp / "into-notebooks", "is notebooks/ or inside it"),
        "a file": (tmp / "a-file", "is a file, not a folder"),
        "under a file": (tmp / "a-file" / "out", "lies under"),
        "the folder of the reports file": (tmp, "holds"),
    }


@pytest.mark.parametrize(
    "case",
    [
        "the notebooks folder",
        "inside the data",
        "the repository root",
        "a folder holding the repository",
        "a symlink into the notebooks",
        "a file",
        "under a file",
        "the folder of the reports file",
    ],
)
def test_out_must_not_be_or_hold_a_source_folder(tmp_path, capsys, digest, case):
    out, message = _out_cases(tmp_path)[case]
    config = tmp_path / "reports.toml"
    config.write_text(ENTRY.replace('name = "r"', 'name = "02_proximity_1965_1975"'))
    before, notebooks = digest(tmp_path), digest(REPO_ROOT / "notebooks")
    code, err = run(capsys, "reports", "--config", str(config), "--out", str(out))
    assert code == 2 and f"--out {out}: " in err and message in err, err
    assert digest(tmp_path) == before and digest(REPO_ROOT / "notebooks") == notebooks
    assert not (REPO_ROOT / "data" / "site").exists()


def test_a_read_only_output_folder_gets_a_message(tmp_path, capsys, digest):
    if os.geteuid() == 0:  # root writes through permissions: use a folder no one may create
        out = Path("/sys/rupak-reports-test")
        if not Path("/sys").is_dir() or _can_mkdir(out):
            pytest.skip("no read-only place to point --out at")
    else:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        out = locked / "out"
    config = tmp_path / "reports.toml"
    config.write_text(ENTRY)
    code, err = run(capsys, "reports", "--config", str(config), "--out", str(out))
    assert code == 2 and f"--out {out}: cannot write there" in err, err
    assert "Traceback" not in err


def _can_mkdir(path: Path) -> bool:
    try:
        path.mkdir()
    except OSError:
        return False
    path.rmdir()
    return True


def test_a_notebook_symlinked_out_of_the_project_is_not_read(tmp_path, capsys):
    (tmp_path / "books").mkdir()
    (tmp_path / "books" / "evil.ipynb").symlink_to("/etc/hostname")
    config = tmp_path / "reports.toml"
    config.write_text('[[report]]\nname = "r"\nnotebook = "books/evil.ipynb"\n')
    code, err = run(capsys, "reports", "--config", str(config), "--out", str(tmp_path / "out"))
    assert code == 2 and "notebook 'books/evil.ipynb' resolves outside the project" in err
    assert Path("/etc/hostname").read_text().strip() not in err


# --- hangs, huge outputs and errors inside notebooks: one build -------------------------------


@pytest.fixture(scope="module")
def faulty_build(tmp_path_factory):
    root = tmp_path_factory.mktemp("faulty")
    books = root / "books"
    books.mkdir()
    write_notebook(books / "forever.ipynb", "import time\ntime.sleep(10**6)")
    write_notebook(books / "loud.ipynb", "print('x' * 5_000_000)")
    write_notebook(
        books / "typo.ipynb",
        "from rupak.publish.parameters import ParameterError\n"
        "raise ParameterError('typo.ipynb', ['partner: \\'XYZ\\' is not a known ISO3 state code'])",
    )
    config = root / "reports.toml"
    config.write_text(
        "timeout = 600\n"
        '[[report]]\nname = "forever"\nnotebook = "books/forever.ipynb"\ntimeout = 3\n'
        '[[report]]\nname = "loud"\nnotebook = "books/loud.ipynb"\n'
        '[[report]]\nname = "typo"\nnotebook = "books/typo.ipynb"\n'
    )
    out = root / "out"
    started = time.perf_counter()
    code = main(["reports", "--config", str(config), "--out", str(out), "--jobs", "2"])
    seconds = time.perf_counter() - started
    return out, code, seconds


def test_a_notebook_that_never_ends_fails_at_its_timeout(faulty_build):
    out, code, seconds = faulty_build
    assert code == 1
    state = reports.read_state(out, "forever")
    assert state["status"] == "failed" and "timed out" in state["message"]
    print(f"\ntimeout=3 report: {state['seconds']} s; whole faulty build {seconds:.1f} s")
    assert state["seconds"] < 20
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="forever.failed.html"' in index and "timed out" in index
    page = (out / "forever.failed.html").read_text(encoding="utf-8")
    assert "This report failed:" in page and "timeout of 3 s" in page
    assert not (out / ".work").exists()


def test_an_output_over_the_bound_is_cut_and_says_so(faulty_build):
    out = faulty_build[0]
    page = (out / "loud.html").read_text(encoding="utf-8")
    assert "this output was cut: 5,000,001 characters" in page
    assert len(page) < 3_000_000
    assert (out / "loud.ipynb").stat().st_size < 3_000_000


def test_a_parameter_error_in_a_notebook_shows_its_message_alone(faulty_build):
    out = faulty_build[0]
    page = (out / "typo.failed.html").read_text(encoding="utf-8")
    assert "ParameterError: typo.ipynb: invalid parameters:" in page
    assert "is not a known ISO3 state code" in page
    assert "most recent call last" not in page and "parameters.py" not in page


def test_bound_outputs_keeps_small_outputs_and_cuts_rich_ones():
    from nbformat import NotebookNode
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    small = new_output("stream", name="stdout", text="fine\n")
    rich = new_output("display_data", data={"text/html": "<b>" * 10, "text/plain": "plain"})
    notebook = new_notebook(cells=[new_code_cell("x", outputs=[small, rich])])
    assert reports.bound_outputs(notebook, limit=20) == 1
    outputs = notebook.cells[0].outputs
    assert outputs[0] == small
    assert isinstance(outputs[1], NotebookNode) and list(outputs[1].data) == ["text/plain"]
    assert outputs[1].data["text/plain"].startswith("plain\n[rupak: this output was cut")


# --- interrupts ---------------------------------------------------------------------------------


@pytest.mark.parametrize("signal_number", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupt_stops_everything_cleanly_and_keeps_the_last_good_reports(
    tmp_path, signal_number
):
    import psutil

    books = tmp_path / "books"
    books.mkdir()
    write_notebook(books / "slow.ipynb", "print(label)")
    write_notebook(books / "other.ipynb", "print(label)")
    config = tmp_path / "reports.toml"
    config.write_text(
        '[[report]]\nname = "slow"\nnotebook = "books/slow.ipynb"\n'
        '[[report]]\nname = "other"\nnotebook = "books/other.ipynb"\n'
    )
    out = tmp_path / "out"
    sockets = Path(tempfile.mkdtemp(prefix="rk", dir="/tmp"))  # short: socket paths are limited
    env = {**os.environ, "TMPDIR": str(sockets)}
    command = [RUPAK, "reports", "--config", str(config), "--out", str(out), "--jobs", "2"]
    try:
        subprocess.run(command, env=env, check=True, capture_output=True)
        before = {p.name: p.read_bytes() for p in out.glob("*.html")}
        write_notebook(books / "slow.ipynb", "import time\ntime.sleep(600)")
        write_notebook(books / "other.ipynb", "import time\ntime.sleep(600)")
        process = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)
        deadline = time.time() + 120
        while time.time() < deadline and not list((out / ".work").glob("*.ipynb")):
            time.sleep(0.1)
        time.sleep(2)  # the kernels are running their cells
        assert list(sockets.glob("rupak-kernel-*/k*")), "no kernel was running"
        sent = time.perf_counter()
        process.send_signal(signal_number)
        code = process.wait(timeout=30)
        elapsed = time.perf_counter() - sent
        err = process.stderr.read()
        print(f"\n{signal.Signals(signal_number).name} -> exit {code} in {elapsed:.2f} s")
        assert code == 130, err
        assert elapsed < 10
        assert "interrupted: 2 unfinished report(s) stopped or cancelled" in err, err
        assert not list(out.rglob("*.tmp")) and not (out / ".work").exists()
        assert not list(sockets.glob("rupak-kernel-*"))
        alive = [
            p.pid
            for p in psutil.process_iter(["cmdline", "status"])
            if str(sockets) in " ".join(p.info["cmdline"] or [])
            and p.info["status"] != psutil.STATUS_ZOMBIE
        ]
        assert not alive
        assert {p.name: p.read_bytes() for p in out.glob("*.html")} == before
    finally:
        shutil.rmtree(sockets, ignore_errors=True)


def test_a_second_interrupt_exits_at_once():
    code = (
        "import os, signal, time\n"
        "from rupak.publish.reports.build import _Signals\n"
        "with _Signals():\n"
        "    try:\n"
        "        os.kill(os.getpid(), signal.SIGINT); time.sleep(5)\n"
        "    except KeyboardInterrupt:\n"
        "        print('first', flush=True)\n"
        "    os.kill(os.getpid(), signal.SIGINT); time.sleep(30)\n"
        "print('never')\n"
    )
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 130 and result.stdout == "first\n"
    assert "exiting now" in result.stderr and time.perf_counter() - started < 10


# --- exploring never changes what is published ------------------------------------------------


def git(*args: str, cwd: Path) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


def set_default(notebook: Path, old: str, new: str) -> None:
    data = json.loads(notebook.read_text(encoding="utf-8"))
    for cell in data["cells"]:
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            source = "".join(cell["source"])
            assert old in source
            cell["source"] = source.replace(old, new)
    notebook.write_text(json.dumps(data, indent=1), encoding="utf-8")


needs_git = pytest.mark.skipif(
    shutil.which("git") is None or not (REPO_ROOT / ".git").exists(), reason="needs a git checkout"
)


@needs_git
def test_an_explored_notebook_is_refused_by_the_build_and_the_refresh(tmp_path, capsys, digest):
    clone = tmp_path / "clone"
    git("clone", "--quiet", "--depth", "1", f"file://{REPO_ROOT}", str(clone), cwd=tmp_path)
    notebook = clone / "notebooks" / "02_proximity_1965_1975.ipynb"
    set_default(notebook, 'partner: str = "PAK"', 'partner: str = "SSD"')  # autosaved by Lab
    out = tmp_path / "out"
    before = digest(clone)
    code, err = run(
        capsys,
        "reports",
        "--config",
        str(clone / "reports.toml"),
        "--out",
        str(out),
        "--only",
        "proximity-1965-1975",
    )
    assert code == 2
    assert f"{notebook} differs from the committed version (git HEAD)" in err, err
    assert "used by report(s) proximity-1965-1975" in err
    assert "partner: 'SSD' in the working copy, 'PAK' committed" in err
    assert "--allow-dirty" in err and "rupak variant NAME --notebook 02" in err
    assert not out.exists() and digest(clone) == before
    with pytest.raises(reports.ConfigError, match="partner: 'SSD' in the working copy"):
        reports.refresh_notebooks([notebook])
    assert digest(clone) == before


@needs_git
def test_allow_dirty_builds_the_working_copy_loudly(tmp_path, capsys):
    (tmp_path / "books").mkdir()
    write_notebook(tmp_path / "books" / "nb.ipynb", "print(label)")
    config = tmp_path / "reports.toml"
    config.write_text('[[report]]\nname = "nb"\nnotebook = "books/nb.ipynb"\n')
    git("init", "--quiet", cwd=tmp_path)
    git("add", "-A", cwd=tmp_path)
    git("commit", "--quiet", "-m", "a notebook", cwd=tmp_path)
    set_default(tmp_path / "books" / "nb.ipynb", '"x"', '"explored"')
    out = tmp_path / "out"
    code, err = run(capsys, "reports", "--config", str(config), "--out", str(out))
    assert code == 2 and "label: 'explored' in the working copy, 'x' committed" in err
    code, err = run(capsys, "reports", "--config", str(config), "--out", str(out), "--allow-dirty")
    assert code == 0, err
    assert "WARNING: building nb from the UNCOMMITTED working copy" in err
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "built from an uncommitted working copy" in index


# --- rupak variant ------------------------------------------------------------------------------


@pytest.fixture
def project(tmp_path):
    """A reports file of its own beside the project's notebooks (a symlink)."""
    (tmp_path / "notebooks").symlink_to(REPO_ROOT / "notebooks")
    config = tmp_path / "reports.toml"
    shutil.copyfile(REPO_ROOT / "reports.toml", config)
    return config


def test_variant_appends_a_checked_entry_and_keeps_the_comments(project, capsys):
    original = project.read_text(encoding="utf-8")
    code = main(
        [
            "variant",
            "proximity-india-rival-china",
            "--notebook",
            "02",
            "-p",
            "partner=IND",
            "-p",
            "rival=CHN",
            "-p",
            "min_votes=12",
            "--title",
            'India and China, "1965–75"',
            "--config",
            str(project),
        ]
    )
    assert code == 0, capsys.readouterr().err
    text = project.read_text(encoding="utf-8")
    assert text.startswith(original)  # comments and layout kept
    spec = {s.name: s for s in reports.load_config(project)}["proximity-india-rival-china"]
    assert spec.parameters == {"partner": "IND", "rival": "CHN", "min_votes": 12}
    assert spec.notebook == NB02 and spec.title == 'India and China, "1965–75"'


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["new", "-p", "partner=SSD"],
            "partner 'SSD': no UNGA votes in 1955–1985 (member from 2011)",
        ),
        (["new", "-p", "start=19x5"], "start: '19x5' is not an int"),
        (["new", "-p", "colour=red"], "colour: unknown parameter"),
        (["new", "-p", "partner"], "-p 'partner': write NAME=VALUE"),
        (["index", "-p", "partner=CHN"], "name 'index' is reserved"),
        (["Bad Name", "-p", "partner=SSD"], "name 'Bad Name' must be lower-case"),
        (["cold-war-divergence"], "variant: report 'cold-war-divergence': duplicate report name"),
    ],
)
def test_variant_rejects_a_bad_entry_and_changes_nothing(project, capsys, args, message):
    before = project.read_bytes()
    code = main(["variant", args[0], "--notebook", "02", *args[1:], "--config", str(project)])
    err = capsys.readouterr().err
    assert code == 2 and message in err, err
    assert "nothing was added" in err and project.read_bytes() == before


def test_a_missing_kernel_is_named_with_the_command_that_installs_it(tmp_path, monkeypatch):
    from rupak.publish.reports import run as runner

    monkeypatch.setattr(runner, "KERNEL", "rupak-not-installed")
    (tmp_path / "books").mkdir()
    write_notebook(tmp_path / "books" / "nb.ipynb", "print(label)")
    config = tmp_path / "reports.toml"
    config.write_text('[[report]]\nname = "nb"\nnotebook = "books/nb.ipynb"\n')
    with pytest.raises(reports.ConfigError) as caught:
        reports.build(config=config, out=tmp_path / "out")
    assert "kernel 'rupak-not-installed' is not installed" in str(caught.value)
    assert "ipykernel install --sys-prefix --name rupak-not-installed" in str(caught.value)
    assert not list((tmp_path / "out").glob("*.html"))
