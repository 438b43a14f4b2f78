"""What the descriptor cannot say about the framing tables (``docs/framing.md``).

The descriptor already checks frame ids, stances, the ``hand`` coder, lexicon terms, Entman
functions, the keys (a sentence coded twice, a function quoted twice) and the foreign keys
(lexicon frames, Entman sources). Left here:

* each hand-coded passage is an analysed sentence, in the order of ``rupak passages``, and
  every analysed sentence has a hand code;
* the ``;``-separated frames of a hand code are in the codebook, each once, or ``none`` alone;
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
    position = {pid: i for i, pid in enumerate(sentences)}
    seen: set[str] = set()
    last = -1
    for row, record in codes.numbered():
        pid = record["passage_id"]
        if pid not in position:
            checked.add(
                codes,
                row,
                "passage_id",
                pid,
                "no such analysed sentence (see `rupak passages --unit sentence`)",
            )
        elif pid not in seen:  # a second code for it is a duplicate primary key
            seen.add(pid)
            if position[pid] < last:
                checked.add(
                    codes,
                    row,
                    "passage_id",
                    pid,
                    "out of order: rows follow the sentence order of `rupak passages`",
                )
            last = max(last, position[pid])
    for pid in sentences:
        if pid not in seen:
            checked.add(codes, None, "passage_id", pid, "sentence has no hand code")


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
    _check_entman(checked)
