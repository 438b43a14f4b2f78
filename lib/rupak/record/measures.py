"""Vote-agreement measures for two states, as pure math on counts (no data, no pandas).

Why separate: the formulas are the part that must be right, so they are tested here on
hand-worked examples, independently of the UNGA files; ``rupak.record.unga`` only feeds them counts.

Votes are coded yes = 1, abstain = 2, no = 3, and 0 = missing (absent or not a member).
Every measure is a function of the 3×3 table ``C[i, j]`` = number of roll calls on which the
first state voted ``i + 1`` and the second ``j + 1`` (only roll calls both voted on). From it:
``n = ΣC``; ``f`` = identical votes (the trace); ``g`` = one abstains while the other votes yes
or no; ``sₖ = Σxₖ``, ``ssₖ = Σxₖ²``; ``SSD = Σ(x₁ − x₂)²``; ``Σ|x₁ − x₂|``.

Measures (docs/methods.md#agreement):

* ``"percent"`` — percent agreement, ``f / n`` (0..1).
* ``"ia"`` — Lijphart's index of agreement, ``(f + g/2) / n``, the same as
  ``1 − mean|v₁ − v₂|`` on yes = 1, abstain = 0.5, no = 0 (0..1).
* ``"s"`` — Signorino & Ritter's S (absolute distance, unweighted),
  ``1 − 2·Σ|x₁ − x₂| / (d_max·n)`` with ``d_max = 2`` on the 1..3 scale; ``S = 2·IA − 1`` (−1..1).
* ``"kappa"`` — Cohen's κ with quadratic weights (Häge 2011, *Political Analysis* 19:287),
  ``1 − SSD / (ss₁ + ss₂ − 2·s₁·s₂/n)``; equals
  ``sklearn.metrics.cohen_kappa_score(x1, x2, weights="quadratic")`` (−1..1).
* ``"pi"`` — Scott's π with quadratic weights (Häge 2011),
  ``1 − SSD / (ss₁ + ss₂ − (s₁ + s₂)²/(2n))`` (−1..1).

Undefined values are NaN, never 0: ``n = 0`` (no common roll calls) for every measure, and for
κ and π a zero denominator, which happens exactly when both states cast the same single vote
on every roll call (no variation, so chance agreement is total and the ratio is 0/0). Häge's
own files set such cases to 0; we return NaN so that "undefined" is not read as "no better
than chance". The statistics are whole numbers far below 2**53, so the float64 arithmetic on
them is exact and a zero denominator is exactly zero.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "MEASURES",
    "MEASURE_LABELS",
    "MEASURE_RANGES",
    "VOTE_CODES",
    "Measure",
    "cohen_kappa",
    "contingency",
    "from_counts",
    "lijphart_ia",
    "measure",
    "percent_agreement",
    "scott_pi",
    "signorino_ritter_s",
]

Measure = Literal["percent", "ia", "s", "kappa", "pi"]
MEASURES: tuple[str, ...] = ("percent", "ia", "s", "kappa", "pi")
#: Short symbols of the measures, for prose and figure legends.
MEASURE_SYMBOLS: dict[str, str] = {
    "percent": "% agreement",
    "ia": "IA",
    "s": "S",
    "kappa": "κ",
    "pi": "π",
}
#: How each measure is named in tables, figures and sentences (docs/methods.md#agreement).
MEASURE_LABELS: dict[str, str] = {
    "kappa": "Cohen's κ (quadratic, Häge 2011)",
    "pi": "Scott's π (quadratic, Häge 2011)",
    "s": "Signorino–Ritter S",
    "ia": "Lijphart's index of agreement",
    "percent": "share of identical votes",
}
#: The range each measure can take: (lowest, highest).
MEASURE_RANGES: dict[str, tuple[float, float]] = {
    "percent": (0.0, 1.0),
    "ia": (0.0, 1.0),
    "s": (-1.0, 1.0),
    "kappa": (-1.0, 1.0),
    "pi": (-1.0, 1.0),
}
#: Numeric codes of the votes (0 = missing).
VOTE_CODES: dict[str, int] = {"yes": 1, "abstain": 2, "no": 3}

_V = np.array([1, 2, 3], dtype=np.float64)
_FIRST = np.repeat(_V, 3)  # the first state's vote in each of the 9 cells (row-major)
_SECOND = np.tile(_V, 3)  # the second state's
# Per-cell weights whose dot product with the 9 counts gives the sufficient statistics:
# n, f (identical), Σ|x1 - x2|, SSD = Σ(x1 - x2)², s1, ss1, s2, ss2.
_WEIGHTS = np.stack(
    [
        np.ones(9),
        (_FIRST == _SECOND).astype(np.float64),
        np.abs(_FIRST - _SECOND),
        (_FIRST - _SECOND) ** 2,
        _FIRST,
        _FIRST**2,
        _SECOND,
        _SECOND**2,
    ],
    axis=1,
)


def check_measure(name: str) -> str:
    """Return ``name`` if it is a known measure, else raise ValueError listing them."""
    if name not in MEASURES:
        raise ValueError(f"unknown measure {name!r}; expected one of {', '.join(MEASURES)}")
    return name


def contingency(x1: ArrayLike, x2: ArrayLike) -> NDArray[np.int64]:
    """3×3 table of vote pairs over the positions where both arrays hold a vote (1..3).

    Positions where either is 0 (missing) are dropped: only roll calls both states voted
    on count. Raises ValueError for arrays of different length or codes outside 0..3.
    """
    a = np.asarray(x1)
    b = np.asarray(x2)
    if a.shape != b.shape or a.ndim != 1:
        raise ValueError(f"need two aligned 1-d vote arrays, got shapes {a.shape} and {b.shape}")
    a = a.astype(np.int64, copy=False)
    b = b.astype(np.int64, copy=False)
    if a.size and (a.min() < 0 or a.max() > 3 or b.min() < 0 or b.max() > 3):
        raise ValueError("vote codes must be 0 (missing), 1 (yes), 2 (abstain) or 3 (no)")
    both = (a > 0) & (b > 0)
    cells = (a[both] - 1) * 3 + (b[both] - 1)
    return np.bincount(cells, minlength=9).reshape(3, 3)


def from_counts(counts: ArrayLike, measure: str) -> NDArray[np.float64] | float:
    """The measure from 3×3 count tables of shape ``(..., 3, 3)``; NaN where undefined.

    Vectorised over the leading axes, so one call scores every dyad (and every year) of a
    stack of tables built with matrix products.
    """
    check_measure(measure)
    c = np.asarray(counts)
    if c.shape[-2:] != (3, 3):
        raise ValueError(f"counts must have shape (..., 3, 3), got {c.shape}")
    cells = c.reshape(*c.shape[:-2], 9)
    cells = np.rint(cells) if cells.dtype.kind == "f" else cells
    # Whole numbers far below 2**53, so float64 arithmetic on them is exact: a zero
    # denominator is exactly zero, and one matrix product gives every statistic at once.
    stats = cells.astype(np.float64) @ _WEIGHTS
    n, f, absdiff, ssd, s1, ss1, s2, ss2 = np.moveaxis(stats, -1, 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        if measure == "percent":
            value = f / n
        elif measure == "ia":
            value = 1.0 - absdiff / (2.0 * n)  # = (f + g/2)/n
        elif measure == "s":
            value = 1.0 - 2.0 * absdiff / (2.0 * n)  # d_max = 2 on the 1..3 scale
        else:
            if measure == "kappa":
                # 1 - SSD / (ss1 + ss2 - 2 s1 s2 / n), multiplied through by n
                den = n * (ss1 + ss2) - 2.0 * s1 * s2
                num = n * ssd
            else:  # pi: 1 - SSD / (ss1 + ss2 - (s1 + s2)^2 / (2n)), times 2n
                den = 2.0 * n * (ss1 + ss2) - (s1 + s2) ** 2
                num = 2.0 * n * ssd
            value = np.where(den != 0, 1.0 - num / np.where(den != 0, den, 1.0), np.nan)
        value = np.where(n > 0, value, np.nan)
    return float(value) if np.ndim(value) == 0 else value


def measure(x1: ArrayLike, x2: ArrayLike, name: str) -> float:
    """One agreement measure of two aligned vote arrays (codes 0..3, 0 = missing)."""
    return float(from_counts(contingency(x1, x2), name))


def percent_agreement(x1: ArrayLike, x2: ArrayLike) -> float:
    """Share of common roll calls with identical votes."""
    return measure(x1, x2, "percent")


def lijphart_ia(x1: ArrayLike, x2: ArrayLike) -> float:
    """Lijphart's index of agreement, (f + g/2)/n."""
    return measure(x1, x2, "ia")


def signorino_ritter_s(x1: ArrayLike, x2: ArrayLike) -> float:
    """Signorino–Ritter S, absolute distance, unweighted (= 2·IA − 1)."""
    return measure(x1, x2, "s")


def cohen_kappa(x1: ArrayLike, x2: ArrayLike) -> float:
    """Cohen's κ with quadratic weights (Häge 2011); NaN when both never vary alike."""
    return measure(x1, x2, "kappa")


def scott_pi(x1: ArrayLike, x2: ArrayLike) -> float:
    """Scott's π with quadratic weights (Häge 2011); NaN when no vote varies."""
    return measure(x1, x2, "pi")
