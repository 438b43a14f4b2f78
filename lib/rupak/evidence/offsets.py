"""A curator's aid: fill blank quote offsets where the quote occurs exactly once.

Curators type quotes; offsets are mechanical. Where a quote occurs more than once the
curator must choose, so that row is reported, not guessed. If anything is wrong nothing is
written; otherwise each changed table is replaced atomically, changing only the records that
were filled: every other byte, the file's line endings (LF or CRLF) and its mode stay as
they were.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

from rupak.base.storage import atomic_write_bytes
from rupak.evidence import tables
from rupak.evidence.tables import Table

QUOTED_TABLES = ("evidence", "claims", "source_notes")


def _texts(root: Path) -> dict[str, str]:
    sources = tables.read("sources", root)
    texts = {}
    for record in sources.rows:
        path = tables.source_path(root, record["file"])
        texts[record["source_id"]] = path.read_text(encoding="utf-8")
    return texts


def _record_text(table: Table, index: int, row: dict[str, str]) -> str:
    """One record written again, ending as the original record ended (LF, CRLF or nothing)."""
    start, end = table.spans[index]
    original = table.text[start:end]
    ending = original[len(original.rstrip("\r\n")) :]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=ending).writerow([row[c] for c in table.header])
    return buffer.getvalue()


def _rewritten(table: Table, changed: dict[int, dict[str, str]]) -> bytes:
    pieces, cursor = [], 0
    for index in sorted(changed):
        start, end = table.spans[index]
        pieces += [table.text[cursor:start], _record_text(table, index, changed[index])]
        cursor = end
    pieces.append(table.text[cursor:])
    return ("\ufeff" if table.bom else "").encode("utf-8") + "".join(pieces).encode("utf-8")


def fill_offsets(root: Path | None = None) -> tuple[dict[str, int], list[str]]:
    """Return ``({table: rows filled}, problems)``; writes only when there are no problems."""
    root = tables.data_root(root)
    texts = _texts(root)
    problems: list[str] = []
    pending: dict[Path, bytes] = {}
    counts: dict[str, int] = {}
    found = tables.checked_package(root)
    for name in QUOTED_TABLES:
        table = tables.read(name, root)
        changed: dict[int, dict[str, str]] = {}
        for index, (number, row) in enumerate(table.numbered()):
            if row["char_start"] and row["char_end"]:
                continue
            text, quote = texts.get(row["source_id"], ""), row["quote"]
            hits = text.count(quote) if quote else 0
            if hits != 1:
                problems.append(
                    f"{table.file}:{number}:quote: {quote[:60]!r}: occurs {hits} times "
                    f"in {row['source_id']}; set char_start/char_end by hand"
                )
                continue
            start = text.find(quote)
            changed[index] = {**row, "char_start": str(start), "char_end": str(start + len(quote))}
        if changed:
            pending[found.path(name)] = _rewritten(table, changed)
            counts[name] = len(changed)
    if problems:
        return {}, problems
    for path, data in pending.items():
        mode = path.stat().st_mode & 0o7777
        atomic_write_bytes(path, data)
        os.chmod(path, mode)  # keep the curator's mode, not a new file's default
    return counts, []
