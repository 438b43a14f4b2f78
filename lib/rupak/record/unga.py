"""UNGA vote agreement for any dyad, years and issues, and where a partner stands among all.

The record itself (tidy votes, roll calls, coverage, who each voter is) is read by
:mod:`rupak.record.unga_votes` and re-exported here; this module asks questions of it.
Measures: :mod:`rupak.record.measures` (percent, Lijphart's IA, Signorino–Ritter S, and Häge's
(2011) quadratic Cohen's κ and Scott's π), as docs/methods.md#agreement defines them.

* **Missing is not abstaining**: agreement uses only roll calls both states voted on, and
  reports that number ``n``; a value from fewer than ``min_votes`` of them is NaN.
* **Issues** (docs/methods.md#issues): ``issue="nu"`` (or ``issues=[...]``, any of several)
  keeps the roll calls the record codes with that issue: ``me`` Palestinian conflict, ``nu``
  nuclear weapons, ``di`` arms control and disarmament, ``hr`` human rights, ``co``
  colonialism, ``ec`` economic development (:data:`ISSUES`).
* **Relative position** (docs/methods.md#rank): :func:`rank` places a partner among every UN
  member by its agreement with a focal power, year by year; :func:`rank_window` over a window.
  This baseline needs no assumption about the agenda: a busier or more lopsided Assembly
  moves every state's agreement, not the partner's rank.
* **Vote-pair tables** (:func:`pair_tables`): the 3×3 counts each yearly value comes from, so
  the analysis layer can resample roll calls (docs/methods.md#uncertainty).

The Soviet Union and Russia are one state in the record: use ``RUS`` (``SUN`` is an error
that says so). The vote matrix is built once per process; then a dyad is a few vector
operations, and a focal power against every state one ``bincount``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import numpy as np

from rupak.record.measures import MEASURES, check_measure, from_counts
from rupak.record.unga_votes import (
    ISSUES,
    MIN_ROLL_CALLS,
    columns,
    coverage,
    groups,
    issue_codes,
    matrix,
    roll_calls,
    state_row,
    states,
    thin_years,
    votes,
)

if TYPE_CHECKING:  # pandas stays lazy: importing the record layer starts fast
    import pandas as pd

__all__ = [
    "ISSUES",
    "MEASURES",
    "MIN_ROLL_CALLS",
    "agreement",
    "agreement_matrix",
    "agreement_with_all",
    "coverage",
    "pair_tables",
    "rank",
    "rank_window",
    "roll_calls",
    "states",
    "thin_years",
    "to_square",
    "votes",
]

BY_VALUES = ("year", "session", None)
When = int | str | dt.date | None
Issues = Iterable[str] | str | None
#: Agreement values closer than this are ties when ranking (floating-point noise, not a gap).
TIE_TOLERANCE = 1e-12


def _check(measure: str, by: str | None, min_votes: int) -> None:
    check_measure(measure)
    if by not in BY_VALUES:
        raise ValueError(f"unknown by={by!r}; expected 'year', 'session' or None")
    if int(min_votes) != min_votes or min_votes < 0:
        raise ValueError(f"min_votes must be a non-negative integer, got {min_votes!r}")


def _issue_arg(issues: Issues, issue: str | None) -> list[str] | None:
    return issue_codes(issues, issue)


def _dyad_counts(
    a: str, b: str, start: When, end: When, by: str | None, issues: list[str] | None
) -> tuple[np.ndarray, np.ndarray]:
    """(group labels, (groups, 3, 3) counts of a's vote × b's vote on common roll calls)."""
    rows = (state_row(a), state_row(b))
    cols = columns(start, end, issues)
    codes = matrix().codes
    x1 = codes[rows[0], cols].astype(np.int64)
    x2 = codes[rows[1], cols].astype(np.int64)
    labels, group = groups(cols, by)
    both = (x1 > 0) & (x2 > 0)
    cells = group[both] * 9 + (x1[both] - 1) * 3 + (x2[both] - 1)
    counts = np.bincount(cells, minlength=9 * labels.size).reshape(labels.size, 3, 3)
    return labels, counts


def agreement(
    a: str,
    b: str,
    measure: str = "kappa",
    by: str | None = "year",
    start: When = None,
    end: When = None,
    issues: Issues = None,
    min_votes: int = 1,
    *,
    issue: str | None = None,
) -> pd.DataFrame:
    """Vote agreement of states ``a`` and ``b`` (ISO3) per year, per session, or overall.

    Returns columns ``[by, "value", "n"]`` (just ``["value", "n"]`` with ``by=None``), one row
    per group with at least one roll call in the span. ``n`` counts the roll calls *both*
    states voted on (missing is never an abstention); where ``n < min_votes`` the value is NaN
    but the row stays, with its n. NaN also marks undefined values: ``n = 0``, and for
    ``"kappa"``/``"pi"`` a zero denominator (both states cast one and the same vote throughout)
    — see :mod:`rupak.record.measures` and docs/methods.md#agreement.

    ``start``/``end`` are inclusive years (ints) or dates. ``issue="nu"`` keeps the roll calls
    coded with that issue, ``issues=["nu", "di"]`` those coded with any of several (codes:
    :data:`ISSUES`, docs/methods.md#issues). Raises ValueError for an unknown ISO3 code
    (naming it), a state without UNGA votes (``SUN``: use ``RUS``), start after end, a span
    without roll calls, or an unknown measure, grouping or issue.
    """
    import pandas as pd

    _check(measure, by, min_votes)
    labels, counts = _dyad_counts(a, b, start, end, by, _issue_arg(issues, issue))
    n = counts.sum(axis=(1, 2))
    value = np.asarray(from_counts(counts, measure), dtype=np.float64)
    value = np.where(n >= max(min_votes, 1), value, np.nan)
    result = pd.DataFrame({"value": value, "n": n.astype(np.int64)})
    if by is not None:
        result.insert(0, by, labels.astype(np.int64))
    return result


def pair_tables(
    a: str,
    b: str,
    start: When = None,
    end: When = None,
    issues: Issues = None,
    *,
    issue: str | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """The yearly 3×3 vote-pair counts behind :func:`agreement`, for resampling roll calls.

    Returns ``(years, tables)``: ``years`` (int64, every year of the span with a roll call)
    and ``tables`` of shape ``(years, 3, 3)``, int64, where ``tables[k, i, j]`` counts the
    roll calls of ``years[k]`` on which ``a`` voted ``i`` and ``b`` voted ``j`` (0 yes,
    1 abstain, 2 no; only roll calls both voted on). ``measures.from_counts(tables, m)`` gives
    ``agreement(a, b, m, by="year", ...)["value"]`` (before ``min_votes``).
    """
    labels, counts = _dyad_counts(a, b, start, end, "year", _issue_arg(issues, issue))
    return labels.astype(np.int64), counts.astype(np.int64)


# ---------------------------------------------------------------------------------------
# One focal power against every state


def _focal_counts(
    focal: str, start: When, end: When, by: str | None, issues: list[str] | None
) -> tuple[np.ndarray, np.ndarray]:
    """(group labels, (states, groups, 3, 3) counts of focal's vote × each state's vote).

    The roll calls the focal power voted on are sorted by (group, its vote), so each cell
    count is a sum over a run of columns: three ``add.reduceat`` passes over the block.
    """
    vote_matrix = matrix()
    cols = columns(start, end, issues)
    labels, group = groups(cols, by)
    mine = vote_matrix.codes[state_row(focal), cols].astype(np.int64)
    voted = mine > 0
    key = group[voted] * 3 + (mine[voted] - 1)  # (group, focal's vote)
    order = np.argsort(key, kind="stable")
    key = key[order]
    block = vote_matrix.codes[:, cols[voted][order]]
    size = block.shape[0]
    counts = np.zeros((size, labels.size * 3, 3), dtype=np.int64)
    if key.size:
        starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
        for vote in (1, 2, 3):
            runs = np.add.reduceat(block == vote, starts, axis=1, dtype=np.int64)
            counts[:, key[starts], vote - 1] = runs
    return labels, counts.reshape(size, labels.size, 3, 3)


def _focal_values(
    focal: str, start: When, end: When, measure: str, by: str | None, issues: list[str] | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(labels, values (states, groups), n (states, groups)); the focal's own row is n = 0."""
    labels, counts = _focal_counts(focal, start, end, by, issues)
    n = counts.sum(axis=(2, 3))
    n[state_row(focal)] = 0
    with np.errstate(invalid="ignore"):
        values = np.asarray(from_counts(counts, measure), dtype=np.float64)
    return labels, values, n


def agreement_with_all(
    focal: str,
    start: When = None,
    end: When = None,
    measure: str = "kappa",
    min_votes: int = 10,
    issues: Issues = None,
    *,
    by: str | None = "year",
    issue: str | None = None,
) -> pd.DataFrame:
    """The focal power's agreement with every other state, as a tidy table.

    Columns ``[by, "state", "value", "n"]`` (``by="year"``, the default, or ``"session"``;
    without ``by`` with ``by=None``: the span pooled as one table). One row per state and
    group sharing at least one roll call with ``focal``; ``value``/``n``/``min_votes`` mean
    what they mean in :func:`agreement` (NaN below ``min_votes``), which this equals state by
    state. One ``bincount`` over the states × roll calls block, no loop over states.
    """
    import pandas as pd

    _check(measure, by, min_votes)
    labels, values, n = _focal_values(focal, start, end, measure, by, _issue_arg(issues, issue))
    values = np.where(n >= max(min_votes, 1), values, np.nan)
    state, group = np.nonzero(n > 0)
    names = pd.Categorical.from_codes(state, categories=matrix().iso3)
    out = pd.DataFrame({"state": names, "value": values[state, group], "n": n[state, group]})
    if by is not None:
        out.insert(0, by, labels[group].astype(np.int64))
        return out.sort_values([by, "state"], ignore_index=True)
    return out.sort_values("state", ignore_index=True)


def _ranks(values: np.ndarray, counted: np.ndarray, partner: int) -> dict[str, np.ndarray]:
    """Rank, of and percentile of ``partner`` per group (columns of ``values``, states × groups).

    rank = 1 + number of counted states with strictly higher agreement (ties share the best
    rank); of = number counted; percentile = share of the *other* counted states with
    strictly lower agreement. A partner not counted in a group has rank and percentile NaN.
    """
    mine = values[partner]
    higher = counted & (values > mine + TIE_TOLERANCE)
    lower = counted & (values < mine - TIE_TOLERANCE)
    of = counted.sum(axis=0)
    here = counted[partner]
    rank = np.where(here, 1 + higher.sum(axis=0), np.nan)
    others = of - 1
    with np.errstate(invalid="ignore", divide="ignore"):
        percentile = np.where(here & (others > 0), lower.sum(axis=0) / others, np.nan)
    return {"rank": rank, "of": of, "percentile": percentile, "value": mine}


def _rank_frame(table: dict[str, np.ndarray]) -> pd.DataFrame:
    import pandas as pd

    out = pd.DataFrame(table)
    out["rank"] = pd.array(np.where(np.isnan(out["rank"]), None, out["rank"]), dtype="Int64")
    out["of"] = out["of"].astype(np.int64)
    return out


def rank(
    focal: str,
    partner: str,
    start: When = None,
    end: When = None,
    measure: str = "kappa",
    min_votes: int = 10,
    issues: Issues = None,
    *,
    issue: str | None = None,
) -> pd.DataFrame:
    """Where ``partner`` stands, year by year, among all UN members in agreement with ``focal``.

    One row per year of the span with roll calls, columns ``year, rank, of, percentile,
    value`` (docs/methods.md#rank):

    * the states counted in a year are every state other than ``focal`` that voted with it
      on at least ``min_votes`` roll calls that year and whose agreement is defined (κ and π
      are undefined when neither vote varies); ``of`` is how many;
    * ``rank`` = 1 + the number of counted states with strictly higher agreement: rank 1 is
      the highest, and tied states share the best rank (values within 1e-12 are ties);
    * ``percentile`` = the share of the *other* counted states (``of − 1``) with strictly
      lower agreement: 1 when every other state agrees less, 0 when none does; NaN when the
      partner is the only state counted;
    * ``value`` is the partner's agreement (:func:`agreement`); where the partner is not
      counted that year, ``value`` is NaN and ``rank`` (Int64) and ``percentile`` are missing.

    Rank needs no assumption about the agenda: a year of lopsided votes moves every state's
    agreement with the focal power, not the order among them.
    """
    _check(measure, "year", min_votes)
    other = state_row(partner)
    if other == state_row(focal):
        raise ValueError(f"focal and partner are the same state ({partner!r})")
    labels, values, n = _focal_values(focal, start, end, measure, "year", _issue_arg(issues, issue))
    counted = (n >= max(min_votes, 1)) & np.isfinite(values)
    values = np.where(counted, values, np.nan)
    table = {"year": labels.astype(np.int64), **_ranks(values, counted, other)}
    return _rank_frame(table)


def rank_window(
    focal: str,
    partner: str,
    start: When,
    end: When,
    measure: str = "kappa",
    min_votes: int = 10,
    issues: Issues = None,
    *,
    method: str = "pooled",
    issue: str | None = None,
) -> pd.DataFrame:
    """Where ``partner`` stands among all UN members over a window: one row, columns
    ``start, end, method, rank, of, percentile, value`` (definitions as in :func:`rank`).

    ``method="pooled"`` (default): every roll call of the window in one table per state, so
    each roll call weighs the same; a state counts with at least ``min_votes`` common roll
    calls in the window. ``method="mean"``: each state's mean of its yearly values (those
    with ``n ≥ min_votes``), so each year weighs the same, as in the window means of the
    period analyses; a state counts when it has a yearly value in at least half the window's
    years with roll calls.
    """
    if method not in ("pooled", "mean"):
        raise ValueError(f"unknown method {method!r}; expected 'pooled' or 'mean'")
    _check(measure, None, min_votes)
    other = state_row(partner)
    if other == state_row(focal):
        raise ValueError(f"focal and partner are the same state ({partner!r})")
    chosen = _issue_arg(issues, issue)
    if method == "pooled":
        _, values, n = _focal_values(focal, start, end, measure, None, chosen)
        counted = (n[:, 0] >= max(min_votes, 1)) & np.isfinite(values[:, 0])
        values = values[:, 0]
    else:
        labels, yearly, n = _focal_values(focal, start, end, measure, "year", chosen)
        defined = (n >= max(min_votes, 1)) & np.isfinite(yearly)
        years_defined = defined.sum(axis=1)
        with np.errstate(invalid="ignore"):
            values = np.where(defined, yearly, 0.0).sum(axis=1) / years_defined
        counted = years_defined * 2 >= labels.size
    values = np.where(counted, values, np.nan)
    table = _ranks(values[:, None], counted[:, None], other)
    row = {"start": [start], "end": [end], "method": [method]}
    return _rank_frame({**row, **{k: np.atleast_1d(v) for k, v in table.items()}})


# ---------------------------------------------------------------------------------------
# Every dyad at once


def _pair_counts(codes: np.ndarray) -> np.ndarray:
    """(S, S, 3, 3) counts of vote pairs for every pair of rows: C[v, w] = X_v @ X_wᵀ.

    ``codes`` is states × roll calls (0..3); ``X_v`` its one-hot matrix for vote v. The nine
    products are one: stacking ``Y = [X_1; X_2; X_3]`` (3S × T), ``Y @ Yᵀ`` holds every block.
    Counts are exact in float32 (< 2**24), which lets BLAS do the work.
    """
    size = codes.shape[0]
    stacked = np.concatenate([(codes == v) for v in (1, 2, 3)]).astype(np.float32)
    gram = stacked @ stacked.T  # (3S, 3S): block (v, w) is X_v @ X_wᵀ
    return gram.reshape(3, size, 3, size).transpose(1, 3, 0, 2)


def agreement_matrix(
    start: When = None,
    end: When = None,
    measure: str = "kappa",
    by: str | None = None,
    min_votes: int = 1,
    issues: Issues = None,
    *,
    issue: str | None = None,
) -> pd.DataFrame:
    """Agreement of every dyad at once, as a tidy table ``[by, "a", "b", "value", "n"]``.

    One row per unordered dyad (``a < b``, ISO3) and group that shares at least one roll call
    (dyads that never voted together in a group are left out, so the table stays ~1M rows for
    every dyad × year). ``value``/``n``/``min_votes`` mean exactly what they mean in
    :func:`agreement`, which this equals dyad by dyad; use :func:`to_square` for a square,
    symmetric state × state table of one group.

    No loop over pairs: with one-hot matrices ``X_v`` (states × roll calls, 1 where the state
    voted v) the counts of every (v, w) pair for every dyad are ``X_v @ X_wᵀ``; sums, sums of
    squares and SSD follow from those 3×3 tables (:func:`rupak.record.measures.from_counts`).
    """
    _check(measure, by, min_votes)
    cols = columns(start, end, _issue_arg(issues, issue))
    with _one_blas_thread():
        return _agreement_matrix(cols, measure, by, min_votes)


@contextmanager
def _one_blas_thread() -> Iterator[None]:
    """Run BLAS single-threaded: the products are small (≤ 600 × 600 per group), so threads
    gain little and, with reports built in parallel, oversubscribe the CPUs (measured: 0.4 s
    single-threaded vs 1.1 s with two threads on a busy two-core machine)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover
        yield
        return
    with threadpool_limits(limits=1, user_api="blas"):
        yield


def _agreement_matrix(
    cols: np.ndarray, measure: str, by: str | None, min_votes: int
) -> pd.DataFrame:
    import pandas as pd

    vote_matrix = matrix()
    labels, group = groups(cols, by)
    names = pd.Categorical.from_codes(np.arange(len(vote_matrix.iso3)), categories=vote_matrix.iso3)
    parts: list[pd.DataFrame] = []
    for index, label in enumerate(labels):
        block = vote_matrix.codes[:, cols[group == index]]
        active = np.flatnonzero((block > 0).any(axis=1))  # only states that voted in the group
        counts = _pair_counts(block[active])
        upper_i, upper_j = np.triu_indices(active.size, k=1)
        tables = counts[upper_i, upper_j]  # (pairs, 3, 3)
        n = np.rint(tables.sum(axis=(1, 2))).astype(np.int64)
        present = n > 0
        tables, n = tables[present], n[present]
        value = np.asarray(from_counts(tables, measure), dtype=np.float64)
        value = np.where(n >= max(min_votes, 1), value, np.nan)
        part = pd.DataFrame(
            {
                "a": names.take(active[upper_i[present]]),
                "b": names.take(active[upper_j[present]]),
                "value": value,
                "n": n,
            }
        )
        if by is not None:
            part.insert(0, by, np.full(n.size, label, dtype=np.int64))
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def to_square(tidy: pd.DataFrame, column: str = "value") -> pd.DataFrame:
    """A symmetric state × state table of ``column`` from one group of :func:`agreement_matrix`.

    The diagonal (a state with itself) and dyads without common votes are NaN.
    """
    import pandas as pd

    codes = sorted(set(tidy["a"].astype(str)) | set(tidy["b"].astype(str)))
    square = pd.DataFrame(np.nan, index=codes, columns=codes)
    a = tidy["a"].astype(str).map({c: i for i, c in enumerate(codes)}).to_numpy()
    b = tidy["b"].astype(str).map({c: i for i, c in enumerate(codes)}).to_numpy()
    values = square.to_numpy(copy=True)
    values[a, b] = tidy[column].to_numpy(dtype=np.float64)
    values[b, a] = tidy[column].to_numpy(dtype=np.float64)
    return pd.DataFrame(values, index=codes, columns=codes)
