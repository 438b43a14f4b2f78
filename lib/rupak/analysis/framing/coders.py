"""The codings of the frames side by side: who agrees with whom, and what rests on which.

Three codings of every analysed sentence are stored (``passage_frames.csv``, docs/framing.md):
``coder1`` (the first, human-directed coding), ``coder2`` (a blind, model-assisted second
coding by an AI agent) and ``reconciled`` (each disagreement decided, with its reason, in
``frame_reconciliation.csv``). The dictionary coder (:func:`~rupak.analysis.framing.auto_code`)
is computed. This module answers, as tidy tables (docs/methods.md#reliability):

* how far the two hand codings agree before reconciliation (:func:`intercoder_reliability`),
  which comes first: it is the reliability of the codes the findings rest on;
* how far the dictionary coder gets against the reconciled codes
  (:func:`dictionary_reliability`), and whether its stance coding may carry a finding
  (:func:`stance_coder_status`);
* whether the framing findings (which source gives more room to a frame or a stance) hold
  under either coder's codes, not only the reconciled ones (:func:`findings_by_coder`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from rupak.analysis.framing.coder import FIRST_CUES, auto_code
from rupak.analysis.framing.intercoder import reliability
from rupak.analysis.framing.prominence import frame_shares, stance_shares
from rupak.analysis.framing.text import chosen_sources
from rupak.evidence.curated import source_label
from rupak.evidence.framing_tables import CODERS, frames, hand_codes

#: Krippendorff's (2004) lowest α for tentative conclusions: below it a coding is exploratory.
TENTATIVE = 0.667


def intercoder_reliability(root: Path | None = None) -> pd.DataFrame:
    """coder1 against coder2, before reconciliation: α per frame, pooled and for stance.

    The columns of :func:`~rupak.analysis.framing.reliability`, with ``coder1`` and ``coder2``
    (passages each marks): n, agreement, Krippendorff's α (nominal) with its 95 % bootstrap
    interval over sentences, Cohen's κ, and P/R/F1 of coder2 against coder1.
    """
    first, second = hand_codes(root, "coder1"), hand_codes(root, "coder2")
    return reliability(first, second, frames(root)["frame_id"], names=("coder1", "coder2"))


def dictionary_reliability(coder: str = "reconciled", root: Path | None = None) -> pd.DataFrame:
    """The dictionary coder against one hand coding (default: the reconciled codes).

    Columns as :func:`~rupak.analysis.framing.reliability`, the hand coding named by its coder
    id and the dictionary coder ``auto``.
    """
    codes = hand_codes(root, coder)
    return reliability(codes, auto_code(root=root), frames(root)["frame_id"], names=(coder, "auto"))


@dataclass(frozen=True)
class StanceCoderStatus:
    """Whether the dictionary coder's stance may carry a finding: ``reliable`` when its α
    against the reconciled codes reaches :data:`TENTATIVE` (0.667), else ``exploratory``."""

    status: str
    alpha: float
    ci_low: float
    ci_high: float
    n: int
    threshold: float = TENTATIVE

    def __str__(self) -> str:
        verdict = (
            "it may support findings"
            if self.status == "reliable"
            else "it is exploratory: no finding rests on it"
        )
        return (
            f"The automatic stance coder agrees with the reconciled hand codes at α = "
            f"{self.alpha:.2f} (95 % interval {self.ci_low:.2f} to {self.ci_high:.2f}, "
            f"n = {self.n} sentences), {'at or above' if self.status == 'reliable' else 'below'}"
            f" the {self.threshold:.3f} Krippendorff sets for tentative conclusions: {verdict}."
        )


def stance_coder_status(root: Path | None = None) -> StanceCoderStatus:
    """``reliable`` or ``exploratory``, with the dictionary coder's stance α against the
    reconciled codes and its interval (``str()`` gives a sentence a report can print)."""
    row = dictionary_reliability("reconciled", root).set_index("item").loc["stance"]
    status = "reliable" if row["alpha"] >= TENTATIVE else "exploratory"
    return StanceCoderStatus(
        status, float(row["alpha"]), float(row["ci_low"]), float(row["ci_high"]), int(row["n"])
    )


#: The versions of the dictionary stance coder that :func:`stance_coder_versions` compares.
STANCE_VERSIONS = {
    "first cue lists (before issue 13)": {"cues": FIRST_CUES, "gate": False},
    "revised cue lists": {"gate": False},
    "revised cue lists, paragraph about the ties (the coder)": {},
}


def stance_coder_versions(root: Path | None = None) -> pd.DataFrame:
    """The dictionary stance coder before and after issue 13, against each hand coding.

    One row per version (:data:`STANCE_VERSIONS`) and hand coding: version, against, n,
    agreement, alpha with ci_low and ci_high (95 % bootstrap interval over sentences),
    alpha_verdict. The last version is the coder :func:`~rupak.analysis.framing.auto_code`
    runs.
    """
    rows = []
    for version, options in STANCE_VERSIONS.items():
        coded = auto_code(root=root, **options)
        for coder in CODERS:
            table = reliability(hand_codes(root, coder), coded, [], names=(coder, "auto"))
            row = table.set_index("item").loc["stance"]
            rows.append(
                {"version": version, "against": coder}
                | {k: row[k] for k in ("n", "agreement", "alpha", "ci_low", "ci_high")}
                | {"alpha_verdict": row["alpha_verdict"]}
            )
    return pd.DataFrame(rows)


def _shares(coder: str, sources: list[str], unit: str, root: Path | None) -> pd.DataFrame:
    """Share of each source's passages per frame and per stance, under one coding."""
    codes = hand_codes(root, coder)
    by_frame = frame_shares(codes, sources, unit, root=root).rename(columns={"frame_id": "item"})
    by_frame["kind"] = "frame"
    by_stance = stance_shares(codes, sources, unit, root).rename(columns={"stance": "item"})
    by_stance["item"] = by_stance["item"].astype(str)
    by_stance["kind"] = "stance"
    long = pd.concat([by_frame, by_stance])[["item", "kind", "source_id", "share"]]
    wide = long.pivot_table(index=["kind", "item"], columns="source_id", values="share", sort=False)
    return wide[sources].add_prefix(f"{coder}_")


def findings_by_coder(
    source_a: str,
    source_b: str,
    unit: str = "sentence",
    root: Path | None = None,
) -> pd.DataFrame:
    """Each source's share of passages per frame and stance under coder1, coder2 and the
    reconciled codes, and whether the difference between the sources points the same way
    under all three.

    Columns: item (a frame id, ``none``, or a stance), kind (``frame`` or ``stance``), then
    ``<coder>_<source>`` for each coding and source, direction (under the reconciled codes:
    ``<source> more``, or ``equal``) and same_direction (True when the sign of source_a −
    source_b is the same under all three codings). A finding that rests on a frame holds
    under either coder when same_direction is True.
    """
    sources = chosen_sources([source_a, source_b], root)
    table = pd.concat([_shares(c, sources, unit, root) for c in CODERS], axis=1)
    signs = np.column_stack(
        [np.sign(table[f"{c}_{source_a}"] - table[f"{c}_{source_b}"]) for c in CODERS]
    )
    final = signs[:, -1]
    more_a = f"{source_label(source_a, perspective=False)} more"
    more_b = f"{source_label(source_b, perspective=False)} more"
    table["direction"] = np.where(final > 0, more_a, np.where(final < 0, more_b, "equal"))
    table["same_direction"] = (signs == signs[:, [0]]).all(axis=1)
    table.columns.name = None
    return table.reset_index()[["item", "kind", *table.columns]]
