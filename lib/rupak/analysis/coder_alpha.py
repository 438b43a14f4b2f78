"""Krippendorff's α of two codings, with a bootstrap interval (docs/methods.md#reliability).

Why closed forms rather than the ``krippendorff`` package in the bootstrap: an interval needs
α for a thousand resamples of every item, and with two coders α has a closed form in a few
sums over the units, so all resamples are computed at once. For two coders, with ``n`` the
number of pairable values (twice the units both coders coded; a unit one coder left empty is
not pairable and is dropped, as Krippendorff 2011 prescribes), ``d`` the units on which the
coders differ and ``n_c`` how often value ``c`` occurs among the pairable values:

* nominal: α = 1 − (n − 1) · 2d / (n² − Σ_c n_c²);
* interval: α = 1 − (n − 1) · Σ_u (a_u − b_u)² / (n · Σ v² − (Σ v)²), the sums over every
  pairable value v.

Both equal the package's ``krippendorff.alpha`` (a test holds them to it). α is undefined
(NaN) when the pairable values do not vary (no expected disagreement).

The interval resamples units (or clusters of units, e.g. all frames of a sentence) with
replacement, B = 1000 times with a fixed seed, so it is the same on every run; it is the
2.5th to 97.5th percentile of the resampled α (resamples where α is undefined are left out),
widened to hold the estimate itself should a lopsided bootstrap distribution leave it out
(possible only when disagreements are very few).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

LEVELS = ("nominal", "interval")
#: Bootstrap resamples and seed: fixed, so the intervals are the same on every run.
N_BOOT = 1000
SEED = 13
CONFIDENCE = 0.95


@dataclass(frozen=True)
class AlphaInterval:
    """α with its bootstrap interval; ``n`` = pairable units, ``agreement`` = share of them
    on which the two codings are identical."""

    alpha: float
    ci_low: float
    ci_high: float
    n: int
    agreement: float


def _missing(value: object) -> bool:
    """Not coded: None, NaN, pandas' NA or an empty string."""
    if isinstance(value, str):
        return value == ""
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # a value pandas cannot judge is a value
        return False


def _key(value: object) -> str:
    """A nominal value as a category: 1, 1.0 and np.int64(1) are one value."""
    if isinstance(value, float | np.floating | int | np.integer) and float(value).is_integer():
        return str(int(value))
    return str(value)


def _encode(first: Sequence, second: Sequence, level: str) -> tuple[np.ndarray, ...]:
    """Both codings as numbers (nominal values get codes), and the pairable mask."""
    if level not in LEVELS:
        raise ValueError(f"level={level!r}: choose one of {', '.join(LEVELS)}")
    if len(first) != len(second):
        raise ValueError(f"the codings differ in length ({len(first)} and {len(second)})")
    pairable = np.array(
        [not (_missing(a) or _missing(b)) for a, b in zip(first, second, strict=True)], dtype=bool
    )
    if level == "interval":
        a = np.array([float(v) if p else 0.0 for v, p in zip(first, pairable, strict=True)])
        b = np.array([float(v) if p else 0.0 for v, p in zip(second, pairable, strict=True)])
        return a, b, pairable
    both = zip([*first, *second], [*pairable, *pairable], strict=True)
    code = {v: i for i, v in enumerate(sorted({_key(v) for v, p in both if p}))}
    a = np.array([code[_key(v)] if p else -1 for v, p in zip(first, pairable, strict=True)])
    b = np.array([code[_key(v)] if p else -1 for v, p in zip(second, pairable, strict=True)])
    return a, b, pairable


def _sums(a: np.ndarray, b: np.ndarray, pairable: np.ndarray, level: str, groups: np.ndarray):
    """Per cluster: the sums α is made of (see the module's docstring)."""
    n_groups = int(groups.max()) + 1 if len(groups) else 0

    def per_group(values: np.ndarray) -> np.ndarray:
        return np.bincount(groups, weights=values * pairable, minlength=n_groups)

    pairs = per_group(np.ones(len(a)))
    if level == "interval":
        parts = [(a - b) ** 2, a + b, a**2 + b**2]
        return pairs, np.column_stack([per_group(p) for p in parts])
    categories = int(max(a.max(initial=-1), b.max(initial=-1))) + 1
    width = max(categories, 1)
    counts = np.zeros(n_groups * width)
    for values in (a, b):  # a histogram per cluster (np.bincount: np.add.at is ~10x slower)
        keep = pairable & (values >= 0)
        counts += np.bincount(groups[keep] * width + values[keep], minlength=n_groups * width)
    counts = counts.reshape(n_groups, width)
    differ = per_group((a != b).astype(float))
    return pairs, np.column_stack([differ, counts])


def _alpha(weights: np.ndarray, pairs: np.ndarray, sums: np.ndarray, level: str) -> np.ndarray:
    """α for each row of cluster ``weights`` (one row per resample)."""
    n = 2 * (weights @ pairs)
    totals = weights @ sums
    with np.errstate(divide="ignore", invalid="ignore"):
        if level == "interval":
            squared, total, total_sq = totals[:, 0], totals[:, 1], totals[:, 2]
            expected = n * total_sq - total**2
            result = 1 - (n - 1) * squared / expected
        else:
            differ, counts = totals[:, 0], totals[:, 1:]
            expected = n**2 - (counts**2).sum(axis=1)
            result = 1 - (n - 1) * 2 * differ / expected
    return np.where(np.isclose(expected, 0) | (n < 2), np.nan, result)


def alpha(first: Sequence, second: Sequence, level: str = "nominal") -> float:
    """Krippendorff's α of two codings of the same units (``None``, NaN or "" = not coded)."""
    a, b, pairable = _encode(first, second, level)
    pairs, sums = _sums(a, b, pairable, level, np.arange(len(a)))
    return float(_alpha(np.ones((1, len(a))), pairs, sums, level)[0])


def bootstrap_alpha(
    first: Sequence,
    second: Sequence,
    level: str = "nominal",
    *,
    clusters: Sequence | None = None,
    n_boot: int = N_BOOT,
    seed: int = SEED,
    confidence: float = CONFIDENCE,
) -> AlphaInterval:
    """α with a percentile bootstrap interval over units, or over ``clusters`` of units.

    ``clusters`` (one label per unit) resamples whole clusters: pooled frame codes are
    resampled by sentence, not by sentence × frame. Deterministic for a given ``seed``.
    """
    a, b, pairable = _encode(first, second, level)
    labels = np.arange(len(a)) if clusters is None else np.unique(clusters, return_inverse=True)[1]
    pairs, sums = _sums(a, b, pairable, level, labels.astype(int))
    groups = len(pairs)
    estimate = float(_alpha(np.ones((1, groups)), pairs, sums, level)[0])
    n = int(pairable.sum())
    agreement = float((a == b)[pairable].mean()) if n else math.nan
    if math.isnan(estimate) or groups < 2:
        return AlphaInterval(estimate, math.nan, math.nan, n, agreement)
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, groups, size=(n_boot, groups))
    cells = (np.arange(n_boot)[:, None] * groups + draws).ravel()  # how often each is drawn
    weights = np.bincount(cells, minlength=n_boot * groups).reshape(n_boot, groups).astype(float)
    resampled = _alpha(weights, pairs, sums, level)
    resampled = resampled[~np.isnan(resampled)]
    if not len(resampled):
        return AlphaInterval(estimate, math.nan, math.nan, n, agreement)
    tail = (1 - confidence) / 2 * 100
    low, high = np.percentile(resampled, [tail, 100 - tail])
    return AlphaInterval(
        estimate, min(float(low), estimate), max(float(high), estimate), n, agreement
    )


def alpha_verdict(value: float) -> str:
    """Krippendorff's (2004) thresholds: ≥ .800 reliable, ≥ .667 tentative, else unreliable."""
    if math.isnan(value):
        return "undefined"
    return "reliable" if value >= 0.8 else "tentative" if value >= 0.667 else "unreliable"
