"""Reading and tokenising the two texts: what counts as a word, and which passages are compared.

Every word counted is read from :func:`rupak.evidence.corpus.passages`' ``text``: the spam
line never reaches it and extraction debris is already repaired there. On top of that reading,
:func:`reading` drops parenthetical citations (``(Mahmood, 1994b, p.104)``: bibliographic
apparatus of the journal genre, not the authors' vocabulary) and the run-in labels that open
some of Kaushiki & Bawa's paragraphs ("Abstract", "Findings", …).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import pandas as pd

from rupak.evidence import corpus

#: The passage units a comparison can count in (``reference`` passages are never analysed).
UNITS = ("sentence", "paragraph")

#: Run-in labels that open a paragraph of Kaushiki & Bawa ("Findings Due to a loose…"): layout,
#: not vocabulary. They also name the section their paragraph belongs to (see :func:`run_in_label`).
RUN_IN_LABELS = ("Abstract", "Aim of study", "Findings", "Conclusion")

#: English function words (articles, pronouns, prepositions, conjunctions, auxiliaries, modals,
#: common adverbs). Our own list rather than scikit-learn's, which drops content words this
#: corpus needs ("interest", "mill", "system", "found", "part"; Nothman, Qin & Yurchak 2018).
#: Modal verbs are here because they are measured on their own by the hedging counts. "us" is
#: not: neither text uses the pronoun, and "US"/"U.S." become the token ``us``.
# fmt: off
STOPWORDS = frozenset(
    """
    a about above across after again against all almost along already also although always am
    among an and another any are around as at be became because become been before being below
    between both but by can cannot could did do does doing done down during each either else
    even ever every for from further furthermore had has have having he her here hers herself
    him himself his how however i if in into is it its itself just least less many may me might
    more moreover most much must my myself namely neither no nor not now of off often on once
    one only onto or other others otherwise our ours ourselves out over own per rather same
    shall she should since so some such than that the their theirs them themselves then there
    thereby therefore these they this those though through throughout thus to too toward
    towards under until up upon very via was we well were what whatever when where whereas
    whether which while who whom whose why will with within without would yet you your yours
    hence etc ie eg
    """.split()  # noqa: SIM905 - a word list reads best as words
)

#: One spelling per word, so that spelling is not read as vocabulary: Durrani writes American
#: ("defense", "normalize"), Kaushiki & Bawa British ("defence"), and "rapproachment" is their
#: misspelling of "rapprochement". Applied by :func:`tokenize` (also to lexicon matching).
SPELLING = {
    "defense": "defence", "favor": "favour", "neighboring": "neighbouring",
    "normalize": "normalise", "organization": "organisation", "realize": "realise",
    "summarized": "summarised", "focussed": "focused", "focussing": "focusing",
    "rapproachment": "rapprochement",
}
# fmt: on

_ABBREVIATION = re.compile(r"\b[A-Z]\.(?:\s?[A-Z]\.)+(?:[A-Z]\b)?")
# A parenthesis holding a year (1800-2099, maybe with a letter: "1994a") or a page ("p. 47").
_CITATION = re.compile(
    r"\s*\((?=[^()]*(?:\b1[89]\d\d[a-z]?\b|\b20\d\d[a-z]?\b|\bp\.\s?\d))[^()]*\)"
)
_TOKEN = re.compile(r"\d+/\d+|[^\W_]+(?:['’][^\W_]+)*")
_POSSESSIVE = re.compile(r"['’]s$")
_LABEL = re.compile(r"^(?:" + "|".join(re.escape(label) for label in RUN_IN_LABELS) + r")\b\s*")


def run_in_label(text: str) -> str | None:
    """The run-in label that opens ``text`` ("Findings"), or None."""
    match = _LABEL.match(text)
    return match.group().strip() if match else None


def reading(text: str, citations: bool = False) -> str:
    """The words of a passage as the framing analysis reads them.

    Dotted abbreviations lose their dots ("U.S." → "US", "U.S.S. R." → "USSR", so one name is
    one token in both texts' spellings); a run-in label at the start is dropped; parenthetical
    citations (a parenthesis holding a year or a page) are dropped unless ``citations``.
    """
    text = _LABEL.sub("", text)
    if not citations:
        text = _CITATION.sub("", text)
    return _ABBREVIATION.sub(lambda m: re.sub(r"[.\s]", "", m.group()), text)


def tokenize(
    text: str,
    stopwords: Iterable[str] = STOPWORDS,
    *,
    min_length: int = 2,
    numbers: bool = False,
    spelling: Mapping[str, str] | None = SPELLING,
) -> list[str]:
    """Lower-case word tokens of ``text`` (apply :func:`reading` first to drop citations).

    A token is a run of letters and digits, so digits inside a word stay ("226t"). Hyphenated
    words are split ("Russia-Pakistan" → ``russia``, ``pakistan``; "anti-American" → ``anti``,
    ``american``): both texts join names with hyphens, and splitting lets every name count the
    same way. A possessive ``'s``/``’s`` is dropped. Pure numbers are dropped unless
    ``numbers`` (dates and sums are counted in ``claims.csv``), except slash-joined ones that
    name an event ("9/11"). Spelling variants are folded (:data:`SPELLING`). Tokens shorter
    than ``min_length`` and ``stopwords`` are dropped.
    """
    stop = stopwords if isinstance(stopwords, (set, frozenset)) else frozenset(stopwords)
    tokens = []
    for match in _TOKEN.finditer(text.lower()):
        token = _POSSESSIVE.sub("", match.group()).replace("’", "'")
        if spelling:
            token = spelling.get(token, token)
        if "/" not in token and not numbers and not any(c.isalpha() for c in token):
            continue
        if len(token) < min_length or token in stop:
            continue
        tokens.append(token)
    return tokens


# --------------------------------------------------------------------------- matching terms


def term_pattern(terms: Iterable[str]) -> re.Pattern[str]:
    """One regex for lexicon terms (``*`` = any ending), matched on :func:`match_text` output.

    Whole words only: the text is a space-joined token string, so "islam" never fires inside
    "islamabad". Longer terms come first, so a phrase wins over its first word.
    """
    pieces = []
    for term in sorted(set(terms), key=lambda t: (-len(t), t)):
        words_ = [
            re.escape(w.rstrip("*")) + (r"[^ ]*" if w.endswith("*") else "") for w in term.split()
        ]
        pieces.append(" ".join(words_))
    return re.compile(r"(?<![^ ])(?:" + "|".join(pieces) + r")(?![^ ])")


def match_text(text: str) -> str:
    """A passage as lexicon terms are matched against it: every token, numbers kept."""
    return " ".join(tokenize(reading(text), (), min_length=1, numbers=True))


# --------------------------------------------------------------------------- which passages


def chosen_sources(sources: Sequence[str] | None, root: Path | None = None) -> list[str]:
    """The sources a comparison covers, in the order given (default: every source).

    An unknown id raises ValueError naming the choices, so a typo in a notebook's parameters
    fails with a message and not with an empty table.
    """
    known = corpus.source_ids(root)
    if sources is None:
        return known
    chosen = list(sources)
    unknown = [s for s in chosen if s not in known]
    if unknown:
        raise ValueError(f"unknown source id {unknown[0]!r}; known: {', '.join(known)}")
    if len(set(chosen)) != len(chosen):
        raise ValueError(f"sources {chosen}: each source once")
    return chosen


def check_unit(unit: str) -> None:
    """Raise ValueError unless ``unit`` is one of :data:`UNITS`."""
    if unit not in UNITS:
        raise ValueError(
            f"unit {unit!r} has no analysed passages; choose one of {', '.join(UNITS)}"
        )


def check_sources(
    source_a: str, source_b: str, unit: str = "sentence", root: Path | None = None
) -> None:
    """Raise ValueError for an unknown source, one source on both sides, or an empty unit.

    Called by every pairwise comparison so a typo in a notebook's parameters cell fails with a
    message that names the choices, not with an empty table.
    """
    known = corpus.source_ids(root)
    for side, source in (("source_a", source_a), ("source_b", source_b)):
        if source not in known:
            raise ValueError(f"{side}: unknown source id {source!r}; known: {', '.join(known)}")
    if source_a == source_b:
        raise ValueError(f"source_a and source_b are both {source_a!r}: compare two sources")
    check_unit(unit)
    for source in (source_a, source_b):
        if corpus.passages(source, unit=unit, root=root).empty:
            raise ValueError(
                f"source {source!r} has no {unit} passages of the analysed kinds "
                f"({', '.join(corpus.ANALYSED_KINDS)})"
            )


def unit_passages(
    sources: Sequence[str] | None = None, unit: str = "sentence", root: Path | None = None
) -> pd.DataFrame:
    """The analysed passages of ``sources`` (in that order) at ``unit``."""
    check_unit(unit)
    chosen = chosen_sources(sources, root)
    parts = [corpus.passages(s, unit=unit, root=root) for s in chosen]
    return pd.concat(parts, ignore_index=True)


def sentence_units(unit: str = "sentence", root: Path | None = None) -> pd.Series:
    """For each analysed sentence (index: passage_id), the id of the ``unit`` passage holding it.

    Hand codes are made per sentence; this is how they are read per paragraph.
    """
    check_unit(unit)
    sentences = corpus.passages(unit="sentence", root=root)
    if unit == "sentence":
        return pd.Series(sentences["passage_id"].to_numpy(), index=sentences["passage_id"])
    units = corpus.passages(unit=unit, root=root)
    owner = units.set_index(["source_id", "paragraph"])["passage_id"]
    keys = pd.MultiIndex.from_frame(sentences[["source_id", "paragraph"]])
    return pd.Series(owner.reindex(keys).to_numpy(), index=sentences["passage_id"])


# --------------------------------------------------------------------------- counting words


def counts(
    source_id: str,
    unit: str = "sentence",
    *,
    stopwords: Iterable[str] = STOPWORDS,
    passage_ids: Iterable[str] | None = None,
    citations: bool = False,
    root: Path | None = None,
) -> pd.Series:
    """Word counts of a source's analysed passages (optionally only ``passage_ids``).

    The unit only decides which passages ``passage_ids`` name; the counts of a whole source
    are the same at either unit.
    """
    frame = corpus.passages(source_id, unit=unit, root=root)
    if passage_ids is not None:
        frame = frame[frame["passage_id"].isin(list(passage_ids))]
    stop = frozenset(stopwords)
    tally: Counter[str] = Counter()
    for text in frame["text"]:
        tally.update(tokenize(reading(text, citations), stop))
    series = pd.Series(dict(tally), dtype="int64", name=source_id)
    series.index.name = "term"
    return series.sort_index().sort_values(ascending=False, kind="stable")


def words(source_id: str, unit: str = "sentence", root: Path | None = None) -> int:
    """Number of words a source's analysed text has: the denominator of "per 1,000 words"."""
    frame = corpus.passages(source_id, unit=unit, root=root)
    return sum(len(tokenize(reading(t), (), min_length=1)) for t in frame["text"])
