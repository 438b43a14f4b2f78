"""The second coding (issue 13): event reliability, the framing codings side by side, the
reconciliation summary, notes revisited, coverage, and event nature in the period tables."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from rupak.analysis import event_reliability as er
from rupak.analysis import framing, periods, second_reading
from rupak.evidence import curated


@pytest.fixture(autouse=True)
def _project_data(monkeypatch):
    """Read the project's data, whatever RUPAK_DATA an earlier CLI test left behind."""
    monkeypatch.delenv("RUPAK_DATA", raising=False)


# --------------------------------------------------------------------------- events


def test_the_event_sample_leaves_out_the_identification_mismatches():
    assert er.sample_size() == {
        "second_coded": 48,
        "sampled": 45,
        "identification_mismatches": 2,
        "compared": 43,
    }
    codings = er.event_codings()
    assert codings["event_id"].nunique() == 43
    assert not set(codings["event_id"]) & set(er.identification_mismatches())
    assert len(codings) == 43 * len(er.CODED)


def test_coder1s_values_are_those_before_reconciliation():
    """The reconciliation table's coder1 (or coder2's value where they agree) equals the
    value events.csv held before any change decided by reconciliation or an open call."""
    changes = curated.coding_changes()
    changes = changes[changes["table"].astype(str) == "events"].fillna("")
    later = changes[changes["decided_by"].astype(str).isin(["reconciliation", "open_call"])]
    before = later.drop_duplicates(["row_id", "column"]).set_index(["row_id", "column"])["old"]
    events = curated.events().set_index("event_id")
    codings = er.event_codings(sample_only=False).set_index(["event_id", "field"])
    for (event_id, field), row in codings.iterrows():
        if (event_id, field) in before.index:
            expected = before[(event_id, field)]
        else:
            value = events.loc[event_id, field]
            if field.startswith("date_") and field != "date_precision":
                value = value.strftime("%Y-%m-%d")
            expected = (
                ""
                if value is None or (isinstance(value, float) and math.isnan(value))
                else str(value)
            )
        assert row["coder1"] == expected, (event_id, field)


def test_event_reliability_covers_every_item():
    table = er.event_reliability()
    assert table["item"].tolist() == list(er.ITEMS)
    assert set(table["level"]) == {"nominal", "interval"}
    assert (table["n"] <= 43).all() and (table.set_index("item").loc["nature", "n"] == 43)
    assert (table["ci_low"] <= table["alpha"]).all() and (table["alpha"] <= table["ci_high"]).all()
    assert table["alpha"].between(-1, 1).all()
    # acts only: the CAMEO items pair the events both coders saw as acts
    by_item = table.set_index("item")
    assert by_item.loc["goldstein", "n"] == by_item.loc["cameo_root", "n"] < 43
    assert er.event_reliability().equals(table)  # the bootstrap is seeded


# --------------------------------------------------------------------------- frames


def test_hand_against_hand_comes_from_the_two_coders():
    table = framing.intercoder_reliability()
    assert {"coder1", "coder2"} <= set(table.columns)
    rows = table.set_index("item")
    assert rows.loc["all frames (pooled)", "n"] == 166 * len(framing.frames())
    assert (rows["n"].drop("all frames (pooled)") == 166).all()
    assert (table["ci_low"] <= table["alpha"]).all() and (table["alpha"] <= table["ci_high"]).all()
    coder1 = framing.hand_codes(coder="coder1")
    marked = sum("arms_trade" in f for f in coder1["frames"])
    assert rows.loc["arms_trade", "coder1"] == marked


def test_the_dictionary_coder_is_compared_with_the_reconciled_codes_by_default():
    table = framing.dictionary_reliability()
    assert {"reconciled", "auto"} <= set(table.columns)
    again = framing.reliability(
        framing.hand_codes(), framing.auto_code(), framing.frames()["frame_id"]
    )
    assert table["alpha"].tolist() == again["alpha"].tolist()
    assert "coder1" in framing.dictionary_reliability("coder1").columns


def test_the_stance_coder_status_follows_the_threshold():
    status = framing.stance_coder_status()
    row = framing.dictionary_reliability().set_index("item").loc["stance"]
    assert status.alpha == row["alpha"] and status.n == 166
    assert status.status == ("reliable" if status.alpha >= 0.667 else "exploratory")
    assert "exploratory" in str(status) or "may support" in str(status)
    assert f"{status.alpha:.2f}" in str(status)


def test_the_stance_coder_before_and_after():
    table = framing.stance_coder_versions()
    assert len(table) == len(framing.STANCE_VERSIONS) * 3
    now = table[(table["version"] == list(framing.STANCE_VERSIONS)[-1])]
    now = now.set_index("against").loc["reconciled", "alpha"]
    assert now == pytest.approx(framing.stance_coder_status().alpha)
    first = table.set_index(["version", "against"]).loc[
        ("first cue lists (before issue 13)", "coder1"), "alpha"
    ]
    assert first == pytest.approx(0.27, abs=0.005)  # the figure


def test_findings_by_coder_says_whether_the_direction_holds():
    table = framing.findings_by_coder("durrani", "kaushiki_bawa")
    assert set(table["kind"]) == {"frame", "stance"}
    assert table["same_direction"].dtype == bool
    for row in table.itertuples():
        signs = {
            (getattr(row, f"{c}_durrani") > getattr(row, f"{c}_kaushiki_bawa"))
            - (getattr(row, f"{c}_durrani") < getattr(row, f"{c}_kaushiki_bawa"))
            for c in framing.CODERS
        }
        assert row.same_direction == (len(signs) == 1)
    reconciled = framing.frame_shares(sources=["durrani", "kaushiki_bawa"], wide=True)
    merged = table[table["kind"] == "frame"].merge(reconciled, left_on="item", right_on="frame_id")
    assert (merged["reconciled_durrani"] == merged["durrani"]).all()


# --------------------------------------------------------------------------- the second reading


def test_reconciliation_summary_counts_every_row():
    table = second_reading.reconciliation_summary()
    totals = table[table["field"] == "all"].set_index("coding")
    assert totals.loc["frames", "disagreements"] == len(framing.frame_reconciliation())
    assert totals.loc["events", "disagreements"] == len(curated.event_reconciliation())
    assert totals.loc["events", "identification"] == 13
    kept = totals["kept_coder1"] + totals["kept_coder2"] + totals["identification"]
    assert (kept == totals["disagreements"]).all()


def test_notes_revisited():
    table = second_reading.notes_revisited()
    assert table["notes"].sum() == len(curated.source_notes())
    withdrawn = table[table["status"] == "withdrawn"]
    assert withdrawn["note_ids"].tolist() == ["N-A11"]


def test_coverage_per_source():
    table = second_reading.coverage_summary().set_index("source_id")
    assert table.loc["all", "items"] == len(curated.coverage_check())
    parts = table.drop(index="all")
    assert (
        parts[["items", "held", "added", "out_of_scope"]].sum()
        == table.loc["all", ["items", "held", "added", "out_of_scope"]]
    ).all()
    assert (table["held"] + table["added"] + table["out_of_scope"] == table["items"]).all()
    assert ((table["events"] + table["figures"]) == table["items"]).all()
    items = second_reading.coverage_items()
    assert set(items["status"]) == {"added", "out_of_scope"}
    assert items.loc[items["status"] == "out_of_scope", "reason"].notna().all()
    with pytest.raises(ValueError, match="choose among held, added, out_of_scope"):
        second_reading.coverage_items(("missing",))


# --------------------------------------------------------------------------- event nature


def test_goldstein_and_event_tables_count_only_acts_between_states():
    events = curated.events()
    events = events.assign(mentioned_by="both")
    table = periods.event_table(events)
    assert len(table) == (events["nature"] == "interstate_act").sum()
    assert table["Goldstein"].notna().all()
    everything = periods.goldstein_by_year(events, "USA", "PAK")
    acts = periods.goldstein_by_year(periods.interstate_acts(events), "USA", "PAK")
    pd.testing.assert_frame_equal(everything, acts)
    window = periods.window_events(1940, 2022, ["USA", "PAK", "RUS"])
    assert set(window["nature"].astype(str)) == {"interstate_act"}


def test_context_events_are_the_rest():
    context = periods.context_events(1940, 2022)
    assert len(context) == (curated.events()["nature"] != "interstate_act").sum()
    assert "interstate_act" not in set(context["nature"].astype(str))
    assert context["cameo_code"].isna().all()
    table = periods.context_table(context)
    assert list(table.columns) == ["date", "event", "kind", "nature", "actors", "mentioned by"]
    indian = periods.context_events(1940, 2022, ["IND"])
    assert 0 < len(indian) < len(context)
    assert all("IND" in a for a in indian["actors"])
    soviet = periods.context_events(1940, 1991, ["RUS"])  # RUS selects SUN too
    assert any("SUN" in a for a in soviet["actors"])


def test_the_timeline_places_acts_only():
    from rupak.publish import plots

    events = curated.events().assign(mentioned_by="both")
    events = events[events["date_start"].dt.year.between(1960, 1970)]
    layout = plots.timeline_layout(events, 1960, 1970)
    assert len(layout) == (events["nature"] == "interstate_act").sum() < len(events)
    assert len(plots.timeline_key(events)) == len(layout)


def test_the_readme_table_of_event_reliability_is_current():
    """The README pastes the event-coding α (a note says the report recomputes them): the
    pasted values must be the computed ones."""
    from rupak.base.paths import REPO_ROOT

    text = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    for row in er.event_reliability().itertuples():
        pasted = (
            f"| {row.level} | {row.n} | {row.agreement:.0%} | {row.alpha:.2f} "
            f"[{row.ci_low:.2f}, {row.ci_high:.2f}] |"
        )
        assert pasted in text, (row.item, pasted)
