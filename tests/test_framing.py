"""The framing tables as the analysis reads them: hand codes, Entman quotes, their checks.

The analysis modules have their own files: test_framing_text, _log_odds, _coder,
_intercoder, _prominence, _coverage, _metadiscourse and _notebook.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

import pytest

from rupak.analysis import framing
from rupak.evidence import corpus, framing_tables


@pytest.fixture(autouse=True)
def _project_data(monkeypatch):
    """Read the project's data: `rupak validate --data X` (cli.main) sets RUPAK_DATA for the
    whole process, so a test that ran it earlier would otherwise point these at its copy."""
    monkeypatch.delenv("RUPAK_DATA", raising=False)


# --------------------------------------------------------------------------- hand codes


def test_every_analysed_sentence_has_exactly_one_hand_code_row():
    path = Path(__file__).resolve().parents[1] / "data" / "curated" / "passage_frames.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        coded = [row["passage_id"] for row in csv.DictReader(handle)]
    sentences = corpus.passages(unit="sentence")["passage_id"].tolist()
    assert Counter(coded) == Counter(sentences)
    assert coded == sentences  # in order
    assert set(corpus.passages(unit="sentence")["kind"]) == {"abstract", "body"}


def test_the_project_framing_data_has_no_problem():
    assert framing_tables.framing_problems() == []


def test_hand_codes_are_typed():
    codes = framing.hand_codes()
    assert codes["stance"].dtype == "category"
    assert set(codes["stance"].dropna()) <= set(framing_tables.STANCES)
    assert all(isinstance(v, list) for v in codes["frames"])
    assert codes["source_id"].notna().all()


def test_entman_quotes_stand_at_their_offsets():
    table = framing_tables.entman()
    for row in table.itertuples():
        assert corpus.raw_text(row.source_id)[row.char_start : row.char_end] == row.quote
    assert (
        table.groupby("source_id")["function"]
        .apply(list)
        .map(lambda f: [str(x) for x in f])
        .tolist()
        == [list(framing_tables.ENTMAN_FUNCTIONS)] * 2
    )
    assert framing_tables.entman("durrani")["sentence_id"].str.startswith("durrani-").all()


# --------------------------------------------------------------------------- broken copies


def _rows(data: Path, name: str) -> tuple[list[str], list[dict[str, str]]]:
    with open(data / "curated" / name, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def _write(data: Path, name: str, header: list[str], rows: list[dict[str, str]]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    (data / "curated" / name).write_text(buffer.getvalue(), encoding="utf-8")


def _edit(data: Path, name: str, index: int, **changes: str) -> dict[str, str]:
    header, rows = _rows(data, name)
    before = dict(rows[index])
    rows[index].update(changes)
    _write(data, name, header, rows)
    return before


PF = "data/curated/passage_frames.csv"


def _case_unknown_frame(data):
    _edit(data, "passage_frames.csv", 4, frames="normalisation;soft_power")
    return [f"{PF}:6:frames: 'soft_power': unknown frame (not in frames.csv)"]


def _case_unknown_passage(data):
    before = _edit(data, "passage_frames.csv", 0, passage_id="durrani-p99-s01")
    return [
        f"{PF}:2:passage_id: 'durrani-p99-s01': no such analysed sentence (see `rupak "
        "passages --unit sentence`)",
        f"{PF}::passage_id: '{before['passage_id']}': sentence has no hand code",
    ]


def _case_missing_row(data):
    header, rows = _rows(data, "passage_frames.csv")
    gone = rows.pop(60)
    _write(data, "passage_frames.csv", header, rows)
    return [f"{PF}::passage_id: '{gone['passage_id']}': sentence has no hand code"]


def _case_bad_stance(data):
    _edit(data, "passage_frames.csv", 10, stance="hostile")
    return [
        f"{PF}:12:stance: 'hostile': is not one of the allowed values "
        "(opportunity, neutral, threat)"
    ]


def _case_none_with_frames(data):
    _edit(data, "passage_frames.csv", 2, frames="none;arms_trade")
    return [f"{PF}:4:frames: 'none;arms_trade': 'none' cannot be combined with frames"]


def _case_coded_twice(data):
    header, rows = _rows(data, "passage_frames.csv")
    rows.insert(3, dict(rows[2]))
    _write(data, "passage_frames.csv", header, rows)
    return [f"{PF}:5:passage_id: '{rows[2]['passage_id']}': duplicate primary key (first at row 4)"]


def _case_automatic_coder(data):
    _edit(data, "passage_frames.csv", 7, coder="auto")
    return [f"{PF}:9:coder: 'auto': is not one of the allowed values (hand)"]


def _case_entman_offsets(data):
    before = _edit(data, "entman.csv", 0, char_start="966", char_end="1105")
    start, end = int(before["char_start"]), int(before["char_end"])
    return [
        f"data/curated/entman.csv:2:char_start: '966': quote is not at 966:1105 in "
        f"durrani; it occurs at {start}:{end}"
    ]


def _case_entman_quote_edited(data):
    before = _edit(
        data,
        "entman.csv",
        4,
        quote="An alliance between the three countries "
        "will affect Asian security, especially Pakistan.",
    )
    assert before["source_id"] == "kaushiki_bawa"
    return [
        "data/curated/entman.csv:6:quote: 'An alliance between the three countries will "
        "affect Asian security, especially …': not found verbatim in source kaushiki_bawa"
    ]


def _case_entman_function(data):
    _edit(data, "entman.csv", 1, function="diagnosis")
    return [
        "data/curated/entman.csv:3:function: 'diagnosis': is not one of the allowed values "
        "(problem, cause, evaluation, remedy)",
        "data/curated/entman.csv::function: 'cause': durrani has no cause quote",
    ]


def _case_lexicon_frame(data):
    _edit(data, "frame_lexicon.csv", 0, frame_id="distrust")
    return ["data/curated/frame_lexicon.csv:2:frame_id: 'distrust': no such frame_id in frames.csv"]


def _case_lexicon_term(data):
    _edit(data, "frame_lexicon.csv", 1, term="Mistrust")
    return [
        "data/curated/frame_lexicon.csv:3:term: 'Mistrust': does not match the pattern "
        "^[a-z0-9/]+\\*?( [a-z0-9/]+\\*?)*$: Lower-case word or phrase (letters, digits, '/'; "
        "'*' only at a word's end, matching any ending), matched on whole words as tokenize() "
        "reads them."
    ]


CASES = [value for name, value in sorted(globals().items()) if name.startswith("_case_")]


@pytest.mark.parametrize("case", CASES, ids=[c.__name__[6:] for c in CASES])
def test_framing_problems_are_precise(data_copy, case):
    expected = case(data_copy)
    found = [str(p) for p in framing_tables.framing_problems(data_copy)]
    assert sorted(found) == sorted(expected), "\n".join(found)


def test_framing_problems_reports_a_missing_file(data_copy):
    (data_copy / "curated" / "entman.csv").unlink()
    found = [str(p) for p in framing_tables.framing_problems(data_copy)]
    assert found == ["data/curated/entman.csv::: : file is missing"]
