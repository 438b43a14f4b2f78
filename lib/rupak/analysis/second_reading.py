"""What the second reading changed and found: reconciliation, notes revisited, coverage.

The second coder (``coder2``: blind, model-assisted, by an AI agent; docs/curation.md) coded a
random sample of events and every sentence's frames, revisited the source notes and listed
every event and figure it read in both texts. These functions summarise, as tidy tables:

* :func:`reconciliation_summary` — the disagreements decided in ``event_reconciliation.csv``
  and ``frame_reconciliation.csv``, by field and by whose value was kept;
* :func:`notes_revisited` — the source notes by status (kept, relabelled, withdrawn) and
  severity (error, judgement);
* :func:`coverage_summary` and :func:`coverage_items` — how many of the second reading's
  items the curated tables hold, per source, and the ones added or left out, with reasons.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from rupak.analysis.event_reliability import IDENTIFICATION
from rupak.evidence import curated
from rupak.evidence.framing_tables import frame_reconciliation

COVERAGE_STATUSES = ("held", "added", "out_of_scope")


def _decisions(table: pd.DataFrame, coding: str, identification: pd.Series) -> pd.DataFrame:
    table = table.fillna("")
    rows = []
    for field, group in table.groupby("field", sort=False):
        marked = identification.loc[group.index]
        decided = group[~marked]
        rows.append(
            {
                "coding": coding,
                "field": field,
                "disagreements": len(group),
                "kept_coder1": int((decided["final"] == decided["coder1"]).sum()),
                "kept_coder2": int((decided["final"] == decided["coder2"]).sum()),
                "identification": int(marked.sum()),
            }
        )
    return pd.DataFrame(rows)


def reconciliation_summary(root: Path | None = None) -> pd.DataFrame:
    """Disagreements between coder1 and coder2 and how each was decided.

    One row per coding (``frames``, ``events``) and field, then a total per coding (field
    ``all``): disagreements (reconciliation rows), kept_coder1 and kept_coder2 (whose value is
    final), identification (event rows where coder2 coded another event from a shared quote:
    not a disagreement about codes, so neither coder's value was "kept"; coder1's stands).
    """
    frames = frame_reconciliation(root)
    events = curated.event_reconciliation(root)
    marked = events["reason"].astype(str).str.startswith(IDENTIFICATION)
    parts = [
        _decisions(frames, "frames", pd.Series(False, index=frames.index)),
        _decisions(events, "events", marked),
    ]
    rows = []
    for part in parts:
        total = part.drop(columns=["coding", "field"]).sum()
        rows.append(part)
        rows.append(pd.DataFrame([{"coding": part["coding"].iloc[0], "field": "all", **total}]))
    return pd.concat(rows, ignore_index=True)


def notes_revisited(root: Path | None = None) -> pd.DataFrame:
    """Source notes by status and severity: status, severity, notes, note_ids.

    A withdrawn note stays in ``source_notes.csv`` (never deleted); counts of errata should
    skip it. ``coding_changes.csv`` holds a relabelled note's old kind.
    """
    notes = curated.source_notes(root)
    notes["status"] = notes["status"].astype(str)
    notes["severity"] = notes["severity"].astype(str)
    table = (
        notes.groupby(["status", "severity"])["note_id"]
        .agg(notes="size", note_ids=lambda ids: ", ".join(sorted(ids)))
        .reset_index()
    )
    order = {"kept": 0, "relabelled": 1, "withdrawn": 2}
    ordered = table.sort_values(
        ["status", "severity"], key=lambda s: s.map(order) if s.name == "status" else s
    )
    return ordered.reset_index(drop=True)


def coverage_summary(root: Path | None = None) -> pd.DataFrame:
    """How many of the second reading's items the curated tables hold, per source.

    One row per source and one for both (``all``): items, events, figures, held (a curated
    row has it), added (added in issue 13, with evidence), out_of_scope (deliberately not a
    row; :func:`coverage_items` gives the reasons), held_share (held / items) and
    covered_share ((held + added) / items).
    """
    table = curated.coverage_check(root)
    table["source_id"] = table["source_id"].astype(str)
    rows = []
    for source, group in [*table.groupby("source_id", sort=False), ("all", table)]:
        status = group["status"].astype(str)
        kind = group["type"].astype(str)
        counts = {s: int((status == s).sum()) for s in COVERAGE_STATUSES}
        rows.append(
            {
                "source_id": source,
                "items": len(group),
                "events": int((kind == "event").sum()),
                "figures": int((kind == "figure").sum()),
                **counts,
                "held_share": counts["held"] / len(group),
                "covered_share": (counts["held"] + counts["added"]) / len(group),
            }
        )
    return pd.DataFrame(rows)


def coverage_items(
    statuses: tuple[str, ...] = ("added", "out_of_scope"), root: Path | None = None
) -> pd.DataFrame:
    """The second reading's items of the given statuses (default: those not already held),
    with why: source_id, item_id, type, description, status, table, row_id, reason."""
    unknown = set(statuses) - set(COVERAGE_STATUSES)
    if unknown:
        raise ValueError(f"statuses {sorted(unknown)}: choose among {', '.join(COVERAGE_STATUSES)}")
    table = curated.coverage_check(root)
    chosen = table[table["status"].astype(str).isin(statuses)]
    columns = ["source_id", "item_id", "type", "description", "status", "table", "row_id", "reason"]
    return chosen[columns].sort_values(["source_id", "status", "item_id"]).reset_index(drop=True)
