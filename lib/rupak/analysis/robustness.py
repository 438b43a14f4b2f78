"""The specification curve: every test recomputed under every defensible choice.

A window comparison depends on choices a referee could make otherwise: the agreement measure
(chance-corrected κ and π, or raw percent, IA and S), where the window's edges fall, and how
many shared roll calls make a year count. The curve computes the test under all of them
(Simonsohn, Simmons & Nelson 2020; Steegen et al. 2016) and reports the share in which the
narrative's direction holds with an interval that excludes zero. docs/methods.md#robustness.
"""

from __future__ import annotations

import itertools

import pandas as pd

from rupak.analysis.evidence_record import EDGE_SHIFTS
from rupak.analysis.question import Question, years_text
from rupak.analysis.record_tests import TESTS, Spec
from rupak.base.provenance import cached
from rupak.record.measures import MEASURES

#: ``min_votes`` values the curve tries.
MIN_VOTES = (5, 10, 20)

CURVE_COLUMNS = [
    "test",
    "measure",
    "start_shift",
    "end_shift",
    "min_votes",
    "segment_a",
    "segment_b",
    "estimate",
    "ci_low",
    "ci_high",
    "years",
    "headline",
]


def specifications(kind: str, question: Question) -> list[Spec]:
    """Every specification of a test of ``kind``: arms totals depend on the edges only."""
    if kind == "arms":
        return [
            Spec(question.measure, s, e, question.min_votes)
            for s, e in itertools.product(EDGE_SHIFTS, EDGE_SHIFTS)
        ]
    return [
        Spec(m, s, e, v)
        for m, s, e, v in itertools.product(MEASURES, EDGE_SHIFTS, EDGE_SHIFTS, MIN_VOTES)
    ]


def curve(question: Question, test: str, first: int, last: int) -> pd.DataFrame:
    """One row per specification of ``test`` (a copy of the cached table)."""
    return _curve(question, test, first, last).copy()


@cached
def _curve(question: Question, test: str, first: int, last: int) -> pd.DataFrame:
    """One row per specification of ``test``, clipped to the record's years [first, last].

    ``headline`` marks the question's own specification (its measure and ``min_votes``,
    edges unmoved).
    """
    definition = TESTS[test]
    rows = []
    for spec in specifications(definition.kind, question):
        asked = question.shifted(spec.start_shift, spec.end_shift).clipped(first, last)
        found = definition.compute(asked, spec)
        segment_a, segment_b = definition.segments(asked)
        rows.append(
            {
                "test": test,
                "measure": spec.measure if definition.kind != "arms" else "",
                "start_shift": spec.start_shift,
                "end_shift": spec.end_shift,
                "min_votes": spec.min_votes if definition.kind != "arms" else 0,
                "segment_a": years_text(segment_a),
                "segment_b": years_text(segment_b),
                "estimate": found.value,
                "ci_low": found.low,
                "ci_high": found.high,
                "years": found.years,
                "headline": spec.start_shift == 0
                and spec.end_shift == 0
                and spec.measure == question.measure
                and spec.min_votes == question.min_votes,
            }
        )
    return pd.DataFrame(rows, columns=CURVE_COLUMNS)


#: What a narrative's words predict for a test: a rise, a fall, or no difference.
EXPECTATIONS = ("higher", "lower", "same")


def holds(curve_rows: pd.DataFrame, expected: str) -> pd.Series:
    """Per specification, whether the narrative's prediction holds.

    ``higher``/``lower``: the estimate goes that way and (where there is an interval) the
    interval excludes zero. ``same``: the interval holds zero (for arms totals, which have no
    interval, the totals are equal) — a weaker test, since an interval can hold zero for
    want of data; the sentence says so.
    """
    if expected not in EXPECTATIONS:
        raise ValueError(f"expected {expected!r}; one of {', '.join(EXPECTATIONS)}")
    low, high, estimate = curve_rows["ci_low"], curve_rows["ci_high"], curve_rows["estimate"]
    has_interval = low.notna()
    if expected == "same":
        return (has_interval & (low <= 0) & (high >= 0)) | (~has_interval & (estimate == 0))
    sign = 1.0 if expected == "higher" else -1.0
    bound = low if sign > 0 else -high
    return (estimate * sign > 0) & (~has_interval | (bound > 0))


def share_by(curve_rows: pd.DataFrame, expected: str, column: str) -> pd.Series:
    """Share of testable specifications that hold, per value of ``column`` (e.g. measure)."""
    testable = curve_rows[curve_rows["estimate"].notna()]
    if testable.empty:
        return pd.Series(dtype=float)
    return holds(testable, expected).groupby(testable[column]).mean()
