"""One period notebook's whole question, built once from its parameters.

Why one object: the title, the question sentence, the record tests, the sources' statements
and the findings must all follow the parameters, so that a variant (another dyad, another
window) reads correctly for itself. The notebook builds a :class:`PeriodReport` in one call
and shows its parts; it computes nothing itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from rupak.analysis import findings as fd
from rupak.analysis.narratives import PERIOD_TESTS, narrated
from rupak.analysis.question import Question, dyad_name, span_name, state_name, years_text
from rupak.analysis.record_tests import TESTS
from rupak.evidence import curated
from rupak.record.measures import MEASURE_SYMBOLS

#: The question each period asks, filled with the parameters' names and years.
QUESTIONS: Mapping[str, str] = {
    "cold_war_divergence": (
        "Across {window}, did {focal} vote with {partner} less than with {rival} in the UN "
        "General Assembly, and send it fewer arms, as an account of a Cold War divide holds?"
    ),
    "proximity_1965_1975": (
        "Did {partner} and {focal} come closer in {window} than in {before}, beyond "
        "{focal}'s ties with {rival}, and did the closeness end in {after}?"
    ),
    "post_9_11_convergence": (
        "Did {partner} and {focal} come closer in {window} than in {before}, and was the "
        "closeness specific to them rather than part of {focal}'s drift with {rival}?"
    ),
}
GENERIC_QUESTION = (
    "Did {partner} and {focal} come closer in {window} than in {before}, beside {focal}'s "
    "ties with {rival}?"
)

#: Issue codes of the record that match topics the sources name in each period (Afghanistan
#: and Kashmir have no issue code): colonialism and nuclear questions during the Cold War,
#: nuclear questions and arms control after it.
PERIOD_ISSUES: Mapping[str, tuple[str, ...]] = {
    "cold_war_divergence": ("co", "nu", "di"),
    "proximity_1965_1975": ("co", "nu", "di"),
    "post_9_11_convergence": ("nu", "di", "hr"),
}

METHOD = (
    "Intervals are 95 % bootstrap intervals: roll calls resampled within each year, years "
    "resampled in three-year blocks for window means and differences "
    "(docs/methods.md#uncertainty). Each finding is recomputed under {n} specifications "
    "(five agreement measures, window edges moved by up to two years, three thresholds of "
    "shared roll calls); a verdict of supported needs 80 % of them (docs/methods.md#verdicts)."
)


@dataclass(frozen=True)
class PeriodReport:
    """Everything a period notebook shows, computed from its parameters."""

    period_id: str
    period_name: str
    question: Question
    tests: tuple[str, ...]
    statements: pd.DataFrame
    findings: pd.DataFrame

    @property
    def names(self) -> dict[str, str]:
        q = self.question
        first, last = q.window
        return {
            "focal": span_name(q.focal, first, last),
            "partner": state_name(q.partner, first),
            "rival": state_name(q.rival, first),
            "patron": state_name(q.patron, first),
            "window": years_text(q.window),
            "before": years_text(q.before),
            "after": years_text(q.after),
        }

    @property
    def title(self) -> str:
        q = self.question
        dyad = dyad_name(q.focal, q.partner, q.window[0])
        return f"{self.period_name}: {dyad}, {years_text(q.window)}"

    @property
    def subtitle(self) -> str:
        names, q = self.names, self.question
        return (
            f"Comparison dyad: {dyad_name(q.focal, q.rival, q.window[0])}; "
            f"other patron: {names['patron']}; headline measure: "
            f"{MEASURE_SYMBOLS[self.question.measure]}; years with at least "
            f"{self.question.min_votes} shared roll calls."
        )

    @property
    def question_text(self) -> str:
        template = QUESTIONS.get(self.period_id, GENERIC_QUESTION)
        text = template.format(**self.names)
        return _cap(text)

    @property
    def method(self) -> str:
        counts = self.findings["specifications"]
        return METHOD.format(n=int(counts.max()) if len(counts) else 0)

    @property
    def issues(self) -> tuple[str, ...]:
        return PERIOD_ISSUES.get(self.period_id, ("nu",))

    def test_names(self) -> dict[str, str]:
        """What each test compares, in words for this question."""
        names = fd.quantity_names(self.question)
        return {t: TESTS[t].quantity.format(**names) for t in self.tests}


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def build(
    period_id: str,
    focal: str,
    partner: str,
    rival: str,
    patron: str,
    window: tuple[int, int],
    before: tuple[int, int] | None = None,
    after: tuple[int, int] | None = None,
    measure: str = "kappa",
    min_votes: int = 10,
) -> PeriodReport:
    """The period question for these parameters, its statements and its findings."""
    periods = curated.periods().set_index("period_id")
    question = Question(
        focal,
        partner,
        rival,
        patron,
        window,
        before=before,
        after=after,
        measure=measure,
        min_votes=min_votes,
    )
    tests = PERIOD_TESTS.get(period_id, ("agreement_rise", "agreement_specific", "rank_rise"))
    statements = narrated(curated.narratives(), question, period_id)
    table = fd.findings(question, tests, statements)
    return PeriodReport(
        period_id, str(periods.loc[period_id, "name"]), question, tests, statements, table
    )
