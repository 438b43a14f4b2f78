"""The one reader of the curated data package: the descriptor, then any table by name.

Why one module: every curated table (and every raw text the tables name) is read here, so
that every read is contained in the data package, recorded for provenance, and reported in
one shape when it goes wrong. ``data/datapackage.json`` is the single home of the tables'
rules (columns, types, keys, foreign keys, enums, patterns); this module reads it and checks
only what must hold before any table can be read:

* its shape (an object whose ``resources`` are tables with a name, a path and fields);
* completeness: it declares exactly the tables the code uses (:data:`TABLES`);
* containment: every resource path stays inside the data package after following symlinks
  (no absolute path, no ``..``, no URL). A path that does not is reported and never read.

Reading a table checks what a CSV reader can: present, not empty, UTF-8, no field beyond the
csv module's size limit, the header the descriptor declares, no blank rows, as many cells as
the header. Everything else (types, keys, meaning) is :mod:`rupak.evidence.validate`'s job.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING, Any

from rupak.base import provenance
from rupak.base.paths import data_dir
from rupak.evidence.problems import Problem, ValidationError

if TYPE_CHECKING:  # pandas stays lazy: `rupak validate` reads tables without it
    import pandas as pd

#: The tables the code reads, in the order they are checked. The descriptor must declare
#: exactly these (a missing, extra or renamed resource is an error).
TABLES = (
    "sources",
    "actors",
    "periods",
    "cameo",
    "events",
    "evidence",
    "claims",
    "source_notes",
    "narratives",
    "exclusions",
    "normalisations",
    "frames",
    "passage_frames",
    "frame_lexicon",
    "entman",
    "layout",
    "event_codes_second",
    "event_reconciliation",
    "frame_reconciliation",
    "coding_changes",
    "curation_decisions",
    "coverage_check",
)
DESCRIPTOR = "datapackage.json"
#: The csv module's default field size limit. Set for each read, since importing frictionless
#: raises the process-wide limit: a field beyond it is an unclosed quote, not a quotation.
FIELD_LIMIT = 131_072
SOURCES_FOLDER = "sources"
SKIPPED = "checks that use this table were skipped"


def data_root(root: Path | str | None) -> Path:
    """The data package folder: ``root`` or the project's ``data/``."""
    return Path(root) if root is not None else data_dir()


def display(root: Path, relative: str) -> str:
    """How messages name a file of the package: ``data/curated/events.csv``."""
    return f"{root.name}/{relative}"


def pair_renames(expected: list[str], found: list[str]) -> tuple[list, list, list]:
    """Split differences into renames (same position), missing and extra names.

    One renamed column (or resource) is one cause: it is reported once, as a rename, not as
    one missing and one extra name.
    """
    missing = [name for name in expected if name not in found]
    extra = [name for name in found if name not in expected]
    renamed = []
    for name in list(missing):
        position = expected.index(name)
        if position < len(found) and found[position] in extra:
            renamed.append((name, found[position]))
            missing.remove(name)
            extra.remove(found[position])
    if len(missing) == 1 and len(extra) == 1:  # one name changed, wherever it stands
        renamed.append((missing.pop(), extra.pop()))
    return renamed, missing, extra


# --------------------------------------------------------------------------- the descriptor


@dataclass
class Package:
    """The parsed descriptor of a data package, its tables by name, and its problems."""

    root: Path
    descriptor: dict[str, Any] = field(default_factory=dict)
    resources: dict[str, dict[str, Any]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def file(self) -> str:
        return display(self.root, DESCRIPTOR)

    def fields(self, name: str) -> dict[str, dict[str, Any]]:
        """The fields of a table, by column name, as the descriptor declares them."""
        return {f["name"]: f for f in self.resources[name]["schema"]["fields"]}

    def columns(self, name: str) -> list[str]:
        return list(self.fields(name))

    def path(self, name: str) -> Path:
        return self.root / self.resources[name]["path"]

    def file_of(self, name: str) -> str:
        return display(self.root, self.resources[name]["path"])


def _shape_problems(descriptor: Any, file: str) -> list[Problem]:
    """What the code needs of the descriptor's shape before it can use it at all."""
    if not isinstance(descriptor, dict):
        kind = type(descriptor).__name__
        return [
            Problem(file, None, None, None, f"the descriptor must be a JSON object, not {kind}")
        ]
    resources = descriptor.get("resources")
    if not isinstance(resources, list):
        return [Problem(file, None, "resources", None, "'resources' must be a list of tables")]
    problems: list[Problem] = []
    for index, resource in enumerate(resources):
        where = f"resources[{index}]"
        if not isinstance(resource, dict):
            problems.append(Problem(file, None, where, None, "a resource must be a JSON object"))
            continue
        name = resource.get("name")
        if not isinstance(name, str) or not name:
            problems.append(Problem(file, None, where, None, "resource has no name"))
            continue
        where = f"resources[{index}] ({name})"
        if not isinstance(resource.get("path"), str):
            problems.append(Problem(file, None, where, None, "'path' must be one relative path"))
        schema = resource.get("schema")
        fields = schema.get("fields") if isinstance(schema, dict) else None
        if not isinstance(fields, list) or not fields:
            problems.append(Problem(file, None, where, None, "'schema' must have a list of fields"))
            continue
        for number, item in enumerate(fields):
            if not (
                isinstance(item, dict)
                and isinstance(item.get("name"), str)
                and isinstance(item.get("type", "string"), str)
            ):
                column, message = f"{where} fields[{number}]", "a field needs a text 'name'"
                problems.append(Problem(file, None, column, None, message))
    return problems


def _completeness_problems(names: list[str], file: str) -> list[Problem]:
    problems = []
    renamed, missing, extra = pair_renames(list(TABLES), names)
    for expected, found in renamed:
        problems.append(
            Problem(file, None, "resources", found, f"resource should be named {expected!r}")
        )
    for name in missing:
        problems.append(
            Problem(file, None, "resources", name, "resource is missing: the code reads this table")
        )
    for name in extra:
        problems.append(
            Problem(
                file,
                None,
                "resources",
                name,
                f"unknown resource: the code reads only {', '.join(TABLES)}",
            )
        )
    for name in sorted({n for n in names if names.count(n) > 1}):
        problems.append(Problem(file, None, "resources", name, "resource is declared twice"))
    return problems


def contained(root: Path, relative: str) -> str | None:
    """Why ``relative`` may not be read inside ``root`` (None when it may). Reads nothing."""
    if "://" in relative or relative.startswith("//"):
        return "is a URL; tables are read only from the data package"
    windows = PureWindowsPath(relative)
    if PurePosixPath(relative).is_absolute() or windows.drive or windows.root:
        return "is an absolute path; paths are relative to the data package"
    if ".." in PurePosixPath(relative).parts or ".." in windows.parts:
        return "leaves the data package ('..'); paths stay inside it"
    try:
        base = root.resolve()
        inside = (base / relative).resolve().is_relative_to(base)
    except (OSError, RuntimeError):  # a loop of symbolic links
        return "cannot be resolved (a loop of symbolic links?); it was not read"
    if not inside:
        return "resolves outside the data package (a symbolic link?); it was not read"
    return None


def package(root: Path | str | None = None) -> Package:
    """Read and check the descriptor of the package at ``root``; problems are kept, not raised."""
    root = data_root(root)
    found = Package(root)
    path = root / DESCRIPTOR
    if not path.is_file():
        found.problems.append(
            Problem(found.file, None, None, None, "data package descriptor missing")
        )
        return found
    if reason := contained(root, DESCRIPTOR):
        found.problems.append(Problem(found.file, None, None, DESCRIPTOR, f"descriptor {reason}"))
        return found
    provenance.note_file(path)
    try:
        descriptor = json.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError as error:
        found.problems.append(Problem(found.file, None, None, None, f"not valid UTF-8: {error}"))
        return found
    except json.JSONDecodeError as error:
        found.problems.append(
            Problem(found.file, error.lineno, None, None, f"not valid JSON: {error.msg}")
        )
        return found
    found.problems += _shape_problems(descriptor, found.file)
    if found.problems:
        return found
    found.descriptor = descriptor
    names = [r["name"] for r in descriptor["resources"]]
    found.problems += _completeness_problems(names, found.file)
    for resource in descriptor["resources"]:
        if reason := contained(root, resource["path"]):
            found.problems.append(
                Problem(
                    found.file,
                    None,
                    f"resources ({resource['name']})",
                    resource["path"],
                    f"path {reason}",
                )
            )
        elif resource["name"] in TABLES:
            found.resources.setdefault(resource["name"], resource)
    return found


#: Sound packages already checked in this process, with the file states they were checked at.
_checked: dict[str, tuple[tuple, Package]] = {}


def _states(root: Path, relatives: Iterable[str]) -> tuple:
    """What would make a checked descriptor stale: the descriptor's and each resource path's
    own entry (``lstat``: a file replaced, edited, or turned into a symbolic link)."""
    states = []
    for relative in (DESCRIPTOR, *relatives):
        try:
            found = (root / relative).lstat()
            states.append((relative, found.st_ino, found.st_mtime_ns, found.st_size, found.st_mode))
        except OSError:
            states.append((relative, None))
    return tuple(states)


def checked_package(root: Path | str | None = None) -> Package:
    """The descriptor, or :class:`ValidationError` if the package cannot be read safely.

    Checking a descriptor resolves every resource path; a package found sound is kept for
    as long as none of those files changes (every table read asks for it, hundreds of times
    in one report), and its descriptor is noted as read each time.
    """
    root = data_root(root)
    key = str(root.resolve())
    memo = _checked.get(key)
    if memo is not None:
        states, found = memo
        if _states(root, (r["path"] for r in found.descriptor["resources"])) == states:
            provenance.note_file(root / DESCRIPTOR)
            return found
    found = package(root)
    if found.problems:
        _checked.pop(key, None)
        raise ValidationError(found.problems)
    _checked[key] = (_states(root, (r["path"] for r in found.descriptor["resources"])), found)
    return found


# --------------------------------------------------------------------------- reading tables


@dataclass
class Table:
    """One table read as text: header and records (dicts), each with its row number.

    Rows count the header as row 1, as frictionless and spreadsheets do; a record that spans
    lines is one row. ``readable`` is false when the table could not be read whole or its
    header is not the declared one: nothing else is checked in it, nor against it.
    """

    name: str
    file: str
    header: list[str] = field(default_factory=list)
    rows: list[dict[str, str]] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)
    readable: bool = False
    misaligned: set[int] = field(default_factory=set)  # rows with too many or too few cells
    text: str = ""  # the decoded file (without a byte-order mark), for tools that rewrite records
    bom: bool = False
    spans: list[tuple[int, int]] = field(default_factory=list)  # each record's slice of text

    def numbered(self) -> Iterable[tuple[int, dict[str, str]]]:
        return zip(self.numbers, self.rows, strict=True)

    def row(self, number: int) -> dict[str, str]:
        try:
            return self.rows[self.numbers.index(number)]
        except ValueError:
            return {}

    def values(self, column: str) -> set[str]:
        return {record.get(column, "") for record in self.rows}

    def column(self, column: str) -> list[str]:
        return [record.get(column, "") for record in self.rows]


class _Lines:
    """Lines of a text as the csv module reads them, counting the characters consumed."""

    def __init__(self, text: str) -> None:
        self._lines = io.StringIO(text, newline="")
        self.consumed = 0

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.consumed += len(line)
        return line


def _decode(data: bytes, file: str, problems: list[Problem]) -> str | None:
    if not data.strip():
        problems.append(Problem(file, None, None, None, "file is empty (no header row)"))
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        problems.append(
            Problem(
                file,
                line,
                None,
                repr(data[error.start : error.start + 4]),
                f"not valid UTF-8 (byte {error.start}, line {line}); save the file as UTF-8",
            )
        )
        return None
    if text.startswith("\ufeff"):
        problems.append(Problem(file, 1, None, None, "file starts with a byte-order mark"))
        text = text[1:]
    return text


def _records(
    text: str, dialect: dict[str, Any], file: str, problems: list[Problem]
) -> tuple[list[list[str]], list[tuple[int, int]]] | None:
    """Every record with its character span, or None (reported) if the CSV cannot be read."""
    lines = _Lines(text)
    reader = csv.reader(
        lines,
        delimiter=str(dialect.get("delimiter", ",")),
        quotechar=str(dialect.get("quoteChar", '"')),
    )
    records: list[list[str]] = []
    spans: list[tuple[int, int]] = []
    start = 0
    limit = csv.field_size_limit(FIELD_LIMIT)
    try:
        for record in reader:
            records.append(record)
            spans.append((start, lines.consumed))
            start = lines.consumed
    except csv.Error as error:
        row = len(records) + 1
        if "field larger than field limit" in str(error):
            message = (
                f"a field is longer than {FIELD_LIMIT} characters, the csv module's limit "
                "(an unclosed quote?); the table was not read"
            )
        else:
            message = f"cannot be read as CSV ({error}); the table was not read"
        problems.append(Problem(file, row, None, None, message))
        return None
    finally:
        csv.field_size_limit(limit)
    return records, spans


def _header_problems(expected: list[str], header: list[str], file: str) -> list[Problem]:
    problems = []
    renamed, missing, extra = pair_renames(expected, header)
    for column, found in renamed:
        problems.append(
            Problem(
                file, 1, column, found, f"column is named {found!r}, expected {column!r}; {SKIPPED}"
            )
        )
    for column in missing:
        problems.append(
            Problem(file, 1, column, None, f"column is missing from the header; {SKIPPED}")
        )
    for column in extra:
        problems.append(
            Problem(
                file,
                1,
                column,
                column,
                f"unexpected column (expected: {', '.join(expected)}); {SKIPPED}",
            )
        )
    for column in sorted({c for c in header if header.count(c) > 1}):
        problems.append(
            Problem(file, 1, column, column, f"column appears more than once; {SKIPPED}")
        )
    return problems


def read_table(found: Package, name: str, problems: list[Problem]) -> Table:
    """Read one table of a checked package, appending its problems; never raises."""
    file = found.file_of(name)
    table = Table(name, file)
    path = found.path(name)
    if not path.is_file():
        problems.append(Problem(file, None, None, None, "file is missing"))
        return table
    provenance.note_file(path)
    data = path.read_bytes()
    text = _decode(data, file, problems)
    if text is None:
        return table
    table.bom = data.startswith(b"\xef\xbb\xbf")
    parsed = _records(text, found.resources[name].get("dialect") or {}, file, problems)
    if parsed is None:
        return table
    records, spans = parsed
    table.text = text
    table.header = records[0] if records else []
    header_problems = _header_problems(found.columns(name), table.header, file)
    problems += header_problems
    width = len(table.header)
    for number, (record, span) in enumerate(zip(records[1:], spans[1:], strict=True), start=2):
        if not any(cell.strip() for cell in record):
            problems.append(Problem(file, number, None, None, "blank row"))
            continue
        if len(record) != width:
            problems.append(
                Problem(
                    file,
                    number,
                    None,
                    ",".join(record),
                    f"row has {len(record)} cells, header has {width} "
                    "(a stray or missing delimiter, or an unquoted comma)",
                )
            )
            table.misaligned.add(number)
        table.numbers.append(number)
        table.spans.append(span)
        table.rows.append(
            dict(zip(table.header, record + [""] * (width - len(record)), strict=False))
        )
    table.readable = not header_problems
    return table


class Checked:
    """The tables of one validation run, each read once, and the problems found so far."""

    def __init__(self, found: Package, problems: list[Problem]) -> None:
        self.found = found
        self.problems = problems
        self.tables = {name: read_table(found, name, problems) for name in found.resources}

    def table(self, name: str) -> Table | None:
        """A table fit to check: declared, read whole, with the declared header."""
        table = self.tables.get(name)
        return table if table is not None and table.readable else None

    def add(self, table: Table, row: int | None, column: str | None, value, message: str) -> None:
        self.problems.append(Problem(table.file, row, column, value, message))

    def sound(self, name: str) -> bool:
        """Readable and without any problem so far."""
        table = self.table(name)
        return table is not None and not any(p.file == table.file for p in self.problems)


def read(name: str, root: Path | str | None = None) -> Table:
    """One table by name, or :class:`ValidationError` if it cannot be read whole."""
    found = checked_package(root)
    problems: list[Problem] = []
    table = read_table(found, name, problems)
    if not table.readable:
        raise ValidationError(problems)
    return table


def fields(name: str, root: Path | str | None = None) -> dict[str, dict[str, Any]]:
    """The declared fields of a table, by column name."""
    return checked_package(root).fields(name)


def frame(name: str, root: Path | str | None = None) -> pd.DataFrame:
    """One table as a DataFrame of strings (empty cells are ``""``), in file order."""
    import pandas as pd

    table = read(name, root)
    return pd.DataFrame(
        [[record[c] for c in table.header] for record in table.rows],
        columns=table.header,
        dtype=str,
    )


def source_path(root: Path | str | None, file: str) -> Path:
    """The raw text ``file`` (a name from sources.csv), contained in the package's sources/."""
    root = data_root(root)
    relative = f"{SOURCES_FOLDER}/{file}"
    if reason := contained(root, relative):
        table = checked_package(root).file_of("sources")
        raise ValidationError([Problem(table, None, "file", file, f"raw text {reason}")])
    return root / relative
