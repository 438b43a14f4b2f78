"""SIPRI's TIV tables: one spreadsheet-shaped export per exporter, parsed into a tidy table.

Why this module: SIPRI publishes the TIV tables as one CSV per exporter, with preamble lines
and a ``Total`` row and column; analyses need one tidy table, with states keyed by ISO3, and
must know when a new export changed shape, so the parser fails loudly, naming file, line,
column and value (:class:`rupak.record.sipri_format.SipriFormatError`). Units: every value is
a SIPRI TIV (millions), a volume and not money (docs/methods.md#tiv). In these tables a
printed ``0`` means "delivered, but under 0.5 million" and a blank means "nothing delivered":
a blank is *no row*; a ``0`` is a row with ``tiv == 0.0`` and ``below_half == True``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from rupak.record import fetch as record
from rupak.record.sipri_format import (
    NUMBER,
    UNPLACED_REASON,
    YEAR,
    Problem,
    SipriFormatError,
    csv_rows,
    decode,
    state_codes,
    unplaced,
)

__all__ = [
    "TIV_COLUMNS",
    "TIV_FOLDER",
    "TivTotals",
    "build_tiv",
    "parse_tiv_file",
    "read_tiv",
    "tiv_dtypes",
    "tiv_file_totals",
    "tiv_files",
    "tiv_years",
]

TIV_FOLDER = "sipri/tiv-exports/"

_TITLE = re.compile(r"TIV of arms exports from (?P<supplier>.+), (?P<first>\d{4})-(?P<last>\d{4})")
_FILE_NAME = re.compile(r"TIV-Export-(?P<code>[A-Z]{2,3})-(?P<first>\d{4})-(?P<last>\d{4})\.csv")
# Preamble statements whose meaning the parser relies on: if SIPRI rewords them, a person
# must check that units and the '0' convention still hold.
_PREAMBLE_MUST_SAY = (
    ("expressed in millions", "figures are TIV in millions"),
    ("'0' indicates that the value of deliveries is less than 0.5m", "'0' means under 0.5m"),
)

TIV_COLUMNS = [
    "supplier",
    "supplier_code",
    "supplier_iso3",
    "recipient",
    "recipient_iso3",
    "year",
    "tiv",
    "below_half",
]


@dataclass
class _TivTable:
    """One TIV file as read, before country codes: cells, SIPRI's printed totals, problems."""

    path: Path
    supplier: str = ""
    code: str = ""
    years: list[int] = field(default_factory=list)  # the header's year columns
    has_total: bool = False  # the header ends with a Total column
    records: list[tuple[int, str, int, float]] = field(default_factory=list)  # line, name, y, v
    lines: dict[str, int] = field(default_factory=dict)  # recipient -> line
    row_totals: dict[str, float] = field(default_factory=dict)
    year_totals: dict[int, float] = field(default_factory=dict)
    grand_total: float | None = None
    problems: list[Problem] = field(default_factory=list)

    def problem(self, line: int | None, column: str | None, value: str | None, why: str) -> None:
        self.problems.append(Problem(str(self.path), line, column, value, why))

    def number(self, line: int, index: int, cell: str, label: str) -> float | None:
        """A TIV cell: None when blank, a problem when not a number."""
        value = cell.strip()
        if not value:
            return None
        if NUMBER.fullmatch(value) is None:
            self.problem(
                line, f"{index} ({label})", cell, "not a TIV number (expected digits or blank)"
            )
            return None
        return float(value)


def _read_head(table: _TivTable, rows: list[tuple[int, list[str]]]) -> int | None:
    """File name, title, preamble and year header; the index of the header row, if found."""
    named = _FILE_NAME.fullmatch(table.path.name)
    if named is None:
        table.problem(None, None, table.path.name, "file name is not TIV-Export-<CODE>-<Y>-<Y>.csv")
    else:
        table.code = named["code"]
    title_line, title_row = rows[0]
    title = _TITLE.fullmatch(title_row[0].strip() if title_row else "")
    if title is None:
        table.problem(
            title_line,
            "1",
            title_row[0] if title_row else "",
            "title is not 'TIV of arms exports from <supplier>, <first>-<last>'",
        )
    else:
        table.supplier = title["supplier"].strip()
    header_at = next(
        (
            i
            for i, (_, row) in enumerate(rows)
            if len(row) > 1 and not row[0].strip() and YEAR.fullmatch(row[1].strip())
        ),
        None,
    )
    if header_at is None:
        table.problem(
            None,
            None,
            None,
            f"no year header row (',1950,1951,...,Total') in its {rows[-1][0]} lines: "
            "the preamble or layout changed",
        )
        return None
    preamble = " ".join(" ".join(row) for _, row in rows[:header_at])
    for phrase, meaning in _PREAMBLE_MUST_SAY:
        if phrase not in preamble:
            table.problem(
                None,
                None,
                phrase,
                f"preamble (lines 1-{rows[header_at][0] - 1}) no longer states that {meaning}",
            )
    _read_years(table, *rows[header_at], title)
    return header_at


def _read_years(
    table: _TivTable, header_line: int, header: list[str], title: re.Match[str] | None
) -> None:
    labels = [cell.strip() for cell in header]
    table.has_total = labels[-1] == "Total"
    year_labels = labels[1:-1] if table.has_total else labels[1:]
    first = int(year_labels[0])
    table.years = years = list(range(first, first + len(year_labels)))
    for index, (label, year) in enumerate(zip(year_labels, years, strict=True), start=2):
        if label != str(year):
            table.problem(header_line, str(index), label, f"header: expected year {year}")
    if title is not None and (int(title["first"]), int(title["last"])) != (years[0], years[-1]):
        table.problem(
            header_line,
            None,
            f"{years[0]}-{years[-1]}",
            f"header years differ from the title's {title['first']}-{title['last']}",
        )


def _read_body(table: _TivTable, rows: list[tuple[int, list[str]]], width: int) -> None:
    """The recipient rows and the Total row below the header."""
    years = table.years
    total_seen_at: int | None = None
    for line, row in rows:
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != width:
            table.problem(line, None, row[0], f"row has {len(row)} cells, the header {width}")
            continue
        name = row[0].strip()
        if total_seen_at is not None:
            table.problem(
                line, "1 (recipient)", name, f"row after the Total row (line {total_seen_at})"
            )
            continue
        cells = row[1 : len(years) + 1]
        if name == "Total":
            total_seen_at = line
            for index, (year, cell) in enumerate(zip(years, cells, strict=True), start=2):
                value = table.number(line, index, cell, str(year))
                if value is not None:
                    table.year_totals[year] = value
            if table.has_total:
                table.grand_total = table.number(line, width, row[-1], "Total")
            continue
        if not name:
            table.problem(line, "1 (recipient)", row[0], "values without a recipient name")
            continue
        if name in table.lines:
            first = table.lines[name]
            table.problem(
                line, "1 (recipient)", name, f"recipient repeated (first on line {first})"
            )
            continue
        table.lines[name] = line
        for index, (year, cell) in enumerate(zip(years, cells, strict=True), start=2):
            value = table.number(line, index, cell, str(year))
            if value is not None:
                table.records.append((line, name, year, value))
        if table.has_total:
            value = table.number(line, width, row[-1], "Total")
            if value is not None:
                table.row_totals[name] = value


def read_tiv(path: Path) -> _TivTable:
    """Read one SIPRI TIV export, collecting every layout problem instead of stopping."""
    table = _TivTable(Path(path))
    rows = csv_rows(decode(table.path, "utf-8-sig"), table.path)
    if not rows:
        table.problem(None, None, None, "file is empty")
        return table
    header_at = _read_head(table, rows)
    if header_at is None:
        return table
    header_line, header = rows[header_at]
    _read_body(table, rows[header_at + 1 :], len(header))
    if not table.lines:
        table.problem(header_line, None, None, "no recipient rows after the year header")
    return table


def tiv_years(path: str | Path) -> tuple[int, int]:
    """(first, last) year column of one TIV file's header, checked like the whole file."""
    table = read_tiv(Path(path))
    if table.problems:
        raise SipriFormatError(table.problems)
    return table.years[0], table.years[-1]


def _tiv_columns(
    tables: Sequence[_TivTable], codes: Mapping[str, str | None]
) -> tuple[dict[str, list], list[Problem]]:
    """Columns of the tidy TIV table for parsed files, plus any unplaced-name problems."""
    problems: list[Problem] = []
    out: dict[str, list] = {name: [] for name in TIV_COLUMNS}
    for table in tables:
        problems.extend(table.problems)
        if table.supplier and unplaced(table.supplier, codes):
            problems.append(
                Problem(
                    str(table.path), 1, "1 (title)", table.supplier, "supplier " + UNPLACED_REASON
                )
            )
        for name, line in table.lines.items():
            if unplaced(name, codes):
                problems.append(
                    Problem(
                        str(table.path),
                        line,
                        "1 (recipient)",
                        name,
                        "recipient " + UNPLACED_REASON,
                    )
                )
        n = len(table.records)
        out["supplier"] += [table.supplier] * n
        out["supplier_code"] += [table.code] * n
        out["supplier_iso3"] += [codes.get(table.supplier)] * n
        for _line, name, year, value in table.records:
            out["recipient"].append(name)
            out["recipient_iso3"].append(codes.get(name))
            out["year"].append(year)
            out["tiv"].append(value)
            out["below_half"].append(value == 0.0)
    return out, problems


def _tiv_frame(columns: Mapping[str, list]) -> pd.DataFrame:
    frame = pd.DataFrame(columns, columns=TIV_COLUMNS)
    return tiv_dtypes(frame).sort_values(["supplier_code", "recipient", "year"], ignore_index=True)


def tiv_dtypes(frame: pd.DataFrame) -> pd.DataFrame:
    """One set of dtypes for the TIV table, whether just parsed or read from the cache."""
    return frame.astype(
        {
            "supplier": "str",
            "supplier_code": "str",
            "supplier_iso3": "str",
            "recipient": "str",
            "recipient_iso3": "str",
            "year": "int16",
            "tiv": "float64",
            "below_half": "bool",
        }
    )


def parse_tiv_file(
    path: str | Path, *, codes: Mapping[str, str | None] | None = None
) -> pd.DataFrame:
    """One SIPRI TIV export (``TIV-Export-<CODE>-<first>-<last>.csv``) as a tidy table.

    Columns: supplier (from the title line), supplier_code (SIPRI's code, from the file name),
    supplier_iso3, recipient (as written), recipient_iso3 (None for non-states), year,
    tiv (SIPRI TIV (millions)) and below_half (SIPRI printed '0': delivered, under 0.5
    million). Blank cells give no row; the Total row and column are dropped (see
    :func:`tiv_file_totals`). ``codes`` (name → ISO3) skips the country lookup when the
    caller has done it for many files at once. Raises :class:`SipriFormatError` listing
    every problem: changed preamble, missing year header, non-numeric cell, unknown name.
    """
    table = read_tiv(Path(path))
    if codes is None:
        codes = state_codes([*([table.supplier] if table.supplier else []), *table.lines])
    columns, problems = _tiv_columns([table], codes)
    if problems:
        raise SipriFormatError(problems)
    return _tiv_frame(columns)


@dataclass(frozen=True)
class TivTotals:
    """The totals SIPRI printed in a TIV file (SIPRI TIV (millions)), for checking sums."""

    by_recipient: pd.Series  # the Total column, indexed by recipient
    by_year: pd.Series  # the Total row, indexed by year
    total: float | None  # the Total row's Total cell


def tiv_file_totals(path: str | Path) -> TivTotals:
    """SIPRI's printed Total row and column of one TIV file (parsed as strictly as the cells)."""
    table = read_tiv(Path(path))
    if table.problems:
        raise SipriFormatError(table.problems)
    return TivTotals(
        by_recipient=pd.Series(table.row_totals, dtype="float64", name="tiv"),
        by_year=pd.Series(table.year_totals, dtype="float64", name="tiv"),
        total=table.grand_total,
    )


def tiv_files() -> list[str]:
    """Record names of the TIV exports, one per exporter (SIPRI code in the file name)."""
    return sorted(name for name in record.registry() if name.startswith(TIV_FOLDER))


def build_tiv() -> pd.DataFrame:
    """Every TIV file of the record, parsed and mapped to ISO3 in one go (one country lookup)."""
    tables = [read_tiv(record.path(name)) for name in tiv_files()]
    names = [t.supplier for t in tables if t.supplier]
    names += [name for t in tables for name in t.lines]
    columns, problems = _tiv_columns(tables, state_codes(names))
    if problems:
        raise SipriFormatError(problems)
    return _tiv_frame(columns)
