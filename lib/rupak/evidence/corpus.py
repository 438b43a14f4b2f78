"""The two source texts, what is excluded from them, and their passages.

Raw texts are never edited. Three small tables in ``data/curated`` say how they are read:

* ``exclusions.csv`` — spans that are not the article (the injected spam line). Excluded
  spans never reach a passage, a count or a report.
* ``normalisations.csv`` — extraction debris repaired by named rules (``run_together``,
  ``missing_space``, ``missing_sentence_break``, ``paragraph_join``). Every candidate that
  :func:`detect_debris` finds must be listed there (a test enforces it), so no repair is
  silent and none is missed.
* ``layout.csv`` — the kind of each non-body paragraph (title, byline, heading, metadata,
  abstract, keywords, methods, acknowledgement, reference); every other paragraph is body.

Passages are paragraphs (``<source>-pNN``), sentences (``<source>-pNN-sNN``) and reference
entries (``<source>-rNN``). Each carries ``char_start``/``char_end`` into the raw text, so any
passage can be shown and cited exactly; ``text`` is the normalised reading used for analysis,
``raw`` the exact slice.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from rupak.base import provenance, storage
from rupak.base.provenance import cached
from rupak.evidence import tables

#: Paragraph kinds whose words are the authors' analysis (what framing counts).
ANALYSED_KINDS = ("abstract", "body")
PASSAGE_KINDS = (
    "title",
    "byline",
    "metadata",
    "heading",
    "abstract",
    "keywords",
    "body",
    "methods",
    "acknowledgement",
    "reference",
)


@dataclass(frozen=True)
class Span:
    """A half-open character range ``[start, end)`` in a raw text."""

    start: int
    end: int

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end


@cached
def _source_files(root: Path | None = None) -> dict[str, Path]:
    table = tables.read("sources", root)
    return {r["source_id"]: tables.source_path(root, r["file"]) for r in table.rows}


def source_ids(root: Path | None = None) -> list[str]:
    """Source ids in the order of ``sources.csv``."""
    return list(_source_files(root))


@cached
def raw_text(source_id: str, root: Path | None = None) -> str:
    """The raw text of a source exactly as received (UTF-8 decoded)."""
    files = _source_files(root)
    if source_id not in files:
        raise KeyError(f"unknown source_id {source_id!r}; known: {', '.join(files)}")
    provenance.note_file(files[source_id])
    return files[source_id].read_text(encoding="utf-8")


@cached
def exclusions(root: Path | None = None) -> pd.DataFrame:
    table = tables.frame("exclusions", root)
    return table.astype({"char_start": int, "char_end": int})


@cached
def normalisations(root: Path | None = None) -> pd.DataFrame:
    table = tables.frame("normalisations", root)
    return table.astype({"char_start": int, "char_end": int})


@cached
def layout(root: Path | None = None) -> pd.DataFrame:
    return tables.frame("layout", root)


def _spans(table: pd.DataFrame, source_id: str) -> list[Span]:
    rows = table[table["source_id"] == source_id]
    return [Span(int(s), int(e)) for s, e in zip(rows["char_start"], rows["char_end"], strict=True)]


def excluded_spans(source_id: str, root: Path | None = None) -> list[Span]:
    return _spans(exclusions(root), source_id)


def normalise(
    source_id: str, start: int, end: int, root: Path | None = None
) -> tuple[str, list[int]]:
    """Normalised text of raw ``[start, end)`` and, for each of its characters, its raw offset.

    The offset map (one entry per output character, plus one for the end) lets sentence
    boundaries found in the normalised text be cited in the raw text.
    """
    raw = raw_text(source_id, root)
    table = normalisations(root)
    rules = table[
        (table["source_id"] == source_id)
        & (table["char_start"] >= start)
        & (table["char_end"] <= end)
    ].sort_values("char_start")
    pieces: list[str] = []
    offsets: list[int] = []
    cursor = start
    for rule in rules.itertuples():
        pieces.append(raw[cursor : rule.char_start])
        offsets.extend(range(cursor, rule.char_start))
        pieces.append(rule.replacement)
        # Replacement characters map onto the raw span they stand for.
        length = len(rule.replacement)
        span = rule.char_end - rule.char_start
        offsets.extend(
            rule.char_start + min(i * span // max(length, 1), span - 1) for i in range(length)
        )
        cursor = rule.char_end
    pieces.append(raw[cursor:end])
    offsets.extend(range(cursor, end))
    offsets.append(end)
    return "".join(pieces), offsets


def _line_spans(text: str) -> list[Span]:
    spans, start = [], 0
    for line in text.split("\n"):
        end = start + len(line)
        if line.strip():
            left = len(line) - len(line.lstrip())
            right = len(line.rstrip())
            spans.append(Span(start + left, start + right))
        start = end + 1
    return spans


def _merge_joined(lines: list[Span], joins: list[Span]) -> list[Span]:
    """Merge consecutive lines whose gap is covered by a ``paragraph_join`` rule."""
    merged: list[Span] = []
    for line in lines:
        if merged and any(j.start >= merged[-1].end and j.end <= line.start for j in joins):
            merged[-1] = Span(merged[-1].start, line.end)
        else:
            merged.append(line)
    return merged


def _kind_of(text: str, rules: pd.DataFrame) -> str:
    for rule in rules.itertuples():
        if text.startswith(rule.starts_with):
            return rule.kind
    return "body"


@cached
def paragraphs(source_id: str, root: Path | None = None) -> pd.DataFrame:
    """One row per paragraph: id, kind, raw offsets, raw slice and normalised text."""
    raw = raw_text(source_id, root)
    excluded = excluded_spans(source_id, root)
    norms = normalisations(root)
    joins = _spans(norms[norms["rule"] == "paragraph_join"], source_id)
    lines = [s for s in _line_spans(raw) if not any(s.overlaps(x) for x in excluded)]
    rules = layout(root)
    rules = rules[rules["source_id"] == source_id]
    rows = []
    for number, span in enumerate(_merge_joined(lines, joins), start=1):
        text, _ = normalise(source_id, span.start, span.end, root)
        rows.append(
            {
                "passage_id": f"{source_id}-p{number:02d}",
                "source_id": source_id,
                "unit": "paragraph",
                "kind": _kind_of(raw[span.start : span.end], rules),
                "paragraph": number,
                "char_start": span.start,
                "char_end": span.end,
                "raw": raw[span.start : span.end],
                "text": text,
            }
        )
    return pd.DataFrame(rows)


_REFERENCE_NUMBER = "{n}. "


def _reference_spans(raw: str, span: Span) -> list[Span]:
    """Split a one-line numbered reference list at ' 1. ', ' 2. ', … in sequence."""
    starts = [span.start]
    number, cursor = 2, span.start
    while True:
        found = raw.find(f" {number}. ", cursor, span.end)
        if found < 0:
            break
        starts.append(found + 1)
        cursor, number = found + 1, number + 1
    ends = [s - 1 for s in starts[1:]] + [span.end]
    return [Span(s, e) for s, e in zip(starts, ends, strict=True)]


@cached
def references(source_id: str, root: Path | None = None) -> pd.DataFrame:
    """The bibliography as one passage per numbered entry (kind ``reference``)."""
    raw = raw_text(source_id, root)
    paras = paragraphs(source_id, root)
    rows = []
    for para in paras[paras["kind"] == "reference"].itertuples():
        for number, span in enumerate(
            _reference_spans(raw, Span(para.char_start, para.char_end)), start=1
        ):
            text, _ = normalise(source_id, span.start, span.end, root)
            rows.append(
                {
                    "passage_id": f"{source_id}-r{number:02d}",
                    "source_id": source_id,
                    "unit": "reference",
                    "kind": "reference",
                    "paragraph": para.paragraph,
                    "char_start": span.start,
                    "char_end": span.end,
                    "raw": raw[span.start : span.end],
                    "text": text.strip(),
                }
            )
    return pd.DataFrame(rows, columns=paras.columns)


@cached
def _segmenter():
    import warnings

    with warnings.catch_warnings():  # pysbd's regexes carry invalid escapes (its bug, harmless)
        warnings.simplefilter("ignore")
        import pysbd  # imported lazily: only sentence segmentation needs it

    return pysbd.Segmenter(language="en", clean=False, char_span=True)


_LIST_NUMBER = re.compile(r"^\d{1,2}\.$")
_CITATION_ONLY = re.compile(r"^\([^()]*\)\.?$")


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentence spans of a paragraph: pysbd's, with two repairs it needs here.

    A bare list number ("1.") joins the sentence after it, and a citation standing alone
    after a full stop ("(Arif 1984 and Sattar 2007).") joins the sentence before it.
    """
    spans: list[tuple[int, int]] = []
    for piece in _segmenter().segment(text):
        stripped = piece.sent.strip()
        if not stripped:
            continue
        start = piece.start + len(piece.sent) - len(piece.sent.lstrip())
        spans.append((start, start + len(stripped)))
    merged: list[tuple[int, int]] = []
    pending: int | None = None
    for start, end in spans:
        piece = text[start:end]
        if _LIST_NUMBER.match(piece):
            pending = start if pending is None else pending
            continue
        if pending is not None:
            start, pending = pending, None
        if merged and _CITATION_ONLY.match(piece):
            merged[-1] = (merged[-1][0], end)
            continue
        merged.append((start, end))
    if pending is not None:
        merged.append((pending, len(text.rstrip())))
    return merged


def _inputs_digest(source_id: str, root: Path | None) -> str:
    """What a source's sentences depend on: its raw text, the reading tables, this code."""
    import hashlib
    from importlib.metadata import version

    digest = hashlib.sha256(version("pysbd").encode())
    raw = _source_files(root)[source_id]
    provenance.note_file(raw)
    digest.update(raw.read_bytes())
    for name in ("exclusions", "normalisations", "layout"):
        digest.update(tables.read(name, root).text.encode())
    digest.update(Path(__file__).read_bytes())
    return digest.hexdigest()


@cached
def sentences(source_id: str, root: Path | None = None) -> pd.DataFrame:
    """One row per sentence of every non-reference paragraph, cited in raw offsets.

    Segmentation is the slow step, so the table is cached on disk under a digest of
    everything it depends on (see :func:`_inputs_digest`).
    """
    return storage.cached_frame(
        f"corpus-sentences-{source_id}",
        _inputs_digest(source_id, root)[:16],
        lambda: _segment(source_id, root),
    )


def _segment(source_id: str, root: Path | None) -> pd.DataFrame:
    raw = raw_text(source_id, root)
    rows = []
    for para in paragraphs(source_id, root).itertuples():
        if para.kind == "reference":
            continue
        text, offsets = normalise(source_id, para.char_start, para.char_end, root)
        for number, (start, end) in enumerate(_sentence_spans(text), start=1):
            raw_start, raw_end = offsets[start], offsets[end - 1] + 1
            stripped = text[start:end]
            rows.append(
                {
                    "passage_id": f"{para.passage_id}-s{number:02d}",
                    "source_id": source_id,
                    "unit": "sentence",
                    "kind": para.kind,
                    "paragraph": para.paragraph,
                    "char_start": raw_start,
                    "char_end": raw_end,
                    "raw": raw[raw_start:raw_end],
                    "text": stripped,
                }
            )
    return pd.DataFrame(rows)


def passages(
    source_id: str | None = None,
    unit: str = "sentence",
    kinds: Iterable[str] | None = ANALYSED_KINDS,
    root: Path | None = None,
) -> pd.DataFrame:
    """Passages of one source (or all) at a unit: ``sentence``, ``paragraph`` or ``reference``.

    ``kinds`` filters paragraph kinds (default: the analysed body text); ``None`` keeps all.
    """
    builders = {"sentence": sentences, "paragraph": paragraphs, "reference": references}
    if unit not in builders:
        raise ValueError(f"unknown unit {unit!r}; choose one of {', '.join(builders)}")
    ids = [source_id] if source_id is not None else source_ids(root)
    frame = pd.concat([builders[unit](sid, root) for sid in ids], ignore_index=True)
    if kinds is not None and unit != "reference":
        frame = frame[frame["kind"].isin(list(kinds))].reset_index(drop=True)
    return frame


def locate(
    source_id: str, char_start: int, char_end: int, unit: str = "sentence", root: Path | None = None
) -> str | None:
    """The id of the passage (at ``unit``) that contains the raw span, or None."""
    frame = passages(source_id, unit=unit, kinds=None, root=root)
    hit = frame[(frame["char_start"] <= char_start) & (frame["char_end"] >= char_end)]
    return None if hit.empty else str(hit["passage_id"].iloc[0])


# URLs and URL fragments (a Lotus Notes "!OpenDocument" link broken by a space included).
_URLISH = re.compile(r"\S*(?:https?://|www\.|\.html|\.php|\.nsf|/|!)\S*")
_CAMEL = re.compile(r"\b[A-Za-z]*[a-z]{2,}[A-Z][a-z]{2,}[A-Za-z]*")
_COMMA_JOIN = re.compile(r"[a-z][,;:][A-Z]")
_LONG_LOWER = re.compile(r"\b[a-z]{8,}\b")


def detect_debris(source_id: str, root: Path | None = None) -> list[tuple[int, int, str, str]]:
    """Candidate extraction debris as ``(start, end, text, rule)``, outside URLs and exclusions.

    Rules: a lower-case run followed by a capitalised word inside one token
    (``run_together``); punctuation directly followed by a capital (``missing_space``); a long
    lower-case token unknown to wordfreq that splits into two common words
    (``run_together``); a paragraph that ends without punctuation followed by one that
    starts in lower case (``paragraph_join``).
    """
    from wordfreq import zipf_frequency

    raw = raw_text(source_id, root)
    blocked = [Span(m.start(), m.end()) for m in _URLISH.finditer(raw)]
    blocked += excluded_spans(source_id, root)
    found: list[tuple[int, int, str, str]] = []

    def keep(start: int, end: int, rule: str) -> None:
        if not any(Span(start, end).overlaps(b) for b in blocked):
            found.append((start, end, raw[start:end], rule))

    for match in _CAMEL.finditer(raw):
        keep(match.start(), match.end(), "run_together")
    for match in _COMMA_JOIN.finditer(raw):
        token = re.search(r"\S+$", raw[: match.start() + 1])
        tail = re.match(r"[^\s,.;:]*", raw[match.start() + 2 :])
        start = token.start() if token else match.start()
        keep(start, match.start() + 2 + (tail.end() if tail else 0), "missing_space")
    for match in _LONG_LOWER.finditer(raw):
        word = match.group()
        if zipf_frequency(word, "en") > 0:
            continue
        if any(
            zipf_frequency(word[:i], "en") >= 3 and zipf_frequency(word[i:], "en") >= 3
            for i in range(3, len(word) - 2)
        ):
            keep(match.start(), match.end(), "run_together")
    lines = _line_spans(raw)
    for before, after in itertools.pairwise(lines):
        if raw[before.end - 1].isalpha() and raw[after.start].islower():
            keep(before.end, after.start, "paragraph_join")
    return sorted(found)
