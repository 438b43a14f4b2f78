"""Selection (rupak.analysis.framing.coverage): which events both sources tell, in their order."""

from __future__ import annotations

import pytest

from rupak.analysis import framing
from rupak.evidence import curated

SWAPPED = ["kaushiki_bawa", "durrani"]


@pytest.fixture(autouse=True)
def _project_data(monkeypatch):
    """Read the project's data, whatever RUPAK_DATA an earlier CLI test left behind."""
    monkeypatch.delenv("RUPAK_DATA", raising=False)


def test_selection_counts_every_event_once_per_kind():
    events = framing.selection("event")
    kinds = framing.selection("kind")
    assert kinds["total"].sum() == len(events)
    assert kinds["both"].sum() == (events["mentioned_by"] == "both").sum()
    assert set(events["mentioned_by"]) <= {"both", "durrani", "kaushiki_bawa"}
    periods = framing.selection("period")
    assert periods["share_both"].between(0, 1).all()


def test_mentioned_by_agrees_with_the_evidence():
    evidence = curated.evidence()
    events = framing.selection("event").set_index("event_id")["mentioned_by"]
    for event_id, group in evidence.groupby("event_id"):
        tellers = set(group["source_id"])
        expected = "both" if len(tellers) == 2 else tellers.pop()
        assert events[event_id] == expected, event_id


@pytest.mark.parametrize("by", ["period", "kind", "period_kind"])
def test_selection_columns_follow_the_sources(by):
    default = framing.selection(by)
    swapped = framing.selection(by, SWAPPED)
    keys = [c for c in default.columns if c in ("period_id", "kind")]
    assert list(swapped.columns) == [
        *keys,
        "both",
        "kaushiki_bawa_only",
        "durrani_only",
        "total",
        "share_both",
    ]
    # the same counts, the one-source columns swapped
    same = [*keys, "both", "total"]
    assert swapped[same].equals(default[same])
    assert (swapped["durrani_only"] == default["durrani_only"]).all()


def test_period_kind_rows_add_up_to_the_periods():
    both = framing.selection("period_kind").groupby("period_id")["total"].sum()
    periods = framing.selection("period").set_index("period_id")["total"]
    assert both.sort_index().equals(periods.sort_index())


@pytest.mark.parametrize(
    ("by", "sources", "message"),
    [
        ("year", None, "by='year'"),
        ("period", ["durrani"], "selection compares two sources"),
        ("period", ["durrani", "pravda"], "unknown source id 'pravda'"),
    ],
)
def test_selection_refuses(by, sources, message):
    with pytest.raises(ValueError, match=message):
        framing.selection(by, sources)
