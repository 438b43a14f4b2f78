"""The UNGA roll-call record as read: tidy tables, the dense vote matrix, and its coverage.

Why apart from :mod:`rupak.record.unga`: reading the R files and deciding who each voter is
(one identity per state across renamings) is one job; asking questions of the votes
(agreement, rank) is another. This module does the first and gives the second a states ×
roll calls matrix of vote codes, so every question is a few vector operations.

Data: Erik Voeten, "Data and Analyses of Voting in the UN General Assembly", Harvard Dataverse
hdl:1902.1/12379 (CC0), as packaged by the R package ``unvotes`` (``rupak.record.fetch.CITATIONS``).

What the record is, and so what these tables are (docs/methods.md#agreement):

* **Missing is not abstaining.** The files keep only yes / abstain / no. Absent states and
  non-members were dropped, so a state with no row on a roll call is *missing* there, never an
  abstention.
* **The Soviet Union and Russia are one state** in the record ("Russia", RU, COW 365, 1946–2019).
  We keep that: ``iso3 = "RUS"`` throughout, with ``era`` from
  :func:`rupak.record.countries.russia_era` ("Soviet Union" before 1991-12-26, "Russian
  Federation" after; missing for other states). Asking for ``"SUN"`` is an error that says so.
* Other identities (see :mod:`rupak.record.countries`): West Germany → ``DEU`` (COW 260, then 255
  from 1990-10-03); East Germany ``DDR``; North Yemen → ``YEM`` (COW 678, then 679 from
  1990-05-22); South Yemen ``YMD``; Czechoslovakia ``CSK``; "Yugoslavia" runs on as the FRY and
  Serbia, so its rows are ``YUG``, then ``SCG`` from 2003-02-04, then ``SRB`` from 2006-06-03
  (COW 345); "Taiwan" is the Republic of China's seat, 1946–1971 (``TWN``, COW 713); Zanzibar
  ``EAZ``.
* **Coverage is computed, not assumed** (:func:`coverage`, :func:`thin_years`): there are no
  roll calls dated 1964 (the Article 19 crisis: the 19th session avoided recorded votes and
  has a single roll call, on 1965-02-06), only 7 in 1951, and one dated 2020-01-14 (the tail of
  the 74th session), so the record covers 1946–2019 with two thin years inside.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from rupak.base.provenance import cached
from rupak.record import countries
from rupak.record import fetch as record

if TYPE_CHECKING:  # pandas stays lazy: importing the record layer starts fast
    import pandas as pd

SOURCES = ("unvotes/un_votes.rda", "unvotes/un_roll_calls.rda", "unvotes/un_roll_call_issues.rda")
#: Issue codes of the record (``un_roll_call_issues.short_name``) and their names
#: (docs/methods.md#issues).
ISSUES: dict[str, str] = {
    "me": "Palestinian conflict",
    "nu": "Nuclear weapons and nuclear material",
    "di": "Arms control and disarmament",
    "hr": "Human rights",
    "co": "Colonialism",
    "ec": "Economic development",
}
VOTE_LEVELS = ("yes", "abstain", "no")
#: A year with fewer roll calls than this is "thin": too few for a yearly agreement value.
MIN_ROLL_CALLS = 10


def _parser_version() -> str:
    """The cache key's version: this parser's, and the country table it maps names with."""
    return f"unga-3-{countries.table_version()}"


def _read_rda(name: str) -> pd.DataFrame:
    import pyreadr

    result = pyreadr.read_r(str(record.path(name)))
    return next(iter(result.values()))


def _build_roll_calls() -> pd.DataFrame:
    import pandas as pd

    calls = _read_rda("unvotes/un_roll_calls.rda")
    issues = _read_rda("unvotes/un_roll_call_issues.rda")
    out = pd.DataFrame(
        {
            "rcid": calls["rcid"].astype(np.int32),
            "session": calls["session"].astype(np.int16),
            "date": pd.to_datetime(calls["date"]).astype("datetime64[ms]"),  # what Parquet keeps
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
    return record.cached_table("unga-roll-calls", SOURCES, _build_roll_calls, _parser_version())


def _build_votes() -> pd.DataFrame:
    import pandas as pd

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

    # Country identity: one table lookup per distinct name, then date rules, all vectorised.
    names = frame["country"].astype("category")
    iso3_of_name = dict(
        zip(names.cat.categories, countries.to_iso3(names.cat.categories), strict=True)
    )
    unmatched = sorted(k for k, v in iso3_of_name.items() if v is None)
    if unmatched:
        raise record.RecordError(
            f"UNGA country names without an ISO3 code: {unmatched}; add them to "
            f"{countries.NAMES_FILE.name}"
        )
    iso3 = names.map(iso3_of_name).astype(object).to_numpy()
    iso3 = np.array(countries.iso3_at(iso3, frame["date"]), dtype=object)
    dates = frame["date"].to_numpy()
    era = np.where(iso3 == "RUS", np.array(countries.russia_era(dates), dtype=object), None)

    frame["iso3"] = pd.Categorical(iso3)
    frame["cow_code"] = countries.iso3_to_cow_many(iso3, dates).astype(np.int16)
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
    return record.cached_table("unga-votes", SOURCES, _build_votes, _parser_version())


# ---------------------------------------------------------------------------------------
# Coverage, computed from the roll calls


@cached
def _yearly_roll_calls() -> dict[int, int]:
    years, counts = np.unique(_matrix().year, return_counts=True)
    return {int(y): int(c) for y, c in zip(years, counts, strict=True)}


def coverage(min_roll_calls: int = MIN_ROLL_CALLS) -> tuple[int, int]:
    """(first year, last year) the record covers: the first and last years with at least
    ``min_roll_calls`` roll calls (1946 and 2019 in this release: the lone roll call dated
    2020-01-14 does not make 2020 a year of the record). Years inside the span with fewer
    roll calls are listed by :func:`thin_years`.
    """
    full = [year for year, count in _yearly_roll_calls().items() if count >= min_roll_calls]
    if not full:
        raise ValueError(f"no year has {min_roll_calls} roll calls")
    return min(full), max(full)


def thin_years(
    start: int | None = None, end: int | None = None, min_roll_calls: int = MIN_ROLL_CALLS
) -> list[int]:
    """Years in [start, end] (default: :func:`coverage`) with fewer than ``min_roll_calls``
    roll calls, none included (1951: 7; 1964: none): gaps a yearly series must show."""
    first, last = coverage(min_roll_calls)
    first, last = max(first, start or first), min(last, end or last)
    counts = _yearly_roll_calls()
    return [y for y in range(first, last + 1) if counts.get(y, 0) < min_roll_calls]


# ---------------------------------------------------------------------------------------
# The dense vote matrix: what makes a dyad cheap


@dataclass(frozen=True)
class VoteMatrix:
    """States × roll calls, int8 vote codes (0 missing, 1 yes, 2 abstain, 3 no)."""

    iso3: tuple[str, ...]
    row: dict[str, int]
    codes: np.ndarray  # (states, roll calls) int8
    rcid: np.ndarray
    date: np.ndarray  # datetime64[D]
    year: np.ndarray
    session: np.ndarray
    issues: dict[str, np.ndarray]


@cached
def _matrix() -> VoteMatrix:
    """Built once per process from :func:`votes` and :func:`roll_calls`."""
    import pandas as pd

    calls = roll_calls()
    table = votes()
    iso3 = tuple(sorted(table["iso3"].cat.categories))
    row = {code: i for i, code in enumerate(iso3)}
    rcid = calls["rcid"].to_numpy(dtype=np.int64)
    col = np.searchsorted(rcid, table["rcid"].to_numpy(dtype=np.int64))
    rows = pd.Categorical(table["iso3"], categories=iso3).codes
    codes = np.zeros((len(iso3), len(rcid)), dtype=np.int8)
    codes[rows, col] = table["vote"].cat.codes.to_numpy() + 1
    return VoteMatrix(
        iso3=iso3,
        row=row,
        codes=codes,
        rcid=rcid,
        date=calls["date"].to_numpy().astype("datetime64[D]"),
        year=calls["year"].to_numpy(dtype=np.int64),
        session=calls["session"].to_numpy(dtype=np.int64),
        issues={code: calls[f"issue_{code}"].to_numpy(dtype=bool) for code in ISSUES},
    )


def matrix() -> VoteMatrix:
    """The states × roll calls vote matrix (built once per process, then shared)."""
    return _matrix()


def states() -> list[str]:
    """ISO3 codes of every state that has a vote in the record (``RUS`` for the USSR too)."""
    return list(_matrix().iso3)


def state_row(code: str) -> int:
    """The matrix row of a state, or ValueError naming the code (and ``RUS`` for ``SUN``)."""
    iso3 = countries.validate_iso3(code)
    rows = _matrix().row
    if iso3 not in rows:
        hint = ""
        if iso3 == "SUN":
            hint = (
                "; the record gives the Soviet Union and Russia one identity: use 'RUS' "
                "(its era column tells them apart)"
            )
        raise ValueError(f"ISO3 code {iso3!r} has no votes in the UNGA record{hint}")
    return rows[iso3]


def _bound(value: Any, *, end: bool) -> np.datetime64 | None:
    """A year (int) means its first day as a start, its last day as an end."""
    if value is None:
        return None
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) == 4:
        value = int(value)  # "1990" is a year too
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return np.datetime64(dt.date(int(value), 12, 31) if end else dt.date(int(value), 1, 1))
    import pandas as pd

    try:
        return np.datetime64(pd.Timestamp(value).date())
    except (ValueError, TypeError):
        raise ValueError(f"cannot read {value!r} as a year or a date") from None


def _span_text(start: Any, end: Any) -> str:
    return f"{'the beginning' if start is None else start}–{'the end' if end is None else end}"


def issue_codes(issues: Iterable[str] | str | None, issue: str | None = None) -> list[str] | None:
    """The issue codes asked for by ``issues=`` (one or several) or ``issue=`` (one), checked."""
    if issue is not None:
        if issues is not None:
            raise ValueError("give issues= or issue=, not both")
        issues = [issue]
    if issues is None:
        return None
    chosen = [issues] if isinstance(issues, str) else list(issues)
    unknown = [c for c in chosen if c not in ISSUES]
    if unknown or not chosen:
        raise ValueError(f"unknown issue codes {unknown}; expected some of {list(ISSUES)}")
    return chosen


def columns(start: Any, end: Any, issues: Iterable[str] | str | None = None) -> np.ndarray:
    """Indices of the roll calls in the span (inclusive) and, if given, on any of the issues."""
    vote_matrix = _matrix()
    lo, hi = _bound(start, end=False), _bound(end, end=True)
    if lo is not None and hi is not None and lo > hi:
        raise ValueError(f"start {start!r} is after end {end!r}")
    keep = np.ones(vote_matrix.rcid.shape, dtype=bool)
    if lo is not None:
        keep &= vote_matrix.date >= lo
    if hi is not None:
        keep &= vote_matrix.date <= hi
    if not keep.any():
        raise ValueError(f"no UNGA roll calls in the span {_span_text(start, end)}")
    chosen = issue_codes(issues)
    if chosen is not None:
        on_issue = np.zeros_like(keep)
        for code in chosen:
            on_issue |= vote_matrix.issues[code]
        keep &= on_issue
        if not keep.any():
            raise ValueError(
                f"no UNGA roll calls on issues {chosen} in the span {_span_text(start, end)}"
            )
    return np.flatnonzero(keep)


def groups(cols: np.ndarray, by: str | None) -> tuple[np.ndarray, np.ndarray]:
    """(labels of the groups present, group index of each selected roll call)."""
    if by is None:
        return np.array([0]), np.zeros(cols.size, dtype=np.int64)
    keys = (_matrix().year if by == "year" else _matrix().session)[cols]
    labels, index = np.unique(keys, return_inverse=True)
    return labels, index
