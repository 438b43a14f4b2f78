"""Fightin' Words on the corpus: which words distinguish one source from the other.

The corpus side of docs/methods.md#fightin-words: count each source's words
(:func:`rupak.analysis.framing.text.counts`), spread the prior over their joint vocabulary and
hand both to the maths in :mod:`rupak.analysis.framing.log_odds`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from rupak.analysis.framing.log_odds import (
    DEFAULT_PRIOR_STRENGTH,
    background_prior,
    log_odds_dirichlet,
)
from rupak.analysis.framing.text import STOPWORDS, check_sources, counts


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
            "unit": unit,
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
    """The ``n`` most distinctive words of each side: source_id, rank, term, count, other, z.

    ``source_a``'s words come first; z is shown as evidence for the row's own source (so
    ``source_b``'s rows carry −z). ``kwargs`` go to :func:`fightin_words`.
    """
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
