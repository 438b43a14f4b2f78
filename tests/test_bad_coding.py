"""Bad input to the tables of issue 13 (event nature, the second coding, reconciliation, the
record of changes, coverage): `rupak validate` names file:row:column: value: what is wrong,
exits 1, prints no traceback and changes nothing on disk."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest

from rupak.cli import main

CUR = "data/curated"


def rows_of(data: Path, table: str) -> tuple[list[str], list[dict[str, str]]]:
    with open(data / "curated" / f"{table}.csv", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def write(data: Path, table: str, header: list[str], rows: list[dict[str, str]]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    (data / "curated" / f"{table}.csv").write_text(buffer.getvalue(), encoding="utf-8")


def second_coded(data: Path) -> set[str]:
    return {r["event_id"] for r in rows_of(data, "event_codes_second")[1]}


def _event(data: Path, nature: str) -> tuple[int, list[str], list[dict[str, str]]]:
    """An event of ``nature`` that coder2 did not code (so no reconciliation rule joins in)."""
    header, rows = rows_of(data, "events")
    coded = second_coded(data)
    index = next(
        i for i, r in enumerate(rows) if r["nature"] == nature and r["event_id"] not in coded
    )
    return index, header, rows


def context_with_cameo(data: Path) -> list[str]:
    index, header, rows = _event(data, "context")
    rows[index]["cameo_code"] = "010"
    write(data, "events", header, rows)
    return [
        f"{CUR}/events.csv:{index + 2}:cameo_code: '010': a context row has no CAMEO code: only "
        "interstate acts get CAMEO and Goldstein (docs/curation.md, event nature)"
    ]


def act_without_initiator(data: Path) -> list[str]:
    index, header, rows = _event(data, "interstate_act")
    rows[index]["initiator"] = ""
    write(data, "events", header, rows)
    return [f"{CUR}/events.csv:{index + 2}:initiator: '': an interstate act needs its initiator"]


def bad_nature(data: Path) -> list[str]:
    index, header, rows = _event(data, "interstate_act")
    rows[index]["nature"] = "act"
    write(data, "events", header, rows)
    return [
        f"{CUR}/events.csv:{index + 2}:nature: 'act': is not one of the allowed values "
        "(interstate_act, context, statistic)"
    ]


def coder2_row_missing(data: Path) -> list[str]:
    header, rows = rows_of(data, "passage_frames")
    index = [i for i, r in enumerate(rows) if r["coder"] == "coder2"][40]
    gone = rows.pop(index)
    write(data, "passage_frames", header, rows)
    return [
        f"{CUR}/passage_frames.csv::passage_id: '{gone['passage_id']}': sentence has no coder2 code"
    ]


def reconciliation_without_disagreement(data: Path) -> list[str]:
    header, rows = rows_of(data, "event_reconciliation")
    index = next(
        i
        for i, r in enumerate(rows)
        if r["final"] == r["coder2"] and not r["reason"].startswith("identification:")
    )
    rows[index]["coder1"] = rows[index]["coder2"]
    write(data, "event_reconciliation", header, rows)
    return [
        f"{CUR}/event_reconciliation.csv:{index + 2}:field: '{rows[index]['field']}': not a "
        "disagreement: coder1 and coder2 are the same"
    ]


def undecided_event_disagreement(data: Path) -> list[str]:
    header, rows = rows_of(data, "event_reconciliation")
    index = next(
        i for i, r in enumerate(rows) if r["field"] == "kind" and r["final"] != r["coder2"]
    )
    gone = rows.pop(index)
    write(data, "event_reconciliation", header, rows)
    _, second = rows_of(data, "event_codes_second")
    row = next(i for i, r in enumerate(second) if r["event_id"] == gone["event_id"]) + 2
    return [
        f"{CUR}/event_codes_second.csv:{row}:kind: '{gone['coder2']}': differs from events.csv "
        f"('{gone['final']}') and event_reconciliation.csv has no row deciding it"
    ]


def silent_overwrite(data: Path) -> list[str]:
    """A change to events.csv that coding_changes.csv does not record."""
    header, changes = rows_of(data, "coding_changes")
    index = max(
        i for i, r in enumerate(changes) if r["table"] == "events" and r["column"] == "title"
    )
    change = changes[index]
    header, rows = rows_of(data, "events")
    event = next(r for r in rows if r["event_id"] == change["row_id"])
    event["title"] = "Retitled without a record"
    write(data, "events", header, rows)
    return [
        f"{CUR}/coding_changes.csv:{index + 2}:new: '{change['new'][:79]}"
        + ("…" if len(change["new"]) > 80 else "")
        + f"': is the last change of title of {change['row_id']}, but events.csv holds "
        "'Retitled without a record'"
    ]


def out_of_scope_without_reason(data: Path) -> list[str]:
    header, rows = rows_of(data, "coverage_check")
    index = next(i for i, r in enumerate(rows) if r["status"] == "out_of_scope")
    rows[index]["reason"] = ""
    write(data, "coverage_check", header, rows)
    return [
        f"{CUR}/coverage_check.csv:{index + 2}:reason: '': an out-of-scope item needs its reason"
    ]


def withdrawn_without_revision(data: Path) -> list[str]:
    header, rows = rows_of(data, "source_notes")
    index = next(i for i, r in enumerate(rows) if r["status"] == "withdrawn")
    rows[index]["revision"] = ""
    write(data, "source_notes", header, rows)
    return [
        f"{CUR}/source_notes.csv:{index + 2}:revision: '': a withdrawn note says why (revision)"
    ]


def decade_that_is_no_decade(data: Path) -> list[str]:
    header, rows = rows_of(data, "events")
    _, changes = rows_of(data, "coding_changes")
    touched = second_coded(data) | {c["row_id"] for c in changes if c["column"].startswith("date")}
    index = next(
        i
        for i, r in enumerate(rows)
        if r["date_precision"] == "year" and r["event_id"] not in touched
    )
    rows[index].update(date_start="1963-01-01", date_end="1972-12-31", date_precision="decade")
    write(data, "events", header, rows)
    return [
        f"{CUR}/events.csv:{index + 2}:date_precision: 'decade': decade precision spans whole "
        "decades: from 1 Jan of a year ending in 0 to 31 Dec of a year ending in 9"
    ]


def wording_not_in_the_text(data: Path) -> list[str]:
    header, rows = rows_of(data, "coverage_check")
    rows[0]["wording"] = "words no source ever printed"
    write(data, "coverage_check", header, rows)
    return [
        f"{CUR}/coverage_check.csv:2:wording: 'words no source ever printed': not found in the "
        f"text of {rows[0]['source_id']} (spaces and line breaks aside)"
    ]


CASES: dict[str, Callable[[Path], list[str]]] = {
    f.__name__: f
    for f in (
        context_with_cameo,
        act_without_initiator,
        bad_nature,
        coder2_row_missing,
        reconciliation_without_disagreement,
        undecided_event_disagreement,
        silent_overwrite,
        out_of_scope_without_reason,
        withdrawn_without_revision,
        decade_that_is_no_decade,
        wording_not_in_the_text,
    )
}
#: One cause, one message: nothing else is reported.
ONE_CAUSE = set(CASES) - {"reconciliation_without_disagreement"}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_coding_input(case, data_copy, digest, capsys):
    expected = CASES[case](data_copy)
    before = digest(data_copy.parent)
    code = main(["validate", "--data", str(data_copy)])
    captured = capsys.readouterr()
    out = captured.err + captured.out
    assert code == 1
    for line in expected:
        assert line in out.splitlines(), out
    assert "Traceback" not in out
    assert "nothing was written" in out
    assert digest(data_copy.parent) == before
    if case in ONE_CAUSE:
        assert out.splitlines()[:-1] == expected, out
