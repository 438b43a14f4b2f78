"""Coder reliability (rupak.analysis.framing.reliability): α, κ and P/R/F1 by hand, verdicts."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rupak.analysis import framing
from rupak.analysis.framing import intercoder as rel


@pytest.fixture(autouse=True)
def _project_data(monkeypatch):
    """Read the project's data, whatever RUPAK_DATA an earlier CLI test left behind."""
    monkeypatch.delenv("RUPAK_DATA", raising=False)


def _codings(hand_x, auto_x, hand_stance=None, auto_stance=None):
    ids = [f"s{i}" for i in range(len(hand_x))]
    neutral = ["neutral"] * len(ids)
    hand = pd.DataFrame(
        {
            "passage_id": ids,
            "frames": [["x"] if v else [] for v in hand_x],
            "stance": hand_stance or neutral,
        }
    )
    auto = pd.DataFrame(
        {
            "passage_id": ids,
            "frames": [["x"] if v else [] for v in auto_x],
            "stance": auto_stance or neutral,
        }
    )
    return hand, auto


def test_reliability_krippendorffs_binary_example():
    # Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", binary data, two
    # observers, ten units:  A = 0 1 0 0 0 0 0 0 1 0   B = 1 1 1 0 0 1 0 0 0 0
    # Pairable values n = 20: n_0 = 14, n_1 = 6; disagreeing units 1, 3, 6, 9, so o_01 = 4.
    # α = 1 − (n − 1)·o_01 / (n_0·n_1) = 1 − 19·4/(14·6) = 1 − 76/84 = 0.0952381
    # Cohen: p_o = 6/10; A says 1 for 2/10, B for 4/10: p_e = .8·.6 + .2·.4 = .56;
    # κ = (.60 − .56)/(1 − .56) = 0.0909091.  TP = 1 (unit 2): precision 1/4, recall 1/2,
    # F1 = 2·(1/4)(1/2)/(3/4) = 1/3.
    hand, auto = _codings([0, 1, 0, 0, 0, 0, 0, 0, 1, 0], [1, 1, 1, 0, 0, 1, 0, 0, 0, 0])
    row = framing.reliability(hand, auto).set_index("item").loc["x"]
    assert row["alpha"] == pytest.approx(1 - 76 / 84)
    assert row["kappa"] == pytest.approx(0.04 / 0.44)
    assert (row["hand"], row["auto"], row["agreement"]) == (2, 4, 0.6)
    assert (row["precision"], row["recall"]) == (0.25, 0.5)
    assert row["f1"] == pytest.approx(1 / 3)
    assert row["alpha_verdict"] == "unreliable"
    assert row["kappa_verdict"] == "slight"


def test_reliability_stance_three_categories_by_hand():
    # hand: o o n n n t   auto: o n n n t t   (o = opportunity, n = neutral, t = threat)
    # Cohen: p_o = 4/6; marginals hand (2, 3, 1), auto (1, 3, 2): p_e = (2+9+2)/36 = 13/36;
    # κ = (24/36 − 13/36)/(23/36) = 11/23.
    # Krippendorff: coincidences o_oo 2, o_on = o_no 1, o_nn 4, o_nt = o_tn 1, o_tt 2;
    # n_o = 3, n_n = 6, n_t = 3, n = 12; Σ_{c≠k} n_c·n_k = 144 − (9 + 36 + 9) = 90;
    # α = 1 − (n − 1)·4/90 = 1 − 44/90 = 23/45.
    o, n, t = "opportunity", "neutral", "threat"
    hand, auto = _codings([0] * 6, [0] * 6, [o, o, n, n, n, t], [o, n, n, n, t, t])
    table = framing.reliability(hand, auto, frame_ids=["x"]).set_index("item")
    assert table.loc["stance", "kappa"] == pytest.approx(11 / 23)
    assert table.loc["stance", "alpha"] == pytest.approx(23 / 45)
    assert table.loc["stance", "agreement"] == pytest.approx(4 / 6)
    # a frame neither coding uses: nothing to agree about, α and κ undefined, not 1 or 0
    assert math.isnan(table.loc["x", "alpha"]) and math.isnan(table.loc["x", "kappa"])
    assert table.loc["x", "alpha_verdict"] == "undefined"
    # per stance category, one against the rest: threat hand 0 0 0 0 0 1, auto 0 0 0 0 1 1
    assert (table.loc["stance: threat", "precision"], table.loc["stance: threat", "recall"]) == (
        0.5,
        1.0,
    )


def test_reliability_needs_shared_passages():
    hand, auto = _codings([1, 0], [1, 0])
    with pytest.raises(ValueError, match="share no passage_id"):
        framing.reliability(hand, auto.assign(passage_id=["a", "b"]))


def test_reliability_of_the_automatic_coder_covers_every_frame():
    hand = framing.hand_codes()
    table = framing.reliability(hand, framing.auto_code(), framing.frames()["frame_id"])
    assert set(framing.frames()["frame_id"]) <= set(table["item"])
    assert {"stance", "all frames (pooled)"} <= set(table["item"])
    assert (table["n"] == len(hand)).sum() == len(framing.frames()) + 4  # + stance, 3 categories
    assert table["alpha"].between(-1, 1).all()


# --------------------------------------------------------------------------- P/R/F1


@pytest.mark.parametrize(
    ("reference", "coded", "expected"),
    [
        # TP 1, FP 3, FN 1: P 1/4, R 1/2, F1 = 2·1/(2·1 + 3 + 1) = 1/3
        ([0, 1, 0, 0, 0, 0, 0, 0, 1, 0], [1, 1, 1, 0, 0, 1, 0, 0, 0, 0], (0.25, 0.5, 1 / 3)),
        # the coder marks nothing: precision has nothing to divide by; F1 = 0/(0 + 0 + 2) = 0
        ([1, 0, 1, 0], [0, 0, 0, 0], (math.nan, 0.0, 0.0)),
        # the reference marks nothing: recall undefined; F1 = 0/(0 + 1 + 0) = 0
        ([0, 0, 0, 0], [1, 0, 0, 0], (0.0, math.nan, 0.0)),
        # neither marks anything: all undefined
        ([0, 0, 0], [0, 0, 0], (math.nan, math.nan, math.nan)),
        ([1, 1, 0], [1, 1, 0], (1.0, 1.0, 1.0)),
    ],
)
def test_precision_recall_f1_by_hand(reference, coded, expected):
    found = rel.precision_recall_f1(np.array(reference), np.array(coded))
    assert found == pytest.approx(expected, nan_ok=True)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.booleans()), min_size=1, max_size=40))
def test_precision_recall_f1_are_the_counting_definitions(pairs):
    reference = np.array([a for a, _ in pairs], dtype=int)
    coded = np.array([b for _, b in pairs], dtype=int)
    tp = int((reference & coded).sum())
    fp, fn = int(coded.sum()) - tp, int(reference.sum()) - tp
    precision, recall, f1 = rel.precision_recall_f1(reference, coded)
    assert precision == pytest.approx(tp / (tp + fp) if tp + fp else math.nan, nan_ok=True)
    assert recall == pytest.approx(tp / (tp + fn) if tp + fn else math.nan, nan_ok=True)
    assert f1 == pytest.approx(
        2 * tp / (2 * tp + fp + fn) if tp + fp + fn else math.nan, nan_ok=True
    )


# --------------------------------------------------------------------------- verdicts


@pytest.mark.parametrize(
    ("kappa", "label"),
    [
        (-1.0, "poor"),
        (-0.01, "poor"),
        (-1e-12, "poor"),
        (0.0, "slight"),  # Landis & Koch: 0.00–0.20 is slight, not poor
        (0.10, "slight"),
        (0.20, "slight"),
        (0.2000001, "fair"),
        (0.21, "fair"),
        (0.40, "fair"),
        (0.41, "moderate"),
        (0.60, "moderate"),
        (0.61, "substantial"),
        (0.80, "substantial"),
        (0.81, "almost perfect"),
        (1.0, "almost perfect"),
    ],
)
def test_kappa_verdict_is_landis_and_koch(kappa, label):
    assert framing.kappa_verdict(kappa) == label


def test_kappa_verdict_undefined_and_impossible():
    assert framing.kappa_verdict(math.nan) == "undefined"
    with pytest.raises(ValueError, match="outside"):
        framing.kappa_verdict(1.5)


@pytest.mark.parametrize(
    ("alpha", "label"),
    [
        (math.nan, "undefined"),
        (-0.2, "unreliable"),
        (0.666, "unreliable"),
        (0.667, "tentative"),
        (0.799, "tentative"),
        (0.8, "reliable"),
        (1.0, "reliable"),
    ],
)
def test_alpha_verdict_is_krippendorffs(alpha, label):
    assert framing.alpha_verdict(alpha) == label
