"""Hedging, boosting and evaluation: how sure each source sounds, and how it judges.

Hedges and boosters after Hyland (1998, *Hedging in Scientific Research Articles*; 2005,
*Metadiscourse*); the evaluative words are ours. Each list is matched like the coder's lexicon
terms (``*`` = any ending, whole words). :func:`hedging` gives the share of a source's
passages (sentences or paragraphs) that use each kind, per source or per group.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from rupak.analysis.framing.prominence import actor_mentions, passage_events, source_order
from rupak.analysis.framing.text import (
    chosen_sources,
    match_text,
    run_in_label,
    term_pattern,
    unit_passages,
)
from rupak.evidence import corpus, curated

# fmt: off
HEDGES = (
    "may", "might", "could", "would", "perhaps", "arguably", "likely", "unlikely", "probably",
    "possibly", "possible", "presumably", "apparently", "seem*", "appear*", "suggest*",
    "potential*", "somewhat", "to some extent", "relatively", "partially",
)
BOOSTERS = (
    "will", "must", "certainly", "clearly", "indeed", "no doubt", "undoubtedly", "obviously",
    "definitely", "of course", "surely", "set to", "imperative", "essential", "always", "never",
)
POSITIVE = (
    "important", "significant", "crucial", "vital", "valuable", "reliable", "lucrative", "great",
    "strong", "robust", "successful", "flourish*", "thriv*", "warm*", "cordial", "friendly",
    "goodwill", "breakthrough", "milestone", "opportun*", "sustainable", "helped", "help",
)
NEGATIVE = (
    "dire", "daunting", "troublesome", "noisy", "hostile", "fruitless", "unsuccessful*",
    "uneasy", "strange", "enraged", "distrust", "radical", "unwanted", "threat*", "danger*",
    "shocked", "strained", "deteriorat*", "weak", "grudge*", "displeasure", "uncomfortable",
    "inferior", "concern", "concerns", "concerned", "undermin*", "obedience",
)
# fmt: on

MARKERS = {"hedges": HEDGES, "boosters": BOOSTERS, "positive": POSITIVE, "negative": NEGATIVE}
GROUPINGS = ("source", "period", "section", "actor")
NO_EVENT = "(no event)"
SHARE_COLUMNS = [
    "hedged",
    "hedge_share",
    "boosted",
    "booster_share",
    "evaluative",
    "evaluative_share",
    "positive_share",
    "negative_share",
]


def passage_markers(
    sources: Sequence[str] | None = None, unit: str = "sentence", root: Path | None = None
) -> pd.DataFrame:
    """Per passage: the hedges, boosters, positive and negative evaluative words it uses."""
    passages = unit_passages(sources, unit, root)
    patterns = {name: term_pattern(terms) for name, terms in MARKERS.items()}
    rows = []
    for p in passages.itertuples():
        text = match_text(p.text)
        found = {name: pattern.findall(text) for name, pattern in patterns.items()}
        rows.append({"passage_id": p.passage_id, "source_id": p.source_id, **found})
    return pd.DataFrame(rows, columns=["passage_id", "source_id", *MARKERS])


def sections(
    sources: Sequence[str] | None = None, unit: str = "sentence", root: Path | None = None
) -> dict[str, str]:
    """Section of each analysed passage: the last heading above it, or its run-in label.

    A source without headings puts every passage in ``(no headings)``.
    """
    result = {}
    for source in chosen_sources(sources, root):
        paragraphs = corpus.paragraphs(source, root)
        passages = unit_passages([source], unit, root)
        if not (paragraphs["kind"] == "heading").any():
            result.update(dict.fromkeys(passages["passage_id"], "(no headings)"))
            continue
        current, of_paragraph = "(before the first heading)", {}
        for para in paragraphs.itertuples():
            if para.kind == "heading":
                current = para.text.strip()
            of_paragraph[para.paragraph] = run_in_label(para.text) or current
        result.update(
            zip(passages["passage_id"], passages["paragraph"].map(of_paragraph), strict=True)
        )
    return result


def _grouped(
    markers: pd.DataFrame, by: str, sources: list[str], unit: str, root: Path | None
) -> pd.DataFrame:
    """``markers`` with a ``group`` column (a passage in several groups appears once in each)."""
    if by == "source":
        return markers.assign(group=f"all {unit}s")
    if by == "period":
        links = passage_events(unit, root).explode("periods")
        groups = links.groupby("passage_id")["periods"].agg(lambda s: sorted(set(s)))
        grouped = markers.assign(
            group=markers["passage_id"].map(lambda p: groups.get(p, [NO_EVENT]))
        )
        return grouped.explode("group")
    if by == "section":
        return markers.assign(group=markers["passage_id"].map(sections(sources, unit, root)))
    mentions = actor_mentions(unit_passages(sources, unit, root), root)
    mentions = mentions.drop_duplicates(["passage_id", "code"])
    return markers.merge(mentions[["passage_id", "code"]], on="passage_id").rename(
        columns={"code": "group"}
    )


def _tabulate(grouped: pd.DataFrame, count: str) -> pd.DataFrame:
    """Passages, and those with each kind of marker, per (source, group); with their shares."""
    flags = grouped.assign(
        hedged=grouped["hedges"].map(bool),
        boosted=grouped["boosters"].map(bool),
        pos=grouped["positive"].map(bool),
        neg=grouped["negative"].map(bool),
    )
    flags["evaluative"] = flags["pos"] | flags["neg"]
    table = (
        flags.groupby(["source_id", "group"], sort=False)
        .agg(
            **{count: ("passage_id", "size")},
            hedged=("hedged", "sum"),
            boosted=("boosted", "sum"),
            evaluative=("evaluative", "sum"),
            positive=("pos", "sum"),
            negative=("neg", "sum"),
        )
        .reset_index()
    )
    for column in ("hedged", "boosted", "evaluative", "positive", "negative"):
        table[column] = table[column].astype("int64")
    table["hedge_share"] = table["hedged"] / table[count]
    table["booster_share"] = table["boosted"] / table[count]
    table["evaluative_share"] = table["evaluative"] / table[count]
    table["positive_share"] = table["positive"] / table[count]
    table["negative_share"] = table["negative"] / table[count]
    return table


def hedging(
    by: str = "source",
    sources: Sequence[str] | None = None,
    unit: str = "sentence",
    root: Path | None = None,
) -> pd.DataFrame:
    """Share of passages that hedge, boost, and evaluate — per source and group.

    ``by``: ``"source"``; ``"period"`` (the periods of the events a passage is quoted for;
    passages quoted for no event form ``(no event)``); ``"section"`` (headings and run-in
    labels; Durrani's article has none); ``"actor"`` (passages that mention the actor).
    ``sources`` in the order given (default: every source), ``unit`` sentence or paragraph.
    Columns: source_id, group, ``<unit>s`` (count), hedged, hedge_share, boosted,
    booster_share, evaluative, evaluative_share (positive or negative), positive_share,
    negative_share.
    """
    if by not in GROUPINGS:
        raise ValueError(f"by={by!r}: choose {', '.join(repr(g) for g in GROUPINGS)}")
    sources = chosen_sources(sources, root)
    count = f"{unit}s"
    grouped = _grouped(passage_markers(sources, unit, root), by, sources, unit, root)
    table = _tabulate(grouped, count)
    if by == "period":
        order = {p: i for i, p in enumerate(curated.periods(root)["period_id"])}
        by_source = source_order(sources)

        def key(column: pd.Series) -> pd.Series:
            if column.name == "group":
                return column.map(lambda g: order.get(g, len(order)))
            return by_source(column)

        table = table.sort_values(["source_id", "group"], key=key, kind="stable")
    elif by == "actor":
        table = table.sort_values(
            ["source_id", count, "group"],
            ascending=[True, False, True],
            key=source_order(sources),
            kind="stable",
        )
    else:
        table = table.sort_values(["source_id"], key=source_order(sources), kind="stable")
    return table[["source_id", "group", count, *SHARE_COLUMNS]].reset_index(drop=True)
