"""`rupak validate`: every bad input gets its own precise message, all at once, nothing written."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rupak.cli import main
from rupak.evidence.validate import problems_in


def rows_of(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def write_rows(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def edit(data: Path, table: str, row: int, **changes: str) -> dict[str, str]:
    path = data / "curated" / f"{table}.csv"
    header, rows = rows_of(path)
    rows[row].update(changes)
    write_rows(path, header, rows)
    return rows[row]


def run_validate(data: Path, capsys) -> tuple[int, str]:
    code = main(["validate", "--data", str(data)])
    captured = capsys.readouterr()
    return code, captured.err + captured.out


def test_the_project_data_is_valid(capsys):
    assert problems_in() == []
    code, out = run_validate(Path(__file__).resolve().parents[1] / "data", capsys)
    assert code == 0
    assert "valid (" in out and "events" in out


def test_frictionless_accepts_the_data_package():
    import frictionless

    package = Path(__file__).resolve().parents[1] / "data" / "datapackage.json"
    report = frictionless.validate(str(package))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def _case_malformed_date(data):
    edit(data, "events", 0, date_start="1957-13-40")
    return "data/curated/events.csv:2:date_start: '1957-13-40': not a valid date (%Y-%m-%d)"


def _case_end_before_start(data):
    row = edit(data, "events", 1, date_end="1900-01-01")
    return (
        f"data/curated/events.csv:3:date_end: '1900-01-01': ends before it starts "
        f"({row['date_start']})"
    )


def _case_unknown_actor(data):
    row = edit(data, "events", 2)
    edit(data, "events", 2, actors=row["actors"] + ";XYZ")
    return "data/curated/events.csv:4:actors: 'XYZ': unknown actor code (not in actors.csv)"


def _case_duplicate_event_id(data):
    path = data / "curated" / "events.csv"
    header, rows = rows_of(path)
    rows[3]["event_id"] = rows[2]["event_id"]
    write_rows(path, header, rows)
    return f"data/curated/events.csv:5:event_id: '{rows[2]['event_id']}': duplicate primary key"


def _case_evidence_for_missing_event(data):
    edit(data, "evidence", 0, event_id="2099-no-such-event")
    return (
        "data/curated/evidence.csv:2:event_id: '2099-no-such-event': no such event_id in events.csv"
    )


def _case_quote_not_in_source(data):
    edit(data, "evidence", 1, quote="Russia and Pakistan signed a secret pact on the moon")
    return (
        "data/curated/evidence.csv:3:quote: 'Russia and Pakistan signed a secret pact on the "
        "moon': not found verbatim in source"
    )


def _case_quote_at_wrong_offsets(data):
    row = edit(data, "evidence", 2)
    start = int(row["char_start"])
    edit(data, "evidence", 2, char_start=str(start + 1), char_end=str(int(row["char_end"]) + 1))
    return f"data/curated/evidence.csv:4:char_start: '{start + 1}': quote is not at"


def _case_missing_column(data):
    path = data / "curated" / "claims.csv"
    header, rows = rows_of(path)
    header.remove("unit")
    for row in rows:
        row.pop("unit")
    write_rows(path, header, rows)
    return "data/curated/claims.csv:1:unit: : column is missing from the header"


def _case_non_utf8(data):
    path = data / "curated" / "actors.csv"
    path.write_bytes(path.read_bytes().replace(b"Pakistan", "P\xe4kistan".encode("latin-1"), 1))
    return "data/curated/actors.csv:2::"


def _case_empty_file(data):
    (data / "curated" / "periods.csv").write_bytes(b"")
    return "data/curated/periods.csv::: : file is empty (no header row)"


def _case_stray_delimiter(data):
    path = data / "curated" / "events.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[5] = lines[5] + ","
    path.write_text("\n".join(lines), encoding="utf-8")
    return "data/curated/events.csv:6::"


CASES = {
    "malformed date": _case_malformed_date,
    "end before start": _case_end_before_start,
    "unknown actor code": _case_unknown_actor,
    "duplicate event_id": _case_duplicate_event_id,
    "evidence for a missing event": _case_evidence_for_missing_event,
    "quote not in its source": _case_quote_not_in_source,
    "quote at wrong offsets": _case_quote_at_wrong_offsets,
    "missing column": _case_missing_column,
    "non-UTF-8 file": _case_non_utf8,
    "empty file": _case_empty_file,
    "stray delimiter": _case_stray_delimiter,
}
DETAILS = {
    "non-UTF-8 file": "not valid UTF-8",
    "stray delimiter": "row has 14 cells, header has 13 (a stray or missing delimiter",
}


@pytest.mark.parametrize("case", list(CASES))
def test_each_bad_input_gets_its_precise_message(case, data_copy, digest, capsys):
    expected = CASES[case](data_copy)
    before = digest(data_copy)
    code, out = run_validate(data_copy, capsys)
    assert code == 1
    assert expected in out, out
    if case in DETAILS:
        assert DETAILS[case] in out, out
    assert "nothing was written" in out
    assert digest(data_copy) == before


def test_all_problems_are_listed_at_once(data_copy, capsys):
    expected = [
        CASES[c](data_copy)
        for c in ("malformed date", "evidence for a missing event", "empty file", "missing column")
    ]
    code, out = run_validate(data_copy, capsys)
    assert code == 1
    for message in expected:
        assert message in out


def test_a_changed_raw_text_is_caught(data_copy, capsys):
    path = data_copy / "sources" / "000_be06c8c6ab4980c8.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("cordial", "cordal"), encoding="utf-8")
    code, out = run_validate(data_copy, capsys)
    assert code == 1
    assert "raw texts are immutable" in out


def test_soviet_and_russian_codes_follow_the_date(data_copy, capsys):
    _, rows = rows_of(data_copy / "curated" / "events.csv")
    index = next(i for i, r in enumerate(rows) if "SUN" in r["actors"].split(";"))
    edit(
        data_copy,
        "events",
        index,
        actors=rows[index]["actors"].replace("SUN", "RUS"),
        initiator=rows[index]["initiator"].replace("SUN", "RUS"),
        target=rows[index]["target"].replace("SUN", "RUS"),
    )
    code, out = run_validate(data_copy, capsys)
    assert code == 1
    assert f"events.csv:{index + 2}:actors: 'RUS': before 1991 the state is the Soviet Union" in out


def test_a_bad_descriptor_is_reported(data_copy, capsys):
    (data_copy / "datapackage.json").write_text("{not json", encoding="utf-8")
    code, out = run_validate(data_copy, capsys)
    assert code == 1
    assert "datapackage.json:1:: : not valid JSON" in out


def test_the_descriptor_describes_every_curated_table():
    root = Path(__file__).resolve().parents[1] / "data"
    package = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    described = {r["path"] for r in package["resources"]}
    on_disk = {f"curated/{p.name}" for p in (root / "curated").glob("*.csv")}
    assert on_disk <= described


def test_the_descriptor_declares_exactly_the_tables_the_code_reads():
    from rupak.evidence.tables import TABLES, package

    found = package()
    assert found.problems == []
    assert list(found.resources) == list(TABLES)


def test_frictionless_checks_the_foreign_keys(data_copy):
    """The descriptor's foreign keys reach frictionless; validate does not re-implement them."""
    from rupak.evidence import schema
    from rupak.evidence.tables import Checked, package

    edit(data_copy, "claims", 0, subject="XYZ")
    found = package(data_copy)
    problems = schema.schema_problems(found, Checked(found, []).tables)
    assert [str(p) for p in problems] == [
        "data/curated/claims.csv:2:subject: 'XYZ': no such code in actors.csv"
    ]


def test_a_wrong_number_of_cells_is_one_problem(data_copy, capsys):
    path = data_copy / "curated" / "events.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[5] = lines[5].replace(",", ",,", 1)  # every later cell shifts one column right
    path.write_text("\n".join(lines), encoding="utf-8")
    code, out = run_validate(data_copy, capsys)
    assert code == 1
    assert [line for line in out.splitlines() if "events.csv:6:" in line] == [
        next(line for line in out.splitlines() if "row has 14 cells, header has 13" in line)
    ]


def test_one_reader_reads_every_curated_table():
    """Only rupak.evidence.tables parses CSV files or opens the descriptor."""
    lib = Path(__file__).resolve().parents[1] / "lib" / "rupak" / "evidence"
    readers = ("read_csv(", "csv.reader(", "csv.DictReader(", 'datapackage.json")')
    found = {
        path.name
        for path in lib.glob("*.py")
        if any(reader in path.read_text(encoding="utf-8") for reader in readers)
    }
    assert found == {"tables.py"}


def test_reading_a_table_records_its_provenance(data_copy):
    from rupak.base import provenance
    from rupak.evidence import tables

    provenance.reset()
    tables.frame("periods", data_copy)
    read = {Path(p).name for p in provenance._files_read}
    assert {"periods.csv", "datapackage.json"} <= read


def _fresh_copy() -> Path:
    import shutil
    import tempfile

    target = Path(tempfile.mkdtemp(prefix="rupak-prop-")) / "data"
    shutil.copytree(Path(__file__).resolve().parents[1] / "data", target)
    return target


@pytest.mark.slow
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    table=st.sampled_from(
        ["events", "evidence", "claims", "periods", "passage_frames", "event_reconciliation"]
    ),
    content=st.one_of(
        st.text(max_size=400),
        st.binary(max_size=400).map(lambda b: b.decode("latin-1")),
        st.lists(
            st.lists(
                st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=12),
                max_size=14,
            ),
            max_size=6,
        ).map(lambda rows: "\n".join(",".join(r) for r in rows)),
    ),
)
def test_validation_never_crashes_on_arbitrary_csv_text(table, content):
    """Whatever a table holds, validation reports problems; it does not raise."""
    import shutil

    data = _fresh_copy()
    try:
        (data / "curated" / f"{table}.csv").write_bytes(content.encode("utf-8", "surrogatepass"))
        problems = problems_in(data)
        assert all(isinstance(p.message, str) and p.message for p in problems)
    finally:
        shutil.rmtree(data.parent)
