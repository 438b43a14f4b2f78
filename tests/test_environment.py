"""The environment: locks that install wherever the README promises, and nothing undeclared.

`make reports` and `make lab` install requirements.lock (the library, JupyterLab, uv);
`make test` installs requirements-dev.lock (the same pins plus the test tools). Both are
uv universal resolutions with hashes, for Linux and macOS and Python 3.11 and newer.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from rupak.base.paths import REPO_ROOT

LOCK = REPO_ROOT / "requirements.lock"
DEV_LOCK = REPO_ROOT / "requirements-dev.lock"
PYPROJECT = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
TEST_TOOLS = {
    "pytest",
    "pytest-xdist",
    "pytest-benchmark",
    "hypothesis",
    "nbval",
    "ruff",
    "playwright",
    "pre-commit",
    "nbstripout",
    "fightin-words",
    "country-converter",
    "countrycode",
}
ENTRY = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+?)(?: ; (.+?))? \\$")


def locked(path: Path) -> dict[str, dict]:
    """A lock file as {name: {"version", "marker", "hashes"}}."""
    entries: dict[str, dict] = {}
    current = None
    for line in path.read_text(encoding="utf-8").splitlines():
        match = ENTRY.match(line)
        if match:
            name = canonicalize_name(match.group(1))
            current = entries[name] = {
                "version": match.group(2),
                "marker": match.group(3) or "",
                "hashes": [],
            }
        elif current is not None and line.strip().startswith("--hash=sha256:"):
            current["hashes"].append(line.strip().split(":", 1)[1].rstrip(" \\"))
    return entries


def declared(*extras: str) -> list[Requirement]:
    project = PYPROJECT["project"]
    found = [Requirement(r) for r in project["dependencies"]]
    for extra in extras:
        found += [Requirement(r) for r in project["optional-dependencies"][extra]]
    return found


def library_imports() -> dict[str, str]:
    """Top-level modules lib/rupak imports (anywhere, lazily too), with one file using each."""
    found: dict[str, str] = {}
    for path in sorted((REPO_ROOT / "lib" / "rupak").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and top != "rupak":
                    found.setdefault(top, str(path.relative_to(REPO_ROOT)))
    return found


# --- declared dependencies ---------------------------------------------------------------


def test_every_package_the_library_imports_is_a_declared_runtime_dependency():
    runtime = {canonicalize_name(r.name) for r in declared()}
    distributions = packages_distributions()
    problems = []
    for module, where in library_imports().items():
        names = {canonicalize_name(d) for d in distributions.get(module, [])}
        if not names:
            problems.append(f"{where}: imports {module!r}, which no installed package provides")
        elif not names & runtime:
            problems.append(
                f"{where}: imports {module!r} (from {', '.join(sorted(names))}), "
                "not in pyproject.toml [project] dependencies"
            )
    assert not problems, "\n".join(problems)


def test_the_test_tools_and_gpl_cross_checks_stay_out_of_the_runtime_environment():
    runtime, dev = locked(LOCK), locked(DEV_LOCK)
    assert not TEST_TOOLS & set(runtime), sorted(TEST_TOOLS & set(runtime))
    assert set(dev) >= TEST_TOOLS, sorted(TEST_TOOLS - set(dev))
    # make lab needs JupyterLab, and the set-up needs uv inside the environment it syncs.
    assert {"jupyterlab", "uv", "ipykernel"} <= set(runtime)


# --- the locks ---------------------------------------------------------------------------


def test_each_lock_satisfies_pyproject():
    for path, extras in ((LOCK, ("lab",)), (DEV_LOCK, ("lab", "dev"))):
        entries = locked(path)
        problems = [
            f"{path.name}: {req} is {entries.get(canonicalize_name(req.name), {}).get('version')}"
            for req in declared(*extras)
            if canonicalize_name(req.name) not in entries
            or not req.specifier.contains(
                entries[canonicalize_name(req.name)]["version"], prereleases=True
            )
        ]
        assert not problems, "run `make lock`:\n" + "\n".join(problems)


def test_the_dev_lock_pins_every_runtime_package_at_the_same_version_and_hashes():
    runtime, dev = locked(LOCK), locked(DEV_LOCK)
    differ = [
        f"{name}: {entry['version']} in {LOCK.name}, {dev.get(name, {}).get('version')} in dev"
        for name, entry in runtime.items()
        if name not in dev
        or dev[name]["version"] != entry["version"]
        or sorted(dev[name]["hashes"]) != sorted(entry["hashes"])
    ]
    assert not differ, "\n".join(differ)


def test_every_locked_package_carries_hashes_and_no_lock_names_a_folder_of_this_machine():
    for path in (LOCK, DEV_LOCK):
        entries = locked(path)
        assert len(entries) > 100
        assert not [name for name, entry in entries.items() if not entry["hashes"]]
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"(^|[\s=])(/|file:|[A-Za-z]:\\)", text, re.M), path.name
        assert "--extra-index-url" not in text and "--find-links" not in text


def test_the_locks_are_universal_for_linux_macos_and_python_from_3_11():
    assert PYPROJECT["project"]["requires-python"] == ">=3.11"
    for path in (LOCK, DEV_LOCK):
        entries = locked(path)
        # macOS-only and Windows-only packages appear under their markers: a universal lock.
        assert entries["appnope"]["marker"] == "sys_platform == 'darwin'"
        assert "os_name == 'nt'" in entries["pywinpty"]["marker"]
        assert not [n for n, e in entries.items() if e["marker"] == "sys_platform == 'linux'"]


def _uv() -> str:
    found = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")
    if not found:
        pytest.skip("uv is not installed")
    return found


@pytest.mark.registry
@pytest.mark.parametrize(
    ("platform", "python"),
    [
        ("aarch64-apple-darwin", "3.11"),
        ("x86_64-apple-darwin", "3.13"),
        ("x86_64-manylinux_2_28", "3.13"),
    ],
)
def test_the_dev_lock_resolves_from_wheels_alone_for_macos_and_linux(platform, python):
    """uv resolves the lock for another platform without installing: same pins, no builds."""
    result = subprocess.run(
        [
            *(_uv(), "pip", "compile", "--quiet", "--no-header", "--no-annotate"),
            # no builds: every package has a wheel there; no interpreter download either
            *("--no-build", "--no-python-downloads"),
            *("--python-platform", platform, "--python-version", python, str(DEV_LOCK)),
        ],
        capture_output=True,
        text=True,
        timeout=240,
        cwd=REPO_ROOT,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    resolved = {}
    for line in result.stdout.splitlines():
        name, _, version = line.partition("==")
        resolved[canonicalize_name(name)] = version.strip()
    pinned = {name: entry["version"] for name, entry in locked(DEV_LOCK).items()}
    assert all(pinned.get(name) == version for name, version in resolved.items())
    assert ("appnope" in resolved) == ("darwin" in platform)
    assert {"ipykernel", "jupyterlab", "scipy", "pyarrow", "playwright"} <= set(resolved)


# --- the Makefile ------------------------------------------------------------------------


def _make(*args: str, path: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHON", "MAKEFLAGS", "MFLAGS"}}
    if path is not None:
        env["PATH"] = path
    return subprocess.run(
        [shutil.which("make") or "make", "--no-print-directory", "-C", str(REPO_ROOT), *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )


def _bin_with(tmp_path: Path, pythons: dict[str, str]) -> str:
    """A PATH holding only the tools the Makefile needs and the given fake pythons."""
    folder = tmp_path / "bin"
    folder.mkdir()
    for tool in ("sh", "echo", "test", "grep", "cksum", "tr", "cat", "awk", "rm", "touch"):
        real = shutil.which(tool)
        if real:
            (folder / tool).symlink_to(real)
    for name, script in pythons.items():
        (folder / name).write_text(f"#!/bin/sh\n{script}\n")
        (folder / name).chmod(0o755)
    return str(folder)


def test_make_picks_the_newest_python_of_at_least_3_11_on_the_path(tmp_path):
    real = sys.executable
    path = _bin_with(
        tmp_path,
        {
            # an old python3.13 that is not 3.13 (a broken shim), an old python3, a good 3.12
            "python3.13": "exit 127",
            "python3.12": f'exec "{real}" "$@"',
            "python3": "echo False",
        },
    )
    result = _make("-n", "env", f"VENV={tmp_path / 'venv'}", path=path)
    assert 'py="python3.12"' in result.stdout, result.stdout + result.stderr


def test_make_without_a_python_3_11_says_what_to_install(tmp_path):
    path = _bin_with(tmp_path, {"python3": "echo False", "python3.11": "exit 127"})
    result = _make("env", f"VENV={tmp_path / 'venv'}", path=path)
    assert result.returncode != 0
    assert "rupak needs Python 3.11 or newer, and none was found" in result.stderr
    assert "python3.13 python3.12 python3.11 python3" in result.stderr
    assert "apt install python3.11" in result.stderr and "brew install" in result.stderr
    assert not (tmp_path / "venv").exists()


def test_make_rejects_a_named_python_older_than_3_11(tmp_path):
    path = _bin_with(tmp_path, {"python3.10": "exit 1"})
    result = _make("env", f"VENV={tmp_path / 'venv'}", "PYTHON=python3.10", path=path)
    assert result.returncode != 0
    assert "(tried: python3.10)" in result.stderr
    assert not (tmp_path / "venv").exists()


def test_make_reports_installs_the_runtime_lock_and_make_test_the_dev_lock(tmp_path):
    venv = f"VENV={tmp_path / 'venv'}"
    reports, test = _make("-n", "reports", venv), _make("-n", "test", venv)
    assert "sync --quiet --require-hashes" in reports.stdout
    assert " requirements.lock" in reports.stdout
    assert "requirements-dev.lock" not in reports.stdout
    assert "requirements-dev.lock" in test.stdout
    for dry in (reports, test):
        assert '--name rupak --display-name "Python (rupak)"' in dry.stdout


# --- the named kernel --------------------------------------------------------------------


def test_the_environment_has_the_rupak_kernel_running_its_own_python():
    listed = subprocess.run(
        [sys.executable, "-m", "jupyter", "kernelspec", "list", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    kernels = json.loads(listed.stdout)["kernelspecs"]
    assert "rupak" in kernels, "run `make env` (it installs the kernel): " + ", ".join(kernels)
    kernel = kernels["rupak"]
    assert Path(kernel["resource_dir"]).resolve().is_relative_to(Path(sys.prefix).resolve())
    assert kernel["spec"]["display_name"] == "Python (rupak)"
    assert kernel["spec"]["language"] == "python"
    assert Path(kernel["spec"]["argv"][0]).resolve() == Path(sys.executable).resolve()
