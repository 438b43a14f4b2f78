"""Salience, frame and stance shares (rupak.analysis.framing.prominence): sources and units."""

from __future__ import annotations

import pandas as pd
import pytest

from rupak.analysis import framing
from rupak.analysis.framing import text
from rupak.evidence import corpus

SWAPPED = ["kaushiki_bawa", "durrani"]


@pytest.fixture(autouse=True)
def _project_data(monkeypatch):
    """Read the project's data, whatever RUPAK_DATA an earlier CLI test left behind."""
    monkeypatch.delenv("RUPAK_DATA", raising=False)


def test_actor_mentions_take_the_longest_alias_once():
    passages = pd.DataFrame(
        {
            "passage_id": ["t-1"],
            "source_id": ["durrani"],
            "text": [
                "The Soviet Union, the U.S.S.R. and the Afghan National Army in Afghanistan; "
                "Russo-Pak ties (Moscow, 1999)."
            ],
        }
    )
    mentions = framing.actor_mentions(passages)
    assert mentions["code"].tolist() == ["SUN", "SUN", "ANA", "AFG", "RUS", "PAK"]


def test_salience_tables_are_side_by_side_and_consistent():
    frames = framing.salience("frame")
    shares = framing.frame_shares()
    for source in corpus.source_ids():
        n = shares[(shares["source_id"] == source) & (shares["frame_id"] != "none")]
        assert frames[f"{source}_n"].sum() == n["sentences"].sum()
        per_1000 = frames[f"{source}_n"] / framing.words(source) * 1000
        assert frames[f"{source}_per_1000"].to_numpy() == pytest.approx(per_1000.to_numpy())
    actors = framing.salience("actor").set_index("item")
    assert actors.loc["RUS", "durrani_n"] > 0 and actors.loc["PAK", "kaushiki_bawa_n"] > 0
    periods = framing.salience("period")
    assert periods["item"].tolist() == [
        "cold_war_divergence",
        "proximity_1965_1975",
        "post_cold_war_reconfiguration",
        "post_9_11_convergence",
    ]
    with pytest.raises(ValueError, match="by='word'"):
        framing.salience("word")


@pytest.mark.parametrize("by", ["actor", "period", "frame"])
def test_salience_follows_the_sources_and_the_unit(by):
    default = framing.salience(by)
    swapped = framing.salience(by, SWAPPED, unit="paragraph")
    assert swapped.columns[2] == "kaushiki_bawa_n"
    assert list(swapped.columns[2:5]) == [f"kaushiki_bawa_{c}" for c in ("n", "per_1000", "share")]
    paragraphs = corpus.passages(unit="paragraph").groupby("source_id").size()
    for source in SWAPPED:
        # a share of paragraphs is a whole number of paragraphs
        counted = swapped[f"{source}_share"] * paragraphs[source]
        assert counted.to_numpy() == pytest.approx(counted.round().to_numpy())
        # a paragraph mentions what any of its sentences mentions: shares do not fall
        both = default.merge(swapped, on=["item", "name"], suffixes=("_s", "_p"))
        assert (both[f"{source}_share_p"] >= both[f"{source}_share_s"] - 1e-12).all()
    long = framing.salience(by, SWAPPED, unit="paragraph", wide=False)
    assert long["source_id"].iloc[0] == "kaushiki_bawa"


def test_one_source_alone():
    table = framing.salience("actor", ["durrani"])
    assert [c for c in table.columns if c.endswith("_n")] == ["durrani_n"]
    with pytest.raises(ValueError, match="unknown source id 'pravda'"):
        framing.salience("actor", ["pravda"])


def test_frame_shares_in_the_order_and_unit_asked():
    long = framing.frame_shares(sources=SWAPPED, unit="paragraph")
    assert list(long.columns) == ["source_id", "frame_id", "paragraphs", "share"]
    assert long["source_id"].iloc[0] == "kaushiki_bawa"
    n_frames = len(framing.frames()) + 1  # and "none"
    assert len(long) == 2 * n_frames
    paragraphs = corpus.passages(unit="paragraph").groupby("source_id").size()
    for source, group in long.groupby("source_id"):
        assert (group["share"] == group["paragraphs"] / paragraphs[source]).all()
    wide = framing.frame_shares(sources=SWAPPED, unit="paragraph", wide=True)
    assert list(wide.columns) == ["frame_id", "kaushiki_bawa", "durrani"]
    assert wide["frame_id"].tolist() == [*framing.frames()["frame_id"], "none"]
    with pytest.raises(ValueError, match="unit 'clause'"):
        framing.frame_shares(unit="clause")


def test_frame_shares_of_the_automatic_codes():
    auto = framing.frame_shares(framing.auto_code(), ["durrani"])
    assert set(auto["source_id"]) == {"durrani"}
    assert auto["sentences"].max() <= len(corpus.passages("durrani"))


def test_frame_contrast_orders_by_difference():
    contrast = framing.frame_contrast("durrani", "kaushiki_bawa")
    assert list(contrast.columns) == ["frame_id", "durrani", "kaushiki_bawa", "difference"]
    assert contrast["difference"].is_monotonic_decreasing
    assert "none" not in set(contrast["frame_id"])
    mirror = framing.frame_contrast("kaushiki_bawa", "durrani")
    assert contrast["frame_id"].iloc[0] == mirror["frame_id"].iloc[-1]
    assert contrast["difference"].to_numpy() == pytest.approx(-mirror["difference"][::-1])


def test_stance_shares_per_sentence_and_per_paragraph():
    by_sentence = framing.stance_shares()
    assert list(by_sentence.columns) == ["source_id", "stance", "sentences", "share"]
    assert by_sentence.groupby("source_id")["sentences"].sum().to_dict() == {
        "durrani": 47,
        "kaushiki_bawa": 119,
    }
    by_paragraph = framing.stance_shares(sources=SWAPPED, unit="paragraph")
    assert by_paragraph["source_id"].tolist()[:3] == ["kaushiki_bawa"] * 3
    assert by_paragraph["stance"].astype(str).tolist()[:3] == ["opportunity", "neutral", "threat"]
    assert by_paragraph.groupby("source_id")["paragraphs"].sum().to_dict() == {
        "durrani": 15,
        "kaushiki_bawa": 33,
    }
    assert by_paragraph.groupby("source_id")["share"].sum().to_numpy() == pytest.approx(1.0)
    # a paragraph is a threat only if one of its sentences is
    threat = by_paragraph.set_index(["source_id", "stance"])["paragraphs"]
    sentences = by_sentence.set_index(["source_id", "stance"])["sentences"]
    assert threat[("durrani", "threat")] <= sentences[("durrani", "threat")]


def test_passage_events_link_quotes_to_paragraphs():
    by_sentence = framing.passage_events("sentence")
    by_paragraph = framing.passage_events("paragraph")
    assert set(by_paragraph["event_id"]) == set(by_sentence["event_id"])
    assert by_paragraph["passage_id"].str.fullmatch(r"[a-z_]+-p\d+").all()
    # a quote inside a sentence is inside that sentence's paragraph
    owner = text.sentence_units("paragraph")
    lifted = set(zip(by_sentence["passage_id"].map(owner), by_sentence["event_id"], strict=True))
    assert lifted == set(zip(by_paragraph["passage_id"], by_paragraph["event_id"], strict=True))
