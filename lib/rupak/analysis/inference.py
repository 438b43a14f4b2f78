"""Intervals that respect the data: bootstraps over roll calls and over blocks of years.

Why not t-intervals: a window holds 9–11 autocorrelated yearly values of a bounded measure,
and a t-interval over them can leave the measure's range (κ in [−2.1, 2.3]). Here

* a year's interval resamples that year's roll calls. Every agreement measure is a function of
  the 3×3 table of vote pairs, so resampling roll calls with replacement is a multinomial draw
  of that table: cheap, exact in distribution, and every replicate is a value of the measure,
  so the interval stays inside its range;
* a window mean resamples years in circular moving blocks (years near each other stay
  together) and, inside each drawn year, uses that year's roll-call replicates (two stages);
* a difference resamples each segment independently; a difference-in-differences draws the
  same years for both dyads, so a year's agenda moves both alike and cancels.

Everything is seeded from the question asked (dyad, years, purpose), never from a global
state, so the same question gives the same bytes. Methods: docs/methods.md#uncertainty.
"""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from rupak.record.measures import MEASURES, from_counts

#: Bootstrap replicates per interval.
REPLICATES = 1000
#: Years per block of the moving-block bootstrap over years.
BLOCK_YEARS = 3
#: Two-sided level of every interval.
LEVEL = 0.95


@contextmanager
def quiet() -> Iterator[None]:
    """Silence numpy's "mean of empty slice": an empty slice has an answer here, NaN."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        yield


def rng_for(*key: object) -> np.random.Generator:
    """A generator seeded from the question itself, so results are reproducible to the byte."""
    digest = hashlib.sha256("|".join(str(k) for k in key).encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], "little"))


@dataclass(frozen=True)
class YearlyBootstrap:
    """One dyad's yearly vote-pair tables and their bootstrap replicates, for every measure.

    ``years`` (Y,), ``n`` (Y,) roll calls both voted on; ``point[m]`` (Y,) the measure per
    year; ``replicates[m]`` (B, Y) the measure on resampled roll calls (NaN where undefined).
    """

    years: NDArray[np.int64]
    n: NDArray[np.int64]
    point: dict[str, NDArray[np.float64]]
    replicates: dict[str, NDArray[np.float64]]

    def valid(self, min_votes: int) -> NDArray[np.bool_]:
        return self.n >= max(min_votes, 1)


def resample_tables(
    tables: NDArray[np.int64], seeds: list[object], replicates: int = REPLICATES
) -> NDArray[np.int64]:
    """(B, Y, 3, 3) multinomial resamples of each year's (Y, 3, 3) table of vote pairs.

    ``seeds`` gives each year its own key, so a year's replicates do not depend on which
    other years were asked for.
    """
    counts = np.asarray(tables, dtype=np.int64).reshape(len(tables), 9)
    out = np.zeros((replicates, len(tables), 9), dtype=np.int64)
    for j, (row, seed) in enumerate(zip(counts, seeds, strict=True)):
        total = int(row.sum())
        if total:
            out[:, j, :] = rng_for("roll-calls", seed).multinomial(total, row / total, replicates)
    return out.reshape(replicates, len(tables), 3, 3)


def yearly_bootstrap(
    years: NDArray[np.int64],
    tables: NDArray[np.int64],
    key: str,
    measures: tuple[str, ...] = MEASURES,
    replicates: int = REPLICATES,
) -> YearlyBootstrap:
    """Point values and roll-call bootstrap replicates of every measure for one dyad."""
    tables = np.asarray(tables, dtype=np.int64)
    resampled = resample_tables(tables, [f"{key}|{y}" for y in years], replicates)
    point = {m: np.asarray(from_counts(tables, m), dtype=np.float64) for m in measures}
    reps = {m: np.asarray(from_counts(resampled, m), dtype=np.float64) for m in measures}
    n = tables.reshape(len(tables), 9).sum(axis=1)
    return YearlyBootstrap(np.asarray(years, dtype=np.int64), n, point, reps)


def percentile_interval(
    replicates: NDArray[np.float64], level: float = LEVEL
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Percentile interval of each column of (B, Y) replicates, ignoring undefined ones."""
    reps = np.asarray(replicates, dtype=np.float64).reshape(len(replicates), -1)
    tail = (1 - level) / 2 * 100
    low = np.full(reps.shape[1], np.nan)
    high = np.full(reps.shape[1], np.nan)
    for j in range(reps.shape[1]):
        finite = reps[:, j][np.isfinite(reps[:, j])]
        if finite.size:
            low[j], high[j] = np.percentile(finite, [tail, 100 - tail])
    return low, high


def block_draws(
    size: int, key: object, replicates: int = REPLICATES, block: int = BLOCK_YEARS
) -> NDArray[np.int64]:
    """(B, size) positions drawn by the circular moving-block bootstrap (Politis & Romano).

    Blocks of ``block`` consecutive positions start anywhere (wrapping round), and are laid
    end to end until ``size`` positions are drawn.
    """
    if size == 0:
        return np.zeros((replicates, 0), dtype=np.int64)
    length = min(block, size)
    blocks = -(-size // length)
    starts = rng_for("years", key, size).integers(0, size, size=(replicates, blocks))
    draws = (starts[:, :, None] + np.arange(length)[None, None, :]) % size
    return draws.reshape(replicates, blocks * length)[:, :size]


@dataclass(frozen=True)
class Estimate:
    """A number with its 95 % interval and how many yearly values it rests on."""

    value: float
    low: float
    high: float
    years: int

    @property
    def excludes_zero(self) -> bool:
        return bool(np.isfinite(self.low) and (self.low > 0 or self.high < 0))


NAN_ESTIMATE = Estimate(np.nan, np.nan, np.nan, 0)


def _segment(boot: YearlyBootstrap, measure: str, first: int, last: int, min_votes: int):
    """Positions of the years of [first, last] that carry a value under ``min_votes``."""
    inside = (boot.years >= first) & (boot.years <= last) & boot.valid(min_votes)
    inside &= np.isfinite(boot.point[measure])
    return np.flatnonzero(inside)


def _mean_replicates(
    boot: YearlyBootstrap, measure: str, positions: NDArray[np.int64], draws: NDArray[np.int64]
) -> NDArray[np.float64]:
    """(B,) replicate means: years drawn in blocks, each year's own roll-call replicate."""
    reps = boot.replicates[measure][:, positions]  # (B, k)
    picked = np.take_along_axis(reps, draws, axis=1)
    with quiet():
        return np.nanmean(picked, axis=1)


def _estimate(value: float, replicates: NDArray[np.float64], years: int) -> Estimate:
    low, high = percentile_interval(replicates[:, None])
    return Estimate(float(value), float(low[0]), float(high[0]), years)


def window_mean(
    boot: YearlyBootstrap, measure: str, first: int, last: int, min_votes: int, key: object
) -> tuple[Estimate, NDArray[np.float64]]:
    """Mean yearly value over [first, last] with its two-stage bootstrap replicates."""
    positions = _segment(boot, measure, first, last, min_votes)
    if positions.size == 0:
        return NAN_ESTIMATE, np.full(REPLICATES, np.nan)
    draws = block_draws(positions.size, (key, first, last, min_votes))
    reps = _mean_replicates(boot, measure, positions, draws)
    value = float(np.mean(boot.point[measure][positions]))
    return _estimate(value, reps, positions.size), reps


def difference(
    boot: YearlyBootstrap,
    measure: str,
    first: tuple[int, int],
    second: tuple[int, int],
    min_votes: int,
    key: object,
) -> Estimate:
    """Mean of segment ``second`` minus mean of segment ``first`` (segments drawn apart)."""
    a, reps_a = window_mean(boot, measure, *first, min_votes, (key, "first"))
    b, reps_b = window_mean(boot, measure, *second, min_votes, (key, "second"))
    if not (a.years and b.years):
        return NAN_ESTIMATE
    return _estimate(b.value - a.value, reps_b - reps_a, min(a.years, b.years))


def _paired_mean(
    studied: YearlyBootstrap,
    other: YearlyBootstrap,
    measure: str,
    span: tuple[int, int],
    min_votes: int,
    key: object,
) -> tuple[float, NDArray[np.float64], int]:
    """Mean of (studied − other) over the years both have, drawing the same years for both."""
    mine = set(studied.years[_segment(studied, measure, *span, min_votes)].tolist())
    theirs = set(other.years[_segment(other, measure, *span, min_votes)].tolist())
    common = np.array(sorted(mine & theirs), dtype=np.int64)
    if common.size == 0:
        return np.nan, np.full(REPLICATES, np.nan), 0
    pos_s = np.searchsorted(studied.years, common)
    pos_o = np.searchsorted(other.years, common)
    draws = block_draws(common.size, (key, *span, min_votes))
    gap = studied.replicates[measure][:, pos_s] - other.replicates[measure][:, pos_o]
    with quiet():
        reps = np.nanmean(np.take_along_axis(gap, draws, axis=1), axis=1)
    point = studied.point[measure][pos_s] - other.point[measure][pos_o]
    return float(np.mean(point)), reps, int(common.size)


def gap(
    studied: YearlyBootstrap,
    other: YearlyBootstrap,
    measure: str,
    span: tuple[int, int],
    min_votes: int,
    key: object,
) -> Estimate:
    """Mean yearly gap between two dyads over one span (years paired)."""
    value, reps, years = _paired_mean(studied, other, measure, span, min_votes, key)
    return _estimate(value, reps, years) if years else NAN_ESTIMATE


def difference_in_differences(
    studied: YearlyBootstrap,
    other: YearlyBootstrap,
    measure: str,
    first: tuple[int, int],
    second: tuple[int, int],
    min_votes: int,
    key: object,
) -> Estimate:
    """(studied − other) in ``second`` minus the same in ``first``: the change specific to the
    studied dyad. Years are paired across the two dyads, so a year's agenda cancels."""
    a, reps_a, ya = _paired_mean(studied, other, measure, first, min_votes, (key, "first"))
    b, reps_b, yb = _paired_mean(studied, other, measure, second, min_votes, (key, "second"))
    if not (ya and yb):
        return NAN_ESTIMATE
    return _estimate(b - a, reps_b - reps_a, min(ya, yb))
