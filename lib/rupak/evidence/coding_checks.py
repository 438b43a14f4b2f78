"""What the descriptor cannot say about event nature, the second coding and the record of
changes (issue 13; docs/curation.md, "Event nature" and "Second coding").

The descriptor already checks the vocabularies (nature, kinds, statuses, severities, who
decided), the keys and the foreign keys (a reconciled event is a second-coded event, coder2's
initiator and target are actors, a decision's event exists). Left here:

* ``events.csv``: an ``interstate_act`` has a CAMEO code and an initiator; a ``context`` or
  ``statistic`` row has no CAMEO code, initiator or target (only acts get CAMEO and Goldstein);
* ``event_codes_second.csv``: every listed actor is in ``actors.csv``;
* ``event_reconciliation.csv`` records real disagreements: ``coder2`` is coder2's value,
  ``coder1`` differs from it, ``final`` is one of the two and is the value ``events.csv``
  holds; every field where ``events.csv`` differs from coder2 has a row;
* ``source_notes.csv``: a relabelled or withdrawn note says why (``revision``);
* ``coding_changes.csv``: each change names a row and a column of its table, and the last
  change of each cell is the value the table holds now (nothing overwritten silently);
* ``coverage_check.csv``: a held or added item names a row of its table (an added one with
  that source's evidence); an out-of-scope item names none and gives its reason; its
  ``wording`` (the second reading's words, not a verbatim quote: no offsets) is found in its
  source with spaces and line breaks aside.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rupak.evidence.tables import Checked, Table

ACT = "interstate_act"
#: What only an act between states carries, with the words messages use for it.
ACT_ONLY = {"cameo_code": "CAMEO code", "initiator": "initiator", "target": "target"}
#: The fields the second coder coded, as event_reconciliation.field names them.
EVENT_FIELDS = (
    "nature",
    "kind",
    "cameo_code",
    "initiator",
    "target",
    "date_start",
    "date_end",
    "date_precision",
)
#: The key column of each table coding_changes.csv can change.
CHANGED_KEYS = {"events": "event_id", "source_notes": "note_id", "passage_frames": "passage_id"}
#: The id column of each table coverage_check.csv can name.
COVERAGE_KEYS = {"events": "event_id", "claims": "claim_id", "source_notes": "note_id"}


def _check_nature(checked: Checked) -> None:
    events = checked.table("events")
    natures = checked.found.fields("events")["nature"].get("constraints", {}).get("enum", [])
    for row, record in events.numbered() if events else []:
        nature = record["nature"]
        if nature == ACT:
            for column in ("cameo_code", "initiator"):
                if not record[column]:
                    checked.add(
                        events, row, column, "", f"an interstate act needs its {ACT_ONLY[column]}"
                    )
        elif nature in natures:
            for column, words in ACT_ONLY.items():
                if record[column]:
                    checked.add(
                        events,
                        row,
                        column,
                        record[column],
                        f"a {nature} row has no {words}: only interstate acts get CAMEO and "
                        "Goldstein (docs/curation.md, event nature)",
                    )


def _check_second_actors(checked: Checked) -> None:
    second, actors = checked.table("event_codes_second"), checked.table("actors")
    if second is None or actors is None:
        return
    codes = actors.values("code")
    for row, record in second.numbered():
        for code in filter(None, record["actors"].split(";")):
            if code not in codes:
                checked.add(second, row, "actors", code, "unknown actor code (not in actors.csv)")


def _rows_by(table: Table, key: str) -> dict[str, tuple[int, dict[str, str]]]:
    found: dict[str, tuple[int, dict[str, str]]] = {}
    for row, record in table.numbered():
        found.setdefault(record[key], (row, record))
    return found


def _check_event_reconciliation(checked: Checked) -> None:
    table = checked.table("event_reconciliation")
    events, second = checked.table("events"), checked.table("event_codes_second")
    if table is None or events is None or second is None:
        return
    now, coded = _rows_by(events, "event_id"), _rows_by(second, "event_id")
    decided = set()
    for row, record in table.numbered():
        eid, field = record["event_id"], record["field"]
        if eid not in now or eid not in coded or field not in EVENT_FIELDS:
            continue  # the descriptor's foreign keys and enum report it
        decided.add((eid, field))
        theirs, held = coded[eid][1][field], now[eid][1][field]
        if record["coder2"] != theirs:
            checked.add(
                table,
                row,
                "coder2",
                record["coder2"],
                f"coder2's {field} of {eid} is {theirs!r} (event_codes_second.csv row "
                f"{coded[eid][0]})",
            )
        if record["coder1"] == record["coder2"]:
            checked.add(
                table, row, "field", field, "not a disagreement: coder1 and coder2 are the same"
            )
        if record["final"] not in (record["coder1"], record["coder2"]):
            checked.add(table, row, "final", record["final"], "is neither coder's value")
        elif record["final"] != held:
            checked.add(
                table,
                row,
                "final",
                record["final"],
                f"events.csv holds {held!r} for {field} of {eid} (row {now[eid][0]}): the "
                "decided value is the one the table holds",
            )
    for eid, (row, record) in coded.items():
        for field in EVENT_FIELDS if eid in now else ():
            held = now[eid][1][field]
            if record[field] != held and (eid, field) not in decided:
                checked.add(
                    second,
                    row,
                    field,
                    record[field],
                    f"differs from events.csv ({held!r}) and event_reconciliation.csv has no "
                    "row deciding it",
                )


def _check_revisions(checked: Checked) -> None:
    notes = checked.table("source_notes")
    for row, record in notes.numbered() if notes else []:
        if record["status"] in ("relabelled", "withdrawn") and not record["revision"]:
            checked.add(
                notes, row, "revision", "", f"a {record['status']} note says why (revision)"
            )


def _check_changes(checked: Checked) -> None:
    """Each change names a row and column; the last change of a cell is its value now (a
    cell already reported, whose value is the cause, is not compared again)."""
    changes = checked.table("coding_changes")
    if changes is None:
        return
    rows = {}
    for name, key in CHANGED_KEYS.items():
        if (table := checked.table(name)) is not None:
            coded = [(n, r) for n, r in table.numbered() if r.get("coder", "coder1") == "coder1"]
            rows[name] = (table, {r[key]: (n, r) for n, r in reversed(coded)})
    last: dict[tuple[str, str, str], tuple[int, str]] = {}
    for row, record in changes.numbered():
        if record["table"] not in rows:
            continue  # not a table it may change (the enum reports it), or unreadable
        table, by_id = rows[record["table"]]
        name = table.file.rsplit("/", 1)[-1]
        if record["row_id"] not in by_id:
            message = f"no such {CHANGED_KEYS[record['table']]} in {name}"
            checked.add(changes, row, "row_id", record["row_id"], message)
        elif record["column"] not in table.header:
            checked.add(changes, row, "column", record["column"], f"not a column of {name}")
        else:
            last[(record["table"], record["row_id"], record["column"])] = (row, record["new"])
    reported = {(p.file, p.row, p.column) for p in checked.problems}
    for (name, row_id, column), (row, new) in last.items():
        table, by_id = rows[name]
        number, record = by_id[row_id]
        if record[column] != new and (table.file, number, column) not in reported:
            checked.add(
                changes,
                row,
                "new",
                new,
                f"is the last change of {column} of {row_id}, but "
                f"{table.file.rsplit('/', 1)[-1]} holds {record[column]!r}",
            )


def _spaced(text: str) -> str:
    return " ".join(text.split())


def _sources_of(checked: Checked, name: str) -> dict[str, set[str]]:
    """Which sources each row of a table comes from (for events, its evidence rows)."""
    key = COVERAGE_KEYS[name]
    table = checked.table("evidence" if name == "events" else name)
    found: dict[str, set[str]] = {}
    for record in table.rows if table else []:
        found.setdefault(record[key], set()).add(record["source_id"])
    return found


def _check_coverage(checked: Checked, texts: dict[str, str]) -> None:
    table = checked.table("coverage_check")
    if table is None:
        return
    spaced = {source: _spaced(text) for source, text in texts.items()}
    ids = {
        name: t.values(key)
        for name, key in COVERAGE_KEYS.items()
        if (t := checked.table(name)) is not None
    }
    sources = {name: _sources_of(checked, name) for name in ids}
    for row, record in table.numbered():
        status, name, row_id, source = (
            record[c] for c in ("status", "table", "row_id", "source_id")
        )
        if source in spaced and _spaced(record["wording"]) not in spaced[source]:
            checked.add(
                table,
                row,
                "wording",
                record["wording"],
                f"not found in the text of {source} (spaces and line breaks aside)",
            )
        if status == "out_of_scope":
            for column in ("table", "row_id"):
                if record[column]:
                    checked.add(
                        table, row, column, record[column], "an out-of-scope item names no row"
                    )
            if not record["reason"]:
                checked.add(table, row, "reason", "", "an out-of-scope item needs its reason")
        elif status in ("held", "added"):
            if not name:
                checked.add(table, row, "table", "", f"an item {status} needs the table holding it")
            elif name in ids and row_id not in ids[name]:
                checked.add(
                    table, row, "row_id", row_id, f"no such {COVERAGE_KEYS[name]} in {name}.csv"
                )
            elif name in ids and status == "added" and source not in sources[name].get(row_id, ()):
                checked.add(
                    table,
                    row,
                    "row_id",
                    row_id,
                    f"added from {source}, but {name} holds no row of {source} for it",
                )


def coding_problems(checked: Checked, texts: dict[str, str]) -> None:
    """Add the problems of event nature, the second coding and the record of changes that
    frictionless cannot find to ``checked``."""
    _check_nature(checked)
    _check_second_actors(checked)
    _check_event_reconciliation(checked)
    _check_revisions(checked)
    _check_changes(checked)
    _check_coverage(checked, texts)
