"""The framing comparison's conclusions as rows: a label and one generated sentence each.

Why: the framing report opens with a summary like every report, and its conclusions must be
computed, not typed. Each row says how far it holds: a frame difference "holds under both
coders" only when its direction is the same under the first, the second and the reconciled
codes; a reliability carries Krippendorff's verdict; the stance coder is "exploratory" below
α = .667 (docs/methods.md#reliability).
"""

from __future__ import annotations

import pandas as pd

from rupak.analysis.framing.coders import (
    dictionary_reliability,
    findings_by_coder,
    intercoder_reliability,
    stance_coder_status,
)
from rupak.analysis.framing.coverage import selection
from rupak.evidence.curated import source_label

COLUMNS = ["label", "sentence"]


def _share(value: float) -> str:
    return f"{value:.0%}"


def _robust(same: bool) -> str:
    return "holds under both coders" if same else "depends on the coder"


def _frame_rows(table: pd.DataFrame, a: str, b: str, unit: str) -> list[dict[str, str]]:
    frames = table[(table["kind"] == "frame") & (table["item"] != "none")].copy()
    frames["gap"] = frames[f"reconciled_{a}"] - frames[f"reconciled_{b}"]
    frames = frames.sort_values("gap", kind="stable")
    rows = []
    for row, leaner in ((frames.iloc[-1], a), (frames.iloc[0], b)):
        other = b if leaner == a else a
        rows.append(
            {
                "label": _robust(bool(row["same_direction"])),
                "sentence": (
                    f"The frame “{row['item'].replace('_', ' ')}” marks "
                    f"{_share(row[f'reconciled_{leaner}'])} of the {unit}s of "
                    f"{source_label(leaner)} against {_share(row[f'reconciled_{other}'])} of "
                    f"those of {source_label(other)} (reconciled hand codes)."
                ),
            }
        )
    return rows


def _stance_row(table: pd.DataFrame, a: str, b: str, unit: str) -> dict[str, str]:
    threat = table[(table["kind"] == "stance") & (table["item"] == "threat")].iloc[0]
    return {
        "label": _robust(bool(threat["same_direction"])),
        "sentence": (
            f"A threat stance towards the Russia–Pakistan rapprochement marks "
            f"{_share(threat[f'reconciled_{a}'])} of the {unit}s of {source_label(a)} and "
            f"{_share(threat[f'reconciled_{b}'])} of those of {source_label(b)} (reconciled "
            "hand codes)."
        ),
    }


def framing_summary(source_a: str, source_b: str, unit: str = "sentence") -> pd.DataFrame:
    """Selection, the two most distinctive frames, stance and reliability, one row each."""
    chosen = selection("period", [source_a, source_b])
    both, total = int(chosen["both"].sum()), int(chosen["total"].sum())
    by_coder = findings_by_coder(source_a, source_b, unit)
    hand = intercoder_reliability().set_index("item").loc["all frames (pooled)"]
    auto = dictionary_reliability().set_index("item").loc["all frames (pooled)"]
    stance = stance_coder_status()
    rows = [
        {
            "label": "descriptive",
            "sentence": (
                f"Of {total} event–period pairs the two sources tell, {both} "
                f"({both / max(total, 1):.0%}) are told by both; the rest by one source only."
            ),
        },
        *_frame_rows(by_coder, source_a, source_b, unit),
        _stance_row(by_coder, source_a, source_b, unit),
        {
            "label": str(hand["alpha_verdict"]),
            "sentence": (
                f"The two hand codings (the first coder and a blind, model-assisted second "
                f"coding) agree on frames at Krippendorff's α = {hand['alpha']:.2f} "
                f"[{hand['ci_low']:.2f}, {hand['ci_high']:.2f}] over {int(hand['n'])} "
                f"sentence–frame pairs; the dictionary coder reaches α = {auto['alpha']:.2f} "
                f"[{auto['ci_low']:.2f}, {auto['ci_high']:.2f}] against the reconciled codes."
            ),
        },
        {"label": stance.status, "sentence": str(stance)},
    ]
    return pd.DataFrame(rows, columns=COLUMNS)
