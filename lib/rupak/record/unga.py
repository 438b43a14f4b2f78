"""UNGA roll-call votes as a tidy table, and vote agreement for any dyad, years and issues.

Data: Erik Voeten, "Data and Analyses of Voting in the UN General Assembly", Harvard Dataverse
hdl:1902.1/12379 (CC0), as packaged by the R package ``unvotes`` (``rupak.record.fetch.CITATIONS``).
Measures: ``rupak.record.measures`` (percent, Lijphart's IA, Signorino–Ritter S, and Häge's
(2011) quadratic Cohen's κ and Scott's π), following ``/work/shared/methods.md``.

What the record is, and so what these tables are:

* **Missing is not abstaining.** The files keep only yes / abstain / no. Absent states and
  non-members were dropped, so a state with no row on a roll call is *missing* there, never an
  abstention; agreement uses only roll calls both states voted on, and reports that number n.
* **The Soviet Union and Russia are one state** in the record ("Russia", RU, COW 365, 1946–2019).
  We keep that: ``iso3 = "RUS"`` throughout, with ``era = "Soviet Union"`` for roll calls
  before 1991-12-26 and ``"Russian Federation"`` after (``era`` is missing for other states).
  Asking for ``"SUN"`` here is an error that says so.
* Other identities (see ``rupak.record.countries``): West Germany → ``DEU`` (COW 260, then 255 from
  1990-10-03); East Germany ``DDR``; North Yemen → ``YEM`` (COW 678, then 679 from 1990-05-22);
  South Yemen ``YMD``; Czechoslovakia ``CSK``; "Yugoslavia" runs on as the FRY and Serbia, so
  its rows are ``YUG``, then ``SCG`` from 2003-02-04, then ``SRB`` from 2006-06-03 (COW 345);
  "Taiwan" is the Republic of China's seat, 1946–1971 (``TWN``, COW 713); Zanzibar ``EAZ``.
* There are no roll calls dated 1964 (the Article 19 crisis over Soviet and French arrears:
  the 19th session avoided recorded votes and has a single roll call, on 1965-02-06); a span
  containing only 1964 is an error. One roll call is dated 2020-01-14 (74th session), so
  year-by-year series end with a 2020 row of n ≤ 1.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from rupak.record import countries
from rupak.record import fetch as record
from rupak.record.measures import MEASURES, check_measure, from_counts

__all__ = [
    "ISSUES",
    "MEASURES",
    "agreement",
    "agreement_matrix",
    "roll_calls",
    "states",
    "to_square",
    "votes",
]

SOURCES = ("unvotes/un_votes.rda", "unvotes/un_roll_calls.rda", "unvotes/un_roll_call_issues.rda")
#: Issue codes of the record (``un_roll_call_issues.short_name``) and their names.
ISSUES: dict[str, str] = {
    "me": "Palestinian conflict",
    "nu": "Nuclear weapons and nuclear material",
    "di": "Arms control and disarmament",
    "hr": "Human rights",
    "co": "Colonialism",
    "ec": "Economic development",
}
VOTE_LEVELS = ("yes", "abstain", "no")
BY_VALUES = ("year", "session", None)
_PARSER_VERSION = "unga-2"


def _read_rda(name: str) -> pd.DataFrame:
    import pyreadr

    result = pyreadr.read_r(str(record.path(name)))
    return next(iter(result.values()))


def _build_roll_calls() -> pd.DataFrame:
    calls = _read_rda("unvotes/un_roll_calls.rda")
    issues = _read_rda("unvotes/un_roll_call_issues.rda")
    out = pd.DataFrame(
        {
            "rcid": calls["rcid"].astype(np.int32),
            "session": calls["session"].astype(np.int16),
            "date": pd.to_datetime(calls["date"]).astype(
                "datetime64[ms]"
            ),  # ms: what Parquet keeps
        }
    )
    out["year"] = out["date"].dt.year.astype(np.int16)
    for column in ("importantvote", "amend", "para"):
        out[column] = calls[column].astype("Float64").astype("boolean")
    for column in ("unres", "short", "descr"):
        out[column] = calls[column].astype("str")
    rcids = issues["rcid"].astype(np.int64)
    for code in ISSUES:
        out[f"issue_{code}"] = out["rcid"].isin(rcids[issues["short_name"] == code])
    return out.sort_values("rcid", ignore_index=True)


def roll_calls() -> pd.DataFrame:
    """One row per roll call: rcid, session, date, year, importantvote, amend, para, unres,
    short, descr and a boolean ``issue_<code>`` column per issue (see :data:`ISSUES`).

    ``importantvote``, ``amend`` and ``para`` are nullable booleans, missing where the record
    did not code them. Read ``importantvote`` with care: the US State Department's lists of
    important votes begin in 1983, so it is False (not rated, rather than "unimportant")
    before then, and missing on 605 roll calls from 1997 on; ``amend``/``para`` are missing on
    about half the roll calls from 1985 on. Cached as Parquet keyed on the files' hashes.
    """
    return record.cached_table("unga-roll-calls", SOURCES, _build_roll_calls, _PARSER_VERSION)


def _build_votes() -> pd.DataFrame:
    raw = _read_rda("unvotes/un_votes.rda")
    calls = roll_calls()
    frame = pd.DataFrame(
        {
            "rcid": raw["rcid"].astype(np.int32),
            "country": raw["country"],
            "country_code": raw["country_code"],
            "vote": pd.Categorical(raw["vote"].astype(str), categories=VOTE_LEVELS, ordered=True),
        }
    )
    keep = ["rcid", "session", "date", "year", "importantvote", "amend", "para"]
    keep += [f"issue_{code}" for code in ISSUES]
    frame = frame.merge(calls[keep], on="rcid", how="left", validate="many_to_one")
    if frame["date"].isna().any():
        raise record.RecordError("un_votes.rda has votes on roll calls not in un_roll_calls.rda")

    # Country identity: one coco call per distinct name, then date rules, all vectorised.
    names = frame["country"].astype("category")
    iso3_of_name = dict(
        zip(names.cat.categories, countries.to_iso3(names.cat.categories), strict=True)
    )
    iso3_of_name["Russia"] = "RUS"  # the record's one identity for USSR and Russia
    unmatched = sorted(k for k, v in iso3_of_name.items() if v is None)
    if unmatched:
        raise record.RecordError(f"UNGA country names without an ISO3 code: {unmatched}")
    iso3 = names.map(iso3_of_name).astype(object).to_numpy()
    iso3 = np.array(countries.iso3_at(iso3, frame["date"]), dtype=object)
    dates = frame["date"].to_numpy()
    cow = countries.iso3_to_cow_many(iso3, dates)
    era = np.where(
        dates < np.datetime64(countries.SOVIET_END), "Soviet Union", "Russian Federation"
    )
    era = np.where(iso3 == "RUS", era, None)

    frame["iso3"] = pd.Categorical(iso3)
    frame["cow_code"] = cow.astype(np.int16)
    frame["era"] = pd.Categorical(era, categories=["Soviet Union", "Russian Federation"])
    frame["country"] = names
    frame["country_code"] = frame["country_code"].astype("category")
    if frame.duplicated(["rcid", "iso3"]).any():
        raise record.RecordError("two UNGA rows share a roll call and an ISO3 code")
    order = ["rcid", "session", "date", "year", "country", "country_code", "iso3", "cow_code"]
    order += ["era", "vote", "importantvote", "amend", "para"]
    order += [f"issue_{code}" for code in ISSUES]
    return frame[order].sort_values(["rcid", "iso3"], ignore_index=True)


def votes() -> pd.DataFrame:
    """Tidy UNGA votes: one row per country × roll call, 1946–2019 (plus 2020-01-14).

    Columns: ``rcid`` (int32), ``session`` (int16), ``date``, ``year`` (int16), ``country``
    (the record's name), ``country_code`` (its 2-letter code; missing for the FRG, North Yemen
    and Zanzibar), ``iso3``, ``cow_code`` (int16, 0 = none), ``era`` ("Soviet Union" /
    "Russian Federation" for RUS, else missing), ``vote`` (ordered categorical
    yes < abstain < no), ``importantvote``, ``amend``, ``para`` (nullable booleans) and one
    boolean ``issue_<code>`` column per issue code (``me nu di hr co ec``; a roll call can
    have several or none), so filtering by issue is a column lookup.

    Absent or non-member states have no row: missing, never an abstention. The Soviet Union
    and Russia share one identity (``RUS``, COW 365) with ``era`` telling them apart.
    Cached as Parquet (``rupak.record.fetch.cached_table``) keyed on the three files' hashes; the
    compact dtypes keep a warm load well under 0.3 s.
    """
    return record.cached_table("unga-votes", SOURCES, _build_votes, _PARSER_VERSION)


# ---------------------------------------------------------------------------------------
# The dense vote matrix: what makes a dyad cheap


@dataclass(frozen=True)
class _Matrix:
    """States × roll calls, int8 vote codes (0 missing, 1 yes, 2 abstain, 3 no)."""

    iso3: tuple[str, ...]
    row: dict[str, int]
    codes: np.ndarray  # (states, roll calls) int8
    rcid: np.ndarray
    date: np.ndarray  # datetime64[D]
    year: np.ndarray
    session: np.ndarray
    issues: dict[str, np.ndarray]


@cache
def _matrix() -> _Matrix:
    """Built once per process from :func:`votes` and :func:`roll_calls`."""
    calls = roll_calls()
    table = votes()
    iso3 = tuple(sorted(table["iso3"].cat.categories))
    row = {code: i for i, code in enumerate(iso3)}
    rcid = calls["rcid"].to_numpy(dtype=np.int64)
    col = np.searchsorted(rcid, table["rcid"].to_numpy(dtype=np.int64))
    rows = pd.Categorical(table["iso3"], categories=iso3).codes
    codes = np.zeros((len(iso3), len(rcid)), dtype=np.int8)
    codes[rows, col] = table["vote"].cat.codes.to_numpy() + 1
    return _Matrix(
        iso3=iso3,
        row=row,
        codes=codes,
        rcid=rcid,
        date=calls["date"].to_numpy().astype("datetime64[D]"),
        year=calls["year"].to_numpy(dtype=np.int64),
        session=calls["session"].to_numpy(dtype=np.int64),
        issues={code: calls[f"issue_{code}"].to_numpy(dtype=bool) for code in ISSUES},
    )


def states() -> list[str]:
    """ISO3 codes of every state that has a vote in the record (``RUS`` for the USSR too)."""
    return list(_matrix().iso3)


def _state_row(code: str) -> int:
    iso3 = countries.validate_iso3(code)
    matrix = _matrix()
    if iso3 not in matrix.row:
        hint = ""
        if iso3 == "SUN":
            hint = (
                "; the record gives the Soviet Union and Russia one identity: use 'RUS' "
                "(its era column tells them apart)"
            )
        raise ValueError(f"ISO3 code {iso3!r} has no votes in the UNGA record{hint}")
    return matrix.row[iso3]


def _bound(value: Any, *, end: bool) -> np.datetime64 | None:
    """A year (int) means its first day as a start, its last day as an end."""
    if value is None:
        return None
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) == 4:
        value = int(value)  # "1990" is a year too
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return np.datetime64(dt.date(int(value), 12, 31) if end else dt.date(int(value), 1, 1))
    try:
        return np.datetime64(pd.Timestamp(value).date())
    except (ValueError, TypeError):
        raise ValueError(f"cannot read {value!r} as a year or a date") from None


def _span_text(start: Any, end: Any) -> str:
    return f"{'the beginning' if start is None else start}–{'the end' if end is None else end}"


def _columns(start: Any, end: Any, issues: Iterable[str] | str | None) -> np.ndarray:
    """Indices of the roll calls in the span (inclusive) and, if given, on any of the issues."""
    matrix = _matrix()
    lo, hi = _bound(start, end=False), _bound(end, end=True)
    if lo is not None and hi is not None and lo > hi:
        raise ValueError(f"start {start!r} is after end {end!r}")
    keep = np.ones(matrix.rcid.shape, dtype=bool)
    if lo is not None:
        keep &= matrix.date >= lo
    if hi is not None:
        keep &= matrix.date <= hi
    if not keep.any():
        raise ValueError(f"no UNGA roll calls in the span {_span_text(start, end)}")
    if issues is not None:
        chosen = [issues] if isinstance(issues, str) else list(issues)
        unknown = [c for c in chosen if c not in ISSUES]
        if unknown or not chosen:
            raise ValueError(f"unknown issue codes {unknown}; expected some of {list(ISSUES)}")
        on_issue = np.zeros_like(keep)
        for code in chosen:
            on_issue |= matrix.issues[code]
        keep &= on_issue
        if not keep.any():
            raise ValueError(
                f"no UNGA roll calls on issues {chosen} in the span {_span_text(start, end)}"
            )
    return np.flatnonzero(keep)


def _check(measure: str, by: str | None, min_votes: int) -> None:
    check_measure(measure)
    if by not in BY_VALUES:
        raise ValueError(f"unknown by={by!r}; expected 'year', 'session' or None")
    if int(min_votes) != min_votes or min_votes < 0:
        raise ValueError(f"min_votes must be a non-negative integer, got {min_votes!r}")


def _groups(cols: np.ndarray, by: str | None) -> tuple[np.ndarray, np.ndarray]:
    """(labels of the groups present, group index of each selected roll call)."""
    if by is None:
        return np.array([0]), np.zeros(cols.size, dtype=np.int64)
    keys = (_matrix().year if by == "year" else _matrix().session)[cols]
    labels, index = np.unique(keys, return_inverse=True)
    return labels, index


def agreement(
    a: str,
    b: str,
    measure: str = "kappa",
    by: str | None = "year",
    start: int | str | dt.date | None = None,
    end: int | str | dt.date | None = None,
    issues: Iterable[str] | str | None = None,
    min_votes: int = 1,
) -> pd.DataFrame:
    """Vote agreement of states ``a`` and ``b`` (ISO3) per year, per session, or overall.

    Returns columns ``[by, "value", "n"]`` (just ``["value", "n"]`` with ``by=None``), one row
    per group with at least one roll call in the span. ``n`` counts the roll calls *both*
    states voted on (missing is never an abstention); where ``n < min_votes`` the value is NaN
    but the row stays, with its n. NaN also marks undefined values: ``n = 0``, and for
    ``"kappa"``/``"pi"`` a zero denominator (both states cast one and the same vote throughout)
    — see ``rupak.record.measures`` for the formulas (methods.md; Häge 2011).

    ``start``/``end`` are inclusive years (ints) or dates; ``issues`` keeps roll calls coded
    with any of the given issue codes (:data:`ISSUES`). Raises ValueError for an unknown ISO3
    code (naming it), a state without UNGA votes (``SUN``: use ``RUS``), start after end, a
    span without roll calls, or an unknown measure, grouping or issue.

    The vote matrix is built once per process; after that a dyad is a few vector operations.
    """
    _check(measure, by, min_votes)
    rows = (_state_row(a), _state_row(b))
    cols = _columns(start, end, issues)
    codes = _matrix().codes
    x1 = codes[rows[0], cols].astype(np.int64)
    x2 = codes[rows[1], cols].astype(np.int64)
    labels, group = _groups(cols, by)
    both = (x1 > 0) & (x2 > 0)
    cells = group[both] * 9 + (x1[both] - 1) * 3 + (x2[both] - 1)
    counts = np.bincount(cells, minlength=9 * labels.size).reshape(labels.size, 3, 3)
    n = counts.sum(axis=(1, 2))
    value = np.asarray(from_counts(counts, measure), dtype=np.float64)
    value = np.where(n >= max(min_votes, 1), value, np.nan)
    result = pd.DataFrame({"value": value, "n": n.astype(np.int64)})
    if by is not None:
        result.insert(0, by, labels.astype(np.int64))
    return result


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
    start: int | str | dt.date | None = None,
    end: int | str | dt.date | None = None,
    measure: str = "kappa",
    by: str | None = None,
    min_votes: int = 1,
    issues: Iterable[str] | str | None = None,
) -> pd.DataFrame:
    """Agreement of every dyad at once, as a tidy table ``[by, "a", "b", "value", "n"]``.

    One row per unordered dyad (``a < b``, ISO3) and group that shares at least one roll call
    (dyads that never voted together in a group are left out, so the table stays ~1M rows for
    every dyad × year). ``value``/``n``/``min_votes`` mean exactly what they mean in
    :func:`agreement`, which this equals dyad by dyad; use :func:`to_square` for a square,
    symmetric state × state table of one group.

    No loop over pairs: with one-hot matrices ``X_v`` (states × roll calls, 1 where the state
    voted v) the counts of every (v, w) pair for every dyad are ``X_v @ X_wᵀ``; sums, sums of
    squares and SSD follow from those 3×3 tables (``rupak.record.measures.from_counts``).
    """
    _check(measure, by, min_votes)
    cols = _columns(start, end, issues)
    with _one_blas_thread():
        return _agreement_matrix(cols, measure, by, min_votes)


@contextmanager
def _one_blas_thread() -> Iterator[None]:
    """Run BLAS single-threaded: the products are small (≤ 600 × 600 per group), so threads
    gain little and, with reports built in parallel, oversubscribe the CPUs (measured: 0.4 s
    single-threaded vs 1.1 s with two threads on a busy two-core machine). threadpoolctl
    comes with scikit-learn; without it this does nothing."""
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
    matrix = _matrix()
    labels, group = _groups(cols, by)
    names = pd.Categorical.from_codes(np.arange(len(matrix.iso3)), categories=matrix.iso3)
    parts: list[pd.DataFrame] = []
    for index, label in enumerate(labels):
        block = matrix.codes[:, cols[group == index]]
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
    codes = sorted(set(tidy["a"].astype(str)) | set(tidy["b"].astype(str)))
    square = pd.DataFrame(np.nan, index=codes, columns=codes)
    a = tidy["a"].astype(str).map({c: i for i, c in enumerate(codes)}).to_numpy()
    b = tidy["b"].astype(str).map({c: i for i, c in enumerate(codes)}).to_numpy()
    values = square.to_numpy(copy=True)
    values[a, b] = tidy[column].to_numpy(dtype=np.float64)
    values[b, a] = tidy[column].to_numpy(dtype=np.float64)
    return pd.DataFrame(values, index=codes, columns=codes)


def pair_tables(
    a: str,
    b: str,
    start: int | str | dt.date | None = None,
    end: int | str | dt.date | None = None,
    issues: Iterable[str] | str | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Years with roll calls in the span, and each year's (3, 3) table of vote pairs of a, b."""
    rows = (_state_row(a), _state_row(b))
    cols = _columns(start, end, issues)
    codes = _matrix().codes
    x1 = codes[rows[0], cols].astype(np.int64)
    x2 = codes[rows[1], cols].astype(np.int64)
    labels, group = _groups(cols, "year")
    both = (x1 > 0) & (x2 > 0)
    cells = group[both] * 9 + (x1[both] - 1) * 3 + (x2[both] - 1)
    counts = np.bincount(cells, minlength=9 * labels.size).reshape(labels.size, 3, 3)
    return labels.astype(np.int64), counts.astype(np.int64)


def agreement_with_all(
    focal: str,
    start: int | str | dt.date | None = None,
    end: int | str | dt.date | None = None,
    measure: str = "kappa",
    min_votes: int = 1,
    issues: Iterable[str] | str | None = None,
) -> pd.DataFrame:
    """The focal state's yearly agreement with every other state: year, state, value, n."""
    _check(measure, "year", min_votes)
    row = _state_row(focal)
    cols = _columns(start, end, issues)
    matrix = _matrix()
    labels, group = _groups(cols, "year")
    codes = matrix.codes[:, cols].astype(np.int64)
    mine = codes[row]
    parts = []
    for index, label in enumerate(labels):
        keep = group == index
        x1 = mine[keep]
        block = codes[:, keep]
        one_hot_focal = np.stack([(x1 == v) for v in (1, 2, 3)]).astype(np.float32)  # (3, T)
        one_hot_all = np.stack([(block == v) for v in (1, 2, 3)], axis=1).astype(np.float32)
        tables = np.einsum("it,sjt->sij", one_hot_focal, one_hot_all)  # (S, 3, 3)
        n = np.rint(tables.sum(axis=(1, 2))).astype(np.int64)
        value = np.asarray(from_counts(np.rint(tables), measure), dtype=np.float64)
        value = np.where(n >= max(min_votes, 1), value, np.nan)
        present = (n > 0) & (np.arange(len(matrix.iso3)) != row)
        parts.append(
            pd.DataFrame(
                {
                    "year": np.full(present.sum(), label, dtype=np.int64),
                    "state": np.asarray(matrix.iso3, dtype=object)[present],
                    "value": value[present],
                    "n": n[present],
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def coverage() -> tuple[int, int]:
    """First and last year with a roll call in the record."""
    years = roll_calls()["year"]
    return int(years.min()), int(years.max())
