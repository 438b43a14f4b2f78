"""The evidence and arms tables the period notebooks show: events, quotes, flows, deals.

Agreement (with its bootstrap intervals) lives in :mod:`rupak.analysis.agreement`, the
conclusions in :mod:`rupak.analysis.findings`; this module gathers what the sources tell and
what SIPRI's tables hold for a window, as tidy tables. The notebooks only narrate.

Identity across 1991: UNGA data files the Soviet Union and Russia as one member (RUS); SIPRI
keeps them apart, so flows here fold the Soviet Union into Russia (``fold_soviet=True``) and
say so. In the curated events, ``SUN`` and ``RUS`` are distinct; selecting ``RUS`` selects
both.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from rupak.analysis.question import Question, span_name
from rupak.evidence import curated
from rupak.record import sipri


def _codes(actors: Iterable[str]) -> set[str]:
    codes = set(actors)
    if "RUS" in codes:
        codes.add("SUN")
    return codes


def dyad_label(a: str, b: str, sep: str = "–") -> str:
    return f"{a}{sep}{b}"


# --- events and evidence ---------------------------------------------------------------------


#: The events that get CAMEO and Goldstein: acts between states (docs/methods.md#event-coding).
INTERSTATE_ACT = "interstate_act"


def interstate_acts(events: pd.DataFrame) -> pd.DataFrame:
    """Only the acts between states (``nature == "interstate_act"``) of ``events``.

    Context rows (crises, trends, analysts' views) and statistics carry no CAMEO code and no
    Goldstein weight, so Goldstein tables and event figures count acts only (issue 13).
    """
    return events[events["nature"].astype(str) == INTERSTATE_ACT]


def _told_by(frame: pd.DataFrame) -> pd.DataFrame:
    sources = curated.evidence().groupby("event_id")["source_id"].agg(lambda s: sorted(set(s)))
    frame["sources"] = frame["event_id"].map(sources)
    frame["mentioned_by"] = frame["sources"].map(lambda s: "both" if len(s) == 2 else s[0])
    return frame.sort_values(["date_start", "event_id"]).reset_index(drop=True)


def _overlapping(events: pd.DataFrame, start: int, end: int) -> pd.Series:
    lo, hi = pd.Timestamp(f"{start}-01-01"), pd.Timestamp(f"{end}-12-31")
    return (events["date_start"] <= hi) & (events["date_end"] >= lo)


def window_events(start: int, end: int, actors: Iterable[str]) -> pd.DataFrame:
    """Acts between states overlapping [start, end] that ``actors`` initiate or are the target of.

    Only ``interstate_act`` rows: context and statistics are :func:`context_events`.
    ``mentioned_by`` is ``durrani``, ``kaushiki_bawa`` or ``both``.
    """
    events = interstate_acts(curated.events())
    wanted = _codes(actors)
    # Involved means acting or acted upon: a crisis or an enlargement that merely lists the
    # state among those affected is not an event of its relations.
    involved = events["initiator"].isin(wanted) | events["target"].isin(wanted)
    return _told_by(events[_overlapping(events, start, end) & involved].copy())


def context_events(start: int, end: int, actors: Iterable[str] | None = None) -> pd.DataFrame:
    """The rows that are not acts between states (context and statistics) overlapping
    [start, end]: crises, trends, conflicts begun by non-state groups, analysts' views, figures.

    With ``actors``, only rows that list one of them among their actors (``RUS`` selects
    ``SUN`` too). They have no CAMEO code or Goldstein weight; ``mentioned_by`` as in
    :func:`window_events`.
    """
    events = curated.events()
    events = events[events["nature"].astype(str) != INTERSTATE_ACT]
    keep = _overlapping(events, start, end)
    if actors is not None:
        wanted = _codes(actors)
        keep &= events["actors"].map(lambda listed: bool(wanted & set(listed)))
    return _told_by(events[keep].copy())


def event_table(events: pd.DataFrame) -> pd.DataFrame:
    """A compact table of acts between states for display: date, kind, initiator → target,
    CAMEO, Goldstein, sources. Rows that are not acts are left out (they have no CAMEO code;
    :func:`context_table` shows them)."""
    events = interstate_acts(events)
    return pd.DataFrame(
        {
            "date": [_date_text(r) for r in events.itertuples()],
            "event": events["title"],
            "kind": events["kind"].astype(str),
            "initiator → target": [
                f"{r.initiator} → {r.target}" if isinstance(r.target, str) else r.initiator
                for r in events.itertuples()
            ],
            "CAMEO": events["cameo_code"],
            "Goldstein": events["goldstein"],
            "mentioned by": events["mentioned_by"],
        }
    ).reset_index(drop=True)


def context_table(events: pd.DataFrame) -> pd.DataFrame:
    """A compact table of context and statistic rows (:func:`context_events`): date, event,
    kind, nature, actors involved, sources."""
    return pd.DataFrame(
        {
            "date": [_date_text(r) for r in events.itertuples()],
            "event": events["title"],
            "kind": events["kind"].astype(str),
            "nature": events["nature"].astype(str),
            "actors": events["actors"].map(", ".join),
            "mentioned by": events["mentioned_by"],
        }
    ).reset_index(drop=True)


def _date_text(row) -> str:
    if row.date_precision == "day":
        return row.date_start.strftime("%Y-%m-%d")
    if row.date_precision == "month":
        return row.date_start.strftime("%Y-%m")
    first, last = row.date_start.year, row.date_end.year
    return str(first) if first == last else f"{first}–{last}"


def window_evidence(events: pd.DataFrame) -> pd.DataFrame:
    """Evidence quotes for the given events, in date order."""
    evidence = curated.evidence()
    frame = evidence[evidence["event_id"].isin(events["event_id"])].merge(
        events[["event_id", "date_start", "title"]], on="event_id"
    )
    return frame.sort_values(["date_start", "event_id", "source_id"]).reset_index(drop=True)


def period_statements(period_id: str, kinds: Sequence[str] = ()) -> pd.DataFrame:
    """Evidence quotes of events in a named period (optionally of some kinds)."""
    events = curated.events()
    mask = events["periods"].map(lambda p: period_id in p)
    if kinds:
        mask &= events["kind"].isin(list(kinds))
    quotes = window_evidence(events[mask].assign(mentioned_by=""))
    return quotes.drop_duplicates(subset=["source_id", "char_start", "char_end"]).reset_index(
        drop=True
    )


def goldstein_by_year(events: pd.DataFrame, a: str, b: str) -> pd.DataFrame:
    """Directed Goldstein totals for acts between ``a`` and ``b`` (both ways).

    Only acts between states count (``nature == "interstate_act"``): context and statistic
    rows have no CAMEO code, hence no Goldstein weight (docs/methods.md#event-coding).
    """
    codes_a, codes_b = _codes([a]), _codes([b])
    rows = []
    for r in interstate_acts(events).itertuples():
        if not isinstance(r.target, str):
            continue
        if r.initiator in codes_a and r.target in codes_b:
            rows.append((r.year, f"{a}→{b}", r.goldstein))
        elif r.initiator in codes_b and r.target in codes_a:
            rows.append((r.year, f"{b}→{a}", r.goldstein))
    frame = pd.DataFrame(rows, columns=["year", "direction", "goldstein"])
    return frame.groupby(["direction"], as_index=False).agg(
        events=("goldstein", "size"),
        goldstein_total=("goldstein", "sum"),
        goldstein_mean=("goldstein", "mean"),
    )


# --- SIPRI -----------------------------------------------------------------------------------


def arms_flows(pairs: Sequence[tuple[str, str]], start: int, end: int) -> dict[str, pd.DataFrame]:
    """Yearly SIPRI TIV (millions) per supplier→recipient pair (Soviet Union folded into RUS)."""
    low, high = sipri.coverage()
    first, last = max(start, low), min(end, high)
    return {
        dyad_label(s, r, "→"): sipri.flows(s, r, first, last, fold_soviet=True) for s, r in pairs
    }


def arms_by_role(question: Question, first: int, last: int) -> tuple[dict, dict]:
    """Yearly SIPRI TIV for the studied dyad, the comparison dyad and the other patron (keyed
    by role), and their labels ("Soviet Union→Pakistan"), over the TIV tables' years."""
    low, high = sipri.coverage()
    first, last = max(first, low), min(last, high)
    pairs = {
        "studied": question.studied,
        "comparison": question.comparison,
        "patron": question.other_patron,
    }
    flows = {
        role: sipri.flows(s, r, first, last, fold_soviet=True) for role, (s, r) in pairs.items()
    }
    labels = {
        role: f"{_bare(span_name(s, first, last))}→{_bare(span_name(r, first, last))}"
        for role, (s, r) in pairs.items()
    }
    return flows, labels


def _bare(name: str) -> str:
    return name.removeprefix("the ")


def flows_table(flows: dict[str, pd.DataFrame], block: int = 5) -> pd.DataFrame:
    """The numbers a flows figure plots, summed per ``block``-year block (SIPRI TIV millions)."""
    parts, covered = [], {}
    for label, frame in flows.items():
        blocks = frame.assign(years=(frame["year"] // block) * block)
        parts.append(blocks.groupby("years")["tiv"].sum().rename(f"{label} (SIPRI TIV, millions)"))
        for start, part in blocks.groupby("years")["year"]:
            low, high = covered.get(start, (part.min(), part.max()))
            covered[start] = (min(low, part.min()), max(high, part.max()))
    table = pd.concat(parts, axis=1).reset_index()
    # A block cut by the span's start or end is labelled with the years it covers.
    table["years"] = [
        str(covered[y][0]) if covered[y][0] == covered[y][1] else f"{covered[y][0]}–{covered[y][1]}"
        for y in table["years"]
    ]
    return table


def window_deals(supplier: str, recipient: str, start: int, end: int) -> pd.DataFrame:
    """Trade-register deals from supplier to recipient ordered in [start, end]."""
    deals = sipri.deals()
    suppliers = _codes([supplier])
    mask = (
        deals["supplier_iso3"].isin(suppliers)
        & (deals["recipient_iso3"] == recipient)
        & deals["order_year"].between(start, end)
    )
    frame = deals[mask].sort_values(["order_year", "weapon_designation"])
    return pd.DataFrame(
        {
            "ordered": frame["order_year"].astype("Int64"),
            "supplier": frame["supplier"],
            "number": frame["number_ordered"].astype("Int64"),
            "designation": frame["weapon_designation"],
            "description": frame["weapon_description"],
            "delivered": frame["delivery_years"].map(
                lambda y: f"{min(y)}–{max(y)}" if len(y) > 1 else (str(y[0]) if len(y) else "")
            ),
            "SIPRI TIV delivered (millions)": frame["tiv_delivered"],
        }
    ).reset_index(drop=True)


def supplier_shares(
    recipient: str, windows: Sequence[tuple[int, int]], top: int = 5
) -> pd.DataFrame:
    """Top suppliers' shares of a recipient's imports in each window (SIPRI TIV)."""
    rows = []
    for a, b in windows:
        shares = sipri.import_shares(recipient, a, b).head(top)
        for r in shares.itertuples():
            rows.append(
                {
                    "window": f"{a}–{b}",
                    "supplier": r.supplier,
                    "SIPRI TIV (millions)": r.tiv,
                    "share": r.share,
                }
            )
    return pd.DataFrame(rows)


# --- claims ------------------------------------------------------------------------------------


def window_checks(events: pd.DataFrame, start: int, end: int) -> pd.DataFrame:
    """Verdicts for the claims and events of a window (from :func:`rupak.analysis.claims.check`)."""
    from rupak.analysis import claims

    claim_rows = curated.claims()
    overlapping = claim_rows[
        (claim_rows["year_start"].fillna(0) <= end)
        & (claim_rows["year_end"].fillna(9999) >= start)
        & claim_rows["year_start"].notna()
    ]
    wanted = set(events["event_id"]) | set(overlapping["claim_id"])
    shown = claims.check(ids=wanted)
    return shown[["id", "source_id", "stated", "computed", "verdict", "scope"]].reset_index(
        drop=True
    )
