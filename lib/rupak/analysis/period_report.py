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
from rupak.analysis.evidence_record import unga_years
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
        return fd.METHOD.format(n=int(counts.max()) if len(counts) else 0)

    @property
    def issues(self) -> tuple[str, ...]:
        return PERIOD_ISSUES.get(self.period_id, ("nu",))

    def supplier_windows(self) -> list[tuple[int, int]]:
        """The last two five-year windows of SIPRI's tables, as its fact sheets compare."""
        from rupak.analysis.evidence_record import sipri_years

        last = sipri_years()[1]
        return [(last - 9, last - 5), (last - 4, last)]

    def supplier_shift_sentence(self) -> str:
        """How the rival's imports from the focal power, and in all, changed between them."""
        from rupak.record import sipri

        first, second = self.supplier_windows()
        mine = sipri.change(self.question.rival, self.question.focal, first, second)
        total = sipri.change(self.question.rival, None, first, second)
        names = self.names
        return (
            f"{_cap(names['rival'])}'s arms imports from {names['focal']} changed by "
            f"{mine['change']:+.1%} from {years_text(first)} to {years_text(second)} "
            f"({mine['tiv1']:,.0f} → {mine['tiv2']:,.0f} SIPRI TIV, millions); its imports from "
            f"all suppliers by {total['change']:+.1%}."
        ).replace("-", "−")

    def comparisons(self) -> dict[str, str]:
        """The comparison each test makes, in words for this question."""
        names = fd.quantity_names(self.question)
        return {t: TESTS[t].comparison.format(**names) for t in self.tests}

    def test_names(self) -> dict[str, str]:
        """What each test compares, in words for this question."""
        names = fd.quantity_names(self.question)
        return {t: TESTS[t].quantity.format(**names) for t in self.tests}


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def segment(first: int, last: int) -> tuple[int, int] | None:
    """A segment from two year parameters; 0 for both means the default (ten years either
    side of the window)."""
    return None if first == 0 and last == 0 else (first, last)


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
    ).clipped(*unga_years())
    tests = PERIOD_TESTS.get(period_id, ("agreement_rise", "agreement_specific", "rank_rise"))
    statements = narrated(curated.narratives(), question, period_id)
    table = fd.findings(question, tests, statements)
    return PeriodReport(
        period_id, str(periods.loc[period_id, "name"]), question, tests, statements, table
    )
