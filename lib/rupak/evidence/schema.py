"""The descriptor's rules, checked by frictionless: types, required, enums, patterns, ranges,
primary keys, unique values and foreign keys.

Why frictionless sees the tables as read here, not the files: the tables were read once, by
:mod:`rupak.evidence.tables`, inside the package (frictionless never opens a path), and a
table that could not be read whole is left out, with every foreign key that points at it, so
that one broken table is reported once rather than once per row that refers to it.
Frictionless's errors become :class:`~rupak.evidence.problems.Problem` s at the file's real
row numbers (blank rows are not given to it).
"""

from __future__ import annotations

import copy
import sys
from typing import Any

from rupak.evidence.problems import Problem
from rupak.evidence.tables import TABLES, Package, Table

#: Reported elsewhere, in words that name the cause (the reader checks the header and cells).
_READER_ERRORS = {
    "extra-cell",
    "missing-cell",
    "blank-row",
    "extra-label",
    "missing-label",
    "duplicate-label",
    "blank-label",
    "incorrect-label",
}
_FILE_KEYS = ("path", "format", "mediatype", "encoding", "compression", "scheme", "hash", "bytes")


def _import_frictionless() -> Any:
    """Import frictionless without building rfc3987_syntax's 38 grammars (about 0.8 s).

    jsonschema imports rfc3987_syntax only to offer an "iri" format checker; frictionless
    validates descriptors without format checkers, so the grammars are never used. The block
    lasts only for the import; rfc3987_syntax stays importable afterwards.
    """
    if "jsonschema" not in sys.modules and "rfc3987_syntax" not in sys.modules:
        sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]
        try:
            import jsonschema  # noqa: F401
        finally:
            del sys.modules["rfc3987_syntax"]
    import frictionless

    return frictionless


def _key_problem(found: Package, name: str, key: Any) -> str | None:
    """Why a foreign key of table ``name`` cannot be checked (None if it can, or is malformed
    in a way frictionless reports itself)."""
    reference = key.get("reference") if isinstance(key, dict) else None
    if not isinstance(reference, dict):
        return None
    parent = reference.get("resource") or name
    if parent not in found.resources:  # a table the code reads, missing: reported as such
        return (
            None
            if parent in TABLES
            else f"foreign key refers to {parent!r}, which the descriptor does not declare"
        )
    for fields, table in ((key.get("fields"), name), (reference.get("fields"), parent)):
        fields = [fields] if isinstance(fields, str) else fields
        if not isinstance(fields, list):
            return None
        unknown = [f for f in fields if f not in found.fields(table)]
        if unknown:
            return f"foreign key names {', '.join(map(str, unknown))}, not a field of {table}"
    return None


def _inline(found: Package, tables: dict[str, Table], problems: list[Problem]) -> dict[str, Any]:
    """The descriptor with each readable table's rows inline and no reference to a file.

    Foreign keys to a table left out are dropped (that table's problem explains them), and
    so are keys that name what does not exist, each reported once here.
    """
    descriptor = copy.deepcopy(found.descriptor)
    usable = {name for name, table in tables.items() if table.readable}
    left_out = set(found.resources) - usable
    resources = []
    for resource in descriptor["resources"]:
        name = resource["name"]
        if name not in usable or name in [r["name"] for r in resources]:
            continue  # left out, or declared twice (reported by the reader)
        for key in (*_FILE_KEYS, "dialect"):
            resource.pop(key, None)
        table = tables[name]
        resource["data"] = [table.header] + [
            [record[c] for c in table.header] for record in table.rows
        ]
        schema = resource["schema"]
        keys = []
        for key in schema.get("foreignKeys", []):
            reason = _key_problem(found, name, key)
            if reason:
                problems.append(Problem(found.file, None, f"resources ({name})", None, reason))
            elif not _refers_to(key, (left_out | set(TABLES)) - set(usable)):
                keys.append(key)
        schema["foreignKeys"] = keys
        resources.append(resource)
    descriptor["resources"] = resources
    return descriptor


def _refers_to(key: Any, names: set[str]) -> bool:
    """Whether a foreign key points at one of ``names`` (a malformed key points nowhere, and
    is kept for frictionless to report, as is a key to a table the descriptor lacks)."""
    reference = key.get("reference") if isinstance(key, dict) else None
    return isinstance(reference, dict) and reference.get("resource") in names


def _constraint_message(field: dict[str, Any], note: str, cell: Any) -> tuple[str, str]:
    constraints = field.get("constraints", {})
    if cell in (None, "", "None") or '"required"' in note:
        return "", "is required but empty"
    if '"enum"' in note:
        return (
            cell,
            f"is not one of the allowed values ({', '.join(map(str, constraints['enum']))})",
        )
    if '"pattern"' in note:
        described = f": {field['description']}" if field.get("description") else ""
        return cell, f"does not match the pattern {constraints['pattern']}{described}"
    words = {
        "minimum": "is less than the minimum",
        "maximum": "is greater than the maximum",
        "minLength": "is shorter than the minimum length",
        "maxLength": "is longer than the maximum length",
    }
    for name, text in words.items():
        if f'"{name}"' in note:
            return cell, f"{text} {constraints[name]}"
    return cell, f"violates the schema: {note}"


def _problem(error: Any, table: Table, found: Package, resource: dict[str, Any]) -> Problem | None:
    """One frictionless error in the words of ``rupak validate``, at the file's row number."""
    if error.type in _READER_ERRORS:
        return None
    index = getattr(error, "row_number", None)
    row = table.numbers[index - 2] if index and 2 <= index < len(table.numbers) + 2 else None
    schema = resource["schema"]
    fields = {f["name"]: f for f in schema["fields"]}
    column = getattr(error, "field_name", None)
    cell = getattr(error, "cell", None)
    record = table.row(row) if row else {}
    first = _first_row(error.note, table)
    if error.type == "primary-key":
        keys = schema["primaryKey"]
        keys = [keys] if isinstance(keys, str) else keys
        column, cell = ",".join(keys), ",".join(record.get(k, "") for k in keys)
        message = "duplicate primary key" + (f" (first at row {first})" if first else "")
    elif error.type == "unique-error":
        message = "must be unique" + (f"; also at row {first}" if first else "")
    elif error.type == "foreign-key":
        names = list(error.field_names)
        column, cell = ",".join(names), ",".join(record.get(n, "") for n in names)
        parent = error.reference_name or table.name
        parent_file = (
            found.file_of(parent).rsplit("/", 1)[-1] if parent in found.resources else parent
        )
        message = f"no such {','.join(error.reference_field_names)} in {parent_file}"
    elif error.type == "constraint-error" and column in fields:
        cell, message = _constraint_message(fields[column], error.note, cell)
    elif error.type == "type-error" and column in fields:
        field = fields[column]
        message = f"not a valid {field.get('type')} ({field.get('format', field.get('type'))})"
    else:
        message = error.note or error.message
    return Problem(table.file, row, column, None if cell is None else str(cell), message)


def _first_row(note: str, table: Table) -> int | None:
    """The file row of "the same as in the row at position N" (frictionless's numbering)."""
    prefix = "the same as in the row at position "
    if not note.startswith(prefix):
        return None
    try:
        index = int(note[len(prefix) :].strip().strip('"'))
    except ValueError:
        return None
    return table.numbers[index - 2] if 2 <= index < len(table.numbers) + 2 else None


def _descriptor_problems(frictionless: Any, found: Package, descriptor: dict) -> list[Problem]:
    """What frictionless finds wrong with the descriptor itself, by resource where it can."""
    problems = []
    for resource in descriptor["resources"]:
        try:
            frictionless.Resource(resource)
        except frictionless.FrictionlessException as exception:
            for reason in exception.reasons or [exception.error]:
                column = f"resources ({resource['name']})"
                problems.append(
                    Problem(found.file, None, column, None, f"not valid: {reason.note}")
                )
    if not problems:  # a package-level reason: a foreign key to an unknown resource, ...
        try:
            frictionless.Package(descriptor)
        except frictionless.FrictionlessException as exception:
            for reason in exception.reasons or [exception.error]:
                problems.append(Problem(found.file, None, None, None, f"not valid: {reason.note}"))
    return problems


def schema_problems(found: Package, tables: dict[str, Table]) -> list[Problem]:
    """Every breach of the descriptor's rules in the readable tables, by frictionless."""
    frictionless = _import_frictionless()
    problems: list[Problem] = []
    descriptor = _inline(found, tables, problems)
    try:
        package = frictionless.Package(descriptor)
        report = package.validate(limit_errors=100_000)
    except frictionless.FrictionlessException:
        return problems + _descriptor_problems(frictionless, found, descriptor)
    resources = {r["name"]: r for r in descriptor["resources"]}
    for task in report.tasks:
        name = task.name
        if name not in resources:
            problems += [Problem(found.file, None, None, None, e.note) for e in task.errors]
            continue
        for error in task.errors:
            problem = _problem(error, tables[name], found, resources[name])
            if problem is not None:
                problems.append(problem)
    return problems
