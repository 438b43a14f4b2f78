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


def test_every_analysed_sentence_has_exactly_one_code_by_each_coder():
    path = Path(__file__).resolve().parents[1] / "data" / "curated" / "passage_frames.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    sentences = corpus.passages(unit="sentence")["passage_id"].tolist()
    assert Counter(r["coder"] for r in rows) == dict.fromkeys(framing_tables.CODERS, 166)
    for coder in framing_tables.CODERS:
        coded = [r["passage_id"] for r in rows if r["coder"] == coder]
        assert coded == sentences  # each once, in order
    assert set(corpus.passages(unit="sentence")["kind"]) == {"abstract", "body"}


def test_hand_codes_default_to_the_reconciled_coding():
    default = framing.hand_codes()
    assert set(default["coder"]) == {"reconciled"}
    assert len(default) == 166
    for coder in framing_tables.CODERS:
        codes = framing.hand_codes(coder=coder)
        assert set(codes["coder"]) == {coder}
        assert codes["passage_id"].tolist() == default["passage_id"].tolist()
    with pytest.raises(ValueError, match="coder='hand': choose one of coder1, coder2, reconciled"):
        framing.hand_codes(coder="hand")


def test_reconciled_codes_are_the_coders_common_code_or_the_decision():
    """Where the coders agree the reconciled code is theirs; else frame_reconciliation.csv's."""
    first, second, final = (
        framing.hand_codes(coder=c).set_index("passage_id") for c in framing_tables.CODERS
    )
    decided = framing.frame_reconciliation().set_index(["passage_id", "field"])["final"]
    for frame in framing.frames()["frame_id"]:
        for pid in final.index:
            values = [str(int(frame in t.loc[pid, "frames"])) for t in (first, second, final)]
            expected = decided.get((pid, frame), values[0])
            assert values[2] == expected, (pid, frame)


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
        f"{PF}::passage_id: '{before['passage_id']}': sentence has no coder1 code",
    ]


def _case_missing_row(data):
    header, rows = _rows(data, "passage_frames.csv")
    gone = rows.pop(60)
    _write(data, "passage_frames.csv", header, rows)
    return [f"{PF}::passage_id: '{gone['passage_id']}': sentence has no coder1 code"]


def _case_missing_coder2_row(data):
    header, rows = _rows(data, "passage_frames.csv")
    index = next(i for i, r in enumerate(rows) if r["coder"] == "coder2")
    gone = rows.pop(index + 5)
    _write(data, "passage_frames.csv", header, rows)
    return [f"{PF}::passage_id: '{gone['passage_id']}': sentence has no coder2 code"]


def _case_coder2_out_of_order(data):
    header, rows = _rows(data, "passage_frames.csv")
    start = next(i for i, r in enumerate(rows) if r["coder"] == "coder2")
    rows[start], rows[start + 1] = rows[start + 1], rows[start]
    _write(data, "passage_frames.csv", header, rows)
    return [
        f"{PF}:{start + 3}:passage_id: '{rows[start + 1]['passage_id']}': out of order: each "
        "coder's rows (coder2) follow the sentence order of `rupak passages`"
    ]


def _coded_row(data, coder: str, passage_id: str) -> tuple[int, dict[str, str]]:
    _, rows = _rows(data, "passage_frames.csv")
    return next(
        (i, r) for i, r in enumerate(rows) if r["coder"] == coder and r["passage_id"] == passage_id
    )


def _case_undecided_disagreement(data):
    """A stance disagreement whose reconciliation row is deleted."""
    header, rows = _rows(data, "frame_reconciliation.csv")
    gone = next(r for r in rows if r["field"] == "stance")
    rows.remove(gone)
    _write(data, "frame_reconciliation.csv", header, rows)
    index, _ = _coded_row(data, "coder2", gone["passage_id"])
    return [
        f"{PF}:{index + 2}:stance: '{gone['coder2']}': coder1 and coder2 disagree on stance of "
        f"{gone['passage_id']} ('{gone['coder1']}', '{gone['coder2']}') and "
        "frame_reconciliation.csv has no row deciding it"
    ]


def _case_reconciliation_of_an_agreement(data):
    """A reconciliation row where the coders agree, and the coder1 value it misstates."""
    header, rows = _rows(data, "frame_reconciliation.csv")
    pid = rows[0]["passage_id"]
    _, first = _coded_row(data, "coder1", pid)
    rows.append(
        {
            "passage_id": pid,
            "field": "arms_trade",
            "coder1": "1",
            "coder2": "0",
            "final": "1",
            "reason": "invented",
        }
    )
    _write(data, "frame_reconciliation.csv", header, rows)
    assert "arms_trade" not in first["frames"]
    fr = "data/curated/frame_reconciliation.csv"
    row = len(rows) + 1
    return [
        f"{fr}:{row}:coder1: '1': coder1 codes arms_trade of {pid} as '0' (passage_frames.csv "
        f"row {_coded_row(data, 'coder1', pid)[0] + 2})",
        f"{fr}:{row}:field: 'arms_trade': not a disagreement: coder1 and coder2 both code it "
        f"'0' for {pid}",
        f"{fr}:{row}:final: '1': the reconciled code of arms_trade is '0' (passage_frames.csv "
        f"row {_coded_row(data, 'reconciled', pid)[0] + 2})",
    ]


def _case_reconciliation_of_an_unknown_sentence(data):
    header, rows = _rows(data, "frame_reconciliation.csv")
    rows.append(dict(rows[0], passage_id="durrani-p99-s09"))
    _write(data, "frame_reconciliation.csv", header, rows)
    return [
        f"data/curated/frame_reconciliation.csv:{len(rows) + 1}:passage_id: 'durrani-p99-s09': "
        "no sentence of passage_frames.csv"
    ]


def _case_reconciled_code_changed_silently(data):
    index, record = _coded_row(data, "reconciled", "durrani-p03-s01")
    _, first = _coded_row(data, "coder1", "durrani-p03-s01")
    assert record["stance"] == first["stance"] == "neutral"
    _edit(data, "passage_frames.csv", index, stance="threat")
    return [
        f"{PF}:{index + 2}:stance: 'threat': the reconciled code of stance of durrani-p03-s01 "
        "('threat') differs from both coders' ('neutral') without a row in "
        "frame_reconciliation.csv"
    ]


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
    return [
        f"{PF}:5:passage_id,coder: '{rows[2]['passage_id']},coder1': duplicate primary key "
        "(first at row 4)"
    ]


def _case_automatic_coder(data):
    _edit(data, "passage_frames.csv", 7, coder="auto")
    return [f"{PF}:9:coder: 'auto': is not one of the allowed values (coder1, coder2, reconciled)"]


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
