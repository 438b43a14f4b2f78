"""Hostile inputs to the evidence layer: each gets one clear message, its exit code, no
traceback, and leaves every file exactly as it was (the tree is hashed before and after).

Classes: containment (absolute path, ``..``, symbolic links out, for tables and raw texts),
completeness (a missing, extra or renamed resource), descriptors of the wrong shape, a CSV
field beyond the csv module's limit, one renamed header reported once, the spam exclusion
deleted, event dates outside the era, ``curate-offsets`` on a CRLF file, an unknown source.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from rupak.cli import main

SECRET = "planted-secret-7f3a9c"


def run(args: list[str], capsys) -> tuple[int, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.err + captured.out


def edit_descriptor(data: Path, change: Callable[[dict, dict], None]) -> None:
    path = data / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    change(descriptor, {r["name"]: r for r in descriptor["resources"]})
    path.write_text(json.dumps(descriptor, indent=2), encoding="utf-8")


def edit_rows(path: Path, change: Callable[[list[dict[str, str]]], None], ending="\n") -> None:
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header, rows = list(reader.fieldnames or []), list(reader)
    change(rows)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator=ending)
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode("utf-8"))


def outside_file(data: Path) -> Path:
    """A file beside the package (not in it) holding a secret."""
    target = data.parent / "outside.csv"
    target.write_text(f"code,name\n{SECRET},x\n", encoding="utf-8")
    return target


def symlink_table_out(data: Path) -> None:
    table = data / "curated" / "actors.csv"
    table.unlink()
    table.symlink_to(outside_file(data))


def symlink_text_out(data: Path) -> None:
    text = data / "sources" / "000_be06c8c6ab4980c8.txt"
    text.unlink()
    text.symlink_to(outside_file(data))


def rename_header(data: Path) -> None:
    path = data / "curated" / "events.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("event_id,", "event_ident,", 1), encoding="utf-8")


def huge_field(data: Path) -> None:
    with open(data / "curated" / "actors.csv", "a", encoding="utf-8") as handle:
        handle.write('XYZ,"' + "a" * 200_000 + "\n")


def set_event(row: int, **changes: str) -> Callable[[Path], None]:
    def change(data: Path) -> None:
        edit_rows(data / "curated" / "events.csv", lambda rows: rows[row].update(changes))

    return change


PASSAGES_SKIPPED = "passage ids were not checked"
DESCRIPTOR = "data/datapackage.json::"

# case: (breaker, expected message, lines allowed besides the message and the note)
CASES: dict[str, tuple[Callable[[Path], None], str]] = {
    # containment: nothing outside the package is read, and the message names the entry
    "absolute path": (
        lambda d: edit_descriptor(d, lambda p, r: r["actors"].update(path="/proc/self/environ")),
        f"{DESCRIPTOR}resources (actors): '/proc/self/environ': path is an absolute path",
    ),
    "Windows path with ..": (
        lambda d: edit_descriptor(d, lambda p, r: r["actors"].update(path="curated\\..\\..\\x")),
        f"{DESCRIPTOR}resources (actors): 'curated\\\\..\\\\..\\\\x': path leaves the data package",
    ),
    "path with ..": (
        lambda d: edit_descriptor(d, lambda p, r: r["actors"].update(path="../../x.csv")),
        f"{DESCRIPTOR}resources (actors): '../../x.csv': path leaves the data package ('..')",
    ),
    "URL as a path": (
        lambda d: edit_descriptor(d, lambda p, r: r["cameo"].update(path="https://example.org/x")),
        f"{DESCRIPTOR}resources (cameo): 'https://example.org/x': path is a URL",
    ),
    "table that is a symbolic link out": (
        symlink_table_out,
        f"{DESCRIPTOR}resources (actors): 'curated/actors.csv': path resolves outside the data "
        "package (a symbolic link?); it was not read",
    ),
    "raw text that is a symbolic link out": (
        symlink_text_out,
        "data/curated/sources.csv::file: '000_be06c8c6ab4980c8.txt': raw text resolves outside "
        "the data package",
    ),
    # completeness: the descriptor declares exactly the tables the code reads
    "missing resource": (
        lambda d: edit_descriptor(
            d, lambda p, r: p.update(resources=[x for x in p["resources"] if x["name"] != "cameo"])
        ),
        f"{DESCRIPTOR}resources: 'cameo': resource is missing: the code reads this table",
    ),
    "extra resource": (
        lambda d: edit_descriptor(
            d, lambda p, r: p["resources"].append(dict(r["cameo"], name="cameo_copy"))
        ),
        f"{DESCRIPTOR}resources: 'cameo_copy': unknown resource: the code reads only sources,",
    ),
    "renamed resource": (
        lambda d: edit_descriptor(d, lambda p, r: r["periods"].update(name="eras")),
        f"{DESCRIPTOR}resources: 'eras': resource should be named 'periods'",
    ),
    "resource declared twice": (
        lambda d: edit_descriptor(d, lambda p, r: p["resources"].append(r["cameo"])),
        f"{DESCRIPTOR}resources: 'cameo': resource is declared twice",
    ),
    # descriptors of the wrong shape
    "descriptor that is a list": (
        lambda d: (d / "datapackage.json").write_text("[]", encoding="utf-8"),
        f"{DESCRIPTOR}: : the descriptor must be a JSON object, not list",
    ),
    "resources that are not a list": (
        lambda d: edit_descriptor(d, lambda p, r: p.update(resources={"events": 1})),
        f"{DESCRIPTOR}resources: : 'resources' must be a list of tables",
    ),
    "resource without a schema": (
        lambda d: edit_descriptor(d, lambda p, r: r["frames"].pop("schema")),
        "(frames): : 'schema' must have a list of fields",
    ),
    "field without a name": (
        lambda d: edit_descriptor(d, lambda p, r: r["cameo"]["schema"]["fields"][1].pop("name")),
        "(cameo) fields[1]: : a field needs a text 'name'",
    ),
    "field of an unknown type": (
        lambda d: edit_descriptor(
            d, lambda p, r: r["cameo"]["schema"]["fields"][3].update(type="decimal")
        ),
        f'{DESCRIPTOR}resources (cameo): : not valid: field type "decimal" is not supported',
    ),
    "foreign key to an unknown field": (
        lambda d: edit_descriptor(
            d,
            lambda p, r: r["events"]["schema"]["foreignKeys"][0]["reference"].update(
                fields=["cameo"]
            ),
        ),
        f"{DESCRIPTOR}resources (events): : foreign key names cameo, not a field of cameo",
    ),
    # tables
    "field beyond the csv module's limit": (
        huge_field,
        "data/curated/actors.csv:40:: : a field is longer than 131072 characters, the csv "
        "module's limit (an unclosed quote?); the table was not read",
    ),
    "renamed header": (
        rename_header,
        "data/curated/events.csv:1:event_id: 'event_ident': column is named 'event_ident', "
        "expected 'event_id'; checks that use this table were skipped",
    ),
    "spam exclusion deleted": (
        lambda d: edit_rows(d / "curated" / "exclusions.csv", lambda rows: rows.clear()),
        "data/curated/exclusions.csv::char_start: 'durrani 2714:2844 buy synthroid online "
        "http://www.artforhealingfoundation.org/w…': a line of durrani holds a link inside the "
        "article (web spam): add a row to exclusions.csv that excludes 2714:2844",
    ),
    "event dated 0001-01-01": (
        set_event(0, date_start="0001-01-01"),
        "data/curated/events.csv:2:date_start: '0001-01-01': is before 1800-01-01: nothing in "
        "the sources predates modern diplomacy",
    ),
    "event dated 9999-12-31": (
        set_event(1, date_end="9999-12-31"),
        "data/curated/events.csv:3:date_end: '9999-12-31': is in the future (today is",
    ),
    "claim id without its source's prefix": (
        lambda d: edit_rows(
            d / "curated" / "claims.csv", lambda rows: rows[0].update(claim_id="K-99")
        ),
        "data/curated/claims.csv:2:claim_id: 'K-99': claims of durrani are numbered D-NN "
        "(its claim_prefix in sources.csv)",
    ),
}

#: The one cause, and at most the note that the passage checks were skipped: nothing else.
ONE_CAUSE = {
    "renamed header",
    "spam exclusion deleted",
    "missing resource",
    "renamed resource",
    "absolute path",
    "field beyond the csv module's limit",
    "table that is a symbolic link out",
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_evidence(case, data_copy, digest, capsys, monkeypatch):
    breaker, expected = CASES[case]
    monkeypatch.setenv("RUPAK_PLANTED_TOKEN", SECRET)
    breaker(data_copy)
    before = digest(data_copy.parent)
    code, out = run(["validate", "--data", str(data_copy)], capsys)
    assert code == 1
    assert expected in out, out
    assert "Traceback" not in out
    assert SECRET not in out
    assert "nothing was written" in out
    assert digest(data_copy.parent) == before
    if case in ONE_CAUSE:
        problems = [line for line in out.splitlines()[:-1] if PASSAGES_SKIPPED not in line]
        assert problems == [line for line in problems if expected in line], out
        assert len(problems) == 1, out


def test_the_environment_of_the_process_is_never_read(data_copy, capsys, monkeypatch):
    monkeypatch.setenv("RUPAK_PLANTED_TOKEN", SECRET)
    edit_descriptor(data_copy, lambda p, r: r["sources"].update(path="/proc/self/environ"))
    code, out = run(["validate", "--data", str(data_copy)], capsys)
    assert code == 1
    assert SECRET not in out and "RUPAK_PLANTED_TOKEN" not in out
    assert "resources (sources): '/proc/self/environ': path is an absolute path" in out


def test_the_loaders_refuse_a_table_outside_the_package(data_copy, monkeypatch):
    from rupak.evidence import tables
    from rupak.evidence.problems import ValidationError

    symlink_table_out(data_copy)
    with pytest.raises(ValidationError) as caught:
        tables.frame("actors", data_copy)
    assert "path resolves outside the data package" in str(caught.value)
    assert SECRET not in str(caught.value)


@pytest.mark.parametrize("change", ["symlink out", "descriptor edited"])
def test_a_package_read_before_is_checked_again_when_it_changes(change, data_copy):
    """The checked descriptor is kept in memory (reads are many); a change ends that."""
    from rupak.evidence import tables
    from rupak.evidence.problems import ValidationError

    assert len(tables.frame("actors", data_copy))  # checked and kept
    if change == "symlink out":
        symlink_table_out(data_copy)
        expected = "path resolves outside the data package"
    else:
        edit_descriptor(data_copy, lambda p, r: r["actors"].update(path="../outside.csv"))
        expected = "path leaves the data package"
    with pytest.raises(ValidationError) as caught:
        tables.frame("actors", data_copy)
    assert expected in str(caught.value) and SECRET not in str(caught.value)


def _blank_offsets(data: Path, ending: str) -> dict[str, str]:
    path = data / "curated" / "evidence.csv"
    kept: dict[str, str] = {}

    def blank(rows: list[dict[str, str]]) -> None:
        kept.update(rows[3])
        rows[3].update(char_start="", char_end="")

    edit_rows(path, blank, ending=ending)
    return kept


@pytest.mark.parametrize("ending", ["\r\n", "\n"])
def test_curate_offsets_changes_only_the_filled_record(ending, data_copy, capsys):
    row = _blank_offsets(data_copy, ending)
    path = data_copy / "curated" / "evidence.csv"
    path.chmod(0o640)
    before = path.read_bytes()
    code, out = run(["curate-offsets", "--data", str(data_copy)], capsys)
    assert code == 0, out
    assert "evidence: filled offsets in 1 row(s)" in out
    after = path.read_bytes()
    assert os.stat(path).st_mode & 0o777 == 0o640
    old_lines, new_lines = before.split(b"\n"), after.split(b"\n")
    assert len(old_lines) == len(new_lines)
    changed = [i for i, (a, b) in enumerate(zip(old_lines, new_lines, strict=True)) if a != b]
    assert changed == [4]
    assert all(line.endswith(b"\r") for line in new_lines[:-1]) == (ending == "\r\n")
    assert f",{row['char_start']},{row['char_end']},".encode() in new_lines[4]


def test_curate_offsets_refuses_a_descriptor_pointing_out(data_copy, digest, capsys):
    _blank_offsets(data_copy, "\n")
    edit_descriptor(data_copy, lambda p, r: r["evidence"].update(path="/etc/passwd"))
    before = digest(data_copy.parent)
    code, out = run(["curate-offsets", "--data", str(data_copy)], capsys)
    assert code == 1
    assert "resources (evidence): '/etc/passwd': path is an absolute path" in out
    assert "root:" not in out and "Traceback" not in out
    assert digest(data_copy.parent) == before


def test_passages_of_an_unknown_source(capsys, digest):
    from rupak.base.paths import data_dir

    before = digest(data_dir())
    code, out = run(["passages", "--source", "pravda"], capsys)
    assert code == 2
    assert "--source 'pravda' is not a source; known sources: durrani, kaushiki_bawa" in out
    assert "Traceback" not in out
    assert digest(data_dir()) == before


def test_passages_with_a_long_unknown_source_are_shortened(capsys):
    code, out = run(["passages", "--source", "x" * 5000], capsys)
    assert code == 2
    assert len(out) < 300
