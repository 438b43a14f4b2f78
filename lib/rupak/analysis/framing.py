"""How the two sources tell the same relationship: distinctive words, frames, salience, stance.

Framing is selection and salience (Entman 1993, *Journal of Communication* 43(4):51): what a
text puts in, what it leaves out, what it repeats, and how it defines the problem, diagnoses
its causes, judges it and proposes a remedy. This module answers those questions with tidy
tables a notebook can show as they are:

* :func:`fightin_words` — which words distinguish one source from the other: the log-odds
  ratio with an informative Dirichlet prior of Monroe, Colaresi & Quinn (2008, *Political
  Analysis* 16:372), exactly as ``shared/methods.md`` writes it (:func:`log_odds_dirichlet`).
* :func:`salience` — how often each source names each actor, period and frame, per 1,000 words.
* :func:`selection` — which events both sources tell and which only one (``evidence.csv``).
* :func:`hand_codes`, :func:`auto_code`, :func:`reliability` — issue-specific frames and the
  stance towards the Russia–Pakistan rapprochement, coded by hand for every analysed sentence
  (``data/curated/passage_frames.csv``, codebook ``frames.csv``, rules in ``docs/framing.md``),
  and a small dictionary coder checked against them with Krippendorff's α, Cohen's κ and
  per-frame precision, recall and F1.
* :func:`entman` — each source's problem, cause, evaluation and remedy as verbatim quotes.
* :func:`hedging` — how often each source hedges, boosts and evaluates (Hyland 1998).
* :func:`framing_problems` — validation of the framing tables, in ``rupak validate``'s format.

Every word counted is read from :func:`rupak.evidence.corpus.passages`' ``text``: the spam
line never reaches it and extraction debris is already repaired there. On top of that reading, this
module drops parenthetical citations (``(Mahmood, 1994b, p.104)``: bibliographic apparatus of
the journal genre, not the authors' vocabulary) and the run-in labels that open some of
Kaushiki & Bawa's paragraphs ("Abstract", "Findings", …).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from rupak.evidence import corpus, curated
from rupak.evidence.framing_tables import (
    NO_FRAME,
    STANCES,
    _frame_list,
    _root,
    frames,
    hand_codes,
    lexicon,
)

if TYPE_CHECKING:  # validate is imported lazily below: it may come to import this module
    pass

UNITS = ("sentence", "paragraph")

#: Run-in labels that open a paragraph of Kaushiki & Bawa ("Findings Due to a loose…"): layout,
#: not vocabulary. They also name the section their paragraph belongs to (see :func:`hedging`).
RUN_IN_LABELS = ("Abstract", "Aim of study", "Findings", "Conclusion")

#: English function words (articles, pronouns, prepositions, conjunctions, auxiliaries, modals,
#: common adverbs). Our own list rather than scikit-learn's, which drops content words this
#: corpus needs ("interest", "mill", "system", "found", "part"; Nothman, Qin & Yurchak 2018).
#: Modal verbs are here because they are measured on their own by :func:`hedging`. "us" is not:
#: neither text uses the pronoun, and "US"/"U.S." become the token ``us``.
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

#: Hedges and boosters after Hyland (1998, *Hedging in Scientific Research Articles*; 2005,
#: *Metadiscourse*), evaluative words ours. Matched like lexicon terms (``*`` = any ending).
HEDGES = (
    "may", "might", "could", "would", "perhaps", "arguably", "likely", "unlikely", "probably",
    "possibly", "possible", "presumably", "apparently", "seem*", "appear*", "suggest*",
    "potential*", "somewhat", "to some extent", "relatively", "partially",
)
BOOSTERS = (
    "will", "must", "certainly", "clearly", "indeed", "no doubt", "undoubtedly", "obviously",
    "definitely", "of course", "surely", "set to", "imperative", "essential", "always", "never",
)
POSITIVE = (
    "important", "significant", "crucial", "vital", "valuable", "reliable", "lucrative", "great",
    "strong", "robust", "successful", "flourish*", "thriv*", "warm*", "cordial", "friendly",
    "goodwill", "breakthrough", "milestone", "opportun*", "sustainable", "helped", "help",
)
NEGATIVE = (
    "dire", "daunting", "troublesome", "noisy", "hostile", "fruitless", "unsuccessful*",
    "uneasy", "strange", "enraged", "distrust", "radical", "unwanted", "threat*", "danger*",
    "shocked", "strained", "deteriorat*", "weak", "grudge*", "displeasure", "uncomfortable",
    "inferior", "concern", "concerns", "concerned", "undermin*", "obedience",
)

#: Stance cue words of the automatic coder, written from the stance rule in docs/framing.md
#: before any agreement was computed: explicit danger, loss or hostility (threat) and explicit
#: gain, promise or opening (opportunity).
THREAT_CUES = (
    "threat*", "danger*", "concern*", "unwanted", "shock*", "hostil*", "anti american",
    "anti america", "at odds", "strained", "deteriorat*", "displeasure", "uneasy", "worr*",
    "alarm*", "undermin*", "risk*", "harm*", "damag*", "loss", "lose", "losing", "grudge*",
)
OPPORTUNITY_CUES = (
    "opportunit*", "opportune", "benefit*", "gain*", "promis*", "breakthrough", "milestone",
    "reliable", "important partner", "valuable partner", "upward", "help*", "advantag*",
    "success*", "warmth", "thaw", "goodwill", "lucrative", "valuable", "fruitful", "flourish*",
    "thriv*",
)

# fmt: on

#: Words unknown to wordfreq get this frequency (Zipf 1: once per 100 million words, about the
#: rarest wordfreq lists) so that every word has a positive prior.
WORDFREQ_FLOOR = 1e-8
DEFAULT_PRIOR_STRENGTH = 500.0


# --------------------------------------------------------------------------- reading the text

_ABBREVIATION = re.compile(r"\b[A-Z]\.(?:\s?[A-Z]\.)+(?:[A-Z]\b)?")
# A parenthesis holding a year (1800-2099, maybe with a letter: "1994a") or a page ("p. 47").
_CITATION = re.compile(
    r"\s*\((?=[^()]*(?:\b1[89]\d\d[a-z]?\b|\b20\d\d[a-z]?\b|\bp\.\s?\d))[^()]*\)"
)
_TOKEN = re.compile(r"\d+/\d+|[^\W_]+(?:['’][^\W_]+)*")
_POSSESSIVE = re.compile(r"['’]s$")
_LABEL = re.compile(r"^(?:" + "|".join(re.escape(label) for label in RUN_IN_LABELS) + r")\b\s*")


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


def check_sources(
    source_a: str, source_b: str, unit: str = "sentence", root: Path | None = None
) -> None:
    """Raise ValueError for an unknown source, one source on both sides, or an empty unit.

    Called by every comparison so a typo in a notebook's parameters cell fails with a message
    that names the choices, not with an empty table.
    """
    known = corpus.source_ids(root)
    for side, source in (("source_a", source_a), ("source_b", source_b)):
        if source not in known:
            raise ValueError(f"{side}: unknown source id {source!r}; known: {', '.join(known)}")
    if source_a == source_b:
        raise ValueError(f"source_a and source_b are both {source_a!r}: compare two sources")
    if unit not in UNITS:
        raise ValueError(
            f"unit {unit!r} has no analysed passages; choose one of {', '.join(UNITS)}"
        )
    for source in (source_a, source_b):
        if corpus.passages(source, unit=unit, root=root).empty:
            raise ValueError(
                f"source {source!r} has no {unit} passages of the analysed kinds "
                f"({', '.join(corpus.ANALYSED_KINDS)})"
            )


def _passages(source_id: str | None, unit: str, root: Path | None) -> pd.DataFrame:
    return corpus.passages(source_id, unit=unit, root=root)


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
    frame = _passages(source_id, unit, root)
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
    frame = _passages(source_id, unit, root)
    return sum(len(tokenize(reading(t), (), min_length=1)) for t in frame["text"])


# --------------------------------------------------------------------------- Fightin' Words


def log_odds_dirichlet(
    counts_a: Mapping[str, float] | pd.Series,
    counts_b: Mapping[str, float] | pd.Series,
    alpha: Mapping[str, float] | pd.Series,
) -> pd.DataFrame:
    """Log-odds ratio with a Dirichlet prior (Monroe, Colaresi & Quinn 2008, eqs. 16–22).

    For each word w of the prior's vocabulary, with y the counts, n = Σ y of each text and
    α₀ = Σ α_w::

        δ_w = log[(y_wᵃ + α_w) / (nᵃ + α₀ − y_wᵃ − α_w)]
              − log[(y_wᵇ + α_w) / (nᵇ + α₀ − y_wᵇ − α_w)]
        Var(δ_w) ≈ 1/(y_wᵃ + α_w) + 1/(y_wᵇ + α_w),    z_w = δ_w / √Var(δ_w)

    Positive z: the word leans to text a. Pure: it takes counts and a prior, so a test can
    compute it by hand. Every counted word needs a prior (ValueError otherwise).
    """
    prior = pd.Series(alpha, dtype="float64")
    y_a = pd.Series(counts_a, dtype="float64")
    y_b = pd.Series(counts_b, dtype="float64")
    missing = sorted((set(y_a.index) | set(y_b.index)) - set(prior.index))
    if missing:
        raise ValueError(f"words counted without a prior: {', '.join(missing[:10])}")
    if (prior <= 0).any():
        raise ValueError("every prior α_w must be positive")
    y_a = y_a.reindex(prior.index, fill_value=0.0)
    y_b = y_b.reindex(prior.index, fill_value=0.0)
    n_a, n_b, alpha0 = y_a.sum(), y_b.sum(), prior.sum()
    delta = np.log((y_a + prior) / (n_a + alpha0 - y_a - prior)) - np.log(
        (y_b + prior) / (n_b + alpha0 - y_b - prior)
    )
    var = 1.0 / (y_a + prior) + 1.0 / (y_b + prior)
    table = pd.DataFrame(
        {
            "term": prior.index.astype(str),
            "y_a": y_a.to_numpy(),
            "y_b": y_b.to_numpy(),
            "alpha": prior.to_numpy(),
            "delta": delta.to_numpy(),
            "var": var.to_numpy(),
            "z": (delta / np.sqrt(var)).to_numpy(),
        }
    )
    table = table.sort_values(["z", "term"], ascending=[False, True], kind="stable")
    return table.reset_index(drop=True)


def background_prior(
    vocabulary: Iterable[str],
    prior: str | Mapping[str, float] = "wordfreq",
    prior_strength: float = DEFAULT_PRIOR_STRENGTH,
) -> pd.Series:
    """α_w for each word: α₀ = ``prior_strength`` shared in proportion to background frequency.

    ``prior="wordfreq"``: wordfreq's English frequency (Speer 2022; floor
    :data:`WORDFREQ_FLOOR`); ``"uniform"``: the same α for every word (Monroe et al.'s
    uninformative baseline); a mapping: your own background frequencies.
    """
    words_ = sorted(set(vocabulary))
    if prior_strength <= 0:
        raise ValueError("prior_strength (α₀) must be positive")
    if isinstance(prior, str):
        if prior == "wordfreq":
            from wordfreq import word_frequency

            weights = [word_frequency(w, "en", minimum=WORDFREQ_FLOOR) for w in words_]
        elif prior == "uniform":
            weights = [1.0] * len(words_)
        else:
            raise ValueError(f"prior {prior!r}: use 'wordfreq', 'uniform' or a mapping")
    else:
        weights = [max(float(prior.get(w, 0.0)), WORDFREQ_FLOOR) for w in words_]
    series = pd.Series(weights, index=words_, dtype="float64")
    return series / series.sum() * prior_strength


def fightin_words(
    source_a: str = "durrani",
    source_b: str = "kaushiki_bawa",
    unit: str = "sentence",
    prior: str | Mapping[str, float] = "wordfreq",
    prior_strength: float = DEFAULT_PRIOR_STRENGTH,
    min_count: int = 3,
    stopwords: Iterable[str] = STOPWORDS,
    root: Path | None = None,
) -> pd.DataFrame:
    """Words that distinguish ``source_a`` (z > 0) from ``source_b`` (z < 0), sorted by z.

    The vocabulary is every word either text uses (after ``stopwords``); the prior spreads
    α₀ = ``prior_strength`` over it in proportion to wordfreq's English frequency, so common
    words need much more evidence than rare ones. ``min_count`` only hides rare words from the
    result (y_a + y_b below it); it changes no number. The table's ``attrs`` record the prior,
    α₀ and the totals. With two short texts z ranks words; it is not a test.
    """
    check_sources(source_a, source_b, unit, root)
    y_a = counts(source_a, unit, stopwords=stopwords, root=root)
    y_b = counts(source_b, unit, stopwords=stopwords, root=root)
    alpha = background_prior(set(y_a.index) | set(y_b.index), prior, prior_strength)
    table = log_odds_dirichlet(y_a, y_b, alpha)
    table[["y_a", "y_b"]] = table[["y_a", "y_b"]].astype("int64")
    table = table[table["y_a"] + table["y_b"] >= min_count].reset_index(drop=True)
    table.attrs.update(
        {
            "source_a": source_a,
            "source_b": source_b,
            "prior": prior if isinstance(prior, str) else "custom",
            "prior_source": "wordfreq 'en' (Speer 2022)" if prior == "wordfreq" else str(prior),
            "alpha0": float(prior_strength),
            "n_a": int(y_a.sum()),
            "n_b": int(y_b.sum()),
            "vocabulary": len(alpha),
        }
    )
    return table


def distinctive_terms(
    source_a: str = "durrani", source_b: str = "kaushiki_bawa", n: int = 10, **kwargs
) -> pd.DataFrame:
    """The ``n`` most distinctive words of each side: source_id, rank, term, count, other, z."""
    table = fightin_words(source_a, source_b, **kwargs)
    top_a = table.head(n).assign(source_id=source_a, count=table["y_a"], other=table["y_b"])
    top_b = (
        table.iloc[::-1]
        .head(n)
        .assign(source_id=source_b, count=table["y_b"], other=table["y_a"], z=lambda f: -f["z"])
    )
    rows = []
    for part in (top_a, top_b):
        part = part.reset_index(drop=True)
        part["rank"] = range(1, len(part) + 1)
        rows.append(part[["source_id", "rank", "term", "count", "other", "z"]])
    result = pd.concat(rows, ignore_index=True)
    result.attrs.update(table.attrs)
    return result


# --------------------------------------------------------------------------- automatic coder


def _term_pattern(terms: Iterable[str]) -> re.Pattern[str]:
    """One regex for lexicon terms, matched on a space-joined token string (whole words)."""
    pieces = []
    for term in sorted(set(terms), key=lambda t: (-len(t), t)):
        words_ = [
            re.escape(w.rstrip("*")) + (r"[^ ]*" if w.endswith("*") else "") for w in term.split()
        ]
        pieces.append(" ".join(words_))
    return re.compile(r"(?<![^ ])(?:" + "|".join(pieces) + r")(?![^ ])")


def _match_text(text: str) -> str:
    return " ".join(tokenize(reading(text), (), min_length=1, numbers=True))


def _matches(pattern: re.Pattern[str], text: str) -> list[str]:
    return pattern.findall(text)


def auto_code(
    passages: pd.DataFrame | None = None,
    lexicon_table: pd.DataFrame | None = None,
    root: Path | None = None,
) -> pd.DataFrame:
    """Dictionary codes: a frame when any of its lexicon terms occurs in the passage.

    Stance: ``threat`` when threat cues outnumber opportunity cues, ``opportunity`` when the
    reverse, else ``neutral`` (:data:`THREAT_CUES`, :data:`OPPORTUNITY_CUES`). The lexicon and
    cues were written from the codebook's definitions and the stance rule before any agreement
    with the hand codes was computed, and were not tuned sentence by sentence against them:
    :func:`reliability` reports how far such a coder gets, not how well it can be fitted.
    Returns passage_id, source_id, frames (list), stance, coder (``auto``), matched (the words
    that fired, ``frame: word`` …).
    """
    passages = _passages(None, "sentence", root) if passages is None else passages
    table = lexicon(root) if lexicon_table is None else lexicon_table
    patterns = {
        frame: _term_pattern(group["term"])
        for frame, group in table.groupby("frame_id", sort=False)
    }
    order = list(frames(root)["frame_id"]) if lexicon_table is None else list(patterns)
    threat, opportunity = _term_pattern(THREAT_CUES), _term_pattern(OPPORTUNITY_CUES)
    rows = []
    for row in passages.itertuples():
        text = _match_text(row.text)
        hits = {f: _matches(patterns[f], text) for f in order if f in patterns}
        coded = [f for f in order if hits.get(f)]
        n_threat, n_opportunity = len(_matches(threat, text)), len(_matches(opportunity, text))
        stance = (
            "threat"
            if n_threat > n_opportunity
            else "opportunity"
            if n_opportunity > n_threat
            else "neutral"
        )
        matched = "; ".join(f"{f}: {', '.join(sorted(set(h)))}" for f, h in hits.items() if h)
        rows.append(
            {
                "passage_id": row.passage_id,
                "source_id": row.source_id,
                "frames": coded,
                "stance": stance,
                "coder": "auto",
                "matched": matched,
            }
        )
    result = pd.DataFrame(
        rows, columns=["passage_id", "source_id", "frames", "stance", "coder", "matched"]
    )
    result["stance"] = pd.Categorical(result["stance"], categories=list(STANCES))
    return result


# --------------------------------------------------------------------------- reliability


def _alpha(first: Sequence, second: Sequence) -> float:
    import krippendorff

    values = np.array([first, second], dtype="float64")
    if len(np.unique(values)) < 2:
        return math.nan  # one value only: expected disagreement is 0, α undefined
    return float(krippendorff.alpha(reliability_data=values, level_of_measurement="nominal"))


def _kappa(first: Sequence, second: Sequence) -> float:
    from sklearn.metrics import cohen_kappa_score

    if len(set(first) | set(second)) < 2:
        return math.nan
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(cohen_kappa_score(first, second))


def _prf(hand: np.ndarray, auto: np.ndarray) -> tuple[float, float, float]:
    true_pos = int((hand & auto).sum())
    precision = true_pos / auto.sum() if auto.sum() else math.nan
    recall = true_pos / hand.sum() if hand.sum() else math.nan
    if math.isnan(precision) or math.isnan(recall) or precision + recall == 0:
        f1 = math.nan if math.isnan(precision) or math.isnan(recall) else 0.0
    else:
        f1 = 2 * precision * recall / (precision + recall)
    return precision, recall, f1


def alpha_verdict(alpha: float) -> str:
    """Krippendorff's (2004) thresholds as methods.md states them."""
    if math.isnan(alpha):
        return "undefined"
    return "reliable" if alpha >= 0.8 else "tentative" if alpha >= 0.667 else "unreliable"


def kappa_verdict(kappa: float) -> str:
    """Landis & Koch (1977, *Biometrics* 33:159) labels; methods.md: .61–.80 substantial."""
    if math.isnan(kappa):
        return "undefined"
    for bound, label in (
        (0.8, "almost perfect"),
        (0.6, "substantial"),
        (0.4, "moderate"),
        (0.2, "fair"),
        (0.0, "slight"),
    ):
        if kappa > bound:
            return label
    return "poor"


def reliability(
    hand: pd.DataFrame, auto: pd.DataFrame, frame_ids: Sequence[str] | None = None
) -> pd.DataFrame:
    """Agreement of two codings of the same passages, per frame and for stance.

    One row per frame (presence coded 1/0 per passage), one for all frames pooled, one for
    stance (three nominal categories) and one per stance category (one against the rest).
    Columns: item, kind, n, hand (passages the first coding marks), auto (the second), agreement
    (share identical), alpha (Krippendorff, nominal), kappa (Cohen), precision, recall, f1 (of
    the second coding against the first), alpha_verdict, kappa_verdict. α and κ are NaN where
    both codings use a single value (nothing to agree about).
    """
    merged = hand[["passage_id", "frames", "stance"]].merge(
        auto[["passage_id", "frames", "stance"]],
        on="passage_id",
        suffixes=("_hand", "_auto"),
        validate="one_to_one",
    )
    if merged.empty:
        raise ValueError("the two codings share no passage_id")
    hand_sets = [set(_frame_list(v)) for v in merged["frames_hand"]]
    auto_sets = [set(_frame_list(v)) for v in merged["frames_auto"]]
    ids = list(frame_ids) if frame_ids is not None else sorted(set().union(*hand_sets, *auto_sets))
    rows = []

    def row(item: str, kind: str, first: np.ndarray, second: np.ndarray, binary: bool) -> dict:
        record = {
            "item": item,
            "kind": kind,
            "n": len(first),
            "agreement": float((first == second).mean()),
            "alpha": _alpha(first, second),
            "kappa": _kappa(first, second),
        }
        if binary:
            record["hand"], record["auto"] = int(first.sum()), int(second.sum())
            record["precision"], record["recall"], record["f1"] = _prf(
                first.astype(bool), second.astype(bool)
            )
        return record

    pooled_hand, pooled_auto = [], []
    for frame in ids:
        first = np.array([frame in s for s in hand_sets], dtype=int)
        second = np.array([frame in s for s in auto_sets], dtype=int)
        pooled_hand.append(first)
        pooled_auto.append(second)
        rows.append(row(frame, "frame", first, second, True))
    if ids:
        rows.append(
            row(
                "all frames (pooled)",
                "frames pooled",
                np.concatenate(pooled_hand),
                np.concatenate(pooled_auto),
                True,
            )
        )
    codes = {s: i for i, s in enumerate(STANCES)}
    first = np.array([codes[str(s)] for s in merged["stance_hand"]])
    second = np.array([codes[str(s)] for s in merged["stance_auto"]])
    rows.append(row("stance", "stance", first, second, False))
    for stance, code in codes.items():
        rows.append(
            row(
                f"stance: {stance}",
                "stance category",
                (first == code).astype(int),
                (second == code).astype(int),
                True,
            )
        )
    table = pd.DataFrame(
        rows,
        columns=[
            "item",
            "kind",
            "n",
            "hand",
            "auto",
            "agreement",
            "alpha",
            "kappa",
            "precision",
            "recall",
            "f1",
        ],
    )
    table[["hand", "auto"]] = table[["hand", "auto"]].astype("Int64")
    table["alpha_verdict"] = table["alpha"].map(alpha_verdict)
    table["kappa_verdict"] = table["kappa"].map(kappa_verdict)
    return table


# --------------------------------------------------------------------------- salience


@cache
def _actor_pattern(root: Path) -> tuple[re.Pattern[str], dict[str, str]]:
    """All actors' aliases in one alternation, longest first, whole-word and case-sensitive
    (as actors.csv says), so "Soviet Union" is one SUN mention and "Afghan National Army" an
    ANA mention, not also an AFG one."""
    table = curated.actors(root)
    owner = {
        alias: code
        for code, aliases in zip(table["code"], table["aliases"], strict=True)
        for alias in aliases
    }
    alternation = "|".join(re.escape(a) for a in sorted(owner, key=lambda a: (-len(a), a)))
    return re.compile(r"(?<!\w)(?:" + alternation + r")(?!\w)"), owner


def actor_mentions(passages: pd.DataFrame | None = None, root: Path | None = None) -> pd.DataFrame:
    """One row per actor mention: passage_id, source_id, code, alias (in the analysed reading:
    no spam, no citations, debris repaired)."""
    passages = _passages(None, "sentence", root) if passages is None else passages
    pattern, owner = _actor_pattern(_root(root))
    rows = [
        {
            "passage_id": p.passage_id,
            "source_id": p.source_id,
            "code": owner[m.group()],
            "alias": m.group(),
        }
        for p in passages.itertuples()
        for m in pattern.finditer(reading(p.text))
    ]
    return pd.DataFrame(rows, columns=["passage_id", "source_id", "code", "alias"])


def sentence_events(root: Path | None = None) -> pd.DataFrame:
    """Which events each sentence tells: evidence quotes overlapping the sentence's offsets.

    One row per (passage_id, event_id), with the source and the event's periods (a list).
    A quote that spans two sentences links both.
    """
    sentences = _passages(None, "sentence", root)
    evidence = curated.evidence(root)
    periods = curated.events(root).set_index("event_id")["periods"]
    rows = []
    for quote in evidence.itertuples():
        inside = sentences[
            (sentences["source_id"] == quote.source_id)
            & (sentences["char_start"] < quote.char_end)
            & (sentences["char_end"] > quote.char_start)
        ]
        rows += [
            {
                "passage_id": pid,
                "source_id": quote.source_id,
                "event_id": quote.event_id,
                "periods": periods[quote.event_id],
            }
            for pid in inside["passage_id"]
        ]
    return pd.DataFrame(rows, columns=["passage_id", "source_id", "event_id", "periods"])


def _wide(long: pd.DataFrame, keys: list[str], sources: Sequence[str]) -> pd.DataFrame:
    """Long (keys, source_id, n, per_1000, share) → one row per item, sources side by side."""
    parts = []
    for source in sources:
        part = long[long["source_id"] == source].set_index(keys)[["n", "per_1000", "share"]]
        parts.append(part.add_prefix(f"{source}_"))
    wide = pd.concat(parts, axis=1).reset_index()
    for source in sources:
        wide[f"{source}_n"] = wide[f"{source}_n"].fillna(0).astype("int64")
        wide[[f"{source}_per_1000", f"{source}_share"]] = wide[
            [f"{source}_per_1000", f"{source}_share"]
        ].fillna(0.0)
    return wide


def _sentences_with(rows: pd.DataFrame, key: str) -> pd.Series:
    """How many distinct sentences of each source carry each value of ``key``."""
    distinct = rows.drop_duplicates([key, "passage_id"])
    return distinct.groupby([key, "source_id"]).size().rename("sentences")


def salience(
    by: str = "actor",
    sources: Sequence[str] | None = None,
    *,
    wide: bool = True,
    root: Path | None = None,
) -> pd.DataFrame:
    """How much room each source gives each actor, period or frame, side by side.

    ``by="actor"``: n = alias mentions (actors.csv, whole word, case-sensitive); ``"period"``:
    n = events the source tells (evidence rows) whose dates overlap the period (periods nest,
    so an event counts in each); ``"frame"``: n = hand-coded sentences carrying the frame.
    per_1000 = n per 1,000 words of the source's analysed text (:func:`words`); share = share
    of the source's sentences that mention the actor / tell an event of the period / carry
    the frame. ``wide=False`` gives the long table (one row per item × source).
    """
    sources = list(sources) if sources is not None else corpus.source_ids(root)
    sentences = _passages(None, "sentence", root)
    sentences = sentences[sentences["source_id"].isin(sources)]
    size = {s: words(s, root=root) for s in sources}
    n_sentences = sentences.groupby("source_id").size().to_dict()
    if by == "actor":
        mentions = actor_mentions(sentences, root)
        names = curated.actors(root).set_index("code")["name"]
        n = mentions.groupby(["code", "source_id"]).size().rename("n")
        hit = _sentences_with(mentions, "code")
        long = pd.concat([n, hit], axis=1).reset_index().rename(columns={"code": "item"})
        long["name"] = long["item"].map(names)
    elif by == "period":
        links = sentence_events(root)
        links = links[links["source_id"].isin(sources)].explode("periods")
        evidence = curated.evidence(root)
        events = curated.events(root).set_index("event_id")["periods"]
        told = (
            evidence[evidence["source_id"].isin(sources)]
            .assign(item=lambda f: f["event_id"].map(events))
            .explode("item")
        )
        n = told.groupby(["item", "source_id"]).size().rename("n")
        hit = _sentences_with(links, "periods")
        hit.index = hit.index.set_names(["item", "source_id"])
        long = pd.concat([n, hit], axis=1).reset_index()
        long["name"] = long["item"].map(curated.periods(root).set_index("period_id")["name"])
    elif by == "frame":
        codes = hand_codes(root).explode("frames").dropna(subset=["frames"])
        codes = codes[codes["source_id"].isin(sources)]
        n = codes.groupby(["frames", "source_id"]).size().rename("n")
        long = n.to_frame().assign(sentences=n).reset_index().rename(columns={"frames": "item"})
        long["name"] = long["item"].map(frames(root).set_index("frame_id")["name"])
    else:
        raise ValueError(f"by={by!r}: choose 'actor', 'period' or 'frame'")
    long = long.fillna({"n": 0, "sentences": 0})
    long["source_id"] = long["source_id"].astype(str)
    long["n"] = long["n"].astype("int64")
    long["per_1000"] = long["n"] / long["source_id"].map(size) * 1000
    long["share"] = long["sentences"] / long["source_id"].map(n_sentences)
    long = long[["item", "name", "source_id", "n", "per_1000", "share"]]
    if not wide:
        return long.sort_values(["item", "source_id"]).reset_index(drop=True)
    table = _wide(long, ["item", "name"], sources)
    if by == "period":
        order = curated.periods(root)["period_id"].tolist()
        table = table.set_index("item").loc[[p for p in order if p in set(table["item"])]]
        return table.reset_index()
    total = table[[f"{s}_per_1000" for s in sources]].sum(axis=1)
    return (
        table.assign(_t=total)
        .sort_values(["_t", "item"], ascending=[False, True])
        .drop(columns="_t")
        .reset_index(drop=True)
    )


def frame_shares(codes: pd.DataFrame | None = None, root: Path | None = None) -> pd.DataFrame:
    """Frame distribution per source (long): source_id, frame_id, sentences, share.

    ``codes`` defaults to the hand codes; pass :func:`auto_code`'s output to compare. Share =
    share of the source's coded sentences carrying the frame (a sentence may carry several, so
    shares do not add to 1); ``none`` counts sentences with no frame.
    """
    codes = hand_codes(root) if codes is None else codes
    ids = [*frames(root)["frame_id"].tolist(), NO_FRAME]
    totals = codes.groupby("source_id").size()
    rows = []
    for source, group in codes.groupby("source_id", sort=False):
        sets = [set(_frame_list(v)) for v in group["frames"]]
        for frame in ids:
            k = sum((not s) if frame == NO_FRAME else (frame in s) for s in sets)
            rows.append(
                {
                    "source_id": source,
                    "frame_id": frame,
                    "sentences": k,
                    "share": k / totals[source],
                }
            )
    return pd.DataFrame(rows)


def stance_shares(codes: pd.DataFrame | None = None, root: Path | None = None) -> pd.DataFrame:
    """Stance distribution per source: source_id, stance, sentences, share."""
    codes = hand_codes(root) if codes is None else codes
    table = (
        codes.groupby(["source_id", "stance"], observed=False)
        .size()
        .rename("sentences")
        .reset_index()
    )
    table["share"] = table["sentences"] / table.groupby("source_id")["sentences"].transform("sum")
    return table


# --------------------------------------------------------------------------- selection


def selection(by: str = "period", root: Path | None = None) -> pd.DataFrame:
    """Which events both sources tell, and which only one (from evidence.csv).

    ``by="event"``: one row per event (event_id, title, kind, year, periods, mentioned_by =
    ``both`` or the one source id). ``by="period"``, ``"kind"`` or ``"period_kind"``: counts
    of events told by both and by each source only, with the total and the share told by both.
    An event counts in every period its dates overlap (periods nest).
    """
    evidence = curated.evidence(root)
    events = curated.events(root)
    sources = corpus.source_ids(root)
    tellers = evidence.groupby("event_id")["source_id"].agg(lambda s: sorted(set(s)))
    table = events[["event_id", "title", "kind", "year", "periods"]].copy()
    table["kind"] = table["kind"].astype(str)
    table["mentioned_by"] = table["event_id"].map(
        lambda e: "both" if len(tellers.get(e, [])) > 1 else (tellers.get(e) or ["none"])[0]
    )
    if by == "event":
        return table.sort_values(["year", "event_id"]).reset_index(drop=True)
    keys = {"period": ["period_id"], "kind": ["kind"], "period_kind": ["period_id", "kind"]}
    if by not in keys:
        raise ValueError(f"by={by!r}: choose 'event', 'period', 'kind' or 'period_kind'")
    long = table.rename(columns={"periods": "period_id"})
    if "period_id" in keys[by]:
        long = long.explode("period_id")
    columns = ["both"] + [f"{s}_only" for s in sources]
    long["column"] = long["mentioned_by"].map(lambda m: m if m == "both" else f"{m}_only")
    counted = (
        long.groupby(keys[by] + ["column"])
        .size()
        .unstack("column")
        .reindex(columns=columns)
        .fillna(0)
        .astype("int64")
    )
    counted["total"] = counted.sum(axis=1)
    counted["share_both"] = counted["both"] / counted["total"]
    counted = counted.reset_index()
    if "period_id" in keys[by]:
        order = {p: i for i, p in enumerate(curated.periods(root)["period_id"])}
        counted = counted.sort_values(
            keys[by], key=lambda c: c.map(order) if c.name == "period_id" else c
        )
    else:
        counted = counted.sort_values(["total", "kind"], ascending=[False, True])
    counted.columns.name = None
    return counted.reset_index(drop=True)


# --------------------------------------------------------------------------- hedging


def sentence_markers(root: Path | None = None) -> pd.DataFrame:
    """Per sentence: the hedges, boosters, positive and negative evaluative words it uses."""
    sentences = _passages(None, "sentence", root)
    patterns = {
        name: _term_pattern(terms)
        for name, terms in (
            ("hedges", HEDGES),
            ("boosters", BOOSTERS),
            ("positive", POSITIVE),
            ("negative", NEGATIVE),
        )
    }
    rows = []
    for p in sentences.itertuples():
        text = _match_text(p.text)
        rows.append(
            {
                "passage_id": p.passage_id,
                "source_id": p.source_id,
                **{name: _matches(pattern, text) for name, pattern in patterns.items()},
            }
        )
    return pd.DataFrame(rows)


def _sections(root: Path | None) -> dict[str, str]:
    """Section of each analysed sentence: the last heading above it, or its run-in label."""
    result = {}
    for source in corpus.source_ids(root):
        current = "(before the first heading)"
        paragraphs = corpus.paragraphs(source, root)
        sentences = _passages(source, "sentence", root)
        for para in paragraphs.itertuples():
            label = _LABEL.match(para.text)
            if para.kind == "heading":
                current = para.text.strip()
            section = label.group().strip() if label else current
            for pid in sentences.loc[sentences["paragraph"] == para.paragraph, "passage_id"]:
                result[pid] = section
        if not (paragraphs["kind"] == "heading").any():
            for pid in sentences["passage_id"]:
                result[pid] = "(no headings)"
    return result


def hedging(by: str = "source", root: Path | None = None) -> pd.DataFrame:
    """Share of sentences that hedge, boost, and evaluate — per source and group.

    ``by``: ``"source"``; ``"period"`` (the periods of the events a sentence tells, via
    :func:`sentence_events`; sentences that tell no event form ``(no event)``); ``"section"``
    (headings and run-in labels; Durrani's article has none); ``"actor"`` (sentences that
    mention the actor). Columns: source_id, group, sentences, hedged, hedge_share, boosted,
    booster_share, evaluative_share (positive or negative), positive_share, negative_share.
    """
    markers = sentence_markers(root)
    if by == "source":
        markers["group"] = "all sentences"
    elif by == "period":
        links = sentence_events(root).explode("periods")
        groups = links.groupby("passage_id")["periods"].agg(lambda s: sorted(set(s)))
        markers["group"] = markers["passage_id"].map(lambda p: groups.get(p, ["(no event)"]))
        markers = markers.explode("group")
    elif by == "section":
        markers["group"] = markers["passage_id"].map(_sections(root))
    elif by == "actor":
        mentions = actor_mentions(root=root).drop_duplicates(["passage_id", "code"])
        markers = markers.merge(mentions[["passage_id", "code"]], on="passage_id")
        markers = markers.rename(columns={"code": "group"})
    else:
        raise ValueError(f"by={by!r}: choose 'source', 'period', 'section' or 'actor'")
    flags = markers.assign(
        hedged=markers["hedges"].map(bool),
        boosted=markers["boosters"].map(bool),
        pos=markers["positive"].map(bool),
        neg=markers["negative"].map(bool),
    )
    flags["evaluative"] = flags["pos"] | flags["neg"]
    table = (
        flags.groupby(["source_id", "group"], sort=False)
        .agg(
            sentences=("passage_id", "size"),
            hedged=("hedged", "sum"),
            boosted=("boosted", "sum"),
            evaluative=("evaluative", "sum"),
            positive=("pos", "sum"),
            negative=("neg", "sum"),
        )
        .reset_index()
    )
    for column in ("hedged", "boosted", "evaluative", "positive", "negative"):
        table[column] = table[column].astype("int64")
    table["hedge_share"] = table["hedged"] / table["sentences"]
    table["booster_share"] = table["boosted"] / table["sentences"]
    table["evaluative_share"] = table["evaluative"] / table["sentences"]
    table["positive_share"] = table["positive"] / table["sentences"]
    table["negative_share"] = table["negative"] / table["sentences"]
    if by == "period":
        order = {p: i for i, p in enumerate(curated.periods(root)["period_id"])}
        table = table.sort_values(
            ["source_id", "group"],
            key=lambda c: c.map(lambda g: order.get(g, 99)) if c.name == "group" else c,
        )
    elif by == "actor":
        table = table.sort_values(
            ["source_id", "sentences", "group"], ascending=[True, False, True]
        )
    return table[
        [
            "source_id",
            "group",
            "sentences",
            "hedged",
            "hedge_share",
            "boosted",
            "booster_share",
            "evaluative",
            "evaluative_share",
            "positive_share",
            "negative_share",
        ]
    ].reset_index(drop=True)
