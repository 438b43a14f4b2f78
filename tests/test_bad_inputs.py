"""The bad-input suite: every malformed input gets a message naming it, a non-zero exit, and
leaves every file on disk exactly as it was (the tree is hashed before and after).

Inputs span the curated tables and data package, notebook parameters, reports.toml, and the
record files (through the mirror, and through the parsers for layout and encoding changes).
"""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from rupak.base.paths import REPO_ROOT
from rupak.cli import main
from rupak.record import fetch as record
from rupak.record import sipri

NB = {
    n: (REPO_ROOT / "notebooks" / n).as_posix()
    for n in ("02_proximity_1965_1975.ipynb", "04_framing_comparison.ipynb")
}


def edit_csv(path: Path, row: int, **changes: str) -> None:
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header, rows = list(reader.fieldnames or []), list(reader)
    rows[row].update(changes)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


# --- curated data: `rupak validate --data COPY` -----------------------------------------------

DATA_CASES: dict[str, tuple[Callable[[Path], None], str]] = {
    "event kind outside the vocabulary": (
        lambda d: edit_csv(d / "curated/events.csv", 0, kind="coup"),
        "events.csv:2:kind: 'coup': is not one of the allowed values",
    ),
    "CAMEO code not in cameo.csv": (
        lambda d: edit_csv(d / "curated/events.csv", 0, cameo_code="999"),
        "events.csv:2:cameo_code: '999': no such cameo_code in cameo.csv",
    ),
    "claim unit outside the vocabulary": (
        lambda d: edit_csv(d / "curated/claims.csv", 0, unit="EUR"),
        "claims.csv:2:unit: 'EUR': is not one of the allowed values",
    ),
    "claim flag that is not a boolean": (
        lambda d: edit_csv(d / "curated/claims.csv", 1, approximate="maybe"),
        "claims.csv:3:approximate: 'maybe': not a valid boolean",
    ),
    "claim value that is not a number": (
        lambda d: edit_csv(d / "curated/claims.csv", 2, value="four billion"),
        "claims.csv:4:value: 'four billion': not a valid number",
    ),
    "unknown check name": (
        lambda d: edit_csv(d / "curated/claims.csv", 0, check="made_up_check"),
        "claims.csv:2:check: 'made_up_check': is not one of the allowed values (india_russia",
    ),
    "erratum of an unknown kind": (
        lambda d: edit_csv(d / "curated/source_notes.csv", 0, kind="typo"),
        "source_notes.csv:2:kind: 'typo': is not one of the allowed values",
    ),
    "period that ends before it starts": (
        lambda d: edit_csv(d / "curated/periods.csv", 1, end="1960-01-01"),
        "periods.csv:3:end: '1960-01-01': ends before it starts (1965-01-01)",
    ),
    "normalisation whose raw text is not at its offsets": (
        lambda d: edit_csv(d / "curated/normalisations.csv", 0, char_start="3121"),
        "normalisations.csv:2:raw: 'rift,Beijing': raw text at 3121:3132",
    ),
    "layout rule matching no paragraph": (
        lambda d: edit_csv(d / "curated/layout.csv", 0, starts_with="Nothing like this"),
        "layout.csv:2:starts_with: 'Nothing like this': matches 0 paragraphs",
    ),
    "quote overlapping the spam line": (
        lambda d: edit_csv(
            d / "curated/evidence.csv",
            0,
            quote="buy synthroid online",
            char_start="2714",
            char_end="2734",
            source_id="durrani",
        ),
        "evidence.csv:2:quote: 'buy synthroid online': overlaps the excluded span 2714:2845",
    ),
    "passage coded with a frame not in the codebook": (
        lambda d: edit_csv(d / "curated/passage_frames.csv", 0, frames="cosmic_destiny"),
        "passage_frames.csv:2:frames: 'cosmic_destiny'",
    ),
    "file with a byte-order mark": (
        lambda d: (d / "curated/cameo.csv").write_bytes(
            b"\xef\xbb\xbf" + (d / "curated/cameo.csv").read_bytes()
        ),
        "cameo.csv:1:: : file starts with a byte-order mark",
    ),
    "duplicated column": (
        lambda d: (d / "curated/periods.csv").write_text(
            (d / "curated/periods.csv")
            .read_text(encoding="utf-8")
            .replace("start_reason,end_reason", "start_reason,start_reason", 1),
            encoding="utf-8",
        ),
        "periods.csv:1:start_reason: 'start_reason': column appears more than once",
    ),
    "blank line inside a table": (
        lambda d: (d / "curated/frames.csv").write_text(
            (d / "curated/frames.csv").read_text(encoding="utf-8") + "\n", encoding="utf-8"
        ),
        "frames.csv:12:: : blank row",
    ),
    "required field left empty": (
        lambda d: edit_csv(d / "curated/events.csv", 3, title=""),
        "events.csv:5:title: '': is required but empty",
    ),
    "descriptor that is not JSON": (
        lambda d: (d / "datapackage.json").write_text("{", encoding="utf-8"),
        "datapackage.json:1:: : not valid JSON",
    ),
}


@pytest.mark.parametrize("case", list(DATA_CASES))
def test_bad_curated_data(case, data_copy, digest, capsys):
    breaker, expected = DATA_CASES[case]
    breaker(data_copy)
    before = digest(data_copy.parent)
    assert main(["validate", "--data", str(data_copy)]) == 1
    err = capsys.readouterr().err
    assert expected in err, err
    assert digest(data_copy.parent) == before


# --- parameters and reports.toml: `rupak reports --config FILE` -------------------------------


def report(notebook: str, **parameters) -> str:
    body = f'[[report]]\nname = "r"\nnotebook = "{NB[notebook]}"\n'
    if parameters:
        body += "[report.parameters]\n" + "".join(
            f"{k} = {v!r}\n".replace("'", '"') for k, v in parameters.items()
        )
    return body


P02, P04 = "02_proximity_1965_1975.ipynb", "04_framing_comparison.ipynb"
CONFIG_CASES: dict[str, tuple[str | bytes, str]] = {
    "unknown ISO3": (report(P02, partner="XYZ"), "partner: 'XYZ' is not a known ISO3 state code"),
    "start after end": (report(P02, start=1990, end=1980), "start > end: 1990 > 1980"),
    "span outside the data": (report(P02, start=1900), "start: 1900 is outside the years"),
    "wrong type": (report(P02, min_votes="ten"), "min_votes: 'ten' is a str, expected int"),
    "unknown parameter name": (report(P02, colour="red"), "colour: unknown parameter"),
    "unknown period": (report(P02, period_id="belle_epoque"), "period_id: 'belle_epoque'"),
    "same source on both sides": (
        report(P04, source_b="durrani"),
        "source_a and source_b are both 'durrani'",
    ),
    "unknown source id": (report(P04, source_a="pravda"), "source_a: 'pravda' is not a source"),
    "non-positive number": (report(P04, top_n=0), "top_n: 0 must be greater than 0"),
    "unknown notebook": (
        '[[report]]\nname = "r"\nnotebook = "notebooks/99_none.ipynb"\n',
        "notebook 'notebooks/99_none.ipynb' does not exist",
    ),
    "duplicate report names": (report(P02) + report(P02), "report 'r': duplicate report name"),
    "bad TOML": ('[[report]\nname = "r"\n', "not valid TOML"),
    "bad report name": (
        '[[report]]\nname = "Bad Name!"\nnotebook = "x"\n',
        "name 'Bad Name!' must be lower-case",
    ),
    # non-finite numbers, roles, bounds, spans and the record (issue 14 item 3, issue 12 item 5)
    "nan where a positive number is expected": (
        report(P04, prior_strength=float("nan")),
        "prior_strength: nan is not a finite number",
    ),
    "inf where a positive number is expected": (
        report(P04, prior_strength=float("inf")),
        "prior_strength: inf is not a finite number",
    ),
    "focal power equal to the partner": (
        report(P02, partner="RUS"),
        "focal 'RUS' and partner 'RUS' are the same state",
    ),
    "partner equal to its rival": (
        report(P02, partner="IND"),
        "partner 'IND' and rival 'IND' are the same state",
    ),
    "min_votes that empties every year": (
        report(P02, min_votes=100000),
        "min_votes: 100000 is above 100",
    ),
    "window outside the years shown": (
        report(P02, window_end=1990),
        "window_start–window_end (1965–1990) must lie within start–end (1955–1985)",
    ),
    "state without UNGA votes in the years asked": (
        report(P02, partner="SSD"),
        "partner 'SSD': no UNGA votes in 1955–1985 (member from 2011)",
    ),
    "window with too few roll calls": (
        report(P02, start=1950, window_start=1951, window_end=1951),
        "window 1951–1951: RUS and PAK both voted on 6 UNGA roll call(s), fewer than min_votes",
    ),
    # names, paths and structure (issue 14 items 1 and 6)
    "report named like the index": (
        f'[[report]]\nname = "index"\nnotebook = "{NB[P02]}"\n',
        "name 'index' is reserved",
    ),
    "report named like the shared assets": (
        f'[[report]]\nname = "assets"\nnotebook = "{NB[P02]}"\n',
        "name 'assets' is reserved",
    ),
    "notebook outside the project": (
        '[[report]]\nname = "r"\nnotebook = "../../../../../../etc/hostname"\n',
        "resolves outside the project",
    ),
    "notebook that is not a notebook": (
        '[[report]]\nname = "r"\nnotebook = "reports.toml"\n',
        "notebook 'reports.toml' is not an .ipynb file",
    ),
    "report that is not a table": ("report = [1, 2]\n", "report #1: must be a table"),
    "single [report] table": ('[report]\nname = "r"\n', "write each report as [[report]]"),
    "parameters that are not a table": (
        f'[[report]]\nname = "r"\nnotebook = "{NB[P02]}"\nparameters = "partner=IND"\n',
        "parameters 'partner=IND' must be a table",
    ),
    "name that is not a string": (
        f'[[report]]\nname = 3\nnotebook = "{NB[P02]}"\n',
        "name 3 must be lower-case",
    ),
    "title that is not a string": (
        f'[[report]]\nname = "r"\ntitle = 5\nnotebook = "{NB[P02]}"\n',
        "title 5 must be a string",
    ),
    "negative timeout": (
        f'timeout = -1\n[[report]]\nname = "r"\nnotebook = "{NB[P02]}"\n',
        "timeout -1 must be a finite number of seconds",
    ),
    "timeout that is not a number": (
        f'[[report]]\nname = "r"\nnotebook = "{NB[P02]}"\ntimeout = "ten"\n',
        "timeout 'ten' must be a number of seconds",
    ),
    "misspelt top-level key": (
        f'timout = 60\n[[report]]\nname = "r"\nnotebook = "{NB[P02]}"\n',
        "unknown top-level key(s) 'timout'",
    ),
    "config that is not UTF-8": (
        b"\xff\xfe[[report]]\n",
        "not UTF-8 text (byte 0xff at offset 0)",
    ),
}


@pytest.mark.parametrize("case", list(CONFIG_CASES))
def test_bad_parameters_and_config(case, tmp_path, digest, capsys):
    body, expected = CONFIG_CASES[case]
    config = tmp_path / "reports.toml"
    if isinstance(body, bytes):
        config.write_bytes(body)
    else:
        config.write_text(body, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    before = digest(tmp_path)
    notebooks = digest(REPO_ROOT / "notebooks")
    code = main(["reports", "--config", str(config), "--out", str(out)])
    err = capsys.readouterr().err
    assert code != 0
    assert expected in err, err
    assert str(config) in err or "reports.toml" in err
    assert digest(tmp_path) == before
    assert digest(REPO_ROOT / "notebooks") == notebooks


# --- record files: `rupak fetch` against a broken mirror, and the parsers ---------------------


@pytest.fixture
def mirror(tmp_path) -> Path:
    target = tmp_path / "mirror"
    for name in record.registry():
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(record.path(name), path)
    return target


def flip_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[100] ^= 1
    path.write_bytes(bytes(data))


RECORD_CASES: dict[str, tuple[Callable[[Path], None], str]] = {
    "hash mismatch": (
        lambda m: flip_byte(m / "unvotes/un_votes.rda"),
        "SHA-256 mismatch for record file unvotes/un_votes.rda",
    ),
    "truncated file": (
        lambda m: (m / "sipri/trade-register.csv").write_bytes(
            (m / "sipri/trade-register.csv").read_bytes()[:5000]
        ),
        "SHA-256 mismatch for record file sipri/trade-register.csv",
    ),
    "file missing from the mirror": (
        lambda m: (m / "sipri/tiv-exports/TIV-Export-USR-1950-2021.csv").unlink(),
        "record file sipri/tiv-exports/TIV-Export-USR-1950-2021.csv is missing from the mirror",
    ),
}


@pytest.mark.parametrize("case", list(RECORD_CASES))
def test_bad_record_files(case, mirror, digest, capsys, monkeypatch):
    breaker, expected = RECORD_CASES[case]
    breaker(mirror)
    monkeypatch.setenv("RUPAK_MIRROR", str(mirror))
    before = digest(mirror)
    assert main(["fetch"]) == 1
    err = capsys.readouterr().err
    assert expected in err, err
    assert "expected" in err
    assert digest(mirror) == before


def test_record_in_the_wrong_encoding(tmp_path, digest):
    source = record.path("sipri/trade-register.csv")
    broken = tmp_path / "trade-register.csv"
    broken.write_bytes(source.read_bytes().decode("cp1252").encode("utf-16"))
    before = digest(tmp_path)
    with pytest.raises(sipri.SipriFormatError) as caught:
        sipri.parse_trade_register(broken)
    assert str(broken) in str(caught.value)
    assert digest(tmp_path) == before


def test_record_with_a_changed_layout(tmp_path, digest):
    source = record.path("sipri/tiv-exports/TIV-Export-USR-1950-2021.csv")
    broken = tmp_path / "TIV-Export-USR-1950-2021.csv"
    text = source.read_bytes().decode("utf-8", errors="replace")
    broken.write_text(text.replace(",1950,1951,", ",Y1950,Y1951,", 1), encoding="utf-8")
    before = digest(tmp_path)
    with pytest.raises(sipri.SipriFormatError) as caught:
        sipri.parse_tiv_file(broken)
    assert "TIV-Export-USR-1950-2021.csv" in str(caught.value)
    assert digest(tmp_path) == before


def test_the_suite_covers_at_least_25_distinct_inputs():
    total = len(DATA_CASES) + len(CONFIG_CASES) + len(RECORD_CASES) + 2
    assert total >= 25
