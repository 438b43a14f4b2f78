"""Validation of the curated data package: every problem at once, precisely located.

Three layers, each reporting ``file:row:column: value: what is wrong`` (rows count the
header as row 1, as frictionless and spreadsheets do; a record spanning lines is one row):

1. files: present, not empty, UTF-8, the header the schema declares (no missing, extra or
   duplicated column);
2. schema (frictionless, per resource): types, required, enums, patterns, ranges, primary
   keys;
3. meaning (here): foreign keys including ``;``-lists of actors, date order and precision,
   every quote verbatim at its offsets and outside excluded spans, Soviet/Russian coding by
   date, evidence for every event, layout rules that match one paragraph each.

Validation reads; it never writes.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rupak.base.eras import RUSSIA_FROM, SOVIET_END
from rupak.base.paths import data_dir
from rupak.evidence.problems import Problem, ValidationError

QUOTED = ("evidence", "claims", "source_notes")


@dataclass
class Table:
    """A resource read as text: header plus records (each a dict), with its row numbers."""

    name: str
    file: str
    header: list[str]
    rows: list[dict[str, str]]
    numbers: list[int] | None = None  # the row number of each record (blank rows skipped)

    def numbered(self) -> Iterable[tuple[int, dict[str, str]]]:
        numbers = self.numbers or list(range(2, len(self.rows) + 2))
        return zip(numbers, self.rows, strict=True)

    def row(self, number: int) -> dict[str, str]:
        return dict(self.numbered()).get(number, {})


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


def _read_files(package: dict, root: Path, problems: list[Problem]) -> dict[str, Table]:
    tables: dict[str, Table] = {}
    for resource in package["resources"]:
        path = root / resource["path"]
        file = _relative(path, root)
        expected = [field["name"] for field in resource["schema"]["fields"]]
        if not path.is_file():
            problems.append(Problem(file, None, None, None, "file is missing"))
            continue
        data = path.read_bytes()
        if not data.strip():
            problems.append(Problem(file, None, None, None, "file is empty (no header row)"))
            continue
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
            continue
        if text.startswith("\ufeff"):
            problems.append(Problem(file, 1, None, None, "file starts with a byte-order mark"))
            text = text[1:]
        records = list(csv.reader(io.StringIO(text, newline="")))
        header, body = records[0], records[1:]
        missing = [c for c in expected if c not in header]
        extra = [c for c in header if c not in expected]
        duplicated = sorted({c for c in header if header.count(c) > 1})
        for column in missing:
            problems.append(Problem(file, 1, column, None, "column is missing from the header"))
        for column in extra:
            problems.append(
                Problem(
                    file, 1, column, column, f"unexpected column (expected: {', '.join(expected)})"
                )
            )
        for column in duplicated:
            problems.append(Problem(file, 1, column, column, "column appears more than once"))
        rows: list[dict[str, str]] = []
        numbers: list[int] = []
        for number, record in enumerate(body, start=2):
            if not any(cell.strip() for cell in record):
                problems.append(Problem(file, number, None, None, "blank row"))
                continue
            if len(record) != len(header):
                problems.append(
                    Problem(
                        file,
                        number,
                        None,
                        ",".join(record)[:80],
                        f"row has {len(record)} cells, header has {len(header)} "
                        "(a stray or missing delimiter, or an unquoted comma)",
                    )
                )
            numbers.append(number)
            rows.append(
                dict(zip(header, record + [""] * (len(header) - len(record)), strict=False))
            )
        if missing or extra or duplicated:
            tables[resource["name"]] = Table(resource["name"], file, header, [])
            continue
        tables[resource["name"]] = Table(resource["name"], file, header, rows, numbers)
    return tables


def _schema_problems(package: dict, root: Path, tables: dict[str, Table]) -> list[Problem]:
    """Types, constraints and primary keys, by frictionless, for resources that read cleanly."""
    import frictionless  # heavy import: only validation needs it

    problems: list[Problem] = []
    for descriptor in package["resources"]:
        table = tables.get(descriptor["name"])
        if table is None or not table.rows:
            continue
        descriptor = json.loads(json.dumps(descriptor))
        descriptor["schema"].pop("foreignKeys", None)  # checked below, lists included
        resource = frictionless.Resource(descriptor, basepath=str(root))
        report = frictionless.validate(resource, limit_errors=10_000)
        for task in report.tasks:
            for error in task.errors:
                row = getattr(error, "row_number", None)
                column = getattr(error, "field_name", None)
                cell = getattr(error, "cell", None)
                if error.type in {
                    "extra-cell",
                    "missing-cell",
                    "blank-row",
                    "extra-label",
                    "missing-label",
                    "duplicate-label",
                    "blank-label",
                }:
                    continue  # already reported, in words that name the delimiter
                if row is not None and not table.row(row):
                    continue  # a blank row: reported once, as such, by the file layer
                if error.type == "primary-key":
                    keys = descriptor["schema"]["primaryKey"]
                    column = ",".join(keys)
                    cell = ",".join(table.row(row).get(k, "") for k in keys)
                    message = "duplicate primary key"
                elif error.type == "constraint-error" and column and cell in (None, "", "None"):
                    cell, message = "", "is required but empty"
                elif error.type == "constraint-error" and column and '"enum"' in error.note:
                    field = next(f for f in descriptor["schema"]["fields"] if f["name"] == column)
                    allowed = ", ".join(field["constraints"]["enum"])
                    message = f"is not one of the allowed values ({allowed})"
                elif error.type == "constraint-error" and column:
                    message = f"violates the schema: {error.note}"
                elif error.type == "type-error" and column:
                    field = next(f for f in descriptor["schema"]["fields"] if f["name"] == column)
                    shape = field.get("format", field["type"])
                    message = f"not a valid {field['type']} ({shape})"
                else:
                    message = error.note or error.message
                problems.append(Problem(table.file, row, column, cell, message))
    return problems


def _parse_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _parse_int(value: str) -> int | None:
    try:
        return int(value)
    except ValueError:
        return None


def _check_quotes(
    table: Table,
    texts: dict[str, str],
    excluded: dict[str, list[tuple[int, int]]],
    problems: list[Problem],
) -> None:
    for row, record in table.numbered():
        source, quote = record.get("source_id", ""), record.get("quote", "")
        start, end = (
            _parse_int(record.get("char_start", "")),
            _parse_int(record.get("char_end", "")),
        )
        if source not in texts or not quote or start is None or end is None:
            continue  # reported by the schema layer
        text = texts[source]
        if text[start:end] != quote:
            where = text.find(quote)
            if where < 0:
                problems.append(
                    Problem(
                        table.file, row, "quote", quote, f"not found verbatim in source {source}"
                    )
                )
            else:
                problems.append(
                    Problem(
                        table.file,
                        row,
                        "char_start",
                        record["char_start"],
                        f"quote is not at {start}:{end} in {source}; it occurs at "
                        f"{where}:{where + len(quote)}",
                    )
                )
            continue
        for ex_start, ex_end in excluded.get(source, []):
            if start < ex_end and ex_start < end:
                problems.append(
                    Problem(
                        table.file,
                        row,
                        "quote",
                        quote,
                        f"overlaps the excluded span {ex_start}:{ex_end} (spam)",
                    )
                )


def _check_events(tables: dict[str, Table], actor_codes: set[str], problems: list[Problem]) -> None:
    events = tables.get("events")
    if events is None:
        return
    for row, record in events.numbered():
        start, end = _parse_date(record["date_start"]), _parse_date(record["date_end"])
        if start and end and start > end:
            problems.append(
                Problem(
                    events.file,
                    row,
                    "date_end",
                    record["date_end"],
                    f"ends before it starts ({record['date_start']})",
                )
            )
        if (
            start
            and end
            and record["date_precision"] == "year"
            and ((start.month, start.day) != (1, 1) or (end.month, end.day) != (12, 31))
        ):
            problems.append(
                Problem(
                    events.file,
                    row,
                    "date_precision",
                    "year",
                    "year precision needs date_start on 1 Jan and date_end on 31 Dec",
                )
            )
        listed = [c for c in record["actors"].split(";") if c]
        for code in listed:
            if code not in actor_codes:
                problems.append(
                    Problem(
                        events.file, row, "actors", code, "unknown actor code (not in actors.csv)"
                    )
                )
        for column in ("initiator", "target"):
            code = record[column]
            if not code:
                continue
            if code not in actor_codes:
                problems.append(
                    Problem(
                        events.file, row, column, code, "unknown actor code (not in actors.csv)"
                    )
                )
            elif code not in listed:
                problems.append(
                    Problem(events.file, row, column, code, "is not among the event's actors")
                )
        if start and end:
            if "SUN" in listed and start > SOVIET_END:
                problems.append(
                    Problem(
                        events.file,
                        row,
                        "actors",
                        "SUN",
                        "the Soviet Union dissolved on 1991-12-26; use RUS",
                    )
                )
            if "RUS" in listed and end < RUSSIA_FROM:
                problems.append(
                    Problem(
                        events.file,
                        row,
                        "actors",
                        "RUS",
                        "before 1991 the state is the Soviet Union: use SUN",
                    )
                )


def _check_keys(tables: dict[str, Table], problems: list[Problem]) -> None:
    def keys(name: str, column: str) -> set[str]:
        table = tables.get(name)
        return {r[column] for r in table.rows} if table else set()

    references = [
        ("events", "cameo_code", "cameo", "cameo_code"),
        ("evidence", "event_id", "events", "event_id"),
        ("evidence", "source_id", "sources", "source_id"),
        ("claims", "source_id", "sources", "source_id"),
        ("claims", "subject", "actors", "code"),
        ("claims", "counterpart", "actors", "code"),
        ("claims", "event_id", "events", "event_id"),
        ("source_notes", "event_id", "events", "event_id"),
        ("source_notes", "claim_id", "claims", "claim_id"),
        ("source_notes", "source_id", "sources", "source_id"),
    ]
    for child, column, parent, parent_column in references:
        table = tables.get(child)
        if table is None or parent not in tables:
            continue
        known = keys(parent, parent_column)
        for row, record in table.numbered():
            value = record.get(column, "")
            if value and value not in known:
                problems.append(
                    Problem(
                        table.file, row, column, value, f"no such {parent_column} in {parent}.csv"
                    )
                )
    events, evidence = tables.get("events"), tables.get("evidence")
    if events and evidence:
        mentioned = {r["event_id"] for r in evidence.rows}
        for row, record in events.numbered():
            if record["event_id"] not in mentioned:
                problems.append(
                    Problem(
                        events.file,
                        row,
                        "event_id",
                        record["event_id"],
                        "event has no evidence row",
                    )
                )


def _check_claims(tables: dict[str, Table], problems: list[Problem]) -> None:
    claims = tables.get("claims")
    if claims is None:
        return
    for row, record in claims.numbered():
        first, last = _parse_int(record["year_start"]), _parse_int(record["year_end"])
        if first is not None and last is not None and first > last:
            problems.append(
                Problem(
                    claims.file,
                    row,
                    "year_end",
                    record["year_end"],
                    f"ends before it starts ({first})",
                )
            )
        prefix = {"durrani": "D-", "kaushiki_bawa": "K-"}.get(record["source_id"])
        if prefix and not record["claim_id"].startswith(prefix):
            problems.append(
                Problem(
                    claims.file,
                    row,
                    "claim_id",
                    record["claim_id"],
                    f"claims of {record['source_id']} are numbered {prefix}NN",
                )
            )


def _check_periods(tables: dict[str, Table], problems: list[Problem]) -> None:
    periods = tables.get("periods")
    if periods is None:
        return
    for row, record in periods.numbered():
        start, end = _parse_date(record["start"]), _parse_date(record["end"])
        if start and end and start > end:
            problems.append(
                Problem(
                    periods.file,
                    row,
                    "end",
                    record["end"],
                    f"ends before it starts ({record['start']})",
                )
            )


def _check_spans(tables: dict[str, Table], texts: dict[str, str], problems: list[Problem]) -> None:
    norms = tables.get("normalisations")
    if norms:
        for row, record in norms.numbered():
            start, end = _parse_int(record["char_start"]), _parse_int(record["char_end"])
            source = record["source_id"]
            if (
                source in texts
                and start is not None
                and end is not None
                and (texts[source][start:end] != record["raw"])
            ):
                problems.append(
                    Problem(
                        norms.file,
                        row,
                        "raw",
                        record["raw"],
                        f"raw text at {start}:{end} of {source} is {texts[source][start:end]!r}",
                    )
                )
    exclusions = tables.get("exclusions")
    if exclusions:
        for row, record in exclusions.numbered():
            start, end = _parse_int(record["char_start"]), _parse_int(record["char_end"])
            source = record["source_id"]
            if (
                start is not None
                and end is not None
                and source in texts
                and (start >= end or end > len(texts[source]))
            ):
                problems.append(
                    Problem(
                        exclusions.file,
                        row,
                        "char_end",
                        record["char_end"],
                        f"span {start}:{end} is empty or beyond the text "
                        f"({len(texts[source])} characters)",
                    )
                )


def _check_layout(tables: dict[str, Table], texts: dict[str, str], problems: list[Problem]) -> None:
    layout = tables.get("layout")
    if layout is None:
        return
    lines: dict[str, list[str]] = {
        source: [line.strip() for line in text.split("\n") if line.strip()]
        for source, text in texts.items()
    }
    for row, record in layout.numbered():
        source = record["source_id"]
        if source not in lines:
            continue
        hits = sum(line.startswith(record["starts_with"]) for line in lines[source])
        if hits != 1:
            problems.append(
                Problem(
                    layout.file,
                    row,
                    "starts_with",
                    record["starts_with"],
                    f"matches {hits} paragraphs of {source}; it must match one",
                )
            )


def _source_texts(tables: dict[str, Table], root: Path, problems: list[Problem]) -> dict[str, str]:
    texts: dict[str, str] = {}
    sources = tables.get("sources")
    if sources is None:
        return texts
    for row, record in sources.numbered():
        path = root / "sources" / record["file"]
        if not path.is_file():
            problems.append(
                Problem(sources.file, row, "file", record["file"], f"raw text {path} is missing")
            )
            continue
        data = path.read_bytes()
        found = hashlib.sha256(data).hexdigest()
        if record.get("sha256") and found != record["sha256"]:
            problems.append(
                Problem(
                    sources.file,
                    row,
                    "sha256",
                    record["sha256"],
                    f"raw text {path.name} has SHA-256 {found}: raw texts are "
                    "immutable, restore the file",
                )
            )
        try:
            texts[record["source_id"]] = data.decode("utf-8")
        except UnicodeDecodeError:
            problems.append(
                Problem(sources.file, row, "file", record["file"], "raw text is not valid UTF-8")
            )
    return texts


def problems_in(root: Path | None = None) -> list[Problem]:
    """Every problem in the data package below ``root`` (default: the project's data/)."""
    root = Path(root) if root is not None else data_dir()
    package_path = root / "datapackage.json"
    try:
        package = json.loads(package_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return [Problem(str(package_path), None, None, None, "data package descriptor missing")]
    except json.JSONDecodeError as error:
        return [
            Problem(str(package_path), error.lineno, None, None, f"not valid JSON: {error.msg}")
        ]
    problems: list[Problem] = []
    tables = _read_files(package, root, problems)
    problems += _schema_problems(package, root, tables)
    texts = _source_texts(tables, root, problems)
    actor_codes = {r["code"] for r in tables["actors"].rows} if "actors" in tables else set()
    excluded: dict[str, list[tuple[int, int]]] = {}
    for record in tables.get("exclusions", Table("", "", [], [])).rows:
        start, end = _parse_int(record["char_start"]), _parse_int(record["char_end"])
        if start is not None and end is not None:
            excluded.setdefault(record["source_id"], []).append((start, end))
    for name in QUOTED:
        if name in tables:
            _check_quotes(tables[name], texts, excluded, problems)
    _check_events(tables, actor_codes, problems)
    _check_keys(tables, problems)
    _check_claims(tables, problems)
    _check_periods(tables, problems)
    _check_spans(tables, texts, problems)
    _check_layout(tables, texts, problems)
    framing_tables = {"frames", "passage_frames", "frame_lexicon", "entman"}
    framing_files = {tables[name].file for name in framing_tables if name in tables}
    if framing_tables <= tables.keys() and not any(p.file in framing_files for p in problems):
        from rupak.evidence.framing_tables import framing_problems  # needs sound files

        problems += framing_problems(root)
    return sorted(set(problems), key=lambda p: (p.file, p.row or 0, p.column or "", p.message))


def summary(root: Path | None = None) -> str:
    """One line: what a valid package holds."""
    root = Path(root) if root is not None else data_dir()
    counts = []
    for name in ("events", "evidence", "claims", "source_notes", "actors", "periods"):
        path = root / "curated" / f"{name}.csv"
        with open(path, encoding="utf-8", newline="") as handle:
            counts.append(f"{sum(1 for _ in csv.DictReader(handle))} {name}")
    return f"{root / 'datapackage.json'}: valid ({', '.join(counts)})"


def validate(root: Path | None = None) -> str:
    """Raise :class:`ValidationError` listing every problem, or return the summary line."""
    problems = problems_in(root)
    if problems:
        raise ValidationError(problems)
    return summary(root)
