"""Salience: how much room each source gives each actor, period and frame, and its stance.

Framing is selection and salience (Entman 1993, *Journal of Communication* 43(4):51). This
module measures the salience side, per passage ``unit`` (sentence or paragraph) and for the
``sources`` compared, in the order given: actor mentions (through the aliases in
``actors.csv``), the periods of the events a passage is quoted for (``evidence.csv``), the
hand-coded frames, and the stance towards the Russia–Pakistan rapprochement.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from rupak.analysis.framing.coder import codes_by_unit
from rupak.analysis.framing.text import chosen_sources, reading, unit_passages, words
from rupak.base.provenance import cached
from rupak.evidence import curated
from rupak.evidence.framing_tables import NO_FRAME, STANCES, _frame_list, _root, frames, hand_codes


@cached
def _actor_pattern(root: Path) -> tuple[re.Pattern[str], dict[str, str]]:
    """All actors' aliases in one alternation, longest first, whole-word and case-sensitive
    (as actors.csv says), so "Soviet Union" is one SUN mention and "Afghan National Army" an
    ANA mention, not also an AFG one."""
    table = curated.actors(root)
    owner = {
        alias: code
        for code, aliases in zip(table["code"], table["aliases"], strict=True)
        for alias in aliases
    }
    alternation = "|".join(re.escape(a) for a in sorted(owner, key=lambda a: (-len(a), a)))
    return re.compile(r"(?<!\w)(?:" + alternation + r")(?!\w)"), owner


def actor_mentions(passages: pd.DataFrame | None = None, root: Path | None = None) -> pd.DataFrame:
    """One row per actor mention: passage_id, source_id, code, alias (in the analysed reading:
    no spam, no citations, debris repaired). ``passages`` defaults to every analysed sentence."""
    passages = unit_passages(None, "sentence", root) if passages is None else passages
    pattern, owner = _actor_pattern(_root(root))
    rows = [
        {
            "passage_id": p.passage_id,
            "source_id": p.source_id,
            "code": owner[m.group()],
            "alias": m.group(),
        }
        for p in passages.itertuples()
        for m in pattern.finditer(reading(p.text))
    ]
    return pd.DataFrame(rows, columns=["passage_id", "source_id", "code", "alias"])


def passage_events(unit: str = "sentence", root: Path | None = None) -> pd.DataFrame:
    """Which events each passage tells: evidence quotes overlapping the passage's offsets.

    One row per (passage_id, event_id), with the source and the event's periods (a list).
    A quote that spans two passages links both.
    """
    passages = unit_passages(None, unit, root)
    evidence = curated.evidence(root)
    periods = curated.events(root).set_index("event_id")["periods"]
    rows = []
    for quote in evidence.itertuples():
        inside = passages[
            (passages["source_id"] == quote.source_id)
            & (passages["char_start"] < quote.char_end)
            & (passages["char_end"] > quote.char_start)
        ]
        rows += [
            {
                "passage_id": pid,
                "source_id": quote.source_id,
                "event_id": quote.event_id,
                "periods": periods[quote.event_id],
            }
            for pid in inside["passage_id"]
        ]
    return pd.DataFrame(rows, columns=["passage_id", "source_id", "event_id", "periods"])


def source_order(sources: Sequence[str]):
    """A ``sort_values`` key that orders a ``source_id`` column as ``sources`` are given."""
    rank = {s: i for i, s in enumerate(sources)}

    def key(column: pd.Series) -> pd.Series:
        return column.map(rank) if column.name == "source_id" else column

    return key


# --------------------------------------------------------------------------- salience


def _passages_with(rows: pd.DataFrame, key: str) -> pd.Series:
    """How many distinct passages of each source carry each value of ``key``."""
    distinct = rows.drop_duplicates([key, "passage_id"])
    return distinct.groupby([key, "source_id"]).size().rename("passages")


def _actor_items(passages: pd.DataFrame, unit: str, root: Path | None) -> pd.DataFrame:
    mentions = actor_mentions(passages, root)
    n = mentions.groupby(["code", "source_id"]).size().rename("n")
    hit = _passages_with(mentions, "code")
    long = pd.concat([n, hit], axis=1).reset_index().rename(columns={"code": "item"})
    long["name"] = long["item"].map(curated.actors(root).set_index("code")["name"])
    return long


def _period_items(passages: pd.DataFrame, unit: str, root: Path | None) -> pd.DataFrame:
    sources = set(passages["source_id"])
    links = passage_events(unit, root)
    links = links[links["source_id"].isin(sources)].explode("periods")
    evidence = curated.evidence(root)
    events = curated.events(root).set_index("event_id")["periods"]
    told = (
        evidence[evidence["source_id"].isin(sources)]
        .assign(item=lambda f: f["event_id"].map(events))
        .explode("item")
    )
    n = told.groupby(["item", "source_id"]).size().rename("n")
    hit = _passages_with(links.rename(columns={"periods": "item"}), "item")
    long = pd.concat([n, hit], axis=1).reset_index()
    long["name"] = long["item"].map(curated.periods(root).set_index("period_id")["name"])
    return long


def _frame_items(passages: pd.DataFrame, unit: str, root: Path | None) -> pd.DataFrame:
    codes = hand_codes(root)
    codes = codes_by_unit(codes[codes["source_id"].isin(set(passages["source_id"]))], unit, root)
    codes = codes.explode("frames").dropna(subset=["frames"])
    n = codes.groupby(["frames", "source_id"]).size().rename("n")
    long = n.to_frame().assign(passages=n).reset_index().rename(columns={"frames": "item"})
    long["name"] = long["item"].map(frames(root).set_index("frame_id")["name"])
    return long


_ITEMS = {"actor": _actor_items, "period": _period_items, "frame": _frame_items}


def _wide(long: pd.DataFrame, keys: list[str], sources: Sequence[str]) -> pd.DataFrame:
    """Long (keys, source_id, n, per_1000, share) → one row per item, sources side by side."""
    parts = []
    for source in sources:
        part = long[long["source_id"] == source].set_index(keys)[["n", "per_1000", "share"]]
        parts.append(part.add_prefix(f"{source}_"))
    wide = pd.concat(parts, axis=1).reset_index()
    for source in sources:
        wide[f"{source}_n"] = wide[f"{source}_n"].fillna(0).astype("int64")
        shares = [f"{source}_per_1000", f"{source}_share"]
        wide[shares] = wide[shares].fillna(0.0)
    return wide


def salience(
    by: str = "actor",
    sources: Sequence[str] | None = None,
    *,
    unit: str = "sentence",
    wide: bool = True,
    root: Path | None = None,
) -> pd.DataFrame:
    """How much room each source gives each actor, period or frame, side by side.

    ``by="actor"``: n = alias mentions (actors.csv, whole word, case-sensitive); ``"period"``:
    n = events the source tells (evidence rows) whose dates overlap the period (periods nest,
    so an event counts in each); ``"frame"``: n = hand-coded passages carrying the frame (a
    paragraph carries the frames of its sentences). per_1000 = n per 1,000 words of the
    source's analysed text; share = share of the source's ``unit`` passages that mention the
    actor / are quoted for an event of the period / carry the frame. Columns come in the order
    of ``sources`` (default: every source). ``wide=False`` gives the long table.
    """
    if by not in _ITEMS:
        raise ValueError(f"by={by!r}: choose 'actor', 'period' or 'frame'")
    sources = chosen_sources(sources, root)
    passages = unit_passages(sources, unit, root)
    long = _ITEMS[by](passages, unit, root).fillna({"n": 0, "passages": 0})
    long["source_id"] = long["source_id"].astype(str)
    long["n"] = long["n"].astype("int64")
    size = {s: words(s, root=root) for s in sources}
    long["per_1000"] = long["n"] / long["source_id"].map(size) * 1000
    long["share"] = long["passages"] / long["source_id"].map(passages.groupby("source_id").size())
    long = long[["item", "name", "source_id", "n", "per_1000", "share"]]
    if not wide:
        ordered = long.sort_values(["item", "source_id"], key=source_order(sources))
        return ordered.reset_index(drop=True)
    table = _wide(long, ["item", "name"], sources)
    if by == "period":
        order = curated.periods(root)["period_id"].tolist()
        table = table.set_index("item").loc[[p for p in order if p in set(table["item"])]]
        return table.reset_index()
    total = table[[f"{s}_per_1000" for s in sources]].sum(axis=1)
    return (
        table.assign(_t=total)
        .sort_values(["_t", "item"], ascending=[False, True])
        .drop(columns="_t")
        .reset_index(drop=True)
    )


# --------------------------------------------------------------------------- frames and stance


def _coded(
    codes: pd.DataFrame | None, sources: Sequence[str], unit: str, root: Path | None
) -> pd.DataFrame:
    """Hand codes (or ``codes``) of ``sources`` read at ``unit``; every source must have some."""
    codes = hand_codes(root) if codes is None else codes
    coded = codes_by_unit(codes[codes["source_id"].isin(sources)], unit, root)
    empty = [s for s in sources if not (coded["source_id"] == s).any()]
    if empty:
        raise ValueError(f"no coded {unit} of source {empty[0]!r}")
    return coded


def frame_shares(
    codes: pd.DataFrame | None = None,
    sources: Sequence[str] | None = None,
    unit: str = "sentence",
    *,
    wide: bool = False,
    root: Path | None = None,
) -> pd.DataFrame:
    """Frame distribution per source: source_id, frame_id, ``<unit>s`` (count), share.

    ``codes`` defaults to the hand codes; pass :func:`~rupak.analysis.framing.auto_code`'s
    output to compare. Share = share of the source's coded ``unit`` passages carrying the frame
    (a passage may carry several, so shares do not add to 1); ``none`` counts passages with no
    frame. Sources in the order given, frames in codebook order. ``wide=True``: one row per
    frame, one share column per source (named by its id).
    """
    sources = chosen_sources(sources, root)
    coded = _coded(codes, sources, unit, root)
    ids = [*frames(root)["frame_id"].tolist(), NO_FRAME]
    rows = []
    for source in sources:
        sets = [set(_frame_list(v)) for v in coded.loc[coded["source_id"] == source, "frames"]]
        for frame in ids:
            k = sum((not s) if frame == NO_FRAME else (frame in s) for s in sets)
            share = k / len(sets)
            rows.append({"source_id": source, "frame_id": frame, f"{unit}s": k, "share": share})
    long = pd.DataFrame(rows)
    if not wide:
        return long
    table = long.pivot(index="frame_id", columns="source_id", values="share")
    table = table.loc[ids, sources].reset_index()
    table.columns.name = None
    return table


def frame_contrast(
    source_a: str,
    source_b: str,
    unit: str = "sentence",
    codes: pd.DataFrame | None = None,
    root: Path | None = None,
) -> pd.DataFrame:
    """Frames by how much more of ``source_a``'s passages carry them than ``source_b``'s.

    Columns frame_id, ``source_a``, ``source_b`` (shares, as :func:`frame_shares`), difference
    (a − b); sorted by difference, so the first row is the frame ``source_a`` leans to most and
    the last the one ``source_b`` leans to most. ``none`` (no frame) is left out.
    """
    table = frame_shares(codes, [source_a, source_b], unit, wide=True, root=root)
    table = table[table["frame_id"] != NO_FRAME]
    table = table.assign(difference=table[source_a] - table[source_b])
    ordered = table.sort_values(["difference", "frame_id"], ascending=[False, True])
    return ordered.reset_index(drop=True)


def stance_shares(
    codes: pd.DataFrame | None = None,
    sources: Sequence[str] | None = None,
    unit: str = "sentence",
    root: Path | None = None,
) -> pd.DataFrame:
    """Stance distribution per source: source_id, stance, ``<unit>s`` (count), share.

    A paragraph's stance follows from its sentences' (see
    :func:`~rupak.analysis.framing.coder.codes_by_unit`). Sources in the order given.
    """
    sources = chosen_sources(sources, root)
    coded = _coded(codes, sources, unit, root)
    coded["stance"] = pd.Categorical(coded["stance"].astype(str), categories=list(STANCES))
    count = f"{unit}s"
    table = coded.groupby(["source_id", "stance"], observed=False).size().rename(count)
    table = table.reset_index()
    table["share"] = table[count] / table.groupby("source_id")[count].transform("sum")
    table = table.sort_values(["source_id", "stance"], key=source_order(sources), kind="stable")
    return table.reset_index(drop=True)
