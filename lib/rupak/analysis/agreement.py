"""UNGA agreement as the period notebooks show it: yearly series, segments, issues, panorama.

Every interval here comes from :mod:`rupak.analysis.inference` (roll calls resampled within
a year; years resampled in blocks for a segment), so a figure's band and a table's interval
are the same numbers the findings rest on. docs/methods.md#uncertainty, #rank, #issues.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rupak.analysis import evidence_record as rec
from rupak.analysis.inference import percentile_interval, quiet, window_mean, yearly_bootstrap
from rupak.analysis.question import Question, Span, dyad_name, is_empty, state_name, years_text
from rupak.analysis.record_tests import rank_in_window
from rupak.record import unga

#: The dyads a period notebook follows, by role.
ROLES = ("studied", "comparison", "patron")


def role_pairs(question: Question) -> dict[str, tuple[str, str]]:
    return {
        "studied": question.studied,
        "comparison": question.comparison,
        "patron": question.other_patron,
    }


def yearly(a: str, b: str, first: int, last: int, measure: str, min_votes: int) -> pd.DataFrame:
    """One row per year with roll calls: value, 95 % interval (roll calls resampled), n.

    Years with fewer than ``min_votes`` shared roll calls keep their row, without a value.
    """
    boot = rec.dyad_bootstrap(a, b)
    inside = (boot.years >= first) & (boot.years <= last)
    low, high = percentile_interval(boot.replicates[measure][:, inside])
    valid = boot.valid(min_votes)[inside]
    return pd.DataFrame(
        {
            "year": boot.years[inside],
            "value": np.where(valid, boot.point[measure][inside], np.nan),
            "ci_low": np.where(valid, low, np.nan),
            "ci_high": np.where(valid, high, np.nan),
            "n": boot.n[inside],
        }
    )


def series(question: Question, first: int, last: int) -> dict[str, pd.DataFrame]:
    """Yearly agreement of each role's dyad over [first, last], keyed by role."""
    return {
        role: yearly(*pair, first, last, question.measure, question.min_votes)
        for role, pair in role_pairs(question).items()
    }


def missing_years(frame: pd.DataFrame, first: int, last: int) -> list[int]:
    """Years of [first, last] without a value: no roll call, or fewer than ``min_votes``."""
    have = set(frame.loc[frame["value"].notna(), "year"].astype(int))
    return [y for y in range(first, last + 1) if y not in have]


def segments(question: Question) -> dict[str, Span]:
    """The non-empty segments of a question, named "before", "within" and "after"."""
    named = {"before": question.before, "within": question.window, "after": question.after}
    return {name: span for name, span in named.items() if not is_empty(span)}


def segment_table(question: Question) -> pd.DataFrame:
    """Mean yearly agreement of each role's dyad in each segment, with block-bootstrap
    intervals; segments without yearly values are dropped."""
    first, last = question.span()
    rows = []
    for role, pair in role_pairs(question).items():
        boot = rec.dyad_bootstrap(*pair, first, last)
        for name, span in segments(question).items():
            found, _ = window_mean(
                boot, question.measure, *span, question.min_votes, (pair, name, "segment")
            )
            if not found.years:
                continue
            inside = (boot.years >= span[0]) & (boot.years <= span[1])
            rows.append(
                {
                    "role": role,
                    "dyad": dyad_name(*pair, span[0]),
                    "segment": name,
                    "years": years_text(span),
                    "mean": found.value,
                    "ci_low": found.low,
                    "ci_high": found.high,
                    "n_years": found.years,
                    "roll_calls": int(boot.n[inside].sum()),
                }
            )
    return pd.DataFrame(rows)


def by_issue(question: Question, issues: tuple[str, ...]) -> pd.DataFrame:
    """The studied dyad's mean agreement per segment on roll calls of each issue code."""
    rows = []
    first, last = question.span()
    low, high = rec.unga_years()
    for issue in issues:
        try:
            years, tables = unga.pair_tables(
                *question.studied, max(first, low), min(last, high), issues=issue
            )
        except ValueError:  # no roll call on the issue in the span
            continue
        boot = yearly_bootstrap(years, tables, key=f"{'-'.join(question.studied)}|{issue}")
        for name, span in segments(question).items():
            found, _ = window_mean(boot, question.measure, *span, 1, (issue, name))
            inside = (boot.years >= span[0]) & (boot.years <= span[1])
            if not found.years:
                continue
            rows.append(
                {
                    "issue": issue,
                    "issue_name": unga.ISSUES[issue],
                    "segment": name,
                    "years": years_text(span),
                    "mean": found.value,
                    "ci_low": found.low,
                    "ci_high": found.high,
                    "roll_calls": int(boot.n[inside].sum()),
                }
            )
    return pd.DataFrame(rows)


def rank_table(question: Question) -> pd.DataFrame:
    """The partner's rank among UN members in agreement with the focal power, per segment."""
    first, last = question.span()
    table = rec.all_states(question.focal, first, last)
    rows = []
    for name, span in segments(question).items():
        share, rank, of = rank_in_window(
            table, question.partner, question.measure, span, question.min_votes
        )
        if not of:
            continue
        rows.append(
            {
                "segment": name,
                "years": years_text(span),
                "rank": rank,
                "of": of,
                "percentile": share,
            }
        )
    return pd.DataFrame(rows)


def panorama(question: Question) -> pd.DataFrame:
    """Every member's change in mean agreement with the focal power from the segment before
    the window to the window, sorted, with the partner and the rival marked.

    Members count when they have values in at least half the years of each segment.
    """
    first, last = question.span()
    table = rec.all_states(question.focal, first, last)
    means = {}
    for name in ("before", "within"):
        span = segments(question).get(name)
        if span is None:
            return pd.DataFrame(columns=["state", "before", "within", "change", "role"])
        inside = (table.years >= span[0]) & (table.years <= span[1])
        values = np.where(table.n >= question.min_votes, table.values[question.measure], np.nan)[
            :, inside
        ]
        with quiet():
            mean = np.nanmean(values, axis=1)
        enough = np.isfinite(values).sum(axis=1) * 2 >= max(inside.sum(), 1)
        means[name] = np.where(enough, mean, np.nan)
    frame = pd.DataFrame(
        {"state": table.states, "before": means["before"], "within": means["within"]}
    ).dropna()
    frame["change"] = frame["within"] - frame["before"]
    roles = {question.partner: "partner", question.rival: "rival"}
    frame["role"] = frame["state"].map(roles).fillna("other")
    frame = frame.sort_values(["change", "state"], ascending=[False, True], kind="stable")
    frame["rank"] = np.arange(1, len(frame) + 1)
    return frame.reset_index(drop=True)


def blocks(question: Question, width: int) -> pd.DataFrame:
    """Mean yearly agreement of the partner and the rival with the focal power and the other
    patron, per ``width``-year block of the window, with block-bootstrap intervals: where
    each state stood between the two powers (docs/methods.md#uncertainty)."""
    first, last = question.window
    pairs = [
        (question.partner, question.focal),
        (question.rival, question.focal),
        (question.partner, question.patron),
        (question.rival, question.patron),
    ]
    rows = []
    for state, power in pairs:
        boot = rec.dyad_bootstrap(power, state)  # the powers first, as in every other table
        for block_start in range(first - first % width, last + 1, width):
            span = (max(block_start, first), min(block_start + width - 1, last))
            found, _ = window_mean(
                boot, question.measure, *span, question.min_votes, (state, power, span)
            )
            if not found.years:
                continue
            rows.append(
                {
                    "state": state_name(state, span[0]),
                    "with": state_name(power, span[0]),
                    "years": years_text(span),
                    "mean": found.value,
                    "ci_low": found.low,
                    "ci_high": found.high,
                    "n_years": found.years,
                }
            )
    return pd.DataFrame(rows)


def role_labels(question: Question, first: int, last: int) -> dict[str, str]:
    """Legend names of the role dyads over a span ("Soviet Union/Russia–Pakistan")."""
    from rupak.analysis.question import span_name

    def bare(code: str) -> str:
        return span_name(code, first, last).removeprefix("the ")

    return {role: f"{bare(a)}–{bare(b)}" for role, (a, b) in role_pairs(question).items()}
