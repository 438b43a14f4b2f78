"""Krippendorff's α of two codings and its bootstrap interval (rupak.analysis.coder_alpha)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rupak.analysis import coder_alpha as ca


def test_krippendorffs_binary_example_by_hand():
    # Krippendorff (2011), binary data, two observers, ten units: α = 1 − 19·4/(14·6).
    a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    assert ca.alpha(a, b) == pytest.approx(1 - 76 / 84)


def test_interval_alpha_by_hand():
    # units (1, 2), (1, 3), (2, 2): n = 6, Σv = 11, Σv² = 23, Σ(a−b)² = 1 + 4 + 0 = 5;
    # α = 1 − (n − 1)·5 / (n·Σv² − (Σv)²) = 1 − 25/(138 − 121) = 1 − 25/17.
    assert ca.alpha([1, 1, 2], [2, 3, 2], "interval") == pytest.approx(1 - 25 / 17)


def test_missing_values_are_not_pairable():
    with_gap = ca.alpha(["a", "b", None, "a"], ["a", "b", "b", ""])
    assert with_gap == ca.alpha(["a", "b"], ["a", "b"]) == 1.0
    assert math.isnan(ca.alpha([None, None], [None, None]))
    assert math.isnan(ca.alpha([1, 1, 1], [1, 1, 1]))  # no variation: undefined
    assert ca.alpha([1.0, 2.0], [1, 2]) == 1.0  # 1.0 and 1 are one nominal value
    import pandas as pd

    assert ca.alpha(["a", "b", pd.NA], ["a", "b", "a"]) == 1.0


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="level='ordinal'"):
        ca.alpha([1], [1], "ordinal")
    with pytest.raises(ValueError, match="differ in length"):
        ca.alpha([1, 2], [1])


PAIRS = st.lists(
    st.tuples(st.one_of(st.none(), st.integers(0, 3)), st.one_of(st.none(), st.integers(0, 3))),
    min_size=2,
    max_size=40,
)


@settings(max_examples=150, deadline=None)
@given(PAIRS, st.sampled_from(ca.LEVELS))
def test_alpha_equals_the_krippendorff_package(pairs, level):
    import krippendorff

    first = [a for a, _ in pairs]
    second = [b for _, b in pairs]
    mine = ca.alpha(first, second, level)
    data = np.array([first, second], dtype="float64")
    pairable = ~np.isnan(data).any(axis=0)
    if len(np.unique(data[:, pairable])) < 2:
        assert math.isnan(mine)
        return
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement=level)
    assert mine == pytest.approx(expected)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 4), min_size=2, max_size=60), st.sampled_from(ca.LEVELS))
def test_identical_codings_have_alpha_one(values, level):
    estimate = ca.bootstrap_alpha(values, list(values), level, n_boot=50)
    if len(set(values)) < 2:
        assert math.isnan(estimate.alpha)
    else:
        assert estimate.alpha == pytest.approx(1.0)
        assert estimate.ci_high == pytest.approx(1.0)
        assert estimate.agreement == 1.0


@settings(max_examples=100, deadline=None)
@given(PAIRS, st.sampled_from(ca.LEVELS), st.integers(0, 2**16))
def test_the_interval_holds_the_estimate_and_is_deterministic(pairs, level, seed):
    first = [a for a, _ in pairs]
    second = [b for _, b in pairs]
    estimate = ca.bootstrap_alpha(first, second, level, n_boot=200, seed=seed)
    again = ca.bootstrap_alpha(first, second, level, n_boot=200, seed=seed)
    assert estimate == again or (math.isnan(estimate.alpha) and math.isnan(again.alpha))
    if not math.isnan(estimate.ci_low):
        assert estimate.ci_low <= estimate.alpha <= estimate.ci_high


def test_clusters_are_resampled_whole():
    """Pooled codes of one sentence move together: with every cluster agreeing internally
    the same way, clustering changes the interval but not the estimate."""
    rng = np.random.default_rng(1)
    first = rng.integers(0, 2, 300)
    second = np.where(rng.random(300) < 0.8, first, 1 - first)
    plain = ca.bootstrap_alpha(first, second)
    clustered = ca.bootstrap_alpha(first, second, clusters=np.repeat(np.arange(30), 10))
    assert plain.alpha == clustered.alpha
    assert (plain.ci_low, plain.ci_high) != (clustered.ci_low, clustered.ci_high)
    assert plain.n == clustered.n == 300


def test_verdicts():
    assert ca.alpha_verdict(0.85) == "reliable"
    assert ca.alpha_verdict(0.7) == "tentative"
    assert ca.alpha_verdict(0.2) == "unreliable"
    assert ca.alpha_verdict(math.nan) == "undefined"
