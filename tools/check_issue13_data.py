"""Check the curated tables that issue 13 adds or changes, before the descriptor knows them.

Run from the repository root: ``python tools/check_issue13_data.py``. It lists every problem
(``file:row:column: value: message``) and exits 1 if there is any; it changes nothing on disk.
The rules are those of docs/curation.md and docs/framing.md; docs/issue13-schema.md lists the
columns.
"""

from __future__ import annotations

import csv
import re
import sys
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CUR = ROOT / "data" / "curated"
SOURCES = {
    "durrani": ROOT / "data" / "sources" / "000_be06c8c6ab4980c8.txt",
    "kaushiki_bawa": ROOT / "data" / "sources" / "001_39407a9623e540cf.txt",
}
NATURES = {"interstate_act", "context", "statistic"}
KINDS = {
    "visit",
    "summit",
    "treaty",
    "alliance",
    "organisation",
    "arms_deal",
    "arms_embargo",
    "aid",
    "aid_cutoff",
    "un_veto",
    "un_vote",
    "war",
    "invasion",
    "border_clash",
    "military_exercise",
    "nuclear",
    "statement",
    "diplomatic_shift",
    "terrorist_attack",
    "military_operation",
    "crisis",
    "assessment",
    "trend",
}
PRECISIONS = {"day", "month", "year", "decade"}
STANCES = {"opportunity", "threat", "neutral"}
CODERS = ("coder1", "coder2", "reconciled")
EVENT_FIELDS = (
    "nature",
    "kind",
    "cameo_code",
    "initiator",
    "target",
    "date_start",
    "date_end",
    "date_precision",
)
NOTE_KINDS = {
    "wrong_date",
    "wrong_title",
    "misspelling",
    "anachronism",
    "contradiction",
    "misattribution",
    "citation_error",
    "extraction_debris",
    "unsupported",
}
DECIDED_BY = {"review", "coder2", "reconciliation", "open_call"}

problems: list[str] = []


def short(value: str, limit: int = 60) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def problem(table: str, row: int, column: str, value: str, message: str) -> None:
    problems.append(f"data/curated/{table}:{row}:{column}: {short(value)!r}: {message}")


def read(name: str) -> list[dict[str, str]]:
    with open(CUR / name, encoding="utf-8", newline="") as fh:
        raw = fh.read()
    if "\r" in raw:
        problem(name, 1, "-", "\\r", "line endings must be \\n")
    with open(CUR / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def unique(name: str, rows: list[dict[str, str]], key: tuple[str, ...]) -> None:
    seen: dict[tuple[str, ...], int] = {}
    for i, r in enumerate(rows, 2):
        k = tuple(r[c] for c in key)
        if k in seen:
            problem(name, i, "+".join(key), "/".join(k), f"duplicate key (first at row {seen[k]})")
        seen.setdefault(k, i)


def check_quotes(name: str, rows: list[dict[str, str]], texts: dict[str, str]) -> None:
    for i, r in enumerate(rows, 2):
        text = texts.get(r["source_id"])
        if text is None:
            problem(name, i, "source_id", r["source_id"], "unknown source")
            continue
        start, end = int(r["char_start"]), int(r["char_end"])
        if text[start:end] != r["quote"]:
            problem(name, i, "quote", r["quote"], f"not the text at [{start}:{end}]")


def parse_date(name: str, i: int, column: str, value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        problem(name, i, column, value, "not an ISO date YYYY-MM-DD")
        return None


def check_dates(name: str, i: int, r: dict[str, str]) -> None:
    start = parse_date(name, i, "date_start", r["date_start"])
    end = parse_date(name, i, "date_end", r["date_end"])
    if r["date_precision"] not in PRECISIONS:
        problem(name, i, "date_precision", r["date_precision"], f"not one of {sorted(PRECISIONS)}")
    if start is None or end is None:
        return
    if start > end:
        problem(name, i, "date_end", r["date_end"], "before date_start")
    whole_years = (start.month, start.day, end.month, end.day) == (1, 1, 12, 31)
    if r["date_precision"] in ("year", "decade") and not whole_years:
        problem(name, i, "date_precision", r["date_precision"], "span must run 1 Jan - 31 Dec")
    if r["date_precision"] == "decade" and (start.year % 10 or end.year % 10 != 9):
        problem(name, i, "date_precision", "decade", "a decade span starts in a year ending 0")
    if r["date_precision"] == "month":
        last = (end.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        if start.day != 1 or end != last:
            problem(name, i, "date_precision", "month", "span must run first - last day of months")


def check_event_codes(
    name: str, i: int, r: dict[str, str], cameo: set[str], actors: set[str]
) -> None:
    """The vocabularies and dates of one coded event; the nature rule only for events.csv
    (event_codes_second.csv keeps coder2's codes as coder2 made them)."""
    if r["nature"] not in NATURES:
        problem(name, i, "nature", r["nature"], f"not one of {sorted(NATURES)}")
    if r["kind"] not in KINDS:
        problem(name, i, "kind", r["kind"], "not a kind of docs/curation.md")
    if r["cameo_code"] and r["cameo_code"] not in cameo:
        problem(name, i, "cameo_code", r["cameo_code"], "not in cameo.csv")
    if r["nature"] == "interstate_act":
        for col in ("cameo_code", "initiator"):
            if not r[col]:
                problem(name, i, col, "", "an interstate act needs it")
    elif r["nature"] in NATURES and name == "events.csv":
        for col in ("cameo_code", "initiator", "target"):
            if r[col]:
                problem(name, i, col, r[col], f"a {r['nature']} row carries no {col}")
    for col in ("initiator", "target"):
        if r[col] and r[col] not in actors:
            problem(name, i, col, r[col], "not in actors.csv")
    for code in filter(None, r["actors"].split(";")):
        if code not in actors:
            problem(name, i, "actors", code, "not in actors.csv")
    check_dates(name, i, r)


def check_events(
    tables: dict[str, list[dict[str, str]]], cameo: set[str], actors: set[str]
) -> None:
    for name in ("events.csv", "event_codes_second.csv"):
        for i, r in enumerate(tables[name], 2):
            check_event_codes(name, i, r, cameo, actors)
    events = {r["event_id"] for r in tables["events.csv"]}
    for name in ("evidence.csv", "event_codes_second.csv", "event_reconciliation.csv"):
        for i, r in enumerate(tables[name], 2):
            if r["event_id"] not in events:
                problem(name, i, "event_id", r["event_id"], "not in events.csv")
    for i, r in enumerate(tables["event_codes_second.csv"], 2):
        if r["coder"] != "coder2":
            problem("event_codes_second.csv", i, "coder", r["coder"], "must be coder2")
        if r["in_sample"] not in ("true", "false"):
            problem("event_codes_second.csv", i, "in_sample", r["in_sample"], "true or false")


def check_event_reconciliation(tables: dict[str, list[dict[str, str]]]) -> None:
    events = {r["event_id"]: r for r in tables["events.csv"]}
    second = {r["event_id"]: r for r in tables["event_codes_second.csv"]}
    recon = {(r["event_id"], r["field"]): r for r in tables["event_reconciliation.csv"]}
    for i, r in enumerate(tables["event_reconciliation.csv"], 2):
        eid, field = r["event_id"], r["field"]
        if field not in EVENT_FIELDS or eid not in second or eid not in events:
            problem(
                "event_reconciliation.csv", i, "field", field, "not a field of a second-coded event"
            )
            continue
        if r["coder1"] == r["coder2"]:
            problem("event_reconciliation.csv", i, "coder1", r["coder1"], "no disagreement")
        if r["coder2"] != second[eid][field]:
            problem("event_reconciliation.csv", i, "coder2", r["coder2"], "not coder2's code")
        if r["final"] != events[eid][field]:
            problem(
                "event_reconciliation.csv", i, "final", r["final"], "not the value in events.csv"
            )
        if r["final"] not in (r["coder1"], r["coder2"]) or not r["reason"]:
            problem("event_reconciliation.csv", i, "reason", r["reason"], "final must be reasoned")
    for eid, b in second.items():
        for field in EVENT_FIELDS:
            if eid in events and events[eid][field] != b[field] and (eid, field) not in recon:
                problem(
                    "events.csv",
                    0,
                    field,
                    events[eid][field],
                    f"{eid} differs from coder2 without a reconciliation row",
                )


def frame_values(row: dict[str, str], frames: list[str]) -> dict[str, str]:
    present = set(row["frames"].split(";"))
    values = {f: str(int(f in present)) for f in frames}
    values["stance"] = row["stance"]
    return values


def check_frames(tables: dict[str, list[dict[str, str]]]) -> None:
    frames = [r["frame_id"] for r in tables["frames.csv"]]
    by_coder: dict[str, dict[str, dict[str, str]]] = defaultdict(dict)
    order: dict[str, list[str]] = defaultdict(list)
    for i, r in enumerate(tables["passage_frames.csv"], 2):
        codes = r["frames"].split(";")
        if r["coder"] not in CODERS:
            problem("passage_frames.csv", i, "coder", r["coder"], f"not one of {CODERS}")
        if any(c not in frames and c != "none" for c in codes) or (
            "none" in codes and len(codes) > 1
        ):
            problem(
                "passage_frames.csv", i, "frames", r["frames"], "unknown frame or none combined"
            )
        if r["stance"] not in STANCES:
            problem("passage_frames.csv", i, "stance", r["stance"], "unknown stance")
        by_coder[r["coder"]][r["passage_id"]] = r
        order[r["coder"]].append(r["passage_id"])
    if (
        not (order["coder1"] == order["coder2"] == order["reconciled"])
        or len(order["coder1"]) != 166
    ):
        problem("passage_frames.csv", 0, "passage_id", "", "coders must code the same 166")
    recon = {(r["passage_id"], r["field"]): r for r in tables["frame_reconciliation.csv"]}
    for pid in order["coder1"]:
        a = frame_values(by_coder["coder1"][pid], frames)
        b = frame_values(by_coder["coder2"].get(pid, by_coder["coder1"][pid]), frames)
        final = frame_values(by_coder["reconciled"].get(pid, by_coder["coder1"][pid]), frames)
        for field in [*frames, "stance"]:
            r = recon.get((pid, field))
            if a[field] != b[field] and r is None:
                problem("frame_reconciliation.csv", 0, field, pid, "disagreement without a row")
            if r is None:
                if final[field] != a[field]:
                    problem("passage_frames.csv", 0, field, pid, "reconciled, no reason")
                continue
            if (r["coder1"], r["coder2"]) != (a[field], b[field]) or a[field] == b[field]:
                problem("frame_reconciliation.csv", 0, field, pid, "not the coders' disagreement")
            if r["final"] != final[field] or not r["reason"]:
                problem("frame_reconciliation.csv", 0, field, pid, "final is not reconciled")
    for pid, field in recon:
        if pid not in by_coder["coder1"] or field not in [*frames, "stance"]:
            problem(
                "frame_reconciliation.csv",
                0,
                "field",
                f"{pid}/{field}",
                "unknown sentence or field",
            )


def check_changes(tables: dict[str, list[dict[str, str]]]) -> None:
    keys = {
        "events": ("events.csv", "event_id"),
        "source_notes": ("source_notes.csv", "note_id"),
        "passage_frames": ("passage_frames.csv", "passage_id"),
    }
    last: dict[tuple[str, str, str], str] = {}
    for i, r in enumerate(tables["coding_changes.csv"], 2):
        if not re.fullmatch(r"C-\d{3}", r["change_id"]):
            problem("coding_changes.csv", i, "change_id", r["change_id"], "must be C-NNN")
        if r["decided_by"] not in DECIDED_BY:
            problem(
                "coding_changes.csv",
                i,
                "decided_by",
                r["decided_by"],
                f"not in {sorted(DECIDED_BY)}",
            )
        if r["table"] not in keys or not r["reason"]:
            problem("coding_changes.csv", i, "table", r["table"], "unknown table or no reason")
            continue
        last[(r["table"], r["row_id"], r["column"])] = r["new"]
    for (table, row_id, column), new in last.items():
        name, key = keys[table]
        rows = [r for r in tables[name] if r[key] == row_id and r.get("coder") in (None, "coder1")]
        if not rows:
            problem("coding_changes.csv", 0, "row_id", row_id, f"not in {name}")
        elif rows[0].get(column) != new:
            problem("coding_changes.csv", 0, column, row_id, f"last change differs from {name}")


def check_rest(tables: dict[str, list[dict[str, str]]]) -> None:
    events = {r["event_id"] for r in tables["events.csv"]}
    ids = {
        "events": events,
        "claims": {r["claim_id"] for r in tables["claims.csv"]},
        "source_notes": {r["note_id"] for r in tables["source_notes.csv"]},
    }
    evidence = {(r["event_id"], r["source_id"]) for r in tables["evidence.csv"]}
    for i, r in enumerate(tables["source_notes.csv"], 2):
        if r["kind"] not in NOTE_KINDS:
            problem("source_notes.csv", i, "kind", r["kind"], "unknown kind")
        if r["status"] not in ("kept", "relabelled", "withdrawn"):
            problem("source_notes.csv", i, "status", r["status"], "kept, relabelled or withdrawn")
        if r["severity"] not in ("error", "judgement"):
            problem("source_notes.csv", i, "severity", r["severity"], "error or judgement")
        if r["status"] != "kept" and not r["revision"]:
            problem("source_notes.csv", i, "revision", "", "give the reason")
    for i, r in enumerate(tables["coverage_check.csv"], 2):
        status = r["status"]
        if status not in ("held", "added", "out_of_scope"):
            problem("coverage_check.csv", i, "status", status, "held, added or out_of_scope")
        elif status == "out_of_scope" and (not r["reason"] or r["row_id"]):
            problem("coverage_check.csv", i, "reason", r["reason"], "a reason and no row")
        elif status != "out_of_scope" and r["row_id"] not in ids.get(r["table"], set()):
            problem("coverage_check.csv", i, "row_id", r["row_id"], f"not in {r['table']}")
        elif status == "added" and (r["row_id"], r["source_id"]) not in evidence:
            problem("coverage_check.csv", i, "row_id", r["row_id"], "added without evidence row")
    for i, r in enumerate(tables["curation_decisions.csv"], 2):
        if r["status"] not in ("decided", "left open"):
            problem("curation_decisions.csv", i, "status", r["status"], "decided or left open")
        if r["event_id"] and r["event_id"] not in events:
            problem("curation_decisions.csv", i, "event_id", r["event_id"], "not in events.csv")
    for i, r in enumerate(tables["claims.csv"], 2):
        if r["event_id"] and r["event_id"] not in events:
            problem("claims.csv", i, "event_id", r["event_id"], "not in events.csv")


def main() -> int:
    names = [
        "events.csv",
        "evidence.csv",
        "claims.csv",
        "source_notes.csv",
        "cameo.csv",
        "actors.csv",
        "frames.csv",
        "passage_frames.csv",
        "event_codes_second.csv",
        "event_reconciliation.csv",
        "frame_reconciliation.csv",
        "coding_changes.csv",
        "curation_decisions.csv",
        "coverage_check.csv",
    ]
    tables = {n: read(n) for n in names}
    texts = {s: p.read_text(encoding="utf-8") for s, p in SOURCES.items()}
    for name in ("evidence.csv", "claims.csv", "source_notes.csv"):
        check_quotes(name, tables[name], texts)
    keys = {
        "events.csv": ("event_id",),
        "evidence.csv": ("event_id", "source_id"),
        "passage_frames.csv": ("passage_id", "coder"),
        "event_codes_second.csv": ("event_id",),
        "event_reconciliation.csv": ("event_id", "field"),
        "frame_reconciliation.csv": ("passage_id", "field"),
        "coding_changes.csv": ("change_id",),
        "curation_decisions.csv": ("decision_id",),
        "source_notes.csv": ("note_id",),
        "coverage_check.csv": ("item_id", "source_id"),
        "cameo.csv": ("cameo_code",),
    }
    for name, key in keys.items():
        unique(name, tables[name], key)
    cameo = {r["cameo_code"] for r in tables["cameo.csv"]}
    actors = {r["code"] for r in tables["actors.csv"]}
    check_events(tables, cameo, actors)
    check_event_reconciliation(tables)
    check_frames(tables)
    check_changes(tables)
    check_rest(tables)
    for p in problems:
        print(p)
    print(f"{len(problems)} problem(s) in {len(names)} tables")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
