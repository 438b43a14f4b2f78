"""What the descriptor cannot say about the framing tables (``docs/framing.md``).

The descriptor already checks frame ids, stances, the coder ids (``coder1``, ``coder2``,
``reconciled``), lexicon terms, Entman functions, the keys (a sentence coded twice by one
coder, a function quoted twice, a disagreement decided twice) and the foreign keys (lexicon
frames, Entman sources). Left here:

* each of the three codings codes every analysed sentence exactly once, in the order of
  ``rupak passages`` (a coded passage that is not an analysed sentence is reported);
* the ``;``-separated frames of a code are in the codebook, each once, or ``none`` alone;
* ``frame_reconciliation.csv`` records real disagreements: each row's ``coder1`` and
  ``coder2`` are those coders' codes of the sentence and differ, its ``final`` is one of them
  and is the ``reconciled`` code; every disagreement has a row, and where the coders agree the
  reconciled code is theirs;
* every source has one quote for each of Entman's functions.

Quotes at their offsets are checked with the other quoted tables by
:mod:`rupak.evidence.validate`, which runs these checks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rupak.evidence.problems import ValidationError

if TYPE_CHECKING:
    from rupak.evidence.tables import Checked, Table

NO_FRAME = "none"
STANCE = "stance"
#: The codings of passage_frames.csv (its ``coder`` enum), compared by frame_reconciliation.csv.
CODERS = ("coder1", "coder2", "reconciled")
#: The tables the passages are built from; passage ids are checked only when these are sound.
READING = ("sources", "exclusions", "normalisations", "layout")


def _file_names(checked: Checked, names: tuple[str, ...]) -> list[str]:
    return [
        checked.found.file_of(n).rsplit("/", 1)[-1] for n in names if n in checked.found.resources
    ]


def _sentences(checked: Checked, texts: dict[str, str]) -> list[str] | None:
    """Ids of the analysed sentences, or None when what they are built from has problems."""
    sources = checked.table("sources")
    if not all(checked.sound(name) for name in READING) or sources is None:
        return None
    if any(source not in texts for source in sources.values("source_id")):
        return None
    from rupak.evidence import corpus  # pandas and pysbd: only needed here

    try:
        return corpus.passages(unit="sentence", root=checked.found.root)["passage_id"].tolist()
    except (ValidationError, ValueError, KeyError):
        return None


def _check_frame_lists(checked: Checked, codes: Table, codebook: set[str] | None) -> None:
    for row, record in codes.numbered():
        listed = [p.strip() for p in record["frames"].split(";")]
        if NO_FRAME in listed and len(listed) > 1:
            checked.add(
                codes, row, "frames", record["frames"], "'none' cannot be combined with frames"
            )
            continue
        for frame in listed if codebook is not None else []:
            if frame == NO_FRAME or not frame:
                continue
            if frame not in codebook:
                checked.add(codes, row, "frames", frame, "unknown frame (not in frames.csv)")
            elif listed.count(frame) > 1:
                checked.add(codes, row, "frames", frame, "frame listed twice")


def _check_passages(checked: Checked, codes: Table, sentences: list[str]) -> None:
    """Each coder codes every analysed sentence once, in the sentence order of the corpus."""
    position = {pid: i for i, pid in enumerate(sentences)}
    coders = checked.found.fields("passage_frames")["coder"].get("constraints", {}).get("enum")
    seen: dict[str, set[str]] = {coder: set() for coder in coders or []}
    last: dict[str, int] = {}
    unsure: set[str] = set()  # sentences with a code by an unknown coder (reported as such)
    for row, record in codes.numbered():
        pid, coder = record["passage_id"], record["coder"]
        if pid not in position:
            checked.add(
                codes,
                row,
                "passage_id",
                pid,
                "no such analysed sentence (see `rupak passages --unit sentence`)",
            )
        elif coder not in seen:
            unsure.add(pid)
        elif pid not in seen[coder]:  # a second code by one coder is a duplicate primary key
            seen[coder].add(pid)
            if position[pid] < last.get(coder, -1):
                checked.add(
                    codes,
                    row,
                    "passage_id",
                    pid,
                    f"out of order: each coder's rows ({coder}) follow the sentence order of "
                    "`rupak passages`",
                )
            last[coder] = max(last.get(coder, -1), position[pid])
    for coder, coded in seen.items():
        for pid in sentences:
            if pid not in coded and pid not in unsure:
                checked.add(codes, None, "passage_id", pid, f"sentence has no {coder} code")


def _code(record: dict[str, str], field: str) -> str:
    """One field of a sentence's code as frame_reconciliation.csv writes it: the stance, or
    1/0 for a frame's presence."""
    if field == STANCE:
        return record["stance"]
    return "1" if field in {f.strip() for f in record["frames"].split(";")} else "0"


def _by_coder(codes: Table) -> dict[str, dict[str, tuple[int, dict[str, str]]]]:
    """Each coder's codes by passage id, with their rows (the first, if coded twice)."""
    found: dict[str, dict[str, tuple[int, dict[str, str]]]] = {}
    for row, record in codes.numbered():
        found.setdefault(record["coder"], {}).setdefault(record["passage_id"], (row, record))
    return found


def _check_reconciliation_row(
    checked: Checked, table: Table, row: int, record: dict[str, str], coded: dict
) -> None:
    """One decision: the coders' codes as passage_frames.csv holds them, apart, and decided."""
    pid, field = record["passage_id"], record["field"]
    values = {coder: _code(coded[coder][pid][1], field) for coder in CODERS}
    rows = {coder: coded[coder][pid][0] for coder in CODERS}
    for coder in ("coder1", "coder2"):
        if record[coder] != values[coder]:
            checked.add(
                table,
                row,
                coder,
                record[coder],
                f"{coder} codes {field} of {pid} as {values[coder]!r} "
                f"(passage_frames.csv row {rows[coder]})",
            )
    if values["coder1"] == values["coder2"]:
        checked.add(
            table,
            row,
            "field",
            field,
            f"not a disagreement: coder1 and coder2 both code it {values['coder1']!r} for {pid}",
        )
    if record["final"] not in (record["coder1"], record["coder2"]):
        checked.add(table, row, "final", record["final"], "is neither coder's code")
    elif record["final"] != values["reconciled"]:
        checked.add(
            table,
            row,
            "final",
            record["final"],
            f"the reconciled code of {field} is {values['reconciled']!r} "
            f"(passage_frames.csv row {rows['reconciled']})",
        )


def _check_reconciliation(checked: Checked, codes: Table, frame_ids: list[str]) -> None:
    """frame_reconciliation.csv against the three codings (see the module's docstring).

    Sentences whose codes already have a problem are left out: that problem is the cause.
    """
    table = checked.table("frame_reconciliation")
    if table is None:
        return
    broken = {p.row for p in checked.problems if p.file == codes.file and p.row is not None}
    coded = _by_coder(codes)
    skip = {r["passage_id"] for n, r in codes.numbered() if n in broken}
    complete = set.intersection(*(set(coded.get(c, {})) for c in CODERS)) - skip
    fields = [*frame_ids, STANCE]
    decided = set()
    for row, record in table.numbered():
        pid, field = record["passage_id"], record["field"]
        if field not in fields:
            checked.add(table, row, "field", field, "neither a frame of frames.csv nor 'stance'")
        elif pid in complete:
            decided.add((pid, field))
            _check_reconciliation_row(checked, table, row, record, coded)
        elif not any(pid in coded.get(c, {}) for c in CODERS):  # else: a missing code, reported
            checked.add(table, row, "passage_id", pid, "no sentence of passage_frames.csv")
    for pid in [p for p in coded.get("coder1", {}) if p in complete]:
        for field in fields:
            first, second, final = (_code(coded[c][pid][1], field) for c in CODERS)
            if (pid, field) in decided or first == second == final:
                continue
            row, record = coded["coder2" if first != second else "reconciled"][pid]
            column = STANCE if field == STANCE else "frames"
            message = (
                f"coder1 and coder2 disagree on {field} of {pid} ({first!r}, {second!r}) and "
                "frame_reconciliation.csv has no row deciding it"
                if first != second
                else f"the reconciled code of {field} of {pid} ({final!r}) differs from both "
                f"coders' ({first!r}) without a row in frame_reconciliation.csv"
            )
            checked.add(codes, row, column, record[column], message)


def _check_entman(checked: Checked) -> None:
    entman, sources = checked.table("entman"), checked.table("sources")
    if entman is None or sources is None:
        return
    functions = checked.found.fields("entman")["function"].get("constraints", {}).get("enum", [])
    have = {(r["source_id"], r["function"]) for r in entman.rows}
    for source in [r["source_id"] for r in sources.rows]:
        for function in functions:
            if (source, function) not in have:
                checked.add(entman, None, "function", function, f"{source} has no {function} quote")


def framing_problems(checked: Checked, texts: dict[str, str]) -> None:
    """Add the framing tables' problems that frictionless cannot find to ``checked``."""
    codes, frames = checked.table("passage_frames"), checked.table("frames")
    if codes is not None:
        _check_frame_lists(checked, codes, frames.values("frame_id") if frames else None)
        sentences = _sentences(checked, texts)
        if sentences is None:
            checked.add(
                codes,
                None,
                "passage_id",
                None,
                "passage ids were not checked: the passages are built from the descriptor, "
                f"{', '.join(_file_names(checked, READING))} and the raw texts, and one of "
                "them has a problem",
            )
        else:
            _check_passages(checked, codes, sentences)
        if frames is not None:
            _check_reconciliation(checked, codes, frames.column("frame_id"))
    _check_entman(checked)
