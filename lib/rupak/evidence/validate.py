"""Validation of the curated data package: every problem at once, precisely located.

Three layers, each reporting ``file:row:column: value: what is wrong`` (rows count the
header as row 1, as frictionless and spreadsheets do; a record spanning lines is one row):

1. the package and its files (:mod:`rupak.evidence.tables`): the descriptor's shape, the
   tables it declares, paths inside the package; each file present, UTF-8, readable as CSV,
   with the declared header;
2. the descriptor's rules (:mod:`rupak.evidence.schema`, by frictionless): types, required,
   enums, patterns, ranges, primary keys, unique values, foreign keys;
3. meaning (here, :mod:`rupak.evidence.framing_checks` and
   :mod:`rupak.evidence.coding_checks`): what a table schema cannot say. Quotes verbatim at
   their offsets and outside excluded spans; ``;``-separated lists of actors and frames; dates
   in order, within the era of events, spanning whole years, decades or months as their
   precision says, and Soviet or Russian by date; every event with evidence; CAMEO codes and
   initiators on interstate acts only; claim ids with their source's prefix; every link in an
   article's text excluded as spam; layout rules that match one paragraph each; each coding
   of the frames complete; reconciliation rows that are real disagreements; the record of
   changes ending at the values the tables hold; the second reading's coverage items.

One cause gets one message: a table that cannot be read (or whose header is wrong) is not
checked further, nor are the checks that use it; a cell or row already reported is not
reported again by a later layer. Validation reads; it never writes.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date
from pathlib import Path

from rupak.base.eras import EARLIEST_EVENT, RUSSIA_FROM, SOVIET_END
from rupak.evidence import tables as package_tables
from rupak.evidence.problems import Problem, ValidationError
from rupak.evidence.tables import Checked, Table, data_root

QUOTED = ("evidence", "claims", "source_notes", "narratives", "entman")
_LINK = re.compile(r"https?://", re.IGNORECASE)


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


# --------------------------------------------------------------------------- texts and quotes


def _source_texts(checked: Checked) -> dict[str, str]:
    """The raw texts by source id: inside the package, unchanged (SHA-256), UTF-8."""
    texts: dict[str, str] = {}
    sources = checked.table("sources")
    if sources is None:
        return texts
    for row, record in sources.numbered():
        try:
            path = package_tables.source_path(checked.found.root, record["file"])
        except ValidationError as error:
            checked.problems += error.problems
            continue
        if not path.is_file():
            checked.add(sources, row, "file", record["file"], f"raw text {path.name} is missing")
            continue
        from rupak.base import provenance

        provenance.note_file(path)
        data = path.read_bytes()
        found = hashlib.sha256(data).hexdigest()
        if record.get("sha256") and found != record["sha256"]:
            checked.add(
                sources,
                row,
                "sha256",
                record["sha256"],
                f"raw text {path.name} has SHA-256 {found}: raw texts are "
                "immutable, restore the file",
            )
        try:
            texts[record["source_id"]] = data.decode("utf-8")
        except UnicodeDecodeError:
            checked.add(sources, row, "file", record["file"], "raw text is not valid UTF-8")
    return texts


def excluded_spans(checked: Checked) -> dict[str, list[tuple[int, int]]]:
    excluded: dict[str, list[tuple[int, int]]] = {}
    exclusions = checked.table("exclusions")
    for record in exclusions.rows if exclusions else []:
        start, end = _parse_int(record["char_start"]), _parse_int(record["char_end"])
        if start is not None and end is not None:
            excluded.setdefault(record["source_id"], []).append((start, end))
    return excluded


def _check_quotes(
    checked: Checked, table: Table, texts: dict[str, str], excluded: dict[str, list]
) -> None:
    for row, record in table.numbered():
        source, quote = record["source_id"], record["quote"]
        start, end = _parse_int(record["char_start"]), _parse_int(record["char_end"])
        if source not in texts or not quote or start is None or end is None:
            continue  # reported by the schema layer
        text = texts[source]
        if text[start:end] != quote:
            where = text.find(quote)
            if where < 0:
                checked.add(table, row, "quote", quote, f"not found verbatim in source {source}")
            else:
                checked.add(
                    table,
                    row,
                    "char_start",
                    record["char_start"],
                    f"quote is not at {start}:{end} in {source}; it occurs at "
                    f"{where}:{where + len(quote)}",
                )
            continue
        for ex_start, ex_end in excluded.get(source, []):
            if start < ex_end and ex_start < end:
                checked.add(
                    table,
                    row,
                    "quote",
                    quote,
                    f"overlaps the excluded span {ex_start}:{ex_end} (spam)",
                )


# --------------------------------------------------------------------------- events and claims


def _check_event_dates(checked: Checked, events: Table, row: int, record: dict[str, str]) -> bool:
    """Dates within the era of events and in order; False if they cannot be trusted."""
    today = date.today()
    sound = True
    for column in ("date_start", "date_end"):
        when = _parse_date(record[column])
        if when is None:
            sound = False
        elif when < EARLIEST_EVENT:
            checked.add(
                events,
                row,
                column,
                record[column],
                f"is before {EARLIEST_EVENT.isoformat()}: nothing in the sources predates modern "
                "diplomacy, so an earlier date is a typing error (rupak.base.eras.EARLIEST_EVENT)",
            )
            sound = False
        elif when > today:
            checked.add(
                events,
                row,
                column,
                record[column],
                f"is in the future (today is {today.isoformat()}): events are history, "
                "so a later date is a typing error",
            )
            sound = False
    if not sound:
        return False
    start, end = _parse_date(record["date_start"]), _parse_date(record["date_end"])
    if start > end:
        checked.add(
            events,
            row,
            "date_end",
            record["date_end"],
            f"ends before it starts ({record['date_start']})",
        )
    _check_precision(checked, events, row, record["date_precision"], start, end)
    return True


def _last_of_month(day: date) -> date:
    following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


def _check_precision(
    checked: Checked, events: Table, row: int, precision: str, start: date, end: date
) -> None:
    """The span a precision allows (docs/curation.md): whole years, decades or months."""
    whole_years = (start.month, start.day, end.month, end.day) == (1, 1, 12, 31)
    if precision == "year" and not whole_years:
        message = "year precision needs date_start on 1 Jan and date_end on 31 Dec"
    elif precision == "decade" and not (
        whole_years and start.year % 10 == 0 == (end.year + 1) % 10
    ):
        message = (
            "decade precision spans whole decades: from 1 Jan of a year ending in 0 to 31 Dec "
            "of a year ending in 9"
        )
    elif precision == "month" and (start.day != 1 or end != _last_of_month(end)):
        message = "month precision needs date_start on the 1st and date_end on a month's last day"
    else:
        return
    checked.add(events, row, "date_precision", precision, message)


def _check_events(checked: Checked) -> None:
    events = checked.table("events")
    if events is None:
        return
    actors = checked.table("actors")
    codes = actors.values("code") if actors else None
    for row, record in events.numbered():
        dated = _check_event_dates(checked, events, row, record)
        listed = [c for c in record["actors"].split(";") if c]
        for code in listed if codes is not None else []:
            if code not in codes:
                checked.add(events, row, "actors", code, "unknown actor code (not in actors.csv)")
        for column in ("initiator", "target"):
            code = record[column]
            if code and code not in listed:
                checked.add(events, row, column, code, "is not among the event's actors")
        if not dated:
            continue
        start, end = _parse_date(record["date_start"]), _parse_date(record["date_end"])
        if "SUN" in listed and start > SOVIET_END:
            checked.add(
                events, row, "actors", "SUN", "the Soviet Union dissolved on 1991-12-26; use RUS"
            )
        if "RUS" in listed and end < RUSSIA_FROM:
            checked.add(
                events, row, "actors", "RUS", "before 1991 the state is the Soviet Union: use SUN"
            )
    evidence = checked.table("evidence")
    if evidence is not None:
        mentioned = evidence.values("event_id")
        for row, record in events.numbered():
            if record["event_id"] not in mentioned:
                checked.add(
                    events, row, "event_id", record["event_id"], "event has no evidence row"
                )


def _check_claims(checked: Checked) -> None:
    claims = checked.table("claims")
    if claims is None:
        return
    sources = checked.table("sources")
    prefixes = {r["source_id"]: r["claim_prefix"] for r in sources.rows} if sources else {}
    for row, record in claims.numbered():
        first, last = _parse_int(record["year_start"]), _parse_int(record["year_end"])
        if first is not None and last is not None and first > last:
            checked.add(
                claims, row, "year_end", record["year_end"], f"ends before it starts ({first})"
            )
        prefix = prefixes.get(record["source_id"])
        if prefix and not record["claim_id"].startswith(prefix):
            checked.add(
                claims,
                row,
                "claim_id",
                record["claim_id"],
                f"claims of {record['source_id']} are numbered {prefix}NN "
                "(its claim_prefix in sources.csv)",
            )


def _check_periods(checked: Checked) -> None:
    periods = checked.table("periods")
    for row, record in periods.numbered() if periods else []:
        start, end = _parse_date(record["start"]), _parse_date(record["end"])
        if start and end and start > end:
            checked.add(
                periods, row, "end", record["end"], f"ends before it starts ({record['start']})"
            )


# --------------------------------------------------------------------------- reading tables


def _check_spans(checked: Checked, texts: dict[str, str]) -> None:
    norms = checked.table("normalisations")
    for row, record in norms.numbered() if norms else []:
        start, end = _parse_int(record["char_start"]), _parse_int(record["char_end"])
        source = record["source_id"]
        if source in texts and start is not None and end is not None:
            found = texts[source][start:end]
            if found != record["raw"]:
                checked.add(
                    norms,
                    row,
                    "raw",
                    record["raw"],
                    f"raw text at {start}:{end} of {source} is {found!r}",
                )
    exclusions = checked.table("exclusions")
    for row, record in exclusions.numbered() if exclusions else []:
        start, end = _parse_int(record["char_start"]), _parse_int(record["char_end"])
        source = record["source_id"]
        if (
            start is not None
            and end is not None
            and source in texts
            and (start >= end or end > len(texts[source]))
        ):
            checked.add(
                exclusions,
                row,
                "char_end",
                record["char_end"],
                f"span {start}:{end} is empty or beyond the text ({len(texts[source])} characters)",
            )


def _lines(text: str) -> list[tuple[int, int, str]]:
    """Each non-blank line of a text as (start, end, stripped line)."""
    found, start = [], 0
    for line in text.split("\n"):
        if line.strip():
            left = len(line) - len(line.lstrip())
            found.append((start + left, start + len(line.rstrip()), line.strip()))
        start += len(line) + 1
    return found


def _check_layout(checked: Checked, texts: dict[str, str]) -> None:
    layout = checked.table("layout")
    if layout is None:
        return
    lines = {source: [line for _, _, line in _lines(text)] for source, text in texts.items()}
    for row, record in layout.numbered():
        source = record["source_id"]
        if source in lines:
            hits = sum(line.startswith(record["starts_with"]) for line in lines[source])
            if hits != 1:
                checked.add(
                    layout,
                    row,
                    "starts_with",
                    record["starts_with"],
                    f"matches {hits} paragraphs of {source}; it must match one",
                )


def _check_spam(checked: Checked, texts: dict[str, str], excluded: dict[str, list]) -> None:
    """Every line with a link that layout.csv does not class as front or back matter (metadata,
    references) is web spam inside the article, and exclusions.csv must exclude it."""
    from rupak.evidence.corpus import ANALYSED_KINDS  # the kinds that are the article's words

    layout, exclusions = checked.table("layout"), checked.table("exclusions")
    if layout is None or exclusions is None:
        return
    for source, text in texts.items():
        rules = [r for r in layout.rows if r["source_id"] == source]
        for start, end, line in _lines(text):
            if not _LINK.search(line):
                continue
            kind = next((r["kind"] for r in rules if line.startswith(r["starts_with"])), "body")
            covered = any(a <= start and end <= b for a, b in excluded.get(source, []))
            if kind in ANALYSED_KINDS and not covered:
                checked.add(
                    exclusions,
                    None,
                    "char_start",
                    f"{source} {start}:{end} {line}",
                    f"a line of {source} holds a link inside the article (web spam): add a "
                    f"row to exclusions.csv that excludes {start}:{end}",
                )


# --------------------------------------------------------------------------- the whole package


def _without_follow_ons(
    problems: list[Problem], read: int, first: int, tables: dict[str, Table]
) -> list[Problem]:
    """Drop what a cause already reported explains: any later problem in a row with the wrong
    number of cells (its cells are shifted), and a meaning problem at a cell the reader or the
    schema layer reported (``problems[read:first]`` are the schema layer's)."""
    rows = {(t.file, n) for t in tables.values() for n in t.misaligned}
    cells = {(p.file, p.row, p.column) for p in problems[:first] if p.row is not None}
    kept = problems[:read]
    for index, problem in enumerate(problems[read:], start=read):
        if (problem.file, problem.row) in rows:
            continue
        if index >= first and (problem.file, problem.row, problem.column) in cells:
            continue
        kept.append(problem)
    return kept


def problems_in(root: Path | str | None = None) -> list[Problem]:
    """Every problem in the data package below ``root`` (default: the project's data/)."""
    from rupak.evidence.coding_checks import coding_problems
    from rupak.evidence.framing_checks import framing_problems
    from rupak.evidence.schema import schema_problems

    found = package_tables.package(root)
    if not found.resources:
        return _sorted(found.problems)
    problems = list(found.problems)
    checked = Checked(found, problems)
    read = len(problems)
    problems += schema_problems(found, checked.tables)
    first = len(problems)
    texts = _source_texts(checked)
    excluded = excluded_spans(checked)
    for name in QUOTED:
        if (table := checked.table(name)) is not None:
            _check_quotes(checked, table, texts, excluded)
    _check_events(checked)
    _check_claims(checked)
    _check_periods(checked)
    _check_spans(checked, texts)
    _check_layout(checked, texts)
    _check_spam(checked, texts, excluded)
    framing_problems(checked, texts)
    coding_problems(checked, texts)
    return _sorted(_without_follow_ons(problems, read, first, checked.tables))


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(set(problems), key=lambda p: (p.file, p.row or 0, p.column or "", p.message))


def summary(root: Path | str | None = None) -> str:
    """One line: what a valid package holds."""
    root = data_root(root)
    counts = [
        f"{len(package_tables.read(name, root).rows)} {name}"
        for name in ("events", "evidence", "claims", "source_notes", "actors", "periods")
    ]
    return f"{root / package_tables.DESCRIPTOR}: valid ({', '.join(counts)})"


def validate(root: Path | str | None = None) -> str:
    """Raise :class:`ValidationError` listing every problem, or return the summary line."""
    problems = problems_in(root)
    if problems:
        raise ValidationError(problems)
    return summary(root)
