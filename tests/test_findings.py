"""rupak.analysis.findings and its parts: verdict rules, wording, rank, the curve, real data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rupak.analysis import evidence_record as rec
from rupak.analysis import findings as fd
from rupak.analysis import robustness
from rupak.analysis.question import Question, dyad_name, state_name, years_text
from rupak.analysis.record_tests import TESTS, rank_in_window

PROXIMITY = Question("RUS", "PAK", "IND", "USA", (1965, 1975))


@pytest.mark.parametrize(
    ("share", "testable", "total", "headline", "verdict"),
    [
        (0.95, 375, 375, True, "supported"),
        (0.80, 375, 375, True, "supported"),
        (0.79, 375, 375, True, "depends on specification"),
        (0.21, 375, 375, True, "depends on specification"),
        (0.20, 375, 375, True, "not supported"),
        (0.0, 375, 375, True, "not supported"),
        (1.0, 100, 375, True, "not testable"),  # most specifications cannot be computed
        (1.0, 375, 375, False, "not testable"),  # the headline specification cannot
    ],
)
def test_verdict_thresholds(share, testable, total, headline, verdict):
    assert fd.verdict_of(share, testable, total, headline) == verdict


@pytest.mark.parametrize(
    ("parts", "verdict"),
    [
        (["supported", "supported"], "supported"),
        (["supported", "not supported"], "mixed"),
        (["supported", "depends on specification"], "depends on specification"),
        (["not testable", "supported"], "supported"),
        (["not testable"], "not testable"),
        (["not supported", "not supported", "not testable"], "not supported"),
    ],
)
def test_narrative_verdicts_combine(parts, verdict):
    assert fd.combine(parts) == verdict


@settings(max_examples=60, deadline=None)
@given(
    estimate=st.floats(-1, 1, allow_nan=False),
    spread=st.floats(0, 1, allow_nan=False),
    offset=st.floats(-1, 1, allow_nan=False),
)
def test_an_interval_holding_zero_is_never_worded_as_a_difference(estimate, spread, offset):
    low, high = estimate - spread + offset * spread, estimate + spread + offset * spread
    low, high = min(low, high), max(low, high)
    index = fd._wording_index(estimate, low, high)
    if low <= 0 <= high:
        assert index == 2
    for test in TESTS.values():
        words = test.wording[2]
        assert "more" not in words.split() and "fewer" not in words.split()


def test_state_names_follow_the_soviet_seat():
    assert state_name("RUS", 1970) == "the Soviet Union"
    assert state_name("RUS", 2005) == "Russia"
    assert state_name("USA") == "the United States"
    assert dyad_name("RUS", "PAK", 1968) == "Soviet Union–Pakistan"
    assert years_text((1965, 1975)) == "1965–1975" and years_text((1985, 1985)) == "1985"
    assert years_text((1990, 1989)) == ""


def test_shifting_a_window_moves_its_neighbours_with_their_edges():
    moved = PROXIMITY.shifted(-2, 1)
    assert moved.window == (1963, 1976)
    assert moved.before == (1953, 1962)
    assert moved.after == (1977, 1986)
    clipped = Question("RUS", "PAK", "IND", "USA", (1947, 1991)).clipped(1946, 2020)
    assert clipped.before == (1946, 1946) and clipped.window == (1947, 1991)


def _states(values: list[list[float]], states: tuple[str, ...]) -> rec.AllStates:
    array = np.array(values, dtype=float)
    return rec.AllStates(
        "AAA",
        states,
        np.arange(2000, 2000 + array.shape[1]),
        {"kappa": array},
        np.full(array.shape, 50),
    )


def test_rank_one_is_the_highest_and_ties_share_the_best_rank():
    table = _states([[0.9, 0.9], [0.5, 0.5], [0.5, 0.5], [0.1, 0.1]], ("B", "C", "D", "E"))
    assert rank_in_window(table, "B", "kappa", (2000, 2001), 10)[1:] == (1, 4)
    assert rank_in_window(table, "C", "kappa", (2000, 2001), 10)[1] == 2
    assert rank_in_window(table, "D", "kappa", (2000, 2001), 10)[1] == 2
    share, rank, of = rank_in_window(table, "E", "kappa", (2000, 2001), 10)
    assert (share, rank, of) == (0.0, 4, 4)


def test_members_with_values_in_under_half_the_years_do_not_count():
    table = _states([[0.9, np.nan, np.nan], [0.5, 0.5, 0.5]], ("B", "C"))
    assert rank_in_window(table, "C", "kappa", (2000, 2002), 10)[1:] == (1, 1)


@pytest.mark.slow
def test_the_proximity_findings_on_the_record():
    table = fd.findings(PROXIMITY, ["agreement_rise", "agreement_fall_after", "arms_rise"])
    rows = table.set_index("finding")
    assert rows.loc["agreement_rise", "verdict"] == "supported"
    assert rows.loc["agreement_rise", "ci_low"] > 0
    # The fall after 1975 holds under κ and π only: the verdict says it depends.
    assert rows.loc["agreement_fall_after", "verdict"] == "depends on specification"
    assert "holds under κ and π" in rows.loc["agreement_fall_after", "sentence"]
    assert rows.loc["arms_rise", "specifications"] == 25
    assert set(table.columns) >= {
        "finding",
        "measure",
        "segment_a",
        "segment_b",
        "estimate",
        "ci_low",
        "ci_high",
        "share_of_specifications",
        "verdict",
        "sentence",
    }


@pytest.mark.slow
def test_sentences_follow_the_parameters_not_the_default_dyad():
    other = Question("USA", "IND", "PAK", "SUN", (1965, 1975))
    sentence = fd.findings(other, ["agreement_rise"])["sentence"].iloc[0]
    assert "India" in sentence and "United States" in sentence
    assert "Pakistan voted" not in sentence and "Soviet Union" not in sentence


@pytest.mark.slow
def test_a_state_without_votes_is_not_testable():
    row = fd.findings(Question("RUS", "SSD", "IND", "USA", (1995, 2005)), ["agreement_rise"])
    assert row["verdict"].iloc[0] == "not testable"
    assert "cannot test" in row["sentence"].iloc[0]


def test_narrative_statements_of_one_source_make_one_finding(monkeypatch):
    curve = pd.DataFrame(
        {
            "test": "agreement_rise",
            "measure": ["kappa", "s"],
            "start_shift": 0,
            "end_shift": 0,
            "min_votes": 10,
            "segment_a": "1955–1964",
            "segment_b": "1965–1975",
            "estimate": [0.4, 0.1],
            "ci_low": [0.2, -0.1],
            "ci_high": [0.6, 0.3],
            "years": 9,
            "headline": [True, False],
        }
    )
    monkeypatch.setattr(robustness, "curve", lambda *a, **k: curve.copy())
    monkeypatch.setattr(fd, "unga_years", lambda: (1946, 2020))
    narratives = pd.DataFrame(
        {
            "narrative_id": ["p-K-02", "p-K-01", "p-D-01"],
            "source_id": ["kaushiki_bawa", "kaushiki_bawa", "durrani"],
            "statement": ["second", "first", "durrani's"],
            "test": "agreement_rise",
            "expected": "higher",
        }
    )
    table = fd.findings(PROXIMITY, ["agreement_rise"], narratives)
    assert list(table["source_id"]) == ["durrani", "kaushiki_bawa"]
    assert table["narrative_id"].iloc[1] == "p-K-01;p-K-02"
    assert table["share_of_specifications"].iloc[0] == 0.5
    assert table["verdict"].iloc[0] == "depends on specification"
    assert "holds under κ, not under S" in table["sentence"].iloc[0]
    verdicts = fd.narrative_verdicts(table)
    assert list(verdicts["verdict"]) == ["depends on specification"] * 2


def test_the_narratives_table_names_only_implemented_tests():
    import json

    from rupak.analysis.record_tests import TEST_NAMES
    from rupak.base.paths import data_dir

    package = json.loads((data_dir() / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in package["resources"] if r["name"] == "narratives")
    field = next(f for f in resource["schema"]["fields"] if f["name"] == "test")
    assert field["constraints"]["enum"] == list(TEST_NAMES)


@pytest.mark.slow
def test_every_period_gets_verdicts_per_source_from_the_curated_narratives():
    from rupak.analysis import narratives as nv
    from rupak.evidence import curated

    table = nv.period_findings(curated.periods(), curated.narratives(), "RUS", "PAK", "IND", "USA")
    grid = nv.verdict_grid(table, ["durrani", "kaushiki_bawa"]).set_index("period_id")
    assert set(grid.index) == set(nv.PERIOD_TESTS)
    # Durrani says nothing testable about 1965–75: her silence is shown, not scored.
    assert grid.loc["proximity_1965_1975", "durrani"] == ""
    assert set(grid[["durrani", "kaushiki_bawa"]].to_numpy().ravel()) <= {*fd.VERDICTS, ""}


@pytest.mark.slow
def test_the_fall_after_1975_is_recomputed_independently():
    """κ and S for RUS–PAK, 1965–75 against 1976–85, from the vote table with scikit-learn and
    plain pandas: the finding's estimates equal them, and the two measures disagree, which is
    why the finding depends on the specification."""
    from sklearn.metrics import cohen_kappa_score

    from rupak.record import unga

    votes = unga.votes()
    codes = {"yes": 1, "abstain": 2, "no": 3}
    rus = votes[votes["iso3"] == "RUS"].set_index("rcid")
    pak = votes[votes["iso3"] == "PAK"].set_index("rcid")
    both = rus[["year", "vote"]].join(
        pak[["vote"]].rename(columns={"vote": "vote_pak"}), how="inner"
    )
    both = both.assign(
        a=both["vote"].astype(str).map(codes), b=both["vote_pak"].astype(str).map(codes)
    )

    def yearly(measure):
        out = {}
        for year, part in both.groupby("year"):
            if len(part) < 10:
                continue
            if measure == "kappa":
                out[year] = cohen_kappa_score(part["a"], part["b"], weights="quadratic")
            else:  # S = 1 - mean |a - b| (d_max = 2, so 2·Σ|.|/(2n))
                out[year] = 1 - (part["a"] - part["b"]).abs().mean()
        return pd.Series(out)

    for measure in ("kappa", "s"):
        values = yearly(measure)
        expected = values.loc[1976:1985].mean() - values.loc[1965:1975].mean()
        question = Question("RUS", "PAK", "IND", "USA", (1965, 1975), measure=measure)
        found = fd.findings(question, ["agreement_fall_after"])
        assert found["estimate"].iloc[0] == pytest.approx(expected, abs=1e-9)
        if measure == "kappa":
            assert found["ci_high"].iloc[0] < 0  # κ falls, with an interval below zero
        else:
            assert not found["ci_high"].iloc[0] < 0  # S shows no fall
    table = fd.findings(PROXIMITY, ["agreement_fall_after"])
    assert table["verdict"].iloc[0] == "depends on specification"


@pytest.mark.slow
@pytest.mark.parametrize(
    "dyad",
    [("RUS", "PAK", "IND", "USA"), ("RUS", "IND", "PAK", "USA"), ("USA", "PAK", "IND", "CHN")],
)
def test_findings_stay_in_range_and_sentences_carry_their_own_numbers(dyad):
    from rupak.record.measures import MEASURE_RANGES

    question = Question(*dyad, (1965, 1975))
    table = fd.findings(question, ["agreement_rise", "agreement_specific", "rank_rise"])
    low, high = MEASURE_RANGES["kappa"]
    width = high - low
    for row in table.itertuples():
        assert 0 <= row.share_of_specifications <= 1
        if row.finding.startswith("agreement"):
            assert -2 * width <= row.ci_low <= row.estimate <= row.ci_high <= 2 * width
        if row.finding == "agreement_rise":
            assert -width <= row.ci_low and row.ci_high <= width
        number = f"{row.estimate:+.2f}".replace("-", "−")
        if row.finding != "rank_rise":
            assert number in row.sentence  # the sentence says this row's own number
    names = {code: state_name(code, 1965) for code in dyad[:2]}
    for sentence in table["sentence"]:
        assert all(name.removeprefix("the ") in sentence for name in names.values())
    if dyad[:2] != ("RUS", "PAK"):
        assert not any("Pakistan voted with the Soviet" in s for s in table["sentence"])


def test_curve_summary_counts_what_holds_among_what_could_be_computed():
    curve = pd.DataFrame(
        {
            "test": ["a", "a", "a", "b"],
            "estimate": [0.1, np.nan, -0.2, 0.3],
            "holds": [True, False, False, True],
        }
    )
    summary = fd.curve_summary(curve).set_index("test")
    assert summary.loc["a", "computable"] == 2 and summary.loc["a", "holds"] == 1
    assert summary.loc["a", "share"] == 0.5 and summary.loc["b", "share"] == 1.0
