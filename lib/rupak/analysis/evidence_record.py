"""What the record holds for one question, gathered once: vote tables, replicates, arms.

Why gathered once: the specification curve asks hundreds of variants of one question; each
variant only re-slices years, so the vote-pair tables, their bootstrap replicates and every
state's agreement with the focal power are computed once per process and reused.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from rupak.analysis.inference import YearlyBootstrap, yearly_bootstrap
from rupak.analysis.question import Question, Span
from rupak.base.provenance import cached
from rupak.record import sipri, unga
from rupak.record.measures import MEASURES

#: How far the specification curve moves a window's edges (years), so the data gathered
#: must reach that far beyond the question's segments.
EDGE_SHIFTS = (-2, -1, 0, 1, 2)


def unga_years() -> Span:
    """First and last year with UNGA roll calls, read from the record."""
    return unga.coverage()


def sipri_years() -> Span:
    """First and last year of SIPRI's TIV tables, read from the record."""
    return sipri.coverage()


def dyad_bootstrap(a: str, b: str, first: int | None = None, last: int | None = None):
    """Yearly vote-pair tables of a dyad and their replicates (every year of the record is
    computed once per process; ``first``/``last`` are accepted for readability only)."""
    return _dyad_bootstrap(a, b)


@cached
def _dyad_bootstrap(a: str, b: str) -> YearlyBootstrap:
    years, tables = unga.pair_tables(a, b, *unga_years())
    return yearly_bootstrap(years, tables, key=f"{a}-{b}")


@dataclass(frozen=True)
class AllStates:
    """The focal power's yearly agreement with every other member, for every measure.

    ``values[m]`` and ``n`` are (states, years); a cell is NaN where the pair shared no roll
    call that year.
    """

    focal: str
    states: tuple[str, ...]
    years: NDArray[np.int64]
    values: dict[str, NDArray[np.float64]]
    n: NDArray[np.int64]

    def row(self, state: str) -> int:
        return self.states.index(state)


def all_states(focal: str, first: int | None = None, last: int | None = None) -> AllStates:
    """Every member's yearly agreement with ``focal`` (all years of the record, computed
    once per process; ``first``/``last`` are accepted for readability only)."""
    return _all_states(focal)


@cached
def _all_states(focal: str) -> AllStates:
    first, last = unga_years()
    frames = {
        m: unga.agreement_with_all(focal, first, last, measure=m, min_votes=1) for m in MEASURES
    }
    base = frames[MEASURES[0]]
    states = tuple(sorted(base["state"].astype(str).unique()))
    years = np.array(sorted(base["year"].unique()), dtype=np.int64)
    n = _pivot(base, "n", states, years, 0).astype(np.int64)
    values = {m: _pivot(f, "value", states, years, np.nan) for m, f in frames.items()}
    return AllStates(focal, states, years, values, n)


def _pivot(frame: pd.DataFrame, column: str, states, years, fill) -> NDArray:
    table = frame.pivot_table(index="state", columns="year", values=column, aggfunc="first")
    return table.reindex(index=list(states), columns=list(years)).fillna(fill).to_numpy()


def arms_series(supplier: str, recipient: str, first: int, last: int) -> pd.DataFrame:
    """Yearly SIPRI TIV from supplier to recipient over [first, last] (Soviet Union folded
    into Russia); every year of the tables is read once per process and pair."""
    low, high = sipri_years()
    first, last = max(first, low), min(last, high)
    flows = _arms_full(supplier, recipient)
    return flows[flows["year"].between(first, last)].reset_index(drop=True)


@cached
def _arms_full(supplier: str, recipient: str) -> pd.DataFrame:
    return sipri.flows(supplier, recipient, *sipri_years(), fold_soviet=True)


def gather(question: Question) -> tuple[YearlyBootstrap, YearlyBootstrap]:
    """The studied and comparison dyads' yearly tables and replicates."""
    return dyad_bootstrap(*question.studied), dyad_bootstrap(*question.comparison)
