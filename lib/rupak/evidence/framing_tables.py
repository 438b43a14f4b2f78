"""The framing tables: codebook, hand codes, lexicon and Entman quotes, and their checks.

Why here, in the evidence layer: these are curated tables like the others (``docs/framing.md``
is their contract); the analysis in :mod:`rupak.analysis.framing` reads them through the
loaders below, and :mod:`rupak.evidence.validate` checks them with :func:`framing_problems`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from rupak.base import provenance
from rupak.base.paths import data_dir
from rupak.evidence import corpus
from rupak.evidence.problems import Problem

STANCES = ("opportunity", "neutral", "threat")
ENTMAN_FUNCTIONS = ("problem", "cause", "evaluation", "remedy")
NO_FRAME = "none"


def _passages(source_id: str | None, unit: str, root: Path | None) -> pd.DataFrame:
    return corpus.passages(source_id, unit=unit, root=root)


# --------------------------------------------------------------------------- curated tables


def _root(root: Path | None) -> Path:
    return Path(root) if root is not None else data_dir()


def _read(name: str, root: Path | None) -> pd.DataFrame:
    path = _root(root) / "curated" / name
    provenance.note_file(path)
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def _frame_list(value: str | Sequence[str]) -> list[str]:
    if isinstance(value, str):
        parts = [p.strip() for p in value.split(";") if p.strip()]
    else:
        parts = list(value)
    return [] if parts == [NO_FRAME] else parts


def frames(root: Path | None = None) -> pd.DataFrame:
    """The frame codebook (frame_id, name, definition, include, exclude, examples)."""
    return _read("frames.csv", root)


def lexicon(root: Path | None = None) -> pd.DataFrame:
    """The automatic coder's dictionary: frame_id, term (``*`` = any ending)."""
    return _read("frame_lexicon.csv", root)


def hand_codes(root: Path | None = None) -> pd.DataFrame:
    """Hand codes with their passages: passage_id, source_id, paragraph, text, frames (list),
    stance (categorical), coder, note."""
    table = _read("passage_frames.csv", root)
    table["frames"] = table["frames"].map(_frame_list)
    table["stance"] = pd.Categorical(table["stance"], categories=list(STANCES))
    info = _passages(None, "sentence", root)[["passage_id", "source_id", "paragraph", "text"]]
    table = info.merge(table, on="passage_id", how="right", validate="one_to_one")
    return table[
        ["passage_id", "source_id", "paragraph", "text", "frames", "stance", "coder", "note"]
    ]


def entman(source_id: str | None = None, root: Path | None = None) -> pd.DataFrame:
    """Entman's four functions for a source (or both), each with its verbatim quote.

    Columns: source_id, function (problem, cause, evaluation, remedy, in that order), quote,
    char_start, char_end, sentence_id (the sentence that holds the quote's start), note.
    """
    table = _read("entman.csv", root)
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

_FRAME_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_TERM = re.compile(r"^[a-z0-9/]+\*?(?: [a-z0-9/]+\*?)*$")
_COLUMNS = {
    "frames.csv": ["frame_id", "name", "definition", "include", "exclude", "examples"],
    "passage_frames.csv": ["passage_id", "frames", "stance", "coder", "note"],
    "frame_lexicon.csv": ["frame_id", "term"],
    "entman.csv": ["source_id", "function", "quote", "char_start", "char_end", "note"],
}


def _table(root: Path, name: str, problems: list[Problem]) -> tuple[str, list[dict[str, str]]]:
    """Read one framing CSV as text rows (row numbers: header = 1), reporting file problems."""
    path = root / "curated" / name
    try:
        file = str(path.relative_to(root.parent))
    except ValueError:
        file = str(path)
    if not path.is_file():
        problems.append(Problem(file, None, None, None, "file is missing"))
        return file, []
    try:
        records = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    except (UnicodeDecodeError, csv.Error) as error:
        problems.append(Problem(file, None, None, None, f"cannot be read as UTF-8 CSV: {error}"))
        return file, []
    if not records:
        problems.append(Problem(file, None, None, None, "file is empty (no header row)"))
        return file, []
    header = records[0]
    missing = [c for c in _COLUMNS[name] if c not in header]
    for column in missing:
        problems.append(Problem(file, 1, column, None, "column is missing from the header"))
    if missing:
        return file, []
    width = len(header)  # blank or short rows are reported by rupak validate; pad them here
    rows = [
        dict(zip(header, record + [""] * (width - len(record)), strict=False))
        for record in records[1:]
    ]
    return file, [{k: (v or "") for k, v in r.items()} for r in rows]


def framing_problems(root: Path | None = None) -> list[Problem]:
    """Every problem in the framing tables, as ``file:row:column: value: message``.

    Checks: frame ids well formed and unique; each hand-coded passage is a known analysed
    sentence, coded once, with frames from the codebook (or ``none`` alone), a stance from
    opportunity/neutral/threat and coder ``hand``, in passage order; every analysed sentence
    has a hand code; lexicon terms belong to codebook frames and are lower-case words; every
    Entman quote stands verbatim at its offsets, outside excluded spans, one per function and
    source. Reads only; never writes.
    """
    root = _root(root)
    problems: list[Problem] = []

    frames_file, frame_rows = _table(root, "frames.csv", problems)
    codebook: dict[str, int] = {}
    for number, record in enumerate(frame_rows, start=2):
        frame = record["frame_id"]
        if not _FRAME_ID.match(frame) or frame == NO_FRAME:
            problems.append(
                Problem(
                    frames_file,
                    number,
                    "frame_id",
                    frame,
                    "frame ids are lower-case snake_case and not 'none'",
                )
            )
        elif frame in codebook:
            problems.append(
                Problem(
                    frames_file,
                    number,
                    "frame_id",
                    frame,
                    f"frame defined twice (first at row {codebook[frame]})",
                )
            )
        else:
            codebook[frame] = number

    try:
        sentences = corpus.passages(unit="sentence", root=root)["passage_id"].tolist()
    except Exception as error:  # a broken corpus is reported by rupak validate itself
        problems.append(Problem(str(root), None, None, None, f"cannot read the passages: {error}"))
        sentences = []
    position = {pid: i for i, pid in enumerate(sentences)}

    codes_file, code_rows = _table(root, "passage_frames.csv", problems)
    seen: dict[str, int] = {}
    last = -1
    for number, record in enumerate(code_rows, start=2):
        pid = record["passage_id"]
        if pid not in position:
            problems.append(
                Problem(
                    codes_file,
                    number,
                    "passage_id",
                    pid,
                    "no such analysed sentence (see `rupak passages --unit sentence`)",
                )
            )
        elif pid in seen:
            problems.append(
                Problem(
                    codes_file,
                    number,
                    "passage_id",
                    pid,
                    f"sentence coded twice (first at row {seen[pid]})",
                )
            )
        else:
            seen[pid] = number
            if position[pid] < last:
                problems.append(
                    Problem(
                        codes_file,
                        number,
                        "passage_id",
                        pid,
                        "out of order: rows follow the sentence order of `rupak passages`",
                    )
                )
            last = max(last, position[pid])
        listed = [p.strip() for p in record["frames"].split(";")]
        if not record["frames"].strip():
            problems.append(
                Problem(
                    codes_file,
                    number,
                    "frames",
                    "",
                    "no frames: write frame ids separated by ';', or 'none'",
                )
            )
        elif NO_FRAME in listed and len(listed) > 1:
            problems.append(
                Problem(
                    codes_file,
                    number,
                    "frames",
                    record["frames"],
                    "'none' cannot be combined with frames",
                )
            )
        else:
            for frame in listed:
                if frame == NO_FRAME:
                    continue
                if frame not in codebook:
                    problems.append(
                        Problem(
                            codes_file, number, "frames", frame, "unknown frame (not in frames.csv)"
                        )
                    )
                elif listed.count(frame) > 1:
                    problems.append(
                        Problem(codes_file, number, "frames", frame, "frame listed twice")
                    )
        if record["stance"] not in STANCES:
            problems.append(
                Problem(
                    codes_file,
                    number,
                    "stance",
                    record["stance"],
                    f"not a stance; use {', '.join(STANCES)}",
                )
            )
        if record["coder"] != "hand":
            problems.append(
                Problem(
                    codes_file,
                    number,
                    "coder",
                    record["coder"],
                    "coder must be 'hand' (automatic codes are computed, never stored)",
                )
            )
    if code_rows:
        for pid in sentences:
            if pid not in seen:
                problems.append(
                    Problem(codes_file, None, "passage_id", pid, "sentence has no hand code")
                )

    lexicon_file, lexicon_rows = _table(root, "frame_lexicon.csv", problems)
    for number, record in enumerate(lexicon_rows, start=2):
        if record["frame_id"] not in codebook:
            problems.append(
                Problem(
                    lexicon_file,
                    number,
                    "frame_id",
                    record["frame_id"],
                    "unknown frame (not in frames.csv)",
                )
            )
        if not _TERM.match(record["term"]):
            problems.append(
                Problem(
                    lexicon_file,
                    number,
                    "term",
                    record["term"],
                    "terms are lower-case words or phrases (letters, digits, "
                    "'/'; '*' only at a word's end), as tokenize() reads them",
                )
            )

    entman_file, entman_rows = _table(root, "entman.csv", problems)
    sources = corpus.source_ids(root)
    excluded = {s: corpus.excluded_spans(s, root) for s in sources}
    have: dict[tuple[str, str], int] = {}
    for number, record in enumerate(entman_rows, start=2):
        source, function, quote = record["source_id"], record["function"], record["quote"]
        if source not in sources:
            problems.append(
                Problem(
                    entman_file, number, "source_id", source, "no such source_id in sources.csv"
                )
            )
            continue
        if function not in ENTMAN_FUNCTIONS:
            problems.append(
                Problem(
                    entman_file,
                    number,
                    "function",
                    function,
                    f"not an Entman function; use {', '.join(ENTMAN_FUNCTIONS)}",
                )
            )
        elif (source, function) in have:
            problems.append(
                Problem(
                    entman_file,
                    number,
                    "function",
                    function,
                    f"{source} already has a {function} quote (row {have[(source, function)]})",
                )
            )
        else:
            have[(source, function)] = number
        try:
            start, end = int(record["char_start"]), int(record["char_end"])
        except ValueError:
            problems.append(
                Problem(
                    entman_file,
                    number,
                    "char_start",
                    record["char_start"],
                    "offsets must be integers",
                )
            )
            continue
        text = corpus.raw_text(source, root)
        if text[start:end] != quote:
            where = text.find(quote) if quote else -1
            if where < 0:
                problems.append(
                    Problem(
                        entman_file,
                        number,
                        "quote",
                        quote,
                        f"not found verbatim in source {source}",
                    )
                )
            else:
                problems.append(
                    Problem(
                        entman_file,
                        number,
                        "char_start",
                        record["char_start"],
                        f"quote is not at {start}:{end} in {source}; it occurs "
                        f"at {where}:{where + len(quote)}",
                    )
                )
            continue
        for span in excluded[source]:
            if start < span.end and span.start < end:
                problems.append(
                    Problem(
                        entman_file,
                        number,
                        "quote",
                        quote,
                        f"overlaps the excluded span {span.start}:{span.end} (spam)",
                    )
                )
    if entman_rows:
        for source in sources:
            for function in ENTMAN_FUNCTIONS:
                if (source, function) not in have:
                    problems.append(
                        Problem(
                            entman_file,
                            None,
                            "function",
                            function,
                            f"{source} has no {function} quote",
                        )
                    )
    return sorted(set(problems), key=lambda p: (p.file, p.row or 0, p.column or "", p.message))
