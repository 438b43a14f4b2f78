"""The corpus: raw texts intact, spam excluded, debris repaired by listed rules, passages cited."""

from __future__ import annotations

import hashlib

import pytest

from rupak.base.paths import REPO_ROOT
from rupak.evidence import corpus

SPAM_WORDS = ("synthroid", "artforhealingfoundation", "prescription")


def test_raw_texts_are_byte_identical_to_the_received_files():
    """The hashes pinned in sources.csv are those of the files as received."""
    from rupak.evidence import curated

    for row in curated.sources().itertuples():
        path = REPO_ROOT / "data" / "sources" / row.file
        assert hashlib.sha256(path.read_bytes()).hexdigest() == row.sha256


@pytest.mark.parametrize("unit", ["paragraph", "sentence", "reference"])
def test_passage_offsets_point_into_the_raw_text(unit):
    for source_id in corpus.source_ids():
        raw = corpus.raw_text(source_id)
        frame = corpus.passages(source_id, unit=unit, kinds=None)
        for row in frame.itertuples():
            assert raw[row.char_start : row.char_end] == row.raw
            assert 0 <= row.char_start < row.char_end <= len(raw)


@pytest.mark.parametrize("unit", ["paragraph", "sentence", "reference"])
def test_no_passage_contains_any_part_of_the_spam_line(unit):
    spans = corpus.excluded_spans("durrani")
    assert len(spans) == 1
    frame = corpus.passages(unit=unit, kinds=None)
    for row in frame.itertuples():
        if row.source_id == "durrani":
            assert not any(s.start < row.char_end and row.char_start < s.end for s in spans)
        for word in SPAM_WORDS:
            assert word not in row.text.lower()


def test_spam_exclusion_covers_exactly_the_spam_line():
    raw = corpus.raw_text("durrani")
    (span,) = corpus.excluded_spans("durrani")
    line = raw[span.start : span.end]
    assert line.startswith("buy synthroid online http://") and line.endswith("prescription\n")
    assert raw[span.start - 1] == "\n"


def test_every_detected_debris_candidate_is_listed_with_a_rule():
    table = corpus.normalisations()
    for source_id in corpus.source_ids():
        listed = {
            (r.char_start, r.char_end) for r in table[table["source_id"] == source_id].itertuples()
        }
        for start, end, text, _rule in corpus.detect_debris(source_id):
            assert (start, end) in listed, f"unlisted debris {text!r} at {start}:{end}"


def test_debris_is_repaired_in_passage_text():
    body = " ".join(corpus.passages(unit="paragraph")["text"])
    for debris in ("RussiaFurther", "towardsPakistan", "otherresources", "rift,Beijing"):
        assert debris not in body
    assert "visit Russia. Further, Russia and China" in body
    assert "Russia-Pakistan beginning" in body


def test_broken_paragraph_is_one_paragraph():
    paras = corpus.paragraphs("kaushiki_bawa")
    joined = paras[paras["text"].str.contains("as a part of its rapprochement policy")]
    assert len(joined) == 1
    assert "\n\n" in joined["raw"].iloc[0]


def test_references_are_their_own_passages_not_body():
    refs = corpus.references("kaushiki_bawa")
    assert len(refs) == 27
    assert refs["text"].iloc[0].startswith("1. Ali, M. (2019)")
    assert refs["text"].iloc[-1].startswith("27. The Economic Times")
    body = corpus.passages("kaushiki_bawa", unit="sentence")
    assert not body["text"].str.contains("Routledge. 2. Arif").any()
    assert set(body["kind"]) <= set(corpus.ANALYSED_KINDS)


def test_sentence_ids_are_stable_and_unique():
    frame = corpus.passages(unit="sentence", kinds=None)
    assert frame["passage_id"].is_unique
    assert frame["passage_id"].str.fullmatch(r"(durrani|kaushiki_bawa)-p\d{2}-s\d{2}").all()
    first = corpus.passages("durrani", unit="sentence").iloc[0]
    assert first["text"].startswith("Russia and Pakistan have rarely enjoyed cordial relations")


def test_list_numbers_and_lone_citations_are_not_sentences():
    frame = corpus.passages(unit="sentence", kinds=None)
    assert not frame["text"].str.fullmatch(r"\d+\.").any()
    assert not frame["text"].str.fullmatch(r"\([^()]*\)\.?").any()


def test_locate_finds_the_sentence_of_a_span():
    raw = corpus.raw_text("durrani")
    start = raw.index("For the first time in February 1957")
    sid = corpus.locate("durrani", start, start + 20)
    sentence = corpus.sentences("durrani").set_index("passage_id").loc[sid, "text"]
    assert sentence.startswith("For the first time in February 1957")


def test_unknown_unit_is_an_error():
    with pytest.raises(ValueError, match="unknown unit 'word'"):
        corpus.passages(unit="word")
