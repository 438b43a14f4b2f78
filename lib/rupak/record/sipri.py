"""SIPRI arms transfers, asked as questions: flows, import shares and changes over windows.

The two SIPRI exports are parsed by :mod:`rupak.record.sipri_tiv` (the TIV tables) and
:mod:`rupak.record.sipri_register` (the trade register); :func:`tiv` and :func:`deals` give
them as cached tidy tables, with states keyed by ISO3 (:mod:`rupak.record.countries`), and the
functions below answer the questions the analyses ask. The parsers' names are re-exported
here, so ``rupak.record.sipri`` stays the one entry point.

Units and conventions (docs/methods.md#tiv; cite SIPRI, :data:`rupak.record.fetch.CITATIONS`):

* Every value is a **SIPRI TIV (millions)**: SIPRI's trend-indicator value, a measure of the
  *volume* of military capability transferred, computed from unit production costs of a core
  set of weapons. It is not money: never add it to or compare it with currency amounts.
* In the TIV tables a printed ``0`` means "delivered, but under 0.5 million" and a blank means
  "nothing delivered". Here a blank is *no row*; a ``0`` is a row with ``tiv == 0.0`` and
  ``below_half == True``, so the two never merge.
* The TIV tables are rounded to whole millions (generated 28 July 2022). Sums, shares and
  changes computed here are therefore from rounded cells; SIPRI's own fact sheets use
  unrounded values, so expect differences of a fraction of a percentage point.
* Shares and changes follow SIPRI's fact-sheet formulas over windows of years:
  ``share(s → r, P) = Σ_{t∈P} TIV(s→r, t) / Σ_{t∈P} Σ_{s'} TIV(s'→r, t)`` and
  ``change(P₁, P₂) = (Σ_{P₂} − Σ_{P₁}) / Σ_{P₁}``.
* SIPRI keeps the Soviet Union (file code ``USR``, ISO3 ``SUN``) and Russia (``RUS``) apart,
  and so does this module by default. ``fold_soviet=True`` relabels the Soviet Union as
  Russia, as supplier *and* recipient, under the name ``"Russia incl. Soviet Union"`` and codes
  ``RUS``/``RUS``, for long series; the two never overlap in time (USR ends 1991, RUS starts
  1992), so nothing is double-counted.
* Recipients SIPRI does not treat as states (armed groups marked ``*``, organisations marked
  ``**``, "Unknown ..." entries, unrecognised entities) carry ``recipient_iso3 = None``; they
  are listed in :data:`NON_STATE_ACTORS`, and any other name the country table cannot place
  is an error, not a silent gap.
* The years covered come from the TIV tables themselves (:func:`coverage`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rupak.base.provenance import cached
from rupak.record import fetch as record
from rupak.record.sipri_format import (
    NON_STATE_ACTORS,
    TIV_LABEL,
    Problem,
    SipriFormatError,
    code_version,
)
from rupak.record.sipri_register import (
    DEAL_COLUMNS,
    REGISTER,
    build_deals,
    deal_dtypes,
    parse_trade_register,
)
from rupak.record.sipri_tiv import (
    TIV_COLUMNS,
    TivTotals,
    build_tiv,
    parse_tiv_file,
    tiv_dtypes,
    tiv_file_totals,
    tiv_files,
    tiv_years,
)

__all__ = [
    "DEAL_COLUMNS",
    "FOLDED_NAME",
    "NON_STATE_ACTORS",
    "REGISTER",
    "TIV_COLUMNS",
    "TIV_LABEL",
    "Problem",
    "SipriFormatError",
    "TivTotals",
    "change",
    "coverage",
    "deals",
    "flows",
    "import_shares",
    "parse_tiv_file",
    "parse_trade_register",
    "tiv",
    "tiv_file_totals",
    "tiv_files",
    "tiv_years",
]

SOVIET_CODE = "USR"  # SIPRI's file code for the Soviet Union
RUSSIA_CODE = "RUS"
#: Name of the folded Soviet Union + Russia series (``fold_soviet=True``).
FOLDED_NAME = "Russia incl. Soviet Union"


def _tiv_version() -> str:
    return code_version("rupak.record.sipri_tiv")


def _deals_version() -> str:
    return code_version("rupak.record.sipri_register")


@cached
def coverage() -> tuple[int, int]:
    """(first, last) year of the TIV tables: the smallest and largest year column of any
    exporter's file (1950 and 2021 in the tables generated 28 July 2022), read from the files.
    """
    spans = [tiv_years(record.path(name)) for name in tiv_files()]
    return min(first for first, _ in spans), max(last for _, last in spans)


def _fold(frame: pd.DataFrame) -> pd.DataFrame:
    """Relabel the Soviet Union as Russia on both sides and merge the (non-overlapping) rows."""
    out = frame.copy()
    soviet_supplier = out["supplier_code"].isin([SOVIET_CODE, RUSSIA_CODE])
    out.loc[soviet_supplier, ["supplier", "supplier_code", "supplier_iso3"]] = [
        FOLDED_NAME,
        RUSSIA_CODE,
        "RUS",
    ]
    soviet_recipient = out["recipient_iso3"].isin(["SUN", "RUS"])
    out.loc[soviet_recipient, ["recipient", "recipient_iso3"]] = [FOLDED_NAME, "RUS"]
    keys = ["supplier", "supplier_code", "supplier_iso3", "recipient", "recipient_iso3", "year"]
    merged = out.groupby(keys, sort=False, dropna=False).agg(
        tiv=("tiv", "sum"), below_half=("below_half", "all")
    )
    merged = merged.reset_index()
    return tiv_dtypes(merged[TIV_COLUMNS]).sort_values(
        ["supplier_code", "recipient", "year"], ignore_index=True
    )


def tiv(fold_soviet: bool = False) -> pd.DataFrame:
    """All SIPRI TIV exports (134 exporters, years :func:`coverage`) as one tidy table, in
    SIPRI TIV (millions).

    Columns as :func:`parse_tiv_file`. Parsed once and cached as Parquet under the files'
    pinned hashes and this code's version. ``USR`` (Soviet Union) and ``RUS`` (Russia) stay
    apart; ``fold_soviet=True`` relabels the Soviet Union as Russia ("Russia incl. Soviet
    Union", ``RUS``) as supplier and as recipient, for continuity across 1991.
    """
    finish = _folded if fold_soviet else tiv_dtypes
    frame = record.cached_table(
        "sipri-tiv", tiv_files(), build_tiv, version=_tiv_version(), finish=finish
    )
    frame.attrs["tiv"] = TIV_LABEL
    return frame


def _folded(frame: pd.DataFrame) -> pd.DataFrame:
    return _fold(tiv_dtypes(frame))


def deals() -> pd.DataFrame:
    """The SIPRI trade register, one row per deal, cached (columns: see
    :func:`rupak.record.sipri_register.parse_trade_register`).

    TIV columns are SIPRI TIV (millions). The register is a later SIPRI release than the TIV
    tables (orders up to 2023, "Turkiye" for "Turkey"), so its TIVs need not match them.
    """
    frame = record.cached_table(
        "sipri-deals", [REGISTER], build_deals, version=_deals_version(), finish=deal_dtypes
    )
    frame.attrs["tiv"] = TIV_LABEL
    return frame


# --- questions --------------------------------------------------------------------------------


def _code(code: str, role: str, fold_soviet: bool) -> str:
    """A validated ISO3 code (``SUN`` for the Soviet Union); folded to RUS when asked."""
    from rupak.record.countries import validate_iso3

    if not isinstance(code, str):
        raise ValueError(f"unknown {role} code {code!r}: expected an ISO3 string such as 'PAK'")
    try:
        iso3 = validate_iso3(code)
    except ValueError as error:
        raise ValueError(f"unknown {role} code {code!r}: {error}") from None
    return "RUS" if fold_soviet and iso3 == "SUN" else iso3


def _span(start: int, end: int) -> tuple[int, int]:
    if int(start) > int(end):
        raise ValueError(f"start {start} is after end {end}")
    return int(start), int(end)


def flows(
    supplier: str, recipient: str, start: int, end: int, fold_soviet: bool = False
) -> pd.DataFrame:
    """Yearly SIPRI TIV (millions) from ``supplier`` to ``recipient`` over [start, end].

    Both are ISO3 codes (``SUN`` for the Soviet Union; SIPRI's own file codes are not
    accepted, since some clash with ISO3, e.g. SIPRI ``CHE`` is Chile, ``CZE`` Czechoslovakia).
    Every year is present: years with nothing delivered have tiv 0.0 and below_half False;
    years where SIPRI printed only '0' have tiv 0.0 and below_half True. Where several SIPRI
    names share one ISO3 (e.g. "North Yemen" and "Yemen Arab Republic"), they are summed.
    """
    first, last = _span(start, end)
    source = _code(supplier, "supplier", fold_soviet)
    target = _code(recipient, "recipient", fold_soviet)
    data = tiv(fold_soviet)
    rows = data[
        (data["supplier_iso3"] == source)
        & (data["recipient_iso3"] == target)
        & data["year"].between(first, last)
    ]
    yearly = rows.groupby("year").agg(tiv=("tiv", "sum"), below_half=("below_half", "all"))
    years = pd.RangeIndex(first, last + 1, name="year")
    yearly = yearly.reindex(years)
    out = pd.DataFrame(
        {
            "year": years.to_numpy().astype("int16"),
            "tiv": yearly["tiv"].fillna(0.0).to_numpy(dtype="float64"),
            "below_half": yearly["below_half"].fillna(False).to_numpy(dtype=bool),
        }
    )
    out.attrs.update(tiv=TIV_LABEL, supplier=source, recipient=target)
    return out


def _imports(recipient: str, start: int, end: int, fold_soviet: bool) -> pd.DataFrame:
    first, last = _span(start, end)
    target = _code(recipient, "recipient", fold_soviet)
    data = tiv(fold_soviet)
    return data[(data["recipient_iso3"] == target) & data["year"].between(first, last)]


def import_shares(recipient: str, start: int, end: int, fold_soviet: bool = False) -> pd.DataFrame:
    """Each supplier's share of ``recipient``'s arms imports over [start, end], by SIPRI TIV.

    share(s → r, P) = Σ_{t∈P} TIV(s→r, t) / Σ_{t∈P} Σ_{s'} TIV(s'→r, t) (SIPRI's fact-sheet
    convention, docs/methods.md#tiv). Columns: supplier, supplier_code, tiv (in
    SIPRI TIV (millions), over the span), share (0..1); sorted by tiv, largest first.
    Suppliers whose only deliveries were under 0.5 million ('0') are listed with tiv 0.
    Empty when nothing was delivered.
    """
    rows = _imports(recipient, start, end, fold_soviet)
    totals = rows.groupby(["supplier", "supplier_code"], as_index=False)["tiv"].sum()
    grand = totals["tiv"].sum()
    totals["share"] = totals["tiv"] / grand if grand > 0 else np.nan
    out = totals.sort_values(["tiv", "supplier"], ascending=[False, True], ignore_index=True)
    out.attrs.update(
        tiv=TIV_LABEL, recipient=recipient, span=(int(start), int(end)), total=float(grand)
    )
    return out


def change(
    recipient: str,
    supplier: str | None,
    span1: tuple[int, int],
    span2: tuple[int, int],
    fold_soviet: bool = False,
) -> dict[str, object]:
    """Relative change in ``recipient``'s imports between two windows, by SIPRI TIV.

    change = (Σ_{P₂} − Σ_{P₁}) / Σ_{P₁} (docs/methods.md#tiv); ``supplier=None`` means total
    imports from all suppliers. Windows must not overlap (SIPRI compares non-overlapping windows, as
    in 2012-16 vs 2017-21). Returns recipient, supplier, span1, span2, tiv1 and tiv2 (totals
    over each window, in SIPRI TIV (millions)) and change (a fraction; NaN when tiv1 is 0, as
    the change is then undefined).
    """
    (a1, b1), (a2, b2) = _span(*span1), _span(*span2)
    if a1 <= b2 and a2 <= b1:
        raise ValueError(f"windows {a1}-{b1} and {a2}-{b2} overlap; SIPRI compares disjoint ones")
    source = None if supplier is None else _code(supplier, "supplier", fold_soviet)

    def volume(first: int, last: int) -> float:
        rows = _imports(recipient, first, last, fold_soviet)
        if source is not None:
            rows = rows[rows["supplier_iso3"] == source]
        return float(rows["tiv"].sum())

    tiv1, tiv2 = volume(a1, b1), volume(a2, b2)
    return {
        "recipient": _code(recipient, "recipient", fold_soviet),
        "supplier": source,
        "span1": (a1, b1),
        "span2": (a2, b2),
        "tiv1": tiv1,
        "tiv2": tiv2,
        "change": (tiv2 - tiv1) / tiv1 if tiv1 > 0 else float("nan"),
        "unit": TIV_LABEL,
    }
