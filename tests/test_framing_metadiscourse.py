"""Hedging, boosting, evaluation (rupak.analysis.framing.metadiscourse): per source and unit."""

from __future__ import annotations

import pytest

from rupak.analysis import framing
from rupak.analysis.framing import text
from rupak.evidence import corpus

SWAPPED = ["kaushiki_bawa", "durrani"]


@pytest.fixture(autouse=True)
def _project_data(monkeypatch):
    """Read the project's data, whatever RUPAK_DATA an earlier CLI test left behind."""
    monkeypatch.delenv("RUPAK_DATA", raising=False)


def test_hedging_shares():
    for by in ("source", "period", "section", "actor"):
        table = framing.hedging(by)
        assert not table.empty
        for column in ("hedge_share", "booster_share", "evaluative_share"):
            assert table[column].between(0, 1).all()
    by_source = framing.hedging("source")
    assert by_source["sentences"].tolist() == [47, 119]
    assert by_source["group"].tolist() == ["all sentences"] * 2
    with pytest.raises(ValueError, match="by='paragraph'"):
        framing.hedging("paragraph")


@pytest.mark.parametrize("by", ["source", "period", "section", "actor"])
def test_hedging_follows_the_sources_and_the_unit(by):
    table = framing.hedging(by, SWAPPED, "paragraph")
    assert table.columns[2] == "paragraphs"
    firsts = table["source_id"].drop_duplicates().tolist()
    assert firsts == SWAPPED
    assert (table["hedge_share"] == table["hedged"] / table["paragraphs"]).all()


def test_hedging_per_paragraph_counts_every_paragraph():
    table = framing.hedging("source", SWAPPED, "paragraph")
    assert table["paragraphs"].tolist() == [33, 15]
    sentences = framing.hedging("source")
    # a paragraph hedges when one of its sentences does: never more hedged paragraphs
    for source in SWAPPED:
        per_paragraph = table.set_index("source_id").loc[source, "hedged"]
        per_sentence = sentences.set_index("source_id").loc[source, "hedged"]
        assert per_paragraph <= per_sentence


def test_passage_markers_are_whole_words_of_the_passage():
    markers = framing.passage_markers(["durrani"], "paragraph")
    passages = corpus.passages("durrani", unit="paragraph").set_index("passage_id")["text"]
    assert markers["passage_id"].tolist() == passages.index.tolist()
    kinds = ["hedges", "boosters", "positive", "negative"]
    assert list(markers.columns) == ["passage_id", "source_id", *kinds]
    for row in markers.itertuples():
        words = f" {text.match_text(passages[row.passage_id])} "
        for kind in kinds:
            assert all(f" {found} " in words for found in getattr(row, kind)), row.passage_id
    assert markers["hedges"].map(len).sum() > 0 and markers["negative"].map(len).sum() > 0


def test_sections_take_headings_and_run_in_labels():
    sections = framing.sections(["kaushiki_bawa", "durrani"], "paragraph")
    kaushiki = {v for k, v in sections.items() if k.startswith("kaushiki_bawa")}
    assert {"Abstract", "Findings"} <= kaushiki
    assert {v for k, v in sections.items() if k.startswith("durrani")} == {"(no headings)"}
    by_sentence = framing.sections()
    assert len(by_sentence) == len(corpus.passages(unit="sentence"))
