"""How far two codings of the same passages agree: Krippendorff's α, Cohen's κ, P/R/F1.

The measures and their verdict thresholds are those of docs/methods.md#reliability:
Krippendorff's α (nominal; ≥ .800 reliable, ≥ .667 tentative, Krippendorff 2004) with a 95 %
bootstrap interval over passages (:mod:`rupak.analysis.coder_alpha`: B = 1000, fixed seed),
Cohen's κ with the labels of Landis & Koch (1977), and precision, recall and F1 of the second
coding against the first (scikit-learn's, with NaN where a ratio has nothing to divide by).
The libraries are imported when a number is computed, not when the module is.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from rupak.analysis.coder_alpha import alpha_verdict, bootstrap_alpha
from rupak.evidence.framing_tables import STANCES, _frame_list

#: The columns of :func:`reliability`; ``first`` and ``second`` are named after the codings.
COLUMNS = [
    "item",
    "kind",
    "n",
    "first",
    "second",
    "agreement",
    "alpha",
    "ci_low",
    "ci_high",
    "kappa",
    "precision",
    "recall",
    "f1",
]
POOLED = "all frames (pooled)"

#: Landis & Koch (1977, *Biometrics* 33:159, Table): the upper bound of each band of κ.
KAPPA_BANDS = (
    (0.20, "slight"),
    (0.40, "fair"),
    (0.60, "moderate"),
    (0.80, "substantial"),
    (1.00, "almost perfect"),
)


def krippendorff_alpha(first: Sequence, second: Sequence) -> float:
    """Krippendorff's α (nominal) of two coders; NaN when only one value occurs at all."""
    import krippendorff

    values = np.array([first, second], dtype="float64")
    if len(np.unique(values)) < 2:
        return math.nan  # one value only: expected disagreement is 0, α undefined
    return float(krippendorff.alpha(reliability_data=values, level_of_measurement="nominal"))


def cohen_kappa(first: Sequence, second: Sequence) -> float:
    """Cohen's κ of two coders; NaN when only one category occurs at all."""
    from sklearn.metrics import cohen_kappa_score

    if len(set(first) | set(second)) < 2:
        return math.nan
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(cohen_kappa_score(first, second))


def precision_recall_f1(reference: np.ndarray, coded: np.ndarray) -> tuple[float, float, float]:
    """Precision, recall and F1 of ``coded`` against ``reference`` (1 = marked).

    scikit-learn's ``precision_recall_fscore_support`` with ``zero_division=nan``: precision is
    NaN when ``coded`` marks nothing, recall when ``reference`` marks nothing; F1 =
    2·TP/(2·TP + FP + FN) is NaN only when neither marks anything.
    """
    from sklearn.metrics import precision_recall_fscore_support

    precision, recall, f1, _ = precision_recall_fscore_support(
        np.asarray(reference, dtype=int),
        np.asarray(coded, dtype=int),
        average="binary",
        pos_label=1,
        zero_division=np.nan,
    )
    return float(precision), float(recall), float(f1)


def kappa_verdict(kappa: float) -> str:
    """Landis & Koch's (1977) label: < 0 poor, 0–.20 slight, .21–.40 fair, .41–.60 moderate,
    .61–.80 substantial, .81–1 almost perfect (κ = 0 is "slight"; a band's upper bound is in it).
    """
    if math.isnan(kappa):
        return "undefined"
    if not -1.0 <= kappa <= 1.0:
        raise ValueError(f"κ = {kappa!r} is outside [−1, 1]")
    if kappa < 0:
        return "poor"
    return next(label for bound, label in KAPPA_BANDS if kappa <= bound)


def agreement_row(
    item: str,
    kind: str,
    first: np.ndarray,
    second: np.ndarray,
    clusters: np.ndarray | None = None,
) -> dict:
    """One row of :func:`reliability`: the measures for two codings of one item.

    α's interval resamples passages (``clusters``: the passage of each value, when an item
    holds several values per passage, as pooled frames do). Binary items (1/0 per passage: a
    frame, a stance category) also get the passages each coding marks and precision, recall
    and F1; a nominal item (stance) does not.
    """
    estimate = bootstrap_alpha(first, second, "nominal", clusters=clusters)
    record = {
        "item": item,
        "kind": kind,
        "n": len(first),
        "agreement": float((first == second).mean()),
        "alpha": estimate.alpha,
        "ci_low": estimate.ci_low,
        "ci_high": estimate.ci_high,
        "kappa": cohen_kappa(first, second),
    }
    if kind != "stance":
        record["first"], record["second"] = int(first.sum()), int(second.sum())
        record["precision"], record["recall"], record["f1"] = precision_recall_f1(first, second)
    return record


def _frame_rows(merged: pd.DataFrame, frame_ids: Sequence[str] | None) -> list[dict]:
    """One row per frame (present 1 / absent 0 per passage) and one for all frames pooled."""
    hand_sets = [set(_frame_list(v)) for v in merged["frames_hand"]]
    auto_sets = [set(_frame_list(v)) for v in merged["frames_auto"]]
    ids = list(frame_ids) if frame_ids is not None else sorted(set().union(*hand_sets, *auto_sets))
    rows, pooled_hand, pooled_auto = [], [], []
    for frame in ids:
        first = np.array([frame in s for s in hand_sets], dtype=int)
        second = np.array([frame in s for s in auto_sets], dtype=int)
        pooled_hand.append(first)
        pooled_auto.append(second)
        rows.append(agreement_row(frame, "frame", first, second))
    if ids:
        first, second = np.concatenate(pooled_hand), np.concatenate(pooled_auto)
        passages = np.tile(np.arange(len(merged)), len(ids))
        rows.append(agreement_row(POOLED, "frames pooled", first, second, passages))
    return rows


def _stance_rows(merged: pd.DataFrame) -> list[dict]:
    """One row for stance (three nominal categories), one per category against the rest."""
    codes = {s: i for i, s in enumerate(STANCES)}
    first = np.array([codes[str(s)] for s in merged["stance_hand"]])
    second = np.array([codes[str(s)] for s in merged["stance_auto"]])
    rows = [agreement_row("stance", "stance", first, second)]
    for stance, code in codes.items():
        one, other = (first == code).astype(int), (second == code).astype(int)
        rows.append(agreement_row(f"stance: {stance}", "stance category", one, other))
    return rows


def reliability(
    hand: pd.DataFrame,
    auto: pd.DataFrame,
    frame_ids: Sequence[str] | None = None,
    *,
    names: tuple[str, str] = ("hand", "auto"),
) -> pd.DataFrame:
    """Agreement of two codings of the same passages, per frame and for stance.

    One row per frame (presence coded 1/0 per passage), one for all frames pooled, one for
    stance (three nominal categories) and one per stance category (one against the rest).
    Columns: item, kind, n, then the passages the first coding marks and those the second
    marks, named by ``names`` (default ``hand`` and ``auto``), agreement (share identical),
    alpha (Krippendorff, nominal) with ci_low and ci_high (95 % bootstrap interval over
    passages; pooled frames resample whole passages), kappa (Cohen), precision, recall, f1 (of
    the second coding against the first), alpha_verdict, kappa_verdict. α and κ are NaN where
    both codings use a single value (nothing to agree about).
    """
    if len(set(names)) != 2:
        raise ValueError(f"names={names!r}: two different names for the two codings")
    merged = hand[["passage_id", "frames", "stance"]].merge(
        auto[["passage_id", "frames", "stance"]],
        on="passage_id",
        suffixes=("_hand", "_auto"),
        validate="one_to_one",
    )
    if merged.empty:
        raise ValueError("the two codings share no passage_id")
    rows = _frame_rows(merged, frame_ids) + _stance_rows(merged)
    table = pd.DataFrame(rows, columns=COLUMNS)
    table[["first", "second"]] = table[["first", "second"]].astype("Int64")
    table["alpha_verdict"] = table["alpha"].map(alpha_verdict)
    table["kappa_verdict"] = table["kappa"].map(kappa_verdict)
    return table.rename(columns={"first": names[0], "second": names[1]})
