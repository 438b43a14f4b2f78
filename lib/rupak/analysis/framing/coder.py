"""The dictionary coder, and how sentence codes are read per paragraph.

Frames and stance are coded by hand for every analysed sentence (``passage_frames.csv``,
codebook ``frames.csv``, rules in ``docs/framing.md``). :func:`auto_code` codes the same
sentences with a small dictionary (``frame_lexicon.csv`` and the stance cues below), so that
:mod:`rupak.analysis.framing.intercoder` can say how far an automatic reading gets.
:func:`codes_by_unit` turns either coding into paragraph codes with the same stance rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from rupak.analysis.framing.text import (
    check_unit,
    match_text,
    sentence_units,
    term_pattern,
    unit_passages,
)
from rupak.evidence import curated
from rupak.evidence.framing_tables import STANCES, _frame_list, frames, lexicon

#: Stance cue words of the automatic coder, written from the stance rule in docs/framing.md:
#: explicit danger, harm, loss, concern or hostility to a third party (threat) and explicit
#: gain, benefit, promise or opening (opportunity). Issue 13 revised them against the rule's
#: wording, not sentence by sentence: words that describe the warming itself ("thaw",
#: "warmth", "goodwill") and "important" (salience, not a gain) are no longer cues, and the
#: rule's categories got their common synonyms (peril, jeopardise, insecurity, anxiety,
#: unease, wariness, hurt, weaken, setback, dismay, irk, anti-Western, tension, friction;
#: profit, prospects, trusted, boost, win-win, mutually beneficial).
# fmt: off
THREAT_CUES = (
    "threat*", "danger*", "peril*", "jeopardi*", "insecur*", "concern*", "worr*", "alarm*",
    "anxi*", "uneasy", "unease", "wary", "unwanted", "shock*", "dismay*", "displeasure",
    "irk*", "hostil*", "anti american", "anti america", "anti western", "grudge*", "at odds",
    "strained", "deteriorat*", "tension*", "friction*", "undermin*", "risk*", "harm*",
    "damag*", "hurt*", "weaken*", "setback*", "loss", "lose", "losing",
)
OPPORTUNITY_CUES = (
    "opportunit*", "opportune", "benefit*", "gain*", "profit*", "advantag*", "promis*",
    "prospect*", "breakthrough", "milestone", "reliable", "trusted", "valuable partner",
    "valuable", "upward", "help*", "boost*", "success*", "fruitful", "flourish*", "thriv*",
    "lucrative", "win win", "mutually beneficial",
)
#: The cue lists before issue 13 (used without the gate), kept to report the change.
FIRST_CUES = (
    (
        "threat*", "danger*", "concern*", "unwanted", "shock*", "hostil*", "anti american",
        "anti america", "at odds", "strained", "deteriorat*", "displeasure", "uneasy", "worr*",
        "alarm*", "undermin*", "risk*", "harm*", "damag*", "loss", "lose", "losing", "grudge*",
    ),
    (
        "opportunit*", "opportune", "benefit*", "gain*", "promis*", "breakthrough", "milestone",
        "reliable", "important partner", "valuable partner", "upward", "help*", "advantag*",
        "success*", "warmth", "thaw", "goodwill", "lucrative", "valuable", "fruitful",
        "flourish*", "thriv*",
    ),
)
# fmt: on
#: The two sides of the ties whose valuation the stance codes (actor codes of actors.csv):
#: Russia or the Soviet Union, and Pakistan. A sentence whose paragraph names only one side
#: or neither is about something else (docs/framing.md: "neutral ... about something other
#: than the rapprochement ... even when it values that"), so its cue words do not count.
TIE_SIDES = (("RUS", "SUN"), ("PAK",))

CODE_COLUMNS = ["passage_id", "source_id", "frames", "stance", "coder", "matched"]


def stance_rule(n_threat: int, n_opportunity: int) -> str:
    """``threat`` when threat outweighs opportunity, ``opportunity`` for the reverse, else
    ``neutral``: the coder's rule for cue words, and how sentence stances make a paragraph's."""
    if n_threat > n_opportunity:
        return "threat"
    if n_opportunity > n_threat:
        return "opportunity"
    return "neutral"


def about_the_ties(passages: pd.DataFrame, root: Path | None = None) -> list[bool]:
    """Whether each passage may carry a stance: its paragraph names both sides of the ties
    (:data:`TIE_SIDES`, through the aliases in actors.csv, whole words).

    The paragraph, not the sentence, because a sentence often refers back to the ties its
    paragraph names ("such developments", "the three countries"). Passages without a
    ``paragraph`` column are their own context.
    """
    names = curated.actors(root).set_index("code")["aliases"]
    sides = [term_pattern(match_text(a) for c in side for a in names[c]) for side in TIE_SIDES]
    texts = passages["text"].map(match_text)
    if "paragraph" in passages.columns:
        keys = list(zip(passages["source_id"], passages["paragraph"], strict=True))
        joined: dict = {}
        for key, text in zip(keys, texts, strict=True):
            joined[key] = f"{joined.get(key, '')} {text}"
        texts = pd.Series([joined[key] for key in keys], index=passages.index)
    return [all(side.search(text) for side in sides) for text in texts]


def auto_code(
    passages: pd.DataFrame | None = None,
    lexicon_table: pd.DataFrame | None = None,
    root: Path | None = None,
    *,
    cues: tuple[Sequence[str], Sequence[str]] = (THREAT_CUES, OPPORTUNITY_CUES),
    gate: bool = True,
) -> pd.DataFrame:
    """Dictionary codes: a frame when any of its lexicon terms occurs in the passage.

    Stance by :func:`stance_rule` on the counts of :data:`THREAT_CUES` and
    :data:`OPPORTUNITY_CUES`, for passages :func:`about_the_ties` (others are neutral). The
    lexicon and cues were written from the codebook's definitions and the stance rule, and
    were not tuned sentence by sentence against the hand codes: the reliability table reports
    how far such a coder gets, not how well it can be fitted. ``passages`` defaults to every
    analysed sentence. ``cues`` (threat cues, opportunity cues) and ``gate`` (whether only
    passages about the ties carry a stance) default to the coder's own; :data:`FIRST_CUES`
    without the gate is the coder as it was before issue 13. Returns passage_id, source_id,
    frames (list), stance, coder (``auto``), matched (the words that fired, ``frame: word`` …).
    """
    passages = unit_passages(None, "sentence", root) if passages is None else passages
    table = lexicon(root) if lexicon_table is None else lexicon_table
    patterns = {
        frame: term_pattern(group["term"]) for frame, group in table.groupby("frame_id", sort=False)
    }
    order = list(frames(root)["frame_id"]) if lexicon_table is None else list(patterns)
    threat, opportunity = term_pattern(cues[0]), term_pattern(cues[1])
    topical = about_the_ties(passages, root) if gate else [True] * len(passages)
    rows = []
    for row, valued in zip(passages.itertuples(), topical, strict=True):
        text = match_text(row.text)
        hits = {f: patterns[f].findall(text) for f in order if f in patterns}
        matched = "; ".join(f"{f}: {', '.join(sorted(set(h)))}" for f, h in hits.items() if h)
        rows.append(
            {
                "passage_id": row.passage_id,
                "source_id": row.source_id,
                "frames": [f for f in order if hits.get(f)],
                "stance": stance_rule(len(threat.findall(text)), len(opportunity.findall(text)))
                if valued
                else "neutral",
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
