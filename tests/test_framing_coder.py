"""The dictionary coder and paragraph codes (rupak.analysis.framing.coder)."""

from __future__ import annotations

import pandas as pd
import pytest

from rupak.analysis import framing
from rupak.evidence import corpus


@pytest.fixture(autouse=True)
def _project_data(monkeypatch):
    """Read the project's data, whatever RUPAK_DATA an earlier CLI test left behind."""
    monkeypatch.delenv("RUPAK_DATA", raising=False)


def test_auto_code_reads_whole_words_and_phrases():
    passages = pd.DataFrame(
        {
            "passage_id": ["t-1", "t-2", "t-3"],
            "source_id": ["durrani"] * 3,
            "text": [
                "In June 2014, Moscow lifted its embargo on arms supplies to Pakistan.",
                "Islamabad is a capital.",
                "For Moscow and Islamabad, a threat and a danger, but also an opportunity.",
            ],
        }
    )
    codes = framing.auto_code(passages).set_index("passage_id")
    assert "arms_trade" in codes.loc["t-1", "frames"]
    assert "arms_trade: arms" in codes.loc["t-1", "matched"]
    assert codes.loc["t-2", "frames"] == []  # "islamabad" is not "islam"
    assert codes.loc["t-2", "stance"] == "neutral"
    assert codes.loc["t-3", "stance"] == "threat"  # two threat cues against one opportunity
    assert list(codes.columns) == ["source_id", "frames", "stance", "coder", "matched"]
    assert set(codes["coder"]) == {"auto"}


def test_only_passages_about_the_ties_carry_a_stance():
    """docs/framing.md: a sentence about something other than the rapprochement is neutral
    even when it values that; the context is the paragraph, which may name the ties."""
    passages = pd.DataFrame(
        {
            "passage_id": ["a", "b", "c", "d"],
            "source_id": ["x"] * 4,
            "paragraph": [1, 1, 2, 3],
            "text": [
                "Russia and Pakistan signed a deal.",
                "Such developments are a threat to India.",  # refers back to its paragraph
                "The Indo-Soviet relationship flourished.",  # one side only
                "A danger for the region.",  # neither side
            ],
        }
    )
    assert framing.about_the_ties(passages) == [True, True, False, False]
    codes = framing.auto_code(passages).set_index("passage_id")["stance"].astype(str)
    assert codes.to_dict() == {"a": "neutral", "b": "threat", "c": "neutral", "d": "neutral"}
    ungated = framing.auto_code(passages, gate=False).set_index("passage_id")["stance"]
    assert ungated.astype(str).to_dict() == {
        "a": "neutral",
        "b": "threat",
        "c": "opportunity",
        "d": "threat",
    }
    # without a paragraph column each passage is its own context
    alone = framing.about_the_ties(passages.drop(columns="paragraph"))
    assert alone == [True, False, False, False]


def test_the_revised_cues_follow_the_stance_rule():
    """Words that describe the warming itself, and 'important', are not cues (docs/framing.md)."""
    for word in ("thaw", "warmth", "goodwill", "important partner"):
        assert word not in framing.OPPORTUNITY_CUES and word in framing.FIRST_CUES[1]
    assert set(framing.FIRST_CUES[0]) <= set(framing.THREAT_CUES)
    assert not set(framing.THREAT_CUES) & set(framing.OPPORTUNITY_CUES)


def test_auto_code_with_a_lexicon_of_ones_own():
    passages = pd.DataFrame({"passage_id": ["t"], "source_id": ["x"], "text": ["Gas pipelines"]})
    lexicon = pd.DataFrame({"frame_id": ["energy", "energy"], "term": ["gas", "pipeline*"]})
    codes = framing.auto_code(passages, lexicon_table=lexicon)
    assert codes.loc[0, "frames"] == ["energy"]
    assert codes.loc[0, "matched"] == "energy: gas, pipelines"


@pytest.mark.parametrize(
    ("threat", "opportunity", "stance"),
    [(0, 0, "neutral"), (2, 1, "threat"), (1, 2, "opportunity"), (3, 3, "neutral")],
)
def test_stance_rule(threat, opportunity, stance):
    assert framing.stance_rule(threat, opportunity) == stance


def test_codes_by_paragraph_by_hand():
    sentences = corpus.passages("durrani", unit="sentence")
    paragraph = sentences["paragraph"].iloc[0]
    ids = sentences.loc[sentences["paragraph"] == paragraph, "passage_id"].tolist()
    assert len(ids) >= 3
    codes = pd.DataFrame(
        {
            "passage_id": ids[:3],
            "source_id": ["durrani"] * 3,
            "frames": [["arms_trade"], [], ["normalisation", "arms_trade"]],
            "stance": ["threat", "opportunity", "threat"],
        }
    )
    by_paragraph = framing.codes_by_unit(codes, "paragraph")
    assert len(by_paragraph) == 1
    row = by_paragraph.iloc[0]
    assert row["passage_id"] == f"durrani-p{paragraph:02d}"
    assert row["frames"] == ["arms_trade", "normalisation"]
    assert row["stance"] == "threat"  # two threats against one opportunity
    tie = framing.codes_by_unit(codes.iloc[:2], "paragraph")
    assert tie.loc[0, "stance"] == "neutral" and tie.loc[0, "frames"] == ["arms_trade"]
    assert framing.codes_by_unit(codes, "sentence")["passage_id"].tolist() == ids[:3]
    with pytest.raises(ValueError, match="unit 'word'"):
        framing.codes_by_unit(codes, "word")


def test_every_paragraph_gets_a_code_from_its_sentences():
    hand = framing.hand_codes()
    paragraphs = framing.codes_by_unit(hand, "paragraph")
    assert (
        paragraphs["passage_id"].tolist()
        == corpus.passages(unit="paragraph")["passage_id"].tolist()
    )
    assert set(paragraphs["stance"].astype(str)) <= {"opportunity", "neutral", "threat"}
    # a paragraph carries a frame exactly when one of its sentences does
    used = {f for frames in hand["frames"] for f in frames}
    assert {f for frames in paragraphs["frames"] for f in frames} == used
