"""How far two coders agree on the events: Krippendorff's α for nature, kind, CAMEO code,
initiator, target, date and Goldstein score (docs/methods.md#reliability, #event-coding).

What is compared. The second coder (``coder2``: blind, model-assisted, by an AI agent) coded
48 events; the 45 drawn at random (``event_codes_second.in_sample``) are the reliability
sample. Two of them are left out: from a quote that two events share, coder2 coded the other
event (its reconciliation rows give reasons starting ``identification:``), so its codes
describe a different event and say nothing about agreement on this one. That leaves 43.

coder1's code of each field is the first coding as it stood when coder2 coded (after the
issue's review pass, which added ``nature`` and re-coded the reviewed rows, and before any
reconciliation): ``event_reconciliation.coder1`` where the coders disagree, and otherwise
coder2's own value (they agree). ``coding_changes.csv`` holds the same values (the ``old`` of
the first change decided by reconciliation or an open call); a test holds the two equal.

Derived fields: CAMEO root (the code's first two digits, cameo.csv) and Goldstein score
(cameo.csv's weight of the code), start year (of ``date_start``). A field one coder left
empty (no CAMEO code, initiator or target: a context or statistic row) is missing for that
event: Krippendorff's α pairs only values both coders gave, so agreement on whether a row is
an act is measured by ``nature``, and agreement on the code by the code given both saw an act.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from rupak.analysis.coder_alpha import alpha_verdict, bootstrap_alpha
from rupak.evidence import curated
from rupak.evidence.coding_checks import EVENT_FIELDS

#: The event fields both coders coded, as event_reconciliation.field names them (one home:
#: the evidence layer's checks of the reconciliation table).
CODED = EVENT_FIELDS
#: A reconciliation reason that marks a mismatch of events, not of codes.
IDENTIFICATION = "identification:"
#: The items compared, their level of measurement, and what each is.
ITEMS = {
    "nature": ("nominal", "interstate act, context or statistic"),
    "kind": ("nominal", "controlled event kind"),
    "cameo_root": ("nominal", "CAMEO root code (first two digits)"),
    "cameo_code": ("nominal", "CAMEO code (three digits)"),
    "initiator": ("nominal", "actor code of who acts"),
    "target": ("nominal", "actor code acted upon"),
    "date_precision": ("nominal", "day, month, year or decade"),
    "start_year": ("interval", "year of date_start"),
    "goldstein": ("interval", "Goldstein score of the CAMEO code"),
}


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _second_codes(root: Path | None) -> pd.DataFrame:
    """coder2's codes as text, by event id (dates as ``YYYY-MM-DD``)."""
    table = curated.second_event_codes(root).set_index("event_id")
    for column in ("date_start", "date_end"):
        table[column] = table[column].dt.strftime("%Y-%m-%d")
    return table


def identification_mismatches(root: Path | None = None) -> list[str]:
    """Second-coded events where coder2 coded another event from a shared quote."""
    table = curated.event_reconciliation(root)
    marked = table["reason"].astype(str).str.startswith(IDENTIFICATION)
    return sorted(set(table.loc[marked, "event_id"]))


def event_codings(root: Path | None = None, *, sample_only: bool = True) -> pd.DataFrame:
    """coder1's and coder2's codes of the second-coded events, side by side (long).

    One row per event and field of :data:`CODED`: event_id, field, coder1, coder2 (text; ""
    where the coder gave no value), in_sample, identification (True where coder2 coded
    another event). With ``sample_only`` (default), only the random sample used for
    reliability, without the identification mismatches (see the module's docstring).
    """
    second = _second_codes(root)
    decided = curated.event_reconciliation(root).set_index(["event_id", "field"])
    mismatched = set(identification_mismatches(root))
    rows = []
    for event_id, record in second.iterrows():
        for field in CODED:
            theirs = _text(record[field])
            key = (event_id, field)
            ours = _text(decided.loc[key, "coder1"]) if key in decided.index else theirs
            rows.append(
                {
                    "event_id": event_id,
                    "field": field,
                    "coder1": ours,
                    "coder2": theirs,
                    "in_sample": bool(record["in_sample"]),
                    "identification": event_id in mismatched,
                }
            )
    table = pd.DataFrame(rows)
    if sample_only:
        table = table[table["in_sample"] & ~table["identification"]]
    return table.reset_index(drop=True)


def _values(wide: pd.DataFrame, item: str, cameo: pd.DataFrame) -> pd.Series:
    """One coder's values of an item (None where missing), from its wide codes."""
    if item == "cameo_root":
        return wide["cameo_code"].map(cameo["root_code"]).where(lambda s: s.notna(), None)
    if item == "goldstein":
        return wide["cameo_code"].map(cameo["goldstein"]).astype("float64")
    if item == "start_year":
        return wide["date_start"].str[:4].astype(int)
    return wide[item].replace("", None)


def event_reliability(root: Path | None = None) -> pd.DataFrame:
    """coder1 against coder2 on the random sample of events (see the module's docstring).

    One row per item of :data:`ITEMS`: item, level (nominal or interval), what, n (events
    both coders gave a value), agreement (share of them with identical values), alpha
    (Krippendorff) with ci_low and ci_high (95 % bootstrap interval over events, B = 1000,
    fixed seed), alpha_verdict.
    """
    long = event_codings(root)
    cameo = curated.cameo(root).set_index("cameo_code")
    wide = {
        coder: long.pivot(index="event_id", columns="field", values=coder)
        for coder in ("coder1", "coder2")
    }
    rows = []
    for item, (level, what) in ITEMS.items():
        first, second = (_values(wide[c], item, cameo) for c in ("coder1", "coder2"))
        estimate = bootstrap_alpha(list(first), list(second), level)
        rows.append(
            {
                "item": item,
                "level": level,
                "what": what,
                "n": estimate.n,
                "agreement": estimate.agreement,
                "alpha": estimate.alpha,
                "ci_low": estimate.ci_low,
                "ci_high": estimate.ci_high,
                "alpha_verdict": alpha_verdict(estimate.alpha),
            }
        )
    return pd.DataFrame(rows)


def sample_size(root: Path | None = None) -> dict[str, int]:
    """How many events were second-coded, sampled, left out as mismatches, and compared."""
    second = curated.second_event_codes(root)
    sampled = set(second.loc[second["in_sample"], "event_id"])
    mismatched = set(identification_mismatches(root)) & sampled
    return {
        "second_coded": len(second),
        "sampled": len(sampled),
        "identification_mismatches": len(mismatched),
        "compared": len(sampled - mismatched),
    }
