"""The curated tables load typed, and every quote stands verbatim at its recorded offsets."""

from __future__ import annotations

import pandas as pd
import pytest

import rupak.evidence.curated as c
from rupak.evidence import corpus


@pytest.mark.parametrize("loader", [c.evidence, c.claims, c.source_notes])
def test_every_quote_is_verbatim_at_its_offsets(loader):
    frame = loader()
    assert len(frame) > 0
    for row in frame.itertuples():
        raw = corpus.raw_text(row.source_id)
        assert raw[row.char_start : row.char_end] == row.quote, row


@pytest.mark.parametrize("loader", [c.evidence, c.claims])
def test_every_quote_lies_in_a_passage(loader):
    frame = loader()
    assert frame["paragraph_id"].notna().all()


def test_events_are_typed_and_carry_derived_columns():
    events = c.events()
    assert events["event_id"].is_unique
    assert pd.api.types.is_datetime64_any_dtype(events["date_start"])
    assert isinstance(events["kind"].dtype, pd.CategoricalDtype)
    assert (events["date_start"] <= events["date_end"]).all()
    acts = events["nature"] == "interstate_act"
    assert events.loc[acts, "goldstein"].between(-10, 10).all()
    assert events.loc[acts, "cameo_root"].notna().all()
    assert events.loc[acts, "cooperative"].notna().all()
    # context and statistic rows carry no CAMEO code, hence no root, weight or valence
    assert (
        events.loc[~acts, ["cameo_code", "cameo_root", "goldstein", "cooperative"]]
        .isna()
        .all()
        .all()
    )
    assert set(events["nature"].astype(str)) == {"interstate_act", "context", "statistic"}
    assert events["actors"].map(len).min() >= 1
    assert events["periods"].map(len).min() >= 1


def test_every_event_has_evidence_and_both_sources_contribute():
    evidence = c.evidence()
    assert set(c.events()["event_id"]) == set(evidence["event_id"])
    counts = evidence["source_id"].value_counts()
    assert counts["durrani"] > 10 and counts["kaushiki_bawa"] > 30
    both = evidence.groupby("event_id")["source_id"].nunique()
    assert (both == 2).sum() >= 3  # events both sources mention: what framing compares


def test_period_membership_is_derived_from_periods_csv():
    assert c.period_of("1968-07-15") == ["cold_war_divergence", "proximity_1965_1975"]
    assert c.period_of("1995-01-01") == ["post_cold_war_reconfiguration"]
    assert c.period_of("2014-06-01") == ["post_9_11_convergence"]
    assert c.period_of("1946-01-01") == []


def test_actor_aliases_are_lists():
    actors = c.actors().set_index("code")
    assert "Islamabad" in actors.loc["PAK", "aliases"]
    assert "Soviets" in actors.loc["SUN", "aliases"]
    assert actors.loc["SUN", "cow_code"] == actors.loc["RUS", "cow_code"] == 365


def test_the_one_liner_from_the_issue_works():
    counts = (len(c.events()), len(c.evidence()), len(c.claims()))
    assert all(n > 0 for n in counts)


def test_no_quote_touches_the_spam_line():
    (spam,) = corpus.excluded_spans("durrani")
    for frame in (c.evidence(), c.claims(), c.source_notes()):
        durrani = frame[frame["source_id"] == "durrani"]
        assert not ((durrani["char_start"] < spam.end) & (durrani["char_end"] > spam.start)).any()


def test_source_labels_come_from_sources_csv():
    assert c.source_labels() == {
        "durrani": "Durrani (Pakistani author)",
        "kaushiki_bawa": "Kaushiki & Bawa 2022 (Indian authors)",
    }
    assert c.source_label("kaushiki_bawa", perspective=False) == "Kaushiki & Bawa 2022"
    assert c.claim_prefixes() == {"durrani": "D-", "kaushiki_bawa": "K-"}
    with pytest.raises(KeyError, match="known: durrani, kaushiki_bawa"):
        c.source_label("pravda")


def test_source_ids_are_categories_in_the_order_of_sources_csv():
    order = list(c.sources()["source_id"])
    for frame in (c.evidence(), c.claims(), c.source_notes()):
        assert list(frame["source_id"].cat.categories) == order


def test_the_code_constants_agree_with_the_descriptor():
    """Enums the code also names (to order categories) are the descriptor's, in its order."""
    from rupak.evidence import framing_tables, tables

    def enum(table: str, column: str) -> list[str]:
        return tables.fields(table)[column]["constraints"]["enum"]

    assert enum("passage_frames", "stance") == list(framing_tables.STANCES)
    assert enum("entman", "function") == list(framing_tables.ENTMAN_FUNCTIONS)
    assert enum("layout", "kind") == [k for k in corpus.PASSAGE_KINDS if k != "body"]


def test_the_second_coding_loads_typed():
    second = c.second_event_codes()
    assert second["in_sample"].dtype == bool and second["in_sample"].sum() == 45
    assert set(second["coder"].astype(str)) == {"coder2"}
    assert set(second["event_id"]) <= set(c.events()["event_id"])
    coded = second["cameo_code"].notna()
    assert second.loc[coded, "goldstein"].notna().all()
    assert len(c.event_reconciliation()) > 0 and len(c.coverage_check()) > 0
    assert c.coding_changes()["change_id"].is_unique
    assert set(c.curation_decisions()["status"].astype(str)) <= {"decided", "left open"}
