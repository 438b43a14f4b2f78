"""rupak.analysis.inference: bootstraps that stay in range, are seeded, and pair years."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rupak.analysis import inference as inf
from rupak.record.measures import MEASURES, from_counts

RANGES = {"percent": (0, 1), "ia": (0, 1), "s": (-1, 1), "kappa": (-1, 1), "pi": (-1, 1)}


def _tables(rng: np.random.Generator, years: int, size: int = 40) -> np.ndarray:
    return rng.multinomial(size, np.full(9, 1 / 9), size=years).reshape(years, 3, 3)


def test_multinomial_resample_keeps_each_years_total():
    tables = _tables(np.random.default_rng(1), 4)
    reps = inf.resample_tables(tables, ["a", "b", "c", "d"], replicates=50)
    assert reps.shape == (50, 4, 3, 3)
    assert (reps.sum(axis=(2, 3)) == tables.sum(axis=(1, 2))[None, :]).all()


def test_a_years_replicates_do_not_depend_on_the_other_years_asked():
    tables = _tables(np.random.default_rng(2), 3)
    alone = inf.resample_tables(tables[1:2], ["y1"], replicates=20)
    together = inf.resample_tables(tables, ["y0", "y1", "y2"], replicates=20)
    assert (alone[:, 0] == together[:, 1]).all()


@settings(max_examples=25, deadline=None)
@given(
    counts=st.lists(st.integers(0, 30), min_size=9, max_size=9).filter(lambda c: sum(c) > 0),
    measure=st.sampled_from(MEASURES),
)
def test_yearly_intervals_stay_inside_the_measures_range(counts, measure):
    tables = np.array(counts, dtype=np.int64).reshape(1, 3, 3)
    boot = inf.yearly_bootstrap(np.array([1970]), tables, key="x", replicates=200)
    low, high = inf.percentile_interval(boot.replicates[measure])
    lo, hi = RANGES[measure]
    if np.isfinite(low[0]):
        assert lo - 1e-12 <= low[0] <= high[0] <= hi + 1e-12


def test_the_same_question_gives_the_same_bytes():
    tables = _tables(np.random.default_rng(3), 12)
    years = np.arange(1960, 1972)
    a = inf.yearly_bootstrap(years, tables, key="RUS-PAK")
    b = inf.yearly_bootstrap(years, tables, key="RUS-PAK")
    first = inf.difference(a, "kappa", (1960, 1965), (1966, 1971), 1, "k")
    second = inf.difference(b, "kappa", (1960, 1965), (1966, 1971), 1, "k")
    assert first == second


def test_block_draws_are_circular_runs_of_consecutive_positions():
    draws = inf.block_draws(10, "key", replicates=30, block=3)
    assert draws.shape == (30, 10)
    assert draws.min() >= 0 and draws.max() <= 9
    steps = (draws[:, 1:3] - draws[:, 0:2]) % 10
    assert (steps == 1).all()  # the first block runs on without a break


def test_window_mean_is_the_mean_of_the_yearly_values():
    tables = _tables(np.random.default_rng(4), 10)
    years = np.arange(1960, 1970)
    boot = inf.yearly_bootstrap(years, tables, key="x")
    found, reps = inf.window_mean(boot, "percent", 1962, 1966, 1, "w")
    expected = np.mean(from_counts(tables[2:7], "percent"))
    assert found.value == pytest.approx(expected)
    assert found.years == 5
    assert found.low <= found.value <= found.high
    assert reps.shape == (inf.REPLICATES,)


def test_a_common_shift_cancels_in_the_difference_in_differences():
    """The comparison dyad is the studied one shifted by the same yearly agenda effect."""
    rng = np.random.default_rng(5)
    base = _tables(rng, 12, size=60)
    years = np.arange(1960, 1972)
    studied = inf.yearly_bootstrap(years, base, key="s")
    comparison = inf.yearly_bootstrap(years, base, key="s")  # identical tables and replicates
    did = inf.difference_in_differences(
        studied, comparison, "kappa", (1960, 1965), (1966, 1971), 1, "d"
    )
    assert did.value == pytest.approx(0.0)
    assert did.low == pytest.approx(0.0) and did.high == pytest.approx(0.0)


def test_no_years_gives_no_estimate():
    tables = _tables(np.random.default_rng(6), 3)
    boot = inf.yearly_bootstrap(np.array([1960, 1961, 1962]), tables, key="x")
    found = inf.difference(boot, "kappa", (1940, 1945), (1960, 1962), 1, "k")
    assert not np.isfinite(found.value) and found.years == 0
    assert not found.excludes_zero


def test_min_votes_removes_thin_years():
    tables = _tables(np.random.default_rng(7), 4, size=8)
    boot = inf.yearly_bootstrap(np.arange(1960, 1964), tables, key="x")
    found, _ = inf.window_mean(boot, "percent", 1960, 1963, 9, "w")
    assert found.years == 0


def test_percentile_interval_ignores_undefined_replicates():
    reps = np.array([[np.nan], [0.1], [0.2], [0.3], [np.nan]])
    low, high = inf.percentile_interval(reps)
    assert 0.1 <= low[0] <= high[0] <= 0.3
    none_low, none_high = inf.percentile_interval(np.full((5, 1), np.nan))
    assert np.isnan(none_low[0]) and np.isnan(none_high[0])
