"""Reading and tokenising (rupak.analysis.framing.text): what counts as a word, which passages."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rupak.analysis import framing
from rupak.analysis.framing import text
from rupak.evidence import corpus


@pytest.fixture(autouse=True)
def _project_data(monkeypatch):
    """Read the project's data, whatever RUPAK_DATA an earlier CLI test left behind."""
    monkeypatch.delenv("RUPAK_DATA", raising=False)


SPAM_AND_DEBRIS = (
    "synthroid",
    "prescription",
    "artforhealingfoundation",
    "http",
    "www",
    "russiafurther",
    "otherresources",
    "towardspakistan",
    "russiapakistan",
)


def test_no_spam_or_debris_reaches_the_counts_or_the_top_terms():
    for source in corpus.source_ids():
        vocabulary = set(framing.counts(source).index)
        assert not vocabulary & set(SPAM_AND_DEBRIS), source
    table = framing.fightin_words(min_count=1)
    top = set(table.head(30)["term"]) | set(table.tail(30)["term"])
    assert not top & set(SPAM_AND_DEBRIS)


def test_citations_and_run_in_labels_are_not_vocabulary():
    words = set(framing.counts("kaushiki_bawa").index)
    assert {"mahmood", "siddiqi", "cited", "abstract", "findings"}.isdisjoint(words)
    assert {"korybko", "menon"} <= words  # named in the prose ("Korybko (2015), a Russian…")


def test_counts_are_the_same_at_either_unit():
    for source in corpus.source_ids():
        by_sentence = framing.counts(source, "sentence")
        assert by_sentence.sum() > 0
        assert framing.words(source, "paragraph") >= by_sentence.sum()
    first = corpus.passages("durrani", unit="sentence")["passage_id"].iloc[:2]
    assert framing.counts("durrani", passage_ids=first).sum() < framing.counts("durrani").sum()


@pytest.mark.parametrize(
    ("raw", "tokens"),
    [
        ("Russia-Pakistan relations", ["russia", "pakistan", "relations"]),
        ("the U.S.S. R. and the U.S. and E.U.", ["ussr", "us", "eu"]),
        ("Russia’s and Pakistan's", ["russia", "pakistan"]),
        ("since 9/11 in 1979", ["since", "9/11"]),
        ("Ka-226T helicopters", ["ka", "226t", "helicopters"]),
        ("defense of normalize", ["defence", "normalise"]),
        ("Findings Moscow (Mahmood, 1994b, p.104) agreed", ["moscow", "agreed"]),
    ],
)
def test_tokenize(raw, tokens):
    assert framing.tokenize(framing.reading(raw), stopwords={"the", "and", "in", "of"}) == tokens


def test_reading_keeps_citations_when_asked():
    assert "(Mahmood, 1994b)" in framing.reading("Moscow (Mahmood, 1994b) agreed", citations=True)
    assert framing.reading("Moscow (in Urdu) agreed") == "Moscow (in Urdu) agreed"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_tokens_are_lower_case_words_never_stopwords(raw):
    for token in framing.tokenize(framing.reading(raw)):
        assert token == token.lower() and " " not in token
        assert token not in framing.STOPWORDS and len(token) >= 2


def test_terms_match_whole_words_and_phrases():
    pattern = text.term_pattern(["islam", "arms*", "no doubt"])
    assert pattern.findall(text.match_text("Islamabad, no doubt, sells armsdeals")) == [
        "no doubt",
        "armsdeals",
    ]
    assert pattern.findall(text.match_text("Islam and arms")) == ["islam", "arms"]


def test_run_in_label():
    assert text.run_in_label("Findings Due to a loose…") == "Findings"
    assert text.run_in_label("The findings") is None


@pytest.mark.parametrize(
    ("a", "b", "unit", "message"),
    [
        ("durrani", "pravda", "sentence", "source_b: unknown source id 'pravda'"),
        ("durrani", "durrani", "sentence", "both 'durrani'"),
        ("durrani", "kaushiki_bawa", "reference", "unit 'reference' has no analysed passages"),
        ("durrani", "kaushiki_bawa", "word", "unit 'word'"),
    ],
)
def test_check_sources(a, b, unit, message):
    with pytest.raises(ValueError, match=message):
        framing.check_sources(a, b, unit)
    with pytest.raises(ValueError, match=message):
        framing.fightin_words(a, b, unit=unit)


def test_chosen_sources_keep_the_order_given():
    assert framing.chosen_sources(None) == corpus.source_ids()
    assert framing.chosen_sources(["kaushiki_bawa", "durrani"]) == ["kaushiki_bawa", "durrani"]
    with pytest.raises(ValueError, match="unknown source id 'pravda'; known: durrani"):
        framing.chosen_sources(["durrani", "pravda"])
    with pytest.raises(ValueError, match="each source once"):
        framing.chosen_sources(["durrani", "durrani"])


def test_unit_passages_in_source_order():
    passages = framing.unit_passages(["kaushiki_bawa", "durrani"], "paragraph")
    assert passages["source_id"].iloc[0] == "kaushiki_bawa"
    assert passages["source_id"].iloc[-1] == "durrani"
    assert set(passages["unit"]) == {"paragraph"}
    with pytest.raises(ValueError, match="unit 'word'"):
        framing.unit_passages(None, "word")


def test_every_sentence_belongs_to_one_paragraph_passage():
    owner = text.sentence_units("paragraph")
    paragraphs = set(corpus.passages(unit="paragraph")["passage_id"])
    assert owner.notna().all() and set(owner) == paragraphs
    assert all(s.startswith(p + "-") for s, p in owner.items())
    same = text.sentence_units("sentence")
    assert (same.index == same.to_numpy()).all()
