"""Fightin' Words, the maths: the log-odds ratio with an informative Dirichlet prior.

Monroe, Colaresi & Quinn (2008, *Political Analysis* 16:372), as docs/methods.md#fightin-words
writes it. This module knows nothing of the corpus (as scattertext keeps its term scorers apart
from its corpus): :func:`log_odds_arrays` takes aligned count arrays and a prior and returns
δ, Var(δ) and z, so a test can compute it by hand or against another implementation;
:func:`log_odds_dirichlet` labels the same numbers with their words; :func:`background_prior`
builds the prior. The corpus side (which words, which texts) is in
:mod:`rupak.analysis.framing.distinctive`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

#: Words unknown to wordfreq get this frequency (Zipf 1: once per 100 million words, about the
#: rarest wordfreq lists) so that every word has a positive prior.
WORDFREQ_FLOOR = 1e-8
DEFAULT_PRIOR_STRENGTH = 500.0


def log_odds_arrays(
    y_a: np.ndarray | Iterable[float],
    y_b: np.ndarray | Iterable[float],
    alpha: np.ndarray | Iterable[float],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """δ_w, Var(δ_w) and z_w for aligned word counts of two texts and a Dirichlet prior.

    With y the counts, n = Σ y of each text and α₀ = Σ α_w (eqs. 16–22 of the paper)::

        δ_w = log[(y_wᵃ + α_w) / (nᵃ + α₀ − y_wᵃ − α_w)]
              − log[(y_wᵇ + α_w) / (nᵇ + α₀ − y_wᵇ − α_w)]
        Var(δ_w) ≈ 1/(y_wᵃ + α_w) + 1/(y_wᵇ + α_w),    z_w = δ_w / √Var(δ_w)

    Positive z: the word leans to text a. ValueError for arrays of different lengths, fewer
    than two words (the odds of the only word are infinite), a negative count or a prior
    α_w that is not positive.
    """
    a = np.asarray(y_a, dtype="float64")
    b = np.asarray(y_b, dtype="float64")
    prior = np.asarray(alpha, dtype="float64")
    if not (a.ndim == b.ndim == prior.ndim == 1) or not (len(a) == len(b) == len(prior)):
        raise ValueError("y_a, y_b and alpha must be 1-d arrays of one length (one per word)")
    if len(prior) < 2:
        raise ValueError("the vocabulary needs at least two words")
    if (a < 0).any() or (b < 0).any():
        raise ValueError("word counts cannot be negative")
    if not (prior > 0).all():
        raise ValueError("every prior α_w must be positive")
    n_a, n_b, alpha0 = a.sum(), b.sum(), prior.sum()
    delta = np.log((a + prior) / (n_a + alpha0 - a - prior)) - np.log(
        (b + prior) / (n_b + alpha0 - b - prior)
    )
    var = 1.0 / (a + prior) + 1.0 / (b + prior)
    return delta, var, delta / np.sqrt(var)


def log_odds_dirichlet(
    counts_a: Mapping[str, float] | pd.Series,
    counts_b: Mapping[str, float] | pd.Series,
    alpha: Mapping[str, float] | pd.Series,
) -> pd.DataFrame:
    """:func:`log_odds_arrays` for word → count mappings, one row per word of the prior.

    Columns term, y_a, y_b, alpha, delta, var, z; sorted by z (text a's words first), ties by
    term. Every counted word needs a prior (ValueError otherwise).
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
    delta, var, z = log_odds_arrays(y_a.to_numpy(), y_b.to_numpy(), prior.to_numpy())
    table = pd.DataFrame(
        {
            "term": prior.index.astype(str),
            "y_a": y_a.to_numpy(),
            "y_b": y_b.to_numpy(),
            "alpha": prior.to_numpy(),
            "delta": delta,
            "var": var,
            "z": z,
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
    :data:`WORDFREQ_FLOOR`), so common words need much more evidence than rare ones;
    ``"uniform"``: the same α for every word (Monroe et al.'s uninformative baseline); a
    mapping: your own background frequencies.
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
