"""The dictionary coder, and how sentence codes are read per paragraph.

Frames and stance are coded by hand for every analysed sentence (``passage_frames.csv``,
codebook ``frames.csv``, rules in ``docs/framing.md``). :func:`auto_code` codes the same
sentences with a small dictionary (``frame_lexicon.csv`` and the stance cues below), so that
:mod:`rupak.analysis.framing.intercoder` can say how far an automatic reading gets.
:func:`codes_by_unit` turns either coding into paragraph codes with the same stance rule.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from rupak.analysis.framing.text import (
    check_unit,
    match_text,
    sentence_units,
    term_pattern,
    unit_passages,
)
from rupak.evidence.framing_tables import STANCES, _frame_list, frames, lexicon

#: Stance cue words of the automatic coder, written from the stance rule in docs/framing.md
#: before any agreement was computed: explicit danger, loss or hostility (threat) and explicit
#: gain, promise or opening (opportunity).
# fmt: off
THREAT_CUES = (
    "threat*", "danger*", "concern*", "unwanted", "shock*", "hostil*", "anti american",
    "anti america", "at odds", "strained", "deteriorat*", "displeasure", "uneasy", "worr*",
    "alarm*", "undermin*", "risk*", "harm*", "damag*", "loss", "lose", "losing", "grudge*",
)
OPPORTUNITY_CUES = (
    "opportunit*", "opportune", "benefit*", "gain*", "promis*", "breakthrough", "milestone",
    "reliable", "important partner", "valuable partner", "upward", "help*", "advantag*",
    "success*", "warmth", "thaw", "goodwill", "lucrative", "valuable", "fruitful", "flourish*",
    "thriv*",
)
# fmt: on

CODE_COLUMNS = ["passage_id", "source_id", "frames", "stance", "coder", "matched"]


def stance_rule(n_threat: int, n_opportunity: int) -> str:
    """``threat`` when threat outweighs opportunity, ``opportunity`` for the reverse, else
    ``neutral``: the coder's rule for cue words, and how sentence stances make a paragraph's."""
    if n_threat > n_opportunity:
        return "threat"
    if n_opportunity > n_threat:
        return "opportunity"
    return "neutral"


def auto_code(
    passages: pd.DataFrame | None = None,
    lexicon_table: pd.DataFrame | None = None,
    root: Path | None = None,
) -> pd.DataFrame:
    """Dictionary codes: a frame when any of its lexicon terms occurs in the passage.

    Stance by :func:`stance_rule` on the counts of :data:`THREAT_CUES` and
    :data:`OPPORTUNITY_CUES`. The lexicon and cues were written from the codebook's
    definitions and the stance rule before any agreement with the hand codes was computed, and
    were not tuned sentence by sentence against them: the reliability table reports how far
    such a coder gets, not how well it can be fitted. ``passages`` defaults to every analysed
    sentence. Returns passage_id, source_id, frames (list), stance, coder (``auto``), matched
    (the words that fired, ``frame: word`` …).
    """
    passages = unit_passages(None, "sentence", root) if passages is None else passages
    table = lexicon(root) if lexicon_table is None else lexicon_table
    patterns = {
        frame: term_pattern(group["term"]) for frame, group in table.groupby("frame_id", sort=False)
    }
    order = list(frames(root)["frame_id"]) if lexicon_table is None else list(patterns)
    threat, opportunity = term_pattern(THREAT_CUES), term_pattern(OPPORTUNITY_CUES)
    rows = []
    for row in passages.itertuples():
        text = match_text(row.text)
        hits = {f: patterns[f].findall(text) for f in order if f in patterns}
        matched = "; ".join(f"{f}: {', '.join(sorted(set(h)))}" for f, h in hits.items() if h)
        rows.append(
            {
                "passage_id": row.passage_id,
                "source_id": row.source_id,
                "frames": [f for f in order if hits.get(f)],
                "stance": stance_rule(len(threat.findall(text)), len(opportunity.findall(text))),
                "coder": "auto",
                "matched": matched,
            }
        )
    result = pd.DataFrame(rows, columns=CODE_COLUMNS)
    result["stance"] = pd.Categorical(result["stance"], categories=list(STANCES))
    return result


def codes_by_unit(
    codes: pd.DataFrame, unit: str = "sentence", root: Path | None = None
) -> pd.DataFrame:
    """Sentence codes (hand or automatic) read at ``unit``: passage_id, source_id, frames, stance.

    At ``sentence`` the codes are returned as they are (those four columns). At ``paragraph`` a
    paragraph carries every frame any of its sentences carries (in the order first met), and
    its stance follows :func:`stance_rule` on how many of its sentences are coded threat and
    opportunity: a paragraph of neutral sentences, or of as many threats as opportunities, is
    neutral.
    """
    columns = ["passage_id", "source_id", "frames", "stance"]
    check_unit(unit)
    if unit == "sentence":
        return codes[columns].reset_index(drop=True)
    owner = sentence_units(unit, root)
    rows = []
    grouped = codes.assign(_unit=codes["passage_id"].map(owner)).groupby("_unit", sort=False)
    for unit_id, group in grouped:
        stances = group["stance"].astype(str)
        merged = dict.fromkeys(f for value in group["frames"] for f in _frame_list(value))
        rows.append(
            {
                "passage_id": unit_id,
                "source_id": group["source_id"].iloc[0],
                "frames": list(merged),
                "stance": stance_rule(
                    int((stances == "threat").sum()), int((stances == "opportunity").sum())
                ),
            }
        )
    result = pd.DataFrame(rows, columns=columns)
    result["stance"] = pd.Categorical(result["stance"], categories=list(STANCES))
    return result
