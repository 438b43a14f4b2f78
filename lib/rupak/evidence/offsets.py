"""A curator's aid: fill blank quote offsets where the quote occurs exactly once.

Curators type quotes; offsets are mechanical. Where a quote occurs more than once the
curator must choose, so that row is reported, not guessed. If anything is wrong nothing is
written; otherwise each changed table is replaced atomically.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from rupak.base.paths import data_dir
from rupak.base.storage import atomic_write_bytes

QUOTED_TABLES = ("evidence", "claims", "source_notes")


def _texts(root: Path) -> dict[str, str]:
    with open(root / "curated" / "sources.csv", encoding="utf-8", newline="") as handle:
        return {
            row["source_id"]: (root / "sources" / row["file"]).read_text(encoding="utf-8")
            for row in csv.DictReader(handle)
        }


def fill_offsets(root: Path | None = None) -> tuple[dict[str, int], list[str]]:
    """Return ``({table: rows filled}, problems)``; writes only when there are no problems."""
    root = Path(root) if root is not None else data_dir()
    texts = _texts(root)
    problems: list[str] = []
    pending: dict[Path, bytes] = {}
    changed: dict[str, int] = {}
    for name in QUOTED_TABLES:
        path = root / "curated" / f"{name}.csv"
        with open(path, encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            header, rows = list(reader.fieldnames or []), list(reader)
        count = 0
        for number, row in enumerate(rows, start=2):
            if row["char_start"] and row["char_end"]:
                continue
            text, quote = texts.get(row["source_id"], ""), row["quote"]
            hits = text.count(quote) if quote else 0
            if hits != 1:
                problems.append(
                    f"{path}:{number}:quote: {quote[:60]!r}: occurs {hits} times "
                    f"in {row['source_id']}; set char_start/char_end by hand"
                )
                continue
            start = text.find(quote)
            row["char_start"], row["char_end"] = str(start), str(start + len(quote))
            count += 1
        if count:
            buffer = io.StringIO()
            writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
            pending[path] = buffer.getvalue().encode("utf-8")
            changed[name] = count
    if problems:
        return {}, problems
    for path, data in pending.items():
        atomic_write_bytes(path, data)
    return changed, []
