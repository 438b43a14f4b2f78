"""The framing tables: codebook, hand codes, lexicon and Entman quotes, and their checks.

Why here, in the evidence layer: these are curated tables like the others (``docs/framing.md``
is their contract); the analysis in :mod:`rupak.analysis.framing` reads them through the
loaders below; :mod:`rupak.evidence.validate` checks them with the rest of the package.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from rupak.base.paths import data_dir
from rupak.evidence import corpus, tables
from rupak.evidence.framing_checks import NO_FRAME
from rupak.evidence.problems import Problem

#: The enums of passage_frames.stance and entman.function in the descriptor, in their order
#: (a test holds them equal): the loaders order categories by them.
STANCES = ("opportunity", "neutral", "threat")
ENTMAN_FUNCTIONS = ("problem", "cause", "evaluation", "remedy")
FRAMING_TABLES = ("frames", "passage_frames", "frame_reconciliation", "frame_lexicon", "entman")
#: The codings of every analysed sentence (passage_frames.coder, docs/framing.md): the first
#: coder, the blind model-assisted second coder, and the codes after reconciliation.
CODERS = ("coder1", "coder2", "reconciled")


def _passages(source_id: str | None, unit: str, root: Path | None) -> pd.DataFrame:
    return corpus.passages(source_id, unit=unit, root=root)


# --------------------------------------------------------------------------- curated tables


def _root(root: Path | None) -> Path:
    return Path(root) if root is not None else data_dir()


def _read(name: str, root: Path | None) -> pd.DataFrame:
    return tables.frame(name, _root(root))


def _frame_list(value: str | Sequence[str]) -> list[str]:
    if isinstance(value, str):
        parts = [p.strip() for p in value.split(";") if p.strip()]
    else:
        parts = list(value)
    return [] if parts == [NO_FRAME] else parts


def frames(root: Path | None = None) -> pd.DataFrame:
    """The frame codebook (frame_id, name, definition, include, exclude, examples)."""
    return _read("frames", root)


def lexicon(root: Path | None = None) -> pd.DataFrame:
    """The automatic coder's dictionary: frame_id, term (``*`` = any ending)."""
    return _read("frame_lexicon", root)


def hand_codes(root: Path | None = None, coder: str = "reconciled") -> pd.DataFrame:
    """One coding of every analysed sentence, with its passage: passage_id, source_id,
    paragraph, text, frames (list), stance (categorical), coder, note.

    ``coder`` is one of :data:`CODERS`: ``coder1`` (the first coding), ``coder2`` (the blind,
    model-assisted second coding) or ``reconciled`` (the default: the codes after each
    disagreement was decided, the ones the framing findings rest on; docs/framing.md).
    """
    if coder not in CODERS:
        raise ValueError(f"coder={coder!r}: choose one of {', '.join(CODERS)}")
    table = _read("passage_frames", root)
    table = table[table["coder"] == coder].reset_index(drop=True)
    table["frames"] = table["frames"].map(_frame_list)
    table["stance"] = pd.Categorical(table["stance"], categories=list(STANCES))
    info = _passages(None, "sentence", root)[["passage_id", "source_id", "paragraph", "text"]]
    table = info.merge(table, on="passage_id", how="right", validate="one_to_one")
    return table[
        ["passage_id", "source_id", "paragraph", "text", "frames", "stance", "coder", "note"]
    ]


def frame_reconciliation(root: Path | None = None) -> pd.DataFrame:
    """Each disagreement between coder1 and coder2 on a sentence's frame or stance: passage_id,
    field (a frame id or ``stance``), coder1, coder2, final (1/0 for a frame, else the stance)
    and reason."""
    return _read("frame_reconciliation", root)


def entman(source_id: str | None = None, root: Path | None = None) -> pd.DataFrame:
    """Entman's four functions for a source (or both), each with its verbatim quote.

    Columns: source_id, function (problem, cause, evaluation, remedy, in that order), quote,
    char_start, char_end, sentence_id (the sentence that holds the quote's start), note.
    """
    table = _read("entman", root)
    if source_id is not None:
        if source_id not in corpus.source_ids(root):
            raise ValueError(f"unknown source id {source_id!r}")
        table = table[table["source_id"] == source_id]
    table = table.astype({"char_start": int, "char_end": int})
    table["function"] = pd.Categorical(
        table["function"], categories=list(ENTMAN_FUNCTIONS), ordered=True
    )
    table["sentence_id"] = [
        corpus.locate(s, a, a + 1, unit="sentence", root=root)
        for s, a in zip(table["source_id"], table["char_start"], strict=True)
    ]
    table = table.sort_values(["source_id", "function"]).reset_index(drop=True)
    return table[
        ["source_id", "function", "quote", "char_start", "char_end", "sentence_id", "note"]
    ]


# --------------------------------------------------------------------------- validation


def framing_problems(root: Path | None = None) -> list[Problem]:
    """Every problem in the framing tables (frames, codes, reconciliation, lexicon, Entman).

    They are checked with the whole package by :func:`rupak.evidence.validate.problems_in`
    (the descriptor's rules by frictionless, the rest in :mod:`rupak.evidence.framing_checks`);
    this keeps the problems of these five files. Reads only; never writes.
    """
    from rupak.evidence.validate import problems_in

    root = _root(root)
    found = tables.package(root)
    files = {found.file_of(n) for n in FRAMING_TABLES if n in found.resources}
    return [p for p in problems_in(root) if p.file in files or p.file == found.file]
