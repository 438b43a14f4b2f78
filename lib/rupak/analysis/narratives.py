"""The mission's question, per period: does each source's narrative hold against the record?

Each curated period (``periods.csv``) becomes a :class:`~rupak.analysis.question.Question`
for the dyad asked, tested by the record tests that fit it. The sources' narrative statements
(``narratives.csv``, each with its verbatim quote) name the test they bear on; the findings
of those tests, over every specification, give each source a verdict per period. A source
that says nothing about a period gets no verdict: its silence is shown, not scored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from rupak.analysis import findings as fd
from rupak.analysis.evidence_record import unga_years
from rupak.analysis.question import Question, span_name, state_name, years_text
from rupak.record.measures import MEASURE_SYMBOLS

#: The periods the reports test, and the record tests that fit each.
PERIOD_TESTS: Mapping[str, tuple[str, ...]] = {
    "cold_war_divergence": ("agreement_partner_vs_rival", "arms_partner_vs_rival"),
    "proximity_1965_1975": (
        "agreement_rise",
        "agreement_fall_after",
        "agreement_specific",
        "rank_rise",
        "arms_rise",
    ),
    "post_9_11_convergence": (
        "agreement_rise",
        "agreement_specific",
        "rank_rise",
        "arms_rise",
        "agreement_partner_vs_rival",
        "arms_partner_vs_rival",
    ),
}

#: The dyad the two sources narrate (focal, partner, rival): both are about Russia (and the
#: Soviet Union) and Pakistan, with India as Pakistan's rival. Their statements test only
#: that dyad; for any other the findings are the record's answers alone.
SOURCES_DYAD = ("RUS", "PAK", "IND")


def narrated(narratives: pd.DataFrame, question: Question, period_id: str) -> pd.DataFrame:
    """The statements of a period that apply to the question's dyad (none for other dyads)."""
    mine = narratives[narratives["period_id"].astype(str) == period_id]
    dyad = (question.focal.replace("SUN", "RUS"), question.partner, question.rival)
    return mine if dyad == SOURCES_DYAD else mine.iloc[0:0]


#: Years before a period that make its "before" segment, per period (the decade before the
#: 1965 window; the post-Cold War decade before 9/11, which starts with Russia in 1992).
BEFORE: Mapping[str, tuple[int, int] | None] = {
    "cold_war_divergence": None,
    "proximity_1965_1975": (1955, 1964),
    "post_9_11_convergence": (1992, 2000),
}


def tests_for(question: Question) -> tuple[str, ...]:
    """Every record test a question can answer: the comparisons within the window always,
    those against the years before or after when the question has them."""
    from rupak.analysis.question import is_empty
    from rupak.analysis.record_tests import TESTS

    wanted = []
    for name, test in TESTS.items():
        segment_a, _ = test.segments(question)
        if segment_a is question.before and is_empty(question.before):
            continue
        if name == "agreement_fall_after" and is_empty(question.after):
            continue
        wanted.append(name)
    return tuple(wanted)


def period_question(
    period: pd.Series,
    focal: str,
    partner: str,
    rival: str,
    patron: str,
    measure: str = "kappa",
    min_votes: int = 10,
) -> Question:
    """A period of ``periods.csv`` as a question for a dyad, cut to the UNGA record's years."""
    first, last = unga_years()
    window = (max(period["start"].year, first), min(period["end"].year, last))
    before = BEFORE.get(str(period["period_id"]))
    return Question(
        focal, partner, rival, patron, window, before=before, measure=measure, min_votes=min_votes
    )


def period_findings(
    periods: pd.DataFrame,
    narratives: pd.DataFrame,
    focal: str,
    partner: str,
    rival: str,
    patron: str,
    measure: str = "kappa",
    min_votes: int = 10,
) -> pd.DataFrame:
    """Findings of every tested period, with ``period_id`` and ``period`` (its name)."""
    parts = []
    for period in periods.itertuples(index=False):
        tests = PERIOD_TESTS.get(str(period.period_id))
        if not tests:
            continue
        row = pd.Series(period._asdict())
        question = period_question(row, focal, partner, rival, patron, measure, min_votes)
        said = narrated(narratives, question, str(period.period_id))
        table = fd.findings(question, tests, said)
        table.insert(0, "period", str(period.name))
        table.insert(0, "period_id", str(period.period_id))
        parts.append(table)
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def verdict_grid(table: pd.DataFrame, sources: list[str]) -> pd.DataFrame:
    """One row per period, one verdict per source ("" where the source is silent)."""
    rows = []
    for (period_id, period), part in table.groupby(["period_id", "period"], sort=False):
        row = {"period_id": period_id, "period": period}
        for source in sources:
            mine = part[part["source_id"] == source]
            row[source] = fd.combine(list(mine["verdict"])) if len(mine) else ""
            row[f"{source} findings"] = len(mine)
        rows.append(row)
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class PeriodPart:
    """One period of the overview: its heading, the statements that apply, its findings."""

    heading: str
    statements: pd.DataFrame
    findings: pd.DataFrame
    question: Question


@dataclass(frozen=True)
class Overview:
    """The mission's question for one dyad: every tested period, every source's verdict."""

    focal: str
    partner: str
    rival: str
    patron: str
    measure: str
    findings: pd.DataFrame
    grid: pd.DataFrame
    statements: pd.DataFrame
    _periods: pd.DataFrame
    min_votes: int = 10

    @property
    def _dyad(self) -> str:
        first, last = unga_years()
        a = span_name(self.focal, first, last).removeprefix("the ")
        b = state_name(self.partner).removeprefix("the ")
        return f"{a}–{b}"

    @property
    def title(self) -> str:
        return f"The narratives against the record: {self._dyad}"

    @property
    def subtitle(self) -> str:
        return (
            f"Comparison dyad with {state_name(self.rival)}; other patron: "
            f"{state_name(self.patron)}; headline measure: {MEASURE_SYMBOLS[self.measure]}."
        )

    @property
    def question_text(self) -> str:
        names = ", ".join(self.grid["period"]) if len(self.grid) else "each period"
        return (
            f"Does each source's narrative of {self._dyad} relations ({names}) hold against UN "
            "General Assembly votes and SIPRI arms transfers, and how sure are we?"
        )

    @property
    def method(self) -> str:
        counts = self.findings["specifications"] if len(self.findings) else pd.Series([0])
        return fd.METHOD.format(n=int(counts.max()))

    def periods(self) -> list[PeriodPart]:
        parts = []
        for (period_id, period), table in self.findings.groupby(
            ["period_id", "period"], sort=False
        ):
            said = self.statements[self.statements["period_id"].astype(str) == period_id]
            row = self._periods[self._periods["period_id"].astype(str) == period_id].iloc[0]
            question = period_question(
                row,
                self.focal,
                self.partner,
                self.rival,
                self.patron,
                self.measure,
                self.min_votes,
            )
            parts.append(
                PeriodPart(f"{period}, {years_text(question.window)}", said, table, question)
            )
        return parts

    def stated_findings(self) -> pd.DataFrame:
        """The findings that test a source's statements (not the record's own answers)."""
        return self.findings[self.findings["source_id"].astype(str) != ""]

    def test_names(self) -> dict[str, str]:
        from rupak.analysis.record_tests import TESTS

        names = fd.quantity_names(
            Question(self.focal, self.partner, self.rival, self.patron, unga_years())
        )
        return {t: TESTS[t].quantity.format(**names) for t in TESTS}


def overview(
    focal: str,
    partner: str,
    rival: str,
    patron: str,
    measure: str = "kappa",
    min_votes: int = 10,
) -> Overview:
    """Every tested period's findings for a dyad and each source's verdict per period."""
    from rupak.evidence import curated

    periods = curated.periods()
    said = curated.narratives()
    table = period_findings(periods, said, focal, partner, rival, patron, measure, min_votes)
    sources = list(curated.sources()["source_id"])
    dyad = (focal.replace("SUN", "RUS"), partner, rival)
    applies = said if dyad == SOURCES_DYAD else said.iloc[0:0]
    return Overview(
        focal,
        partner,
        rival,
        patron,
        measure,
        table,
        verdict_grid(table, sources),
        applies,
        periods,
        min_votes,
    )
