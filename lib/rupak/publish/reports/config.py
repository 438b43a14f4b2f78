"""``reports.toml``: which reports exist, read and checked before anything runs.

Why apart from the runner: a bad configuration must be refused with every problem listed
before a kernel starts or a file is written, and reading it needs none of the execution
machinery. Everything that comes from the file or the command line and becomes a path (report
names, notebook paths, ``--out``) is checked here to stay where it belongs.
"""

from __future__ import annotations

import math
import os
import re
import tempfile
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rupak.base.paths import REPO_ROOT, data_dir
from rupak.publish import parameters as params

CONFIG = REPO_ROOT / "reports.toml"
OUT_DIR = REPO_ROOT / "reports"
NOTEBOOKS = REPO_ROOT / "notebooks"
#: Seconds a report may run before it is stopped and marked failed (``timeout`` in the file).
DEFAULT_TIMEOUT = 600.0
MAX_TIMEOUT = 24 * 3600.0
#: Names a report cannot take: the index page, the folders every report shares, the runner's
#: own folders, and the device names Windows reserves (a report folder must copy anywhere).
RESERVED_NAMES = frozenset(
    {"index", "assets", "tables", "state", "work", "con", "prn", "aux", "nul"}
    | {f"com{i}" for i in range(1, 10)}
    | {f"lpt{i}" for i in range(1, 10)}
)
#: The project's source folders: ``--out`` may be none of them, inside none, and hold none.
SOURCE_FOLDERS = ("notebooks", "data", "lib", "tests", "docs", "benchmarks", "tools", ".git")
MAX_TITLE = 300
MAX_DESCRIPTION = 2000

_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_REPORT_KEYS = ("name", "notebook", "title", "description", "timeout", "parameters")
_TOP_KEYS = ("timeout", "report")


class ConfigError(ValueError):
    """reports.toml (or ``--out``) is unusable; the message lists every problem."""


@dataclass(frozen=True)
class ReportSpec:
    name: str
    notebook: Path
    title: str
    parameters: dict[str, Any] = field(default_factory=dict)
    description: str = ""
    timeout: float = DEFAULT_TIMEOUT


def read_config(path: Path) -> dict[str, Any]:
    """The TOML document of ``path``; a message (not a traceback) for any unreadable file."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ConfigError(f"{path}: is a folder, not a reports file") from None
    except OSError as error:
        raise ConfigError(f"{path}: cannot be read ({error.strerror})") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ConfigError(
            f"{path}: not UTF-8 text (byte 0x{data[error.start]:02x} at offset {error.start})"
        ) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None


def _timeout(value: Any, where: str, problems: list[str]) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        problems.append(f"{where}: timeout {params.shown(value)} must be a number of seconds")
    elif not math.isfinite(value) or not 0 < value <= MAX_TIMEOUT:
        problems.append(
            f"{where}: timeout {value} must be a finite number of seconds, "
            f"above 0 and at most {MAX_TIMEOUT:g}"
        )
    else:
        return float(value)
    return None


def _text(entry: dict, key: str, limit: int, where: str, problems: list[str]) -> str:
    value = entry.get(key, "")
    if not isinstance(value, str):
        problems.append(f"{where}: {key} {params.shown(value)} must be a string")
        return ""
    if len(value) > limit:
        problems.append(f"{where}: {key} {params.shown(value)} is longer than {limit} characters")
    return value


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _notebook(entry: dict, base: Path, where: str, problems: list[str]) -> Path | None:
    """The notebook path, resolved (after symlinks) inside the project; never read otherwise."""
    value = entry.get("notebook")
    if not isinstance(value, str) or not value:
        problems.append(f"{where}: notebook {params.shown(value)} must be a path (a string)")
        return None
    path = (base / value).resolve()
    roots = {base.resolve(), REPO_ROOT.resolve()}
    if not any(_inside(path, root) for root in roots):
        problems.append(
            f"{where}: notebook {params.shown(value)} resolves outside the project "
            f"({', '.join(sorted(map(str, roots)))}); it was not read"
        )
        return None
    if path.suffix != ".ipynb":
        problems.append(f"{where}: notebook {params.shown(value)} is not an .ipynb file")
        return None
    if not path.is_file():
        problems.append(f"{where}: notebook {params.shown(value)} does not exist")
        return None
    return path


def _name(entry: dict, where: str, seen: dict[str, str], problems: list[str]) -> str | None:
    name = entry.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        problems.append(
            f"{where}: name {params.shown(name)} must be lower-case letters, digits, - or _ "
            "(at most 64, starting with a letter or digit)"
        )
        return None
    if name in RESERVED_NAMES:
        problems.append(
            f"{where}: name {name!r} is reserved (it would overwrite the index or a shared "
            f"folder); reserved: {', '.join(sorted(RESERVED_NAMES - {'con', 'prn', 'aux'}))}…"
        )
        return None
    if name.casefold() in seen:
        problems.append(f"{where}: report {name!r}: duplicate report name")
        return None
    seen[name.casefold()] = name
    return name


def name_problems(name: Any, existing: list[str], where: str) -> list[str]:
    """Why ``name`` cannot be a new report's name beside ``existing`` ones (empty: it can)."""
    problems: list[str] = []
    _name({"name": name}, where, {n.casefold(): n for n in existing}, problems)
    return problems


def _spec(
    entry: Any, number: int, path: Path, default_timeout: float, seen: dict, problems: list
) -> ReportSpec | None:
    where = f"{path}: report #{number}"
    if not isinstance(entry, dict):
        problems.append(
            f"{where}: must be a table ([[report]] with keys), not {params.shown(entry)}"
        )
        return None
    unknown = [k for k in entry if k not in _REPORT_KEYS]
    if unknown:
        problems.append(
            f"{where}: unknown key(s) {', '.join(params.shown(k) for k in unknown)} "
            f"(known: {', '.join(_REPORT_KEYS)})"
        )
    name = _name(entry, where, seen, problems)
    if name is None:
        return None
    where = f"{path}: report {name!r}"
    title = _text(entry, "title", MAX_TITLE, where, problems) or name
    description = _text(entry, "description", MAX_DESCRIPTION, where, problems)
    timeout = default_timeout
    if "timeout" in entry:
        timeout = _timeout(entry["timeout"], where, problems) or default_timeout
    values = entry.get("parameters", {})
    if not isinstance(values, dict):
        problems.append(
            f"{where}: parameters {params.shown(values)} must be a table ([report.parameters])"
        )
        return None
    notebook = _notebook(entry, path.resolve().parent, where, problems)
    if notebook is None:
        return None
    return ReportSpec(name, notebook, title, values, description, timeout)


def parse_config(raw: dict[str, Any], path: Path) -> list[ReportSpec]:
    """The reports of a TOML document, checked for structure, names and paths (not values)."""
    problems: list[str] = []
    unknown = [k for k in raw if k not in _TOP_KEYS]
    if unknown:
        problems.append(
            f"{path}: unknown top-level key(s) {', '.join(params.shown(k) for k in unknown)} "
            f"(known: {', '.join(_TOP_KEYS)})"
        )
    default_timeout = DEFAULT_TIMEOUT
    if "timeout" in raw:
        default_timeout = _timeout(raw["timeout"], str(path), problems) or DEFAULT_TIMEOUT
    entries = raw.get("report")
    if isinstance(entries, dict):
        raise ConfigError(f"{path}: write each report as [[report]] (an array of tables)")
    if not isinstance(entries, list) or not entries:
        raise ConfigError("\n".join([*problems, f"{path}: expected one or more [[report]] tables"]))
    seen: dict[str, str] = {}
    specs = []
    for number, entry in enumerate(entries, start=1):
        spec = _spec(entry, number, path, default_timeout, seen, problems)
        if spec is not None:
            specs.append(spec)
    if problems:
        raise ConfigError("\n".join(problems))
    return specs


def check_all_parameters(specs: list[ReportSpec], path: Path) -> None:
    """Check every report's parameters against its notebook; raise listing all problems."""
    problems: list[str] = []
    for spec in specs:
        where = f"{path}: report {spec.name!r}"
        try:
            params.check(spec.notebook, spec.parameters, where)
        except params.ParameterError as error:
            head = "" if error.what == "invalid parameters" else f"{error.where}: {error.what}: "
            problems.extend(f"{where}: {head}{p}" for p in error.problems)
        except ValueError as error:
            problems.append(f"{where}: {error}")
    if problems:
        raise ConfigError("\n".join(problems))


def load_config(path: Path = CONFIG, check_parameters: bool = True) -> list[ReportSpec]:
    """Read ``reports.toml``; raise :class:`ConfigError` listing every problem."""
    path = Path(path)
    specs = parse_config(read_config(path), path)
    if check_parameters:
        check_all_parameters(specs, path)
    return specs


# --- the output folder --------------------------------------------------------------------------


def check_out(out: Path, specs: list[ReportSpec], config: Path) -> Path:
    """Refuse an output folder that is, holds or lies inside the project's sources.

    Resolved after symlinks. Reports overwrite files named after them in ``out``, so it may
    not be the repository root, a source folder or inside one, a folder that holds the
    repository, the data, a notebook of the reports file or the file itself, nor a file.
    """
    given = out
    out = Path(out).resolve()
    root = REPO_ROOT.resolve()
    problems = []
    if out == root or (root in out.parents and out.relative_to(root).parts[0] in SOURCE_FOLDERS):
        what = "the project's root" if out == root else f"{out.relative_to(root).parts[0]}/"
        problems.append(f"--out {given}: is {what} or inside it, a source folder of the project")
    protected = [root, data_dir().resolve(), Path(config).resolve()]
    protected += [spec.notebook.resolve() for spec in specs]
    for path in protected:
        if out != root and _inside(path, out):
            problems.append(f"--out {given}: holds {path}, which reports could overwrite")
            break
    existing = out
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if existing.exists() and not existing.is_dir():
        where = "is a file" if existing == out else f"lies under {existing}, which is a file"
        problems.append(f"--out {given}: {where}, not a folder")
    if problems:
        raise ConfigError("\n".join(problems))
    return out


def ensure_writable(out: Path) -> None:
    """Create ``out`` and prove a file can be written there; a message if it cannot."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        handle, probe = tempfile.mkstemp(dir=out, prefix=".probe-", suffix=".tmp")
        os.close(handle)
        os.unlink(probe)
    except OSError as error:
        raise ConfigError(
            f"--out {out}: cannot write there ({error.strerror or error}); choose a writable folder"
        ) from None
