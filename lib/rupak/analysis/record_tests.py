"""The record tests a narrative can be put to, each one computation under one specification.

A test answers one comparison (the window against the decade before, the studied dyad against
the comparison dyad, the partner's rank among all members, arms delivered) for one
specification: an agreement measure, the window's edges and ``min_votes``. The names are the
vocabulary of the ``test`` column of ``narratives.csv``. Methods: docs/methods.md#robustness.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from rupak.analysis import evidence_record as rec
from rupak.analysis.inference import (
    NAN_ESTIMATE,
    REPLICATES,
    Estimate,
    block_draws,
    difference,
    difference_in_differences,
    gap,
    percentile_interval,
    quiet,
)
from rupak.analysis.question import Question, Span, is_empty

#: Fewest yearly values a segment needs for a comparison to be made at all.
MIN_YEARS = 3


@dataclass(frozen=True)
class Spec:
    """One defensible way of computing a test."""

    measure: str
    start_shift: int
    end_shift: int
    min_votes: int


@dataclass(frozen=True)
class Test:
    """A comparison the record can make, and what a narrative's words predict for it."""

    name: str
    kind: str  # "agreement", "rank" or "arms"
    quantity: str
    comparison: str
    expected: str  # the direction a narrative of closeness predicts: "higher" or "lower"
    segments: Callable[[Question], tuple[Span | None, Span | None]]
    compute: Callable[[Question, Spec], Estimate]
    #: What the record shows, worded for an estimate above zero, below zero, or an interval
    #: holding zero; filled with state names and the segments ``{a}`` and ``{b}``.
    wording: tuple[str, str, str] = ("", "", "")


def _enough(*estimates: Estimate) -> bool:
    return all(e.years >= MIN_YEARS for e in estimates)


def _agreement_rise(q: Question, spec: Spec) -> Estimate:
    studied, _ = rec.gather(q)
    if is_empty(q.before) or is_empty(q.window):
        return NAN_ESTIMATE
    found = difference(studied, spec.measure, q.before, q.window, spec.min_votes, "rise")
    return found if _enough(found) else NAN_ESTIMATE


def _agreement_fall_after(q: Question, spec: Spec) -> Estimate:
    studied, _ = rec.gather(q)
    if is_empty(q.after) or is_empty(q.window):
        return NAN_ESTIMATE
    found = difference(studied, spec.measure, q.window, q.after, spec.min_votes, "fall")
    return found if _enough(found) else NAN_ESTIMATE


def _agreement_specific(q: Question, spec: Spec) -> Estimate:
    studied, comparison = rec.gather(q)
    if is_empty(q.before) or is_empty(q.window):
        return NAN_ESTIMATE
    found = difference_in_differences(
        studied, comparison, spec.measure, q.before, q.window, spec.min_votes, "did"
    )
    return found if _enough(found) else NAN_ESTIMATE


def _agreement_partner_vs_rival(q: Question, spec: Spec) -> Estimate:
    studied, comparison = rec.gather(q)
    if is_empty(q.window):
        return NAN_ESTIMATE
    found = gap(studied, comparison, spec.measure, q.window, spec.min_votes, "gap")
    return found if _enough(found) else NAN_ESTIMATE


def rank_in_window(
    table: rec.AllStates, partner: str, measure: str, span: Span, min_votes: int
) -> tuple[float, int, int]:
    """The partner's percentile, rank and "of N" among members by mean yearly agreement with
    the focal power over ``span``; members count with values in at least half its years."""
    values, keep = _window_values(table, measure, span, min_votes)
    if keep is None or partner not in table.states:
        return np.nan, 0, 0
    with quiet():
        means = np.nanmean(values, axis=1)
    counted = (np.isfinite(values).sum(axis=1) * 2 >= values.shape[1]) & np.isfinite(means)
    mine = table.row(partner)
    if not counted[mine]:
        return np.nan, 0, int(counted.sum())
    others = counted.copy()
    others[mine] = False
    rank = 1 + int((means[others] > means[mine]).sum())
    share = float((means[others] < means[mine]).sum() / max(others.sum(), 1))
    return share, rank, int(counted.sum())


def _window_values(table: rec.AllStates, measure: str, span: Span, min_votes: int):
    inside = (table.years >= span[0]) & (table.years <= span[1])
    if is_empty(span) or not inside.any():
        return None, None
    values = np.where(table.n >= max(min_votes, 1), table.values[measure], np.nan)[:, inside]
    return values, inside


def _percentile_replicates(
    table: rec.AllStates, partner: str, measure: str, span: Span, min_votes: int, key: object
) -> np.ndarray:
    """(B,) bootstrap replicates of the partner's percentile, years drawn in blocks for all
    members alike (the roll calls of a year stay as they are)."""
    values, _ = _window_values(table, measure, span, min_votes)
    if values is None:
        return np.full(REPLICATES, np.nan)
    with quiet():
        counted = (np.isfinite(values).sum(axis=1) * 2 >= values.shape[1]) & np.isfinite(
            np.nanmean(values, axis=1)
        )
    mine = table.row(partner)
    draws = block_draws(values.shape[1], key)
    # How often each year is drawn in each replicate: the replicate means of every member
    # are then two matrix products (sums and counts of the drawn years' values).
    size = values.shape[1]
    times = (
        np.bincount(
            (np.arange(len(draws))[:, None] * size + draws).ravel(), minlength=len(draws) * size
        )
        .reshape(len(draws), size)
        .astype(np.float64)
    )  # float: BLAS does the products
    present = np.isfinite(values)
    sums = np.where(present, values, 0.0) @ times.T  # (S, B)
    counts = present.astype(float) @ times.T
    with quiet():
        means = sums / counts
    others = counted.copy()
    others[mine] = False
    below = (means[others] < means[mine][None, :]).sum(axis=0)
    return below / max(int(others.sum()), 1)


def _rank_rise(q: Question, spec: Spec) -> Estimate:
    if is_empty(q.before) or is_empty(q.window):
        return NAN_ESTIMATE
    table = rec.all_states(q.focal)
    before, _, _ = rank_in_window(table, q.partner, spec.measure, q.before, spec.min_votes)
    within, _, _ = rank_in_window(table, q.partner, spec.measure, q.window, spec.min_votes)
    if not (np.isfinite(before) and np.isfinite(within)):
        return NAN_ESTIMATE
    key = (q.focal, q.partner, spec.measure, spec.min_votes)
    reps_b = _percentile_replicates(table, q.partner, spec.measure, q.before, spec.min_votes, key)
    reps_w = _percentile_replicates(table, q.partner, spec.measure, q.window, spec.min_votes, key)
    low, high = percentile_interval((reps_w - reps_b)[:, None])
    years = min(_years_in(table, q.before), _years_in(table, q.window))
    if years < MIN_YEARS:
        return NAN_ESTIMATE
    return Estimate(within - before, float(low[0]), float(high[0]), years)


def _years_in(table: rec.AllStates, span: Span) -> int:
    return int(((table.years >= span[0]) & (table.years <= span[1])).sum())


def mean_tiv(supplier: str, recipient: str, span: Span | None) -> tuple[float, int]:
    """Mean yearly SIPRI TIV delivered over a span of the TIV tables, and its years."""
    if is_empty(span):
        return np.nan, 0
    flows = rec.arms_series(supplier, recipient, *span)
    return (float(flows["tiv"].mean()) if len(flows) else np.nan), len(flows)


def _arms_rise(q: Question, spec: Spec) -> Estimate:
    before, k_b = mean_tiv(q.focal, q.partner, q.before)
    within, k_w = mean_tiv(q.focal, q.partner, q.window)
    if min(k_b, k_w) < MIN_YEARS:
        return NAN_ESTIMATE
    return Estimate(within - before, np.nan, np.nan, min(k_b, k_w))


def _arms_partner_vs_rival(q: Question, spec: Spec) -> Estimate:
    mine, k_p = mean_tiv(q.focal, q.partner, q.window)
    theirs, k_r = mean_tiv(q.focal, q.rival, q.window)
    if min(k_p, k_r) < MIN_YEARS:
        return NAN_ESTIMATE
    return Estimate(mine - theirs, np.nan, np.nan, min(k_p, k_r))


def _before_window(q: Question):
    return q.before, q.window


def _window_after(q: Question):
    return q.window, q.after


def _window_only(q: Question):
    return q.window, q.window


TESTS: dict[str, Test] = {
    t.name: t
    for t in (
        Test(
            "agreement_rise",
            "agreement",
            "mean yearly UNGA agreement of {studied}",
            "the window against the years before it",
            "higher",
            _before_window,
            _agreement_rise,
            (
                "{partner} voted with {focal} more in {b} than in {a}",
                "{partner} voted with {focal} less in {b} than in {a}",
                "{partner}'s agreement with {focal} shows no clear change from {a} to {b}",
            ),
        ),
        Test(
            "agreement_fall_after",
            "agreement",
            "mean yearly UNGA agreement of {studied}",
            "the years after the window against the window",
            "lower",
            _window_after,
            _agreement_fall_after,
            (
                "{partner} voted with {focal} more in {b}, after the window, than in {a}",
                "{partner} voted with {focal} less in {b}, after the window, than in {a}",
                "{partner}'s agreement with {focal} shows no clear change from {a} to {b}",
            ),
        ),
        Test(
            "agreement_specific",
            "agreement",
            "change in agreement of {studied} minus that of {comparison}",
            "difference-in-differences against the comparison dyad {comparison}",
            "higher",
            _before_window,
            _agreement_specific,
            (
                "from {a} to {b}, the agreement of {studied} changed more than "
                "that of {comparison}",
                "from {a} to {b}, the agreement of {studied} changed less than "
                "that of {comparison}",
                "from {a} to {b}, the agreement of {studied} changed no differently "
                "from that of {comparison}",
            ),
        ),
        Test(
            "agreement_partner_vs_rival",
            "agreement",
            "mean yearly agreement of {studied} minus that of {comparison}",
            "the studied dyad against the comparison dyad, within the window",
            "lower",
            _window_only,
            _agreement_partner_vs_rival,
            (
                "in {b}, {focal} voted more with {partner} than with {rival}",
                "in {b}, {focal} voted less with {partner} than with {rival}",
                "in {b}, {focal} voted no differently with {partner} than with {rival}",
            ),
        ),
        Test(
            "rank_rise",
            "rank",
            "{partner}'s percentile among UN members in agreement with {focal}",
            "the window against the years before it (relative position)",
            "higher",
            _before_window,
            _rank_rise,
            (
                "{partner} stood higher among UN members in agreement with {focal} "
                "in {b} than in {a}",
                "{partner} stood lower among UN members in agreement with {focal} "
                "in {b} than in {a}",
                "{partner}'s standing among UN members in agreement with {focal} "
                "shows no clear change from {a} to {b}",
            ),
        ),
        Test(
            "arms_rise",
            "arms",
            "mean yearly arms deliveries {supplier_short}→{partner_short} (SIPRI TIV, millions)",
            "the window against the years before it",
            "higher",
            _before_window,
            _arms_rise,
            (
                "{supplier} delivered more arms a year to {partner} in {b} than in {a}",
                "{supplier} delivered fewer arms a year to {partner} in {b} than in {a}",
                "{supplier} delivered as much to {partner} in {b} as in {a}",
            ),
        ),
        Test(
            "arms_partner_vs_rival",
            "arms",
            "mean yearly deliveries {supplier_short}→{partner_short} minus "
            "{supplier_short}→{rival_short} (SIPRI TIV)",
            "the partner against the rival, within the window",
            "lower",
            _window_only,
            _arms_partner_vs_rival,
            (
                "in {b}, {supplier} delivered fewer arms a year to {rival} than to {partner}",
                "in {b}, {supplier} delivered fewer arms a year to {partner} than to {rival}",
                "in {b}, {supplier} delivered as much to {partner} as to {rival}",
            ),
        ),
    )
}

#: Test names a narrative row may carry; ``none`` marks a statement the record cannot test.
TEST_NAMES = (*TESTS, "none")
