"""Which source statement is tested by which computation over the record, and the verdict.

Every claim (``claims.csv``) and every event whose ``check`` column names a computation gets
one row: the computation, what the source states, what the record gives, and a verdict —

* ``consistent``: the record agrees within the stated precision (an integer percentage is
  ±0.5 points; "largest" is rank 1);
* ``inconsistent``: it does not;
* ``not testable``: neither record measures it (with the reason). SIPRI measures arms in
  TIV, a volume, never money, so a dollar or rouble figure is never compared with TIV: where
  a dollar claim also asserts that arms moved in a span, only that timing is tested, and the
  ``scope`` column says so.

Checks are small functions registered by name; the names are the vocabulary of the
``check`` columns in the curated data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pandas as pd

from rupak.analysis import claim_rules as rules
from rupak.evidence import curated
from rupak.record import sipri

TIV = sipri.TIV_LABEL


@dataclass(frozen=True)
class Result:
    computation: str
    stated: str
    computed: str
    verdict: str
    scope: str = ""
    flag: str = ""


CHECKS: dict[str, Callable[[pd.Series], Result]] = {}
VERDICTS = rules.VERDICTS


def check_function(name: str) -> Callable[[Callable[[pd.Series], Result]], Callable]:
    def register(function: Callable[[pd.Series], Result]) -> Callable:
        CHECKS[name] = function
        return function

    return register


def _tiv(value: float) -> str:
    return f"{value:,.0f} TIV"


def _verdict(ok: bool) -> str:
    return rules.plain(ok)


def _sum(supplier: str, recipient: str, start: int, end: int) -> float:
    return float(sipri.flows(supplier, recipient, start, end)["tiv"].sum())


def _yearly(supplier: str, recipient: str, start: int, end: int) -> str:
    frame = sipri.flows(supplier, recipient, start, end)
    return ", ".join(f"{y}: {t:.0f}" for y, t in zip(frame["year"], frame["tiv"], strict=True))


# --- India's supplier shift (SIPRI fact sheet, March 2022) -----------------------------------

WINDOWS = ((2012, 2016), (2017, 2021))


def _russia_rank(window: tuple[int, int]) -> tuple[int, float]:
    shares = sipri.import_shares("IND", *window)
    position = shares.index[shares["supplier_code"] == "RUS"]
    rank = int(position[0]) + 1 if len(position) else 0
    share = float(shares.loc[position[0], "share"]) if len(position) else 0.0
    return rank, share


@check_function("india_russia_share_2012_2021")
def _india_share(row: pd.Series) -> Result:
    ranks = {w: _russia_rank(w) for w in WINDOWS}
    computed = "; ".join(
        f"{a}–{b}: Russia rank {r}, share {s:.1%}" for (a, b), (r, s) in ranks.items()
    )
    return Result(
        "rank of Russia among India's suppliers by SIPRI TIV, 2012–16 and 2017–21",
        "Russia was the largest supplier of major arms to India in both windows",
        computed,
        _verdict(all(r == 1 for r, _ in ranks.values())),
    )


@check_function("india_russia_decline_2012_2021")
def _india_decline(row: pd.Series) -> Result:
    result = sipri.change("IND", "RUS", *WINDOWS)
    total = sipri.change("IND", None, *WINDOWS)
    drop = -100 * result["change"]
    computed = (
        f"{drop:.1f}% drop ({_tiv(result['tiv1'])} → {_tiv(result['tiv2'])}); India's "
        f"total imports {-100 * total['change']:.1f}% drop"
    )
    if row.get("unit") == "percent":
        stated = f"{row['value']:g}% drop"
        ok = abs(drop - float(row["value"])) <= 0.5
        scope = "stated as a whole percentage: consistent within ±0.5 points"
    else:
        stated = "India's imports of Russian arms fell between 2012–16 and 2017–21"
        ok = drop > 0
        scope = "direction of change"
    return Result(
        "change in India's imports from Russia, 2012–16 → 2017–21 (SIPRI TIV)",
        stated,
        computed,
        _verdict(ok),
        scope,
    )


# --- Pakistan's Russian and Soviet arms ------------------------------------------------------


def _register(supplier: str, recipient: str) -> pd.DataFrame:
    deals = sipri.deals()
    return deals[(deals["supplier_iso3"] == supplier) & (deals["recipient_iso3"] == recipient)]


@check_function("pakistan_mi35_2015")
def _mi35(row: pd.Series) -> Result:
    deals = _register("RUS", "PAK")
    hits = deals[deals["weapon_designation"].str.contains("Mi-35", na=False)]
    if hits.empty:
        return Result(
            "Russia→Pakistan deals for Mi-35 helicopters in the SIPRI trade register",
            "Russia decided in 2015 to sell four Mi-35 attack helicopters to Pakistan",
            "no Mi-35 deal in the register",
            "inconsistent",
        )
    deal = hits.iloc[0]
    ok = int(deal["order_year"]) == 2015 and int(deal["number_ordered"]) == 4
    return Result(
        "Russia→Pakistan deals for Mi-35 helicopters in the SIPRI trade register",
        "Russia decided in 2015 to sell four Mi-35 attack helicopters to Pakistan",
        f"{int(deal['number_ordered'])} {deal['weapon_designation']} ordered "
        f"{int(deal['order_year'])}, delivered {list(deal['delivery_years'])}",
        _verdict(ok),
    )


@check_function("soviet_pakistan_arms_1968")
def _soviet_1968(row: pd.Series) -> Result:
    deals = _register("SUN", "PAK")
    ordered = deals[deals["order_year"] == 1968]
    before, during = _sum("SUN", "PAK", 1960, 1967), _sum("SUN", "PAK", 1968, 1971)
    items = "; ".join(
        f"{int(n)} {d}"
        for n, d in zip(ordered["number_ordered"], ordered["weapon_designation"], strict=True)
    )
    return Result(
        "Soviet deals with Pakistan ordered in 1968 (trade register) and USR→PAK deliveries",
        "the Soviet Union and Pakistan concluded an arms deal in July 1968",
        f"{len(ordered)} deals ordered 1968 ({items}); deliveries 1960–67 {_tiv(before)}, "
        f"1968–71 {_tiv(during)}",
        _verdict(len(ordered) > 0 and during > before),
    )


@check_function("russia_pakistan_arms_after_2014")
def _after_2014(row: pd.Series) -> Result:
    deals = _register("RUS", "PAK")
    later = deals[deals["order_year"] >= 2014]
    items = "; ".join(
        f"{n if pd.notna(n) else '?'} {d} ({int(y)})"
        for n, d, y in zip(
            later["number_ordered"], later["weapon_designation"], later["order_year"], strict=True
        )
    )
    before, after = _sum("RUS", "PAK", 2009, 2014), _sum("RUS", "PAK", 2015, 2020)
    return Result(
        "Russia→Pakistan orders from 2014 (trade register) and deliveries 2009–14 vs 2015–20",
        "Moscow lifted its embargo on arms supplies to Pakistan in June 2014",
        f"orders since 2014: {items or 'none'}; deliveries 2009–14 {_tiv(before)}, "
        f"2015–20 {_tiv(after)}",
        _verdict(len(later) > 0 and after > before),
        "orders and deliveries after the lift; the embargo itself was undeclared and is not "
        "in the record",
    )


@check_function("rd93_engines_pakistan")
def _rd93(row: pd.Series) -> Result:
    deals = _register("RUS", "PAK")
    hits = deals[
        deals["comments"].str.contains("RD-93", na=False)
        | deals["weapon_designation"].str.contains("RD-93", na=False)
    ]
    if hits.empty:
        return Result(
            "RD-93 engines for Pakistan in the trade register",
            "Russian RD-93 engines power Pakistan's JF-17",
            "no RD-93 deal found",
            "inconsistent",
        )
    deal = hits.iloc[0]
    years = list(deal["delivery_years"])
    return Result(
        "RD-93 engines for Pakistan in the trade register",
        "Russia did not object to the transfer of its RD-93 engine for the JF-17",
        f"{int(deal['number_ordered'])} {deal['weapon_designation']} ({deal['comments']}), "
        f"supplier Russia, ordered {int(deal['order_year'])}, delivered {years[0]}–{years[-1]}",
        "consistent",
        "that Russian RD-93 engines reach Pakistan's JF-17; the register dates the order to "
        f"{int(deal['order_year'])}, long before the 2018 steps the text places it after",
    )


# --- the United States and Pakistan --------------------------------------------------------


@check_function("us_pakistan_estrangement_1965_1967")
def _estrangement(row: pd.Series) -> Result:
    before, during = _sum("USA", "PAK", 1960, 1964), _sum("USA", "PAK", 1965, 1967)
    mean_before, mean_during = before / 5, during / 3
    return Result(
        "US→Pakistan deliveries, yearly mean 1960–64 vs 1965–67 (SIPRI TIV)",
        "America stopped its aid to Pakistan from 1965-67",
        f"mean {mean_before:.0f} TIV/year 1960–64 vs {mean_during:.0f} TIV/year 1965–67 "
        f"({_yearly('USA', 'PAK', 1963, 1969)})",
        _verdict(mean_during < 0.5 * mean_before),
        "arms deliveries only (a fall of at least half counts as a stop); economic aid is "
        "not in the record",
    )


@check_function("us_pakistan_arms_cutoff_1990")
def _cutoff_1990(row: pd.Series) -> Result:
    before, after = _sum("USA", "PAK", 1986, 1990), _sum("USA", "PAK", 1991, 1995)
    return Result(
        "US→Pakistan deliveries 1986–90 vs 1991–95 (SIPRI TIV)",
        "all economic and military aid to Pakistan was cut off from October 1990",
        f"{_tiv(before)} in 1986–90 vs {_tiv(after)} in 1991–95",
        _verdict(after < 0.5 * before),
        "arms deliveries only; a fall of at least half counts as a cut-off",
    )


def _us_span(row: pd.Series, start: int, end: int) -> Result:
    yearly = sipri.flows("USA", "PAK", start, end)
    active = int((yearly["tiv"] > 0).sum())
    total = float(yearly["tiv"].sum())
    return Result(
        f"US→Pakistan deliveries {start}–{end} (SIPRI TIV)",
        f"{row['value']:,.0f} {row['unit']}: {row['measure']}",
        f"deliveries in {active} of {len(yearly)} years, {_tiv(total)} in all",
        rules.with_amount(_verdict(active > 0), row.get("unit")),
        "timing only (deliveries in the stated years); the dollar amount cannot be tested: "
        "SIPRI TIV is a volume, not money",
        rules.coincidence(float(row.get("value") or 0), row.get("unit"), total),
    )


@check_function("us_pakistan_arms_1950s_1960s")
def _us_1950s(row: pd.Series) -> Result:
    start = int(row["year_start"]) if pd.notna(row.get("year_start")) else 1950
    end = int(row["year_end"]) if pd.notna(row.get("year_end")) else 1969
    return _us_span(row, start, end)


@check_function("us_pakistan_arms_1983_1990")
def _us_1980s(row: pd.Series) -> Result:
    return _us_span(row, 1983, 1990)


@check_function("us_pakistan_arms_2002_2014")
def _us_2000s(row: pd.Series) -> Result:
    return _us_span(row, 2002, 2014)


@check_function("russia_india_deals_2016")
def _india_2016(row: pd.Series) -> Result:
    deals = _register("RUS", "IND")
    recent = deals[deals["order_year"].between(2015, 2019)]
    wanted = {"S-400": "S-400", "frigates": "Talwar", "Ka-226T": "Ka-226"}
    found = {
        label: recent[recent["weapon_designation"].str.contains(pattern, na=False)]
        for label, pattern in wanted.items()
    }
    parts = [
        f"{label}: "
        + (
            ", ".join(
                f"{n if pd.notna(n) else '?'} ordered {int(y)}"
                for n, y in zip(hits["number_ordered"], hits["order_year"], strict=True)
            )
            or "not found"
        )
        for label, hits in found.items()
    ]
    years = [int(y) for hits in found.values() for y in hits["order_year"]]
    verdict = rules.timing(years, [2016]) if all(len(h) for h in found.values()) else "inconsistent"
    return Result(
        "Russia→India orders 2015–19 for S-400, frigates and Ka-226T (trade register)",
        "defence deals signed in 2016 include S-400 missiles, frigates and Ka-226T helicopters",
        "; ".join(parts),
        rules.with_amount(verdict, row.get("unit")),
        "the items and the year of their orders (the register dates orders to contracts: "
        f"{', '.join(str(y) for y in sorted(set(years)))}, not 2016); the dollar total "
        "cannot be tested",
    )


def _claim_years(row: pd.Series, default: tuple[int, int]) -> tuple[int, int]:
    """The window the claim itself names: its year span, or its event's date span."""
    for first, last in (("year_start", "year_end"), ("date_start", "date_end")):
        a, b = row.get(first), row.get(last)
        if a is not None and pd.notna(a) and b is not None and pd.notna(b):
            a = a.year if hasattr(a, "year") else int(a)
            b = b.year if hasattr(b, "year") else int(b)
            return int(a), int(b)
    return default


@check_function("soviet_arms_india_1960s")
def _soviet_india(row: pd.Series) -> Result:
    first, last = _claim_years(row, (1960, 1991))
    first, last = max(first, sipri.coverage()[0]), min(last, 1991)
    data = sipri.tiv()
    soviet = data[(data["supplier_code"] == "USR") & data["year"].between(first, last)]
    totals = soviet.groupby("recipient")["tiv"].sum().sort_values(ascending=False)
    rank = list(totals.index).index("India") + 1 if "India" in totals.index else 0
    share = totals.get("India", 0.0) / totals.sum()
    top = ", ".join(f"{name} {value:,.0f}" for name, value in totals.head(3).items())
    return Result(
        f"India's rank among Soviet arms recipients, {first}–{last} (SIPRI TIV)",
        "India emerged as the major buyer of Soviet arms",
        f"rank {rank}, {share:.1%} of Soviet deliveries (top three: {top})",
        _verdict(rules.is_major(rank)),
        f"'major buyer' = among the top {rules.MAJOR_RANK} recipients by TIV over the "
        "years the claim names (docs/methods.md#claims)",
    )


# --- claims the record cannot test ---------------------------------------------------------


def _untestable_reason(row: pd.Series) -> str:
    unit = row.get("unit")
    if unit == "RUB":
        return "the record has no rouble values: SIPRI counts arms in TIV, not credits"
    if unit == "USD":
        return (
            "a money figure cannot be tested: SIPRI TIV measures volume, not money, and "
            "UNGA votes carry no amounts"
        )
    if unit in {"count", "years"}:
        return f"neither UNGA votes nor SIPRI arms transfers record this ({row['measure']})"
    return "neither record measures this"


def _row(kind: str, item: pd.Series, statement: str, result: Result, check: str) -> dict:
    return {
        "item": kind,
        "id": item["claim_id"] if kind == "claim" else item["event_id"],
        "source_id": item.get("source_id") or "",
        "statement": statement,
        "check": check,
        "computation": result.computation,
        "stated": result.stated,
        "computed": result.computed,
        "verdict": result.verdict,
        "scope": result.scope,
        "flag": result.flag,
    }


def check(root=None, ids: Iterable[str] | None = None) -> pd.DataFrame:
    """The verdict for every claim and every event that names a check; one tidy row each.

    ``ids`` limits the table to those claim and event ids (only their checks run).
    """
    wanted = set(ids) if ids is not None else None
    rows = []
    claim_rows = curated.claims(root)
    if wanted is not None:
        claim_rows = claim_rows[claim_rows["claim_id"].isin(wanted)]
    for _, claim in claim_rows.iterrows():
        name = claim["check"] if pd.notna(claim["check"]) else ""
        if name:
            result = CHECKS[name](claim)
        else:
            result = Result(
                "",
                f"{claim['value']:,.0f} {claim['unit']}: {claim['measure']}",
                "",
                "not testable",
                _untestable_reason(claim),
            )
        rows.append(_row("claim", claim, claim["quote"], result, name or ""))
    events = curated.events(root)
    sources = (
        curated.evidence(root)
        .groupby("event_id")["source_id"]
        .agg(lambda s: ";".join(sorted(set(s))))
    )
    events = events[events["check"].notna()]
    if wanted is not None:
        events = events[events["event_id"].isin(wanted)]
    for _, event in events.iterrows():
        event = event.copy()
        event["source_id"] = sources.get(event["event_id"], "")
        result = CHECKS[event["check"]](event)
        rows.append(_row("event", event, event["title"], result, event["check"]))
    frame = pd.DataFrame(
        rows,
        columns=[
            "item",
            "id",
            "source_id",
            "statement",
            "check",
            "computation",
            "stated",
            "computed",
            "verdict",
            "scope",
            "flag",
        ],
    )
    frame["verdict"] = pd.Categorical(frame["verdict"], categories=VERDICTS)
    return frame


def unknown_checks(root=None) -> list[str]:
    """Check names used in the data that no function implements (for validation)."""
    used = set(curated.claims(root)["check"].dropna()) | set(curated.events(root)["check"].dropna())
    return sorted(used - set(CHECKS))


def verdict_counts(table: pd.DataFrame, sources: Iterable[str]) -> pd.DataFrame:
    """How many of each source's claims got each verdict (claims only, not events)."""
    claims_only = table[(table["item"] == "claim") & table["source_id"].isin(list(sources))]
    return (
        claims_only.groupby(["source_id", "verdict"], observed=True)
        .size()
        .reset_index(name="claims")
    )
