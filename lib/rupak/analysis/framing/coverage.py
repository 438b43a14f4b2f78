"""Selection: which events both compared sources tell, and which only one of them.

The other half of Entman's (1993) framing: what a text puts in and leaves out. An event is
told by a source when ``evidence.csv`` has a quote of that source for it. Which passage unit
the comparison counts in does not matter here: an event is told or not.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from rupak.analysis.framing.text import chosen_sources
from rupak.evidence import curated

BY = {"period": ["period_id"], "kind": ["kind"], "period_kind": ["period_id", "kind"]}


def told_by(sources: Sequence[str] | None = None, root: Path | None = None) -> pd.DataFrame:
    """One row per curated event: event_id, title, kind, year, periods, mentioned_by.

    ``mentioned_by`` is ``both`` when both ``sources`` (a pair; default: the two sources) tell
    the event, the one source id when only one does, ``none`` when neither does.
    """
    sources = chosen_sources(sources, root)
    if len(sources) != 2:
        raise ValueError(f"sources {sources}: selection compares two sources")
    evidence = curated.evidence(root)
    evidence = evidence[evidence["source_id"].isin(sources)]
    tellers = evidence.groupby("event_id")["source_id"].agg(set)
    table = curated.events(root)[["event_id", "title", "kind", "year", "periods"]].copy()
    table["kind"] = table["kind"].astype(str)

    def mentioned_by(event_id: str) -> str:
        told = tellers.get(event_id, set())
        return "both" if len(told) == 2 else next(iter(told), "none")

    table["mentioned_by"] = table["event_id"].map(mentioned_by)
    return table


def selection(
    by: str = "period", sources: Sequence[str] | None = None, root: Path | None = None
) -> pd.DataFrame:
    """Which events both ``sources`` tell, and which only one (from evidence.csv).

    ``by="event"``: one row per event (:func:`told_by`), by year. ``by="period"``, ``"kind"``
    or ``"period_kind"``: counts of events told by both and by each source only (columns
    ``both``, ``<source_a>_only``, ``<source_b>_only`` in the order of ``sources``), with the
    total and the share told by both; events neither source tells are not counted. An event
    counts in every period its dates overlap (periods nest).
    """
    if by != "event" and by not in BY:
        raise ValueError(f"by={by!r}: choose 'event', 'period', 'kind' or 'period_kind'")
    sources = chosen_sources(sources, root)
    table = told_by(sources, root)
    if by == "event":
        return table.sort_values(["year", "event_id"]).reset_index(drop=True)
    keys = BY[by]
    long = table[table["mentioned_by"] != "none"].rename(columns={"periods": "period_id"})
    if "period_id" in keys:
        long = long.explode("period_id")
    columns = ["both"] + [f"{s}_only" for s in sources]
    long["column"] = long["mentioned_by"].map(lambda m: m if m == "both" else f"{m}_only")
    counted = (
        long.groupby([*keys, "column"])
        .size()
        .unstack("column")
        .reindex(columns=columns)
        .fillna(0)
        .astype("int64")
    )
    counted["total"] = counted.sum(axis=1)
    counted["share_both"] = counted["both"] / counted["total"]
    counted = counted.reset_index()
    if "period_id" in keys:
        order = {p: i for i, p in enumerate(curated.periods(root)["period_id"])}
        counted = counted.sort_values(
            keys, key=lambda c: c.map(order) if c.name == "period_id" else c
        )
    else:
        counted = counted.sort_values(["total", "kind"], ascending=[False, True])
    counted.columns.name = None
    return counted.reset_index(drop=True)
