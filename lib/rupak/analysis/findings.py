"""Findings as data: each conclusion of a period analysis is a row before it is a sentence.

A row holds the narrative statement tested (with its source and quote id), the quantity and
its estimate with a 95 % interval, the comparison made, how it fares across the
specification curve, a verdict from a fixed vocabulary and one sentence generated from
those fields. Notebooks, reports and ``rupak findings`` show these rows; none of them
computes or words a conclusion itself. Verdict rules: docs/methods.md#verdicts.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from rupak.analysis import robustness
from rupak.analysis.evidence_record import unga_years
from rupak.analysis.question import Question, dyad_name, state_name
from rupak.analysis.record_tests import MIN_YEARS, TESTS
from rupak.record.measures import MEASURE_SYMBOLS

VERDICTS = ("supported", "not supported", "mixed", "depends on specification", "not testable")
#: Share of specifications at or above which a finding is supported, at or below which not.
SUPPORTED_SHARE = 0.8
NOT_SUPPORTED_SHARE = 0.2

#: How every report states its method, in one sentence (the specification count filled in).
METHOD = (
    "Intervals are 95 % bootstrap intervals: roll calls resampled within each year, years "
    "resampled in three-year blocks for window means and differences "
    "(docs/methods.md#uncertainty). Each finding is recomputed under {n} specifications "
    "(five agreement measures, window edges moved by up to two years, three thresholds of "
    "shared roll calls); a verdict of supported needs 80 % of them (docs/methods.md#verdicts)."
)

FINDING_COLUMNS = [
    "finding",
    "narrative_id",
    "source_id",
    "statement",
    "quantity",
    "comparison",
    "expected",
    "measure",
    "segment_a",
    "segment_b",
    "estimate",
    "ci_low",
    "ci_high",
    "specifications",
    "share_of_specifications",
    "holds_by_measure",
    "verdict",
    "sentence",
]


def verdict_of(share: float, testable: int, total: int, headline_ok: bool) -> str:
    """The verdict for one finding from its share of specifications that hold."""
    if not headline_ok or testable * 2 < total:
        return "not testable"
    if share >= SUPPORTED_SHARE:
        return "supported"
    if share <= NOT_SUPPORTED_SHARE:
        return "not supported"
    return "depends on specification"


def combine(verdicts: Sequence[str]) -> str:
    """One verdict for a narrative tested by several findings."""
    tested = [v for v in verdicts if v != "not testable"]
    if not tested:
        return "not testable"
    if all(v == tested[0] for v in tested):
        return tested[0]
    if "supported" in tested and "not supported" in tested:
        return "mixed"
    return "depends on specification" if "depends on specification" in tested else "mixed"


def quantity_names(question: Question, year: int | None = None) -> dict[str, str]:
    """The names a test's wording is filled with, for a question (in a year's era)."""
    year = question.window[0] if year is None else year
    return {
        "focal": state_name(question.focal, year),
        "partner": state_name(question.partner, year),
        "rival": state_name(question.rival, year),
        "supplier": state_name(question.focal, year),
        "supplier_short": state_name(question.focal, year).removeprefix("the "),
        "partner_short": state_name(question.partner, year).removeprefix("the "),
        "rival_short": state_name(question.rival, year).removeprefix("the "),
        "studied": dyad_name(*question.studied, year),
        "comparison": dyad_name(*question.comparison, year),
    }


def _number(value: float, kind: str, signed: bool = True) -> str:
    if not np.isfinite(value):
        return "—"
    if kind == "arms":
        text = f"{value:+,.0f}" if signed else f"{value:,.0f}"
    elif kind == "rank":
        text = f"{value * 100:+.0f}" if signed else f"{value * 100:.0f}"
    else:
        text = f"{value:+.2f}" if signed else f"{value:.2f}"
    return text.replace("-", "−")


def _interval(low: float, high: float, kind: str) -> str:
    if not (np.isfinite(low) and np.isfinite(high)):
        return ""
    return f" [{_number(low, kind)}, {_number(high, kind)}]"


def _wording_index(estimate: float, low: float, high: float) -> int:
    """0 above zero, 1 below, 2 no clear difference: only the interval of the difference
    decides, never whether two segments' own intervals overlap."""
    if np.isfinite(low) and np.isfinite(high) and low <= 0 <= high:
        return 2
    if estimate == 0:
        return 2
    return 0 if estimate > 0 else 1


def _by_measure(curve_rows: pd.DataFrame, expected: str) -> str:
    shares = robustness.share_by(curve_rows, expected, "measure")
    shares = shares[shares.index != ""]
    if shares.empty:
        return ""
    strong = [MEASURE_SYMBOLS[m] for m, v in shares.items() if v >= SUPPORTED_SHARE]
    weak = [MEASURE_SYMBOLS[m] for m, v in shares.items() if v <= NOT_SUPPORTED_SHARE]
    if strong and weak:
        return f"holds under {_join(strong)}, not under {_join(weak)}"
    return ""


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _sentence(question: Question, row: dict, curve_rows: pd.DataFrame, stated: bool = False) -> str:
    test = TESTS[row["finding"]]
    year = int(row["segment_b"][:4]) if row["segment_b"] else question.window[0]
    names = quantity_names(question, year)
    if not np.isfinite(row["estimate"]):
        quantity = test.quantity.format(**names)
        return (
            f"The record cannot test this: {quantity} has fewer than {MIN_YEARS} yearly "
            f"values in {row['segment_a'] or 'the years before'} or {row['segment_b']}."
        )
    index = _wording_index(row["estimate"], row["ci_low"], row["ci_high"])
    said = test.wording[index].format(a=row["segment_a"], b=row["segment_b"], **names)
    symbol = f"{MEASURE_SYMBOLS[row['measure']]}; " if test.kind != "arms" else ""
    unit = {"arms": "SIPRI TIV (millions) a year", "rank": "percentile points"}.get(test.kind, "")
    difference = _number(row["estimate"], test.kind) + _interval(
        row["ci_low"], row["ci_high"], test.kind
    )
    clause = _by_measure(curve_rows, row["expected"])
    who = "the source's statement" if stated else "the period's hypothesis"
    prediction = {
        "higher": f"a higher value, as {who} predicts,",
        "lower": f"a lower value, as {who} predicts,",
        "same": f"no difference, as {who} predicts (an interval can hold zero "
        "for want of data, so this is the weaker test),",
    }[row["expected"]]
    robust = (
        f"{prediction[0].upper()}{prediction[1:]} holds in "
        f"{row['share_of_specifications']:.0%} of {row['specifications']} specifications"
        + (f": it {clause}" if clause else "")
        + "."
    )
    measure = f"{symbol}difference {difference}" + (f" {unit}" if unit else "")
    return f"{said[0].upper()}{said[1:]} ({measure}). {robust} Verdict: {row['verdict']}."


def test_row(
    question: Question, test: str, expected: str | None = None, stated: bool = False
) -> tuple[dict, pd.DataFrame]:
    """One finding for one test, without a narrative: the record's own answer."""
    first, last = unga_years() if TESTS[test].kind != "arms" else _arms_years()
    curve_rows = robustness.curve(question, test, first, last)
    expected = expected or TESTS[test].expected
    testable = curve_rows[curve_rows["estimate"].notna()]
    share = float(robustness.holds(testable, expected).mean()) if len(testable) else np.nan
    headline = curve_rows[curve_rows["headline"]].iloc[0]
    definition = TESTS[test]
    names = quantity_names(question, question.window[0])
    row = {
        "finding": test,
        "narrative_id": "",
        "source_id": "",
        "statement": "",
        "quantity": definition.quantity.format(**names),
        "comparison": definition.comparison.format(**names),
        "expected": expected,
        "measure": question.measure if definition.kind != "arms" else "",
        "segment_a": headline["segment_a"],
        "segment_b": headline["segment_b"],
        "estimate": float(headline["estimate"]),
        "ci_low": float(headline["ci_low"]),
        "ci_high": float(headline["ci_high"]),
        "specifications": len(curve_rows),
        "share_of_specifications": share,
        "holds_by_measure": _by_measure(curve_rows, expected),
        "verdict": verdict_of(
            share, len(testable), len(curve_rows), bool(np.isfinite(headline["estimate"]))
        ),
    }
    row["sentence"] = _sentence(question, row, curve_rows, stated)
    return row, curve_rows


def _arms_years() -> tuple[int, int]:
    from rupak.analysis.evidence_record import sipri_years

    return sipri_years()


def findings(
    question: Question,
    tests: Sequence[str],
    narratives: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per test and source whose narrative statements name it.

    A source's statements on one test are one finding (``narrative_id`` lists them all,
    ``statement`` is the first); a test no statement names still gets a row with an empty
    ``source_id``: the record's answer stands on its own.
    """
    rows = []
    for test in tests:
        named = _statements(narratives, test)
        if not named:
            rows.append(test_row(question, test)[0])
            continue
        for (source, expected), part in named.items():
            row, _ = test_row(question, test, expected=expected or None, stated=True)
            row.update(
                narrative_id=";".join(part["narrative_id"]),
                source_id=source,
                statement=str(part["statement"].iloc[0]),
            )
            rows.append(row)
    return pd.DataFrame(rows, columns=FINDING_COLUMNS)


def _statements(narratives: pd.DataFrame | None, test: str) -> dict[tuple[str, str], pd.DataFrame]:
    if narratives is None or narratives.empty:
        return {}
    named = narratives[narratives["test"].astype(str) == test]
    named = named.sort_values("narrative_id")
    return {
        (str(source), str(expected)): part
        for (source, expected), part in named.groupby(
            [named["source_id"].astype(str), named["expected"].astype(object).fillna("")],
            sort=True,
        )
    }


def specification_curve(question: Question, tests: Sequence[str]) -> pd.DataFrame:
    """Every specification of every test, with whether it holds in the test's direction."""
    parts = []
    for test in tests:
        first, last = unga_years() if TESTS[test].kind != "arms" else _arms_years()
        rows = robustness.curve(question, test, first, last)
        rows["holds"] = robustness.holds(rows, TESTS[test].expected) & rows["estimate"].notna()
        parts.append(rows)
    return pd.concat(parts, ignore_index=True)


def curve_summary(curve: pd.DataFrame) -> pd.DataFrame:
    """Per test of a specification curve: how many specifications could be computed, how many
    hold, and the share (the number a curve's caption gives)."""
    computable = curve["estimate"].notna()
    table = (
        curve.assign(computable=computable, holding=curve["holds"] & computable)
        .groupby("test", sort=False)
        .agg(computable=("computable", "sum"), holds=("holding", "sum"))
        .reset_index()
    )
    table["share"] = table["holds"] / table["computable"].clip(lower=1)
    return table


def narrative_verdicts(table: pd.DataFrame) -> pd.DataFrame:
    """One verdict per source from the findings that test its statements."""
    stated = table[table["source_id"] != ""]
    rows = [
        {"source_id": source, "verdict": combine(list(part["verdict"])), "findings": len(part)}
        for source, part in stated.groupby("source_id", sort=True)
    ]
    return pd.DataFrame(rows, columns=["source_id", "verdict", "findings"])
