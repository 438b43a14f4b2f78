"""SIPRI arms transfers as tidy tables: TIV by supplier, recipient and year; the trade register.

Why this module: SIPRI publishes its Arms Transfers Database as spreadsheet-shaped exports
(one file per exporter, preamble lines, a ``Total`` row and column) and a Windows-1252 trade
register with blank-headed ``?`` columns. Analyses need one tidy table each, with states keyed
by ISO3 (via :mod:`rupak.record.countries`), and they need to know when a new export changed shape,
so every parser here fails loudly, naming file, line, column and value.

Units and conventions (``/work/shared/methods.md``, "SIPRI Trend-Indicator Values"; cite
SIPRI, :data:`rupak.record.fetch.CITATIONS`):

* Every value is a **SIPRI TIV (millions)**: SIPRI's trend-indicator value, a measure of the
  *volume* of military capability transferred, computed from unit production costs of a core
  set of weapons. It is not money: never add it to or compare it with currency amounts.
* In the TIV tables a printed ``0`` means "delivered, but under 0.5 million" and a blank means
  "nothing delivered". Here a blank is *no row*; a ``0`` is a row with ``tiv == 0.0`` and
  ``below_half == True``, so the two never merge.
* The TIV tables are rounded to whole millions (generated 28 July 2022). Sums, shares and
  changes computed here are therefore from rounded cells; SIPRI's own fact sheets use
  unrounded values, so expect differences of a fraction of a percentage point.
* Shares and changes follow SIPRI's fact-sheet formulas over windows of years (methods.md):
  ``share(s → r, P) = Σ_{t∈P} TIV(s→r, t) / Σ_{t∈P} Σ_{s'} TIV(s'→r, t)`` and
  ``change(P₁, P₂) = (Σ_{P₂} − Σ_{P₁}) / Σ_{P₁}``.
* SIPRI keeps the Soviet Union (file code ``USR``, ISO3 ``SUN``) and Russia (``RUS``) apart,
  and so does this module by default. ``fold_soviet=True`` relabels the Soviet Union as
  Russia, as supplier *and* recipient, under the name ``"Russia incl. Soviet Union"`` and codes
  ``RUS``/``RUS``, for long series; the two never overlap in time (USR ends 1991, RUS starts
  1992), so nothing is double-counted.
* Recipients SIPRI does not treat as states (armed groups marked ``*``, organisations marked
  ``**``, "Unknown ..." entries, unrecognised entities) carry ``recipient_iso3 = None``; they
  are listed in :data:`NON_STATE_ACTORS`, and any other name the country mapping cannot place
  is an error, not a silent gap.
"""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from rupak.record import fetch as record

__all__ = [
    "DEAL_COLUMNS",
    "FOLDED_NAME",
    "NON_STATE_ACTORS",
    "REGISTER",
    "TIV_COLUMNS",
    "TIV_LABEL",
    "Problem",
    "SipriFormatError",
    "TivTotals",
    "change",
    "deals",
    "flows",
    "import_shares",
    "parse_tiv_file",
    "parse_trade_register",
    "tiv",
    "tiv_file_totals",
    "tiv_files",
]

#: The label for every TIV column in tables, plots and reports: a volume, never money.
TIV_LABEL = "SIPRI TIV (millions)"

#: Record name of the trade register (see :func:`rupak.record.fetch.path`).
REGISTER = "sipri/trade-register.csv"
TIV_FOLDER = "sipri/tiv-exports/"

SOVIET_CODE = "USR"  # SIPRI's file code for the Soviet Union
RUSSIA_CODE = "RUS"
#: Name of the folded Soviet Union + Russia series (``fold_soviet=True``).
FOLDED_NAME = "Russia incl. Soviet Union"

# SIPRI's names for recipients and suppliers that are not states, as they appear in the
# 2022 TIV tables and the trade register (compared case-insensitively: the register writes
# "unknown recipient(s)"). SIPRI's own notation: "*" = non-state armed group, "**" =
# international organisation. A new non-state name must be added here deliberately.
_ORGANISATIONS = (
    "African Union**",
    "European Union**",
    "NATO**",
    "OSCE**",
    "Regional Security System**",
    "United Nations**",
)
_ARMED_GROUPS = (
    "ANC (South Africa)*",
    "Amal (Lebanon)*",
    "Anti-Castro rebels (Cuba)*",
    "Armas (Guatemala)*",
    "Contras (Nicaragua)*",
    "Darfur rebels (Sudan)*",
    "ELF (Ethiopia)*",
    "EPLF (Ethiopia)*",
    "FAN (Chad)*",
    "FMLN (El Salvador)*",
    "FNLA (Angola)*",
    "FRELIMO (Portugal)*",
    "GUNT (Chad)*",
    "Haiti rebels*",
    "Hamas (Palestine)*",
    "Hezbollah (Lebanon)*",
    "Houthi rebels (Yemen)*",
    "Indonesia rebels*",
    "Khmer Rouge (Cambodia)*",
    "Kurdistan Regional Government (Iraq)*",
    "LF (Lebanon)*",
    "LRA (Uganda)*",
    "LTTE (Sri Lanka)*",
    "Lebanon Palestinian rebels*",
    "Libya HoR*",
    "MNLF (Philippines)*",
    "MPLA (Portugal)*",
    "MTA (Myanmar)*",
    "Mujahedin (Afghanistan)*",
    "NLA (Macedonia)*",
    "NTC (Libya)*",
    "Northern Alliance (Afghanistan)*",
    "PAIGC (Portugal)*",
    "PIJ (Israel/Palestine)*",
    "PKK (Turkey)*",
    "PKK (Turkiye)*",
    "PLO (Israel)*",
    "PRC (Israel/Palestine)*",
    "Pathet Lao (Laos)*",
    "Provisional IRA (UK)*",
    "RPF (Rwanda)*",
    "RUF (Sierra Leone)*",
    "SLA (Lebanon)*",
    "SNA (Somalia)*",
    "SPLA (Sudan)*",
    "Southern rebels (Yemen)*",
    "Syria rebels*",
    "UIC (Somalia)*",
    "UNITA (Angola)*",
    "Ukraine Rebels*",
    "United Wa State (Myanmar)*",
    "Viet Cong (South Vietnam)*",
    "Viet Minh (France)*",
    "ZAPU (Zimbabwe)*",
)
_UNRECOGNISED = ("Biafra", "Katanga", "Northern Cyprus")
_UNKNOWN = ("Unknown recipient(s)", "Unknown supplier(s)", "Unknown rebel group*")

#: Non-state recipients/suppliers by SIPRI name → kind; their ISO3 is None by design.
NON_STATE_ACTORS: Mapping[str, str] = {
    **dict.fromkeys(_ORGANISATIONS, "international organisation"),
    **dict.fromkeys(_ARMED_GROUPS, "non-state armed group"),
    **dict.fromkeys(_UNRECOGNISED, "unrecognised entity"),
    **dict.fromkeys(_UNKNOWN, "unknown"),
}
_NON_STATE_KEYS = frozenset(name.casefold() for name in NON_STATE_ACTORS)

# --- errors ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a SIPRI file, located precisely enough to find it in an editor."""

    file: str
    line: int | None
    column: str | None
    value: str | None
    reason: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        column = "" if self.column is None else f" column {self.column}:"
        value = "" if self.value is None else f" {self.value!r}"
        return f"{where}:{column} {self.reason}{':' if value else ''}{value}"


class SipriFormatError(ValueError):
    """A SIPRI file is not in the layout this parser knows; ``problems`` lists every finding."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        shown = [f"  {p}" for p in self.problems[:50]]
        if len(self.problems) > 50:
            shown.append(f"  ... and {len(self.problems) - 50} more")
        count = len(self.problems)
        super().__init__(
            f"{count} problem{'s' if count != 1 else ''} in SIPRI data "
            "(the export's layout or names changed; fix the parser or the lists in "
            "rupak.record.sipri, never the data):\n" + "\n".join(shown)
        )


def _decode(path: Path, encoding: str) -> str:
    data = path.read_bytes()
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise SipriFormatError(
            [
                Problem(
                    str(path),
                    line,
                    None,
                    data[error.start : error.end].hex(" "),
                    f"bytes not valid {encoding}",
                )
            ]
        ) from None


def _rows(text: str, path: Path | None = None) -> list[tuple[int, list[str]]]:
    """CSV records with the physical line each ends on; only '\\n' ends a line here."""
    reader = csv.reader(io.StringIO(text, newline="\n"))
    try:
        return [(reader.line_num, row) for row in reader]
    except csv.Error as error:  # e.g. a file saved in another encoding (UTF-16's NULs)
        raise SipriFormatError(
            [Problem(str(path), reader.line_num, None, None, f"not readable as CSV: {error}")]
        ) from None


# --- country identity -----------------------------------------------------------------------


def _is_non_state(name: str) -> bool:
    return name.casefold() in _NON_STATE_KEYS


def _state_codes(names: Iterable[str]) -> dict[str, str | None]:
    """ISO3 per SIPRI name; None for the documented non-state actors *and* for unplaced names.

    Non-state names never reach the country mapping, so "Hezbollah (Lebanon)*" can never be
    read as Lebanon. Callers report names that are None without being non-state.
    """
    from rupak.record.countries import to_iso3  # imported late: coco is slow to load

    unique = sorted(set(names))
    ask = [n for n in unique if not _is_non_state(n)]
    codes = dict(zip(ask, to_iso3(ask, source="name"), strict=True))
    return {n: codes.get(n) for n in unique}


def _unplaced(name: str, codes: Mapping[str, str | None]) -> bool:
    return codes.get(name) is None and not _is_non_state(name)


_UNPLACED_REASON = (
    "name the country mapping (rupak.record.countries.to_iso3) cannot place and not a documented "
    "non-state actor (rupak.record.sipri.NON_STATE_ACTORS)"
)

# --- TIV tables -------------------------------------------------------------------------------

_TITLE = re.compile(r"TIV of arms exports from (?P<supplier>.+), (?P<first>\d{4})-(?P<last>\d{4})")
_FILE_NAME = re.compile(r"TIV-Export-(?P<code>[A-Z]{2,3})-(?P<first>\d{4})-(?P<last>\d{4})\.csv")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_YEAR = re.compile(r"\d{4}")
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
    records: list[tuple[int, str, int, float]] = field(default_factory=list)  # line, name, y, v
    lines: dict[str, int] = field(default_factory=dict)  # recipient -> line
    row_totals: dict[str, float] = field(default_factory=dict)
    year_totals: dict[int, float] = field(default_factory=dict)
    grand_total: float | None = None
    problems: list[Problem] = field(default_factory=list)

    def problem(self, line: int | None, column: str | None, value: str | None, why: str) -> None:
        self.problems.append(Problem(str(self.path), line, column, value, why))


def _read_tiv(path: Path) -> _TivTable:
    """Read one SIPRI TIV export, collecting every layout problem instead of stopping."""
    table = _TivTable(Path(path))
    named = _FILE_NAME.fullmatch(table.path.name)
    if named is None:
        table.problem(None, None, table.path.name, "file name is not TIV-Export-<CODE>-<Y>-<Y>.csv")
    else:
        table.code = named["code"]
    rows = _rows(_decode(table.path, "utf-8-sig"), table.path)
    if not rows:
        table.problem(None, None, None, "file is empty")
        return table
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
            if len(row) > 1 and not row[0].strip() and _YEAR.fullmatch(row[1].strip())
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
        return table
    preamble = " ".join(" ".join(row) for _, row in rows[:header_at])
    for phrase, meaning in _PREAMBLE_MUST_SAY:
        if phrase not in preamble:
            table.problem(
                None,
                None,
                phrase,
                f"preamble (lines 1-{rows[header_at][0] - 1}) no longer states that {meaning}",
            )

    header_line, header = rows[header_at]
    labels = [cell.strip() for cell in header]
    has_total = labels[-1] == "Total"
    year_labels = labels[1:-1] if has_total else labels[1:]
    first = int(year_labels[0])
    years = list(range(first, first + len(year_labels)))
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
    width = len(header)

    def number(line: int, index: int, cell: str, label: str) -> float | None:
        value = cell.strip()
        if not value:
            return None
        if _NUMBER.fullmatch(value) is None:
            table.problem(
                line, f"{index} ({label})", cell, "not a TIV number (expected digits or blank)"
            )
            return None
        return float(value)

    total_seen_at: int | None = None
    for line, row in rows[header_at + 1 :]:
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
                value = number(line, index, cell, str(year))
                if value is not None:
                    table.year_totals[year] = value
            if has_total:
                table.grand_total = number(line, width, row[-1], "Total")
            continue
        if not name:
            table.problem(line, "1 (recipient)", row[0], "values without a recipient name")
            continue
        if name in table.lines:
            table.problem(
                line,
                "1 (recipient)",
                name,
                f"recipient repeated (first on line {table.lines[name]})",
            )
            continue
        table.lines[name] = line
        for index, (year, cell) in enumerate(zip(years, cells, strict=True), start=2):
            value = number(line, index, cell, str(year))
            if value is not None:
                table.records.append((line, name, year, value))
        if has_total:
            value = number(line, width, row[-1], "Total")
            if value is not None:
                table.row_totals[name] = value
    if not table.lines:
        table.problem(header_line, None, None, "no recipient rows after the year header")
    return table


def _tiv_columns(
    tables: Sequence[_TivTable], codes: Mapping[str, str | None]
) -> tuple[dict[str, list], list[Problem]]:
    """Columns of the tidy TIV table for parsed files, plus any unplaced-name problems."""
    problems: list[Problem] = []
    out: dict[str, list] = {name: [] for name in TIV_COLUMNS}
    for table in tables:
        problems.extend(table.problems)
        if table.supplier and _unplaced(table.supplier, codes):
            problems.append(
                Problem(
                    str(table.path), 1, "1 (title)", table.supplier, "supplier " + _UNPLACED_REASON
                )
            )
        for name, line in table.lines.items():
            if _unplaced(name, codes):
                problems.append(
                    Problem(
                        str(table.path),
                        line,
                        "1 (recipient)",
                        name,
                        "recipient " + _UNPLACED_REASON,
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
    return _tiv_dtypes(frame).sort_values(["supplier_code", "recipient", "year"], ignore_index=True)


def _tiv_dtypes(frame: pd.DataFrame) -> pd.DataFrame:
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
    table = _read_tiv(Path(path))
    if codes is None:
        codes = _state_codes([*([table.supplier] if table.supplier else []), *table.lines])
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
    table = _read_tiv(Path(path))
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


def _code_version() -> str:
    """Cache version: this module's source and the country mapping's, so edits invalidate."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    spec = importlib.util.find_spec("rupak.record.countries")
    if spec is not None and spec.origin:
        digest.update(Path(spec.origin).read_bytes())
    return digest.hexdigest()[:16]


def _build_tiv() -> pd.DataFrame:
    tables = [_read_tiv(record.path(name)) for name in tiv_files()]
    names = [t.supplier for t in tables if t.supplier]
    names += [name for t in tables for name in t.lines]
    columns, problems = _tiv_columns(tables, _state_codes(names))
    if problems:
        raise SipriFormatError(problems)
    return _tiv_frame(columns)


def _fold(frame: pd.DataFrame) -> pd.DataFrame:
    """Relabel the Soviet Union as Russia on both sides and merge the (non-overlapping) rows."""
    out = frame.copy()
    soviet_supplier = out["supplier_code"].isin([SOVIET_CODE, RUSSIA_CODE])
    out.loc[soviet_supplier, ["supplier", "supplier_code", "supplier_iso3"]] = [
        FOLDED_NAME,
        RUSSIA_CODE,
        "RUS",
    ]
    soviet_recipient = out["recipient_iso3"].isin(["SUN", "RUS"])
    out.loc[soviet_recipient, ["recipient", "recipient_iso3"]] = [FOLDED_NAME, "RUS"]
    keys = ["supplier", "supplier_code", "supplier_iso3", "recipient", "recipient_iso3", "year"]
    merged = out.groupby(keys, sort=False, dropna=False).agg(
        tiv=("tiv", "sum"), below_half=("below_half", "all")
    )
    merged = merged.reset_index()
    return _tiv_dtypes(merged[TIV_COLUMNS]).sort_values(
        ["supplier_code", "recipient", "year"], ignore_index=True
    )


def tiv(fold_soviet: bool = False) -> pd.DataFrame:
    """All SIPRI TIV exports (134 exporters, 1950-2021) as one tidy table; SIPRI TIV (millions).

    Columns as :func:`parse_tiv_file`. Parsed once and cached as Parquet under the files'
    pinned hashes and this code's version. ``USR`` (Soviet Union) and ``RUS`` (Russia) stay
    apart; ``fold_soviet=True`` relabels the Soviet Union as Russia ("Russia incl. Soviet
    Union", ``RUS``) as supplier and as recipient, for continuity across 1991.
    """
    frame = record.cached_table("sipri-tiv", tiv_files(), _build_tiv, version=_code_version())
    frame = _tiv_dtypes(frame)
    frame.attrs["tiv"] = TIV_LABEL
    if fold_soviet:
        frame = _fold(frame)
        frame.attrs["tiv"] = TIV_LABEL
    return frame


# --- trade register ---------------------------------------------------------------------------

# (header as SIPRI writes it, our column). Blank headers hold '?' for the value to their left.
_REGISTER_LAYOUT = (
    ("Recipient", "recipient"),
    ("Supplier", "supplier"),
    ("Year of order", "order_year"),
    ("", "order_year_uncertain"),
    ("Number ordered", "number_ordered"),
    ("", "number_ordered_uncertain"),
    ("Weapon designation", "weapon_designation"),
    ("Weapon description", "weapon_description"),
    ("Number delivered", "number_delivered"),
    ("", "number_delivered_uncertain"),
    ("Year(s) of delivery", "delivery_years"),
    ("status", "status"),
    ("Comments", "comments"),
    ("SIPRI TIV per unit", "tiv_per_unit"),
    ("SIPRI TIV for total order", "tiv_order"),
    ("SIPRI TIV of delivered weapons", "tiv_delivered"),
)
_REGISTER_WIDTH = len(_REGISTER_LAYOUT)
_COL = {column: index for index, (_, column) in enumerate(_REGISTER_LAYOUT)}
_DELIVERY = re.compile(r"(\d{4})(?:-(\d{4}))?")

DEAL_COLUMNS = [
    "recipient",
    "recipient_iso3",
    "supplier",
    "supplier_iso3",
    "order_year",
    "order_year_uncertain",
    "number_ordered",
    "number_ordered_uncertain",
    "weapon_designation",
    "weapon_description",
    "number_delivered",
    "number_delivered_uncertain",
    "delivery_years",
    "status",
    "comments",
    "tiv_per_unit",
    "tiv_order",
    "tiv_delivered",
    "line",
]


def _register_records(path: Path, problems: list[Problem]) -> list[tuple[int, list[str]]]:
    """Rows of the register with their first line, mending rows broken by a stray CR.

    Two deals in the register have a CR+LF inside an unquoted Comments cell, so the rest of
    the row (its three TIV cells) sits on the next line. A short record is joined with the
    next when together they make exactly one record; any other short or long record is a
    problem, reported with its line.
    """
    rows = _rows(_decode(path, "cp1252"), path)
    if not rows:
        problems.append(Problem(str(path), None, None, None, "file is empty"))
        return []
    header_line, header = rows[0]
    for index, ((expected, _), found) in enumerate(
        zip(_REGISTER_LAYOUT, [*header, *[""] * _REGISTER_WIDTH], strict=False), start=1
    ):
        if found.strip() != expected:
            problems.append(
                Problem(str(path), header_line, str(index), found, f"header: expected {expected!r}")
            )
    if len(header) != _REGISTER_WIDTH:
        problems.append(
            Problem(
                str(path),
                header_line,
                None,
                None,
                f"header has {len(header)} cells, expected {_REGISTER_WIDTH}",
            )
        )
    if problems:
        return []
    out: list[tuple[int, list[str]]] = []
    pending: list[str] | None = None  # a short record, waiting for the rest of its cells
    first_line = 0

    def wrong_width(cells: list[str]) -> None:
        problems.append(
            Problem(
                str(path),
                first_line,
                None,
                ",".join(cells)[:120],
                f"record has {len(cells)} cells, expected {_REGISTER_WIDTH}",
            )
        )

    previous_line = header_line
    for end_line, row in rows[1:]:
        start_line, previous_line = previous_line + 1, end_line
        if pending is not None:
            joined = [*pending[:-1], f"{pending[-1].strip()} {row[0].strip()}".strip(), *row[1:]]
            if len(joined) <= _REGISTER_WIDTH:
                pending = joined
            else:  # not the rest of a broken line: the short record stands on its own
                wrong_width(pending)
                pending = None
        if pending is None:
            if not any(cell.strip() for cell in row):
                continue
            pending, first_line = row, start_line
        if len(pending) < _REGISTER_WIDTH:
            continue
        if len(pending) > _REGISTER_WIDTH:
            wrong_width(pending)
        else:
            out.append((first_line, pending))
        pending = None
    if pending is not None:
        wrong_width(pending)
    return out


def parse_trade_register(
    path: str | Path, *, codes: Mapping[str, str | None] | None = None
) -> pd.DataFrame:
    """SIPRI's trade register (Windows-1252 CSV) as one row per deal.

    Columns: recipient, recipient_iso3, supplier, supplier_iso3, order_year,
    order_year_uncertain, number_ordered (nullable: SIPRI leaves some blank),
    number_ordered_uncertain, weapon_designation, weapon_description, number_delivered,
    number_delivered_uncertain, delivery_years (list of int), status, comments,
    tiv_per_unit / tiv_order / tiv_delivered (SIPRI TIV (millions)) and line (where the deal
    starts in the file). The ``*_uncertain`` flags come from SIPRI's blank-headed ``?``
    columns. Text is stripped of surrounding spaces. Raises :class:`SipriFormatError`
    listing every problem (file, line, column, value) at once.
    """
    path = Path(path)
    problems: list[Problem] = []
    records = _register_records(path, problems)
    if problems:
        raise SipriFormatError(problems)
    header = [
        label or f"'?' after {_REGISTER_LAYOUT[index - 1][0]}"
        for index, (label, _) in enumerate(_REGISTER_LAYOUT)
    ]

    def bad(line: int, column: str, value: str, why: str) -> None:
        index = _COL[column]
        problems.append(Problem(str(path), line, f"{index + 1} ({header[index]})", value, why))

    out: dict[str, list] = {column: [] for column in DEAL_COLUMNS}
    for line, row in records:
        cells = [cell.strip() for cell in row]
        for column in ("recipient", "supplier", "weapon_designation", "weapon_description",
                       "status", "comments"):  # fmt: skip
            out[column].append(cells[_COL[column]])
        out["line"].append(line)

        year = cells[_COL["order_year"]]
        if _YEAR.fullmatch(year) is None:
            bad(line, "order_year", row[_COL["order_year"]], "not a year")
        out["order_year"].append(int(year) if _YEAR.fullmatch(year) else 0)

        for column in ("number_ordered", "number_delivered"):
            value = cells[_COL[column]]
            if value and not value.isdigit():
                bad(line, column, row[_COL[column]], "not a whole number")
            out[column].append(int(value) if value.isdigit() else None)

        for column in (
            "order_year_uncertain",
            "number_ordered_uncertain",
            "number_delivered_uncertain",
        ):
            flag = cells[_COL[column]]
            if flag not in ("", "?"):
                bad(line, column, row[_COL[column]], "uncertainty marker is not '?' or blank")
            out[column].append(flag == "?")

        years: list[int] = []
        text = cells[_COL["delivery_years"]]
        for token in filter(None, (t.strip() for t in text.split(";"))):
            match = _DELIVERY.fullmatch(token)
            if match is None or (match[2] and int(match[2]) < int(match[1])):
                bad(
                    line,
                    "delivery_years",
                    row[_COL["delivery_years"]],
                    f"delivery year {token!r} is not a year or a range of years",
                )
                continue
            years.extend(range(int(match[1]), int(match[2] or match[1]) + 1))
        out["delivery_years"].append(years)

        for column in ("tiv_per_unit", "tiv_order", "tiv_delivered"):
            value = cells[_COL[column]]
            if _NUMBER.fullmatch(value) is None:
                bad(line, column, row[_COL[column]], "not a number (SIPRI TIV (millions))")
                out[column].append(np.nan)
            else:
                out[column].append(float(value))

    names = out["recipient"] + out["supplier"]
    if codes is None:
        codes = _state_codes(names)
    for side in ("recipient", "supplier"):
        out[f"{side}_iso3"] = [codes.get(name) for name in out[side]]
        reported: set[str] = set()
        for line, name in zip(out["line"], out[side], strict=True):
            if name not in reported and _unplaced(name, codes):
                reported.add(name)
                bad(line, side, name, f"{side} " + _UNPLACED_REASON)
    if problems:
        problems.sort(key=lambda p: (p.line or 0, int((p.column or "0").split()[0])))
        raise SipriFormatError(problems)
    return _deal_dtypes(pd.DataFrame(out, columns=DEAL_COLUMNS))


def _deal_dtypes(frame: pd.DataFrame) -> pd.DataFrame:
    """One set of dtypes for deals, whether parsed or read back from Parquet (lists included)."""
    frame = frame.astype(
        {
            "recipient": "str",
            "recipient_iso3": "str",
            "supplier": "str",
            "supplier_iso3": "str",
            "order_year": "int16",
            "order_year_uncertain": "bool",
            "number_ordered": "Int64",
            "number_ordered_uncertain": "bool",
            "weapon_designation": "str",
            "weapon_description": "str",
            "number_delivered": "Int64",
            "number_delivered_uncertain": "bool",
            "status": "str",
            "comments": "str",
            "tiv_per_unit": "float64",
            "tiv_order": "float64",
            "tiv_delivered": "float64",
            "line": "int32",
        }
    )
    # Parquet gives lists back as numpy arrays; the API promises lists of int.
    frame["delivery_years"] = pd.Series(
        [years if isinstance(years, list) else years.tolist() for years in frame["delivery_years"]],
        index=frame.index,
        dtype="object",
    )
    return frame


def _build_deals() -> pd.DataFrame:
    return parse_trade_register(record.path(REGISTER))


def deals() -> pd.DataFrame:
    """The SIPRI trade register, one row per deal (see :func:`parse_trade_register`); cached.

    TIV columns are SIPRI TIV (millions). The register is a later SIPRI release than the TIV
    tables (orders up to 2023, "Turkiye" for "Turkey"), so its TIVs need not match them.
    """
    frame = record.cached_table("sipri-deals", [REGISTER], _build_deals, version=_code_version())
    frame = _deal_dtypes(frame)
    frame.attrs["tiv"] = TIV_LABEL
    return frame


# --- questions --------------------------------------------------------------------------------


def _code(code: str, role: str, fold_soviet: bool) -> str:
    """A validated ISO3 code (``SUN`` for the Soviet Union); folded to RUS when asked."""
    from rupak.record.countries import validate_iso3

    if not isinstance(code, str):
        raise ValueError(f"unknown {role} code {code!r}: expected an ISO3 string such as 'PAK'")
    try:
        iso3 = validate_iso3(code)
    except ValueError as error:
        raise ValueError(f"unknown {role} code {code!r}: {error}") from None
    return "RUS" if fold_soviet and iso3 == "SUN" else iso3


def _span(start: int, end: int) -> tuple[int, int]:
    if int(start) > int(end):
        raise ValueError(f"start {start} is after end {end}")
    return int(start), int(end)


def flows(
    supplier: str, recipient: str, start: int, end: int, fold_soviet: bool = False
) -> pd.DataFrame:
    """Yearly SIPRI TIV (millions) from ``supplier`` to ``recipient`` over [start, end].

    Both are ISO3 codes (``SUN`` for the Soviet Union; SIPRI's own file codes are not
    accepted, since some clash with ISO3, e.g. SIPRI ``CHE`` is Chile, ``CZE`` Czechoslovakia).
    Every year is present: years with nothing delivered have tiv 0.0 and below_half False;
    years where SIPRI printed only '0' have tiv 0.0 and below_half True. Where several SIPRI
    names share one ISO3 (e.g. "North Yemen" and "Yemen Arab Republic"), they are summed.
    """
    first, last = _span(start, end)
    source = _code(supplier, "supplier", fold_soviet)
    target = _code(recipient, "recipient", fold_soviet)
    data = tiv(fold_soviet)
    rows = data[
        (data["supplier_iso3"] == source)
        & (data["recipient_iso3"] == target)
        & data["year"].between(first, last)
    ]
    yearly = rows.groupby("year").agg(tiv=("tiv", "sum"), below_half=("below_half", "all"))
    years = pd.RangeIndex(first, last + 1, name="year")
    yearly = yearly.reindex(years)
    out = pd.DataFrame(
        {
            "year": years.to_numpy().astype("int16"),
            "tiv": yearly["tiv"].fillna(0.0).to_numpy(dtype="float64"),
            "below_half": yearly["below_half"].fillna(False).to_numpy(dtype=bool),
        }
    )
    out.attrs.update(tiv=TIV_LABEL, supplier=source, recipient=target)
    return out


def _imports(recipient: str, start: int, end: int, fold_soviet: bool) -> pd.DataFrame:
    first, last = _span(start, end)
    target = _code(recipient, "recipient", fold_soviet)
    data = tiv(fold_soviet)
    return data[(data["recipient_iso3"] == target) & data["year"].between(first, last)]


def import_shares(recipient: str, start: int, end: int, fold_soviet: bool = False) -> pd.DataFrame:
    """Each supplier's share of ``recipient``'s arms imports over [start, end], by SIPRI TIV.

    share(s → r, P) = Σ_{t∈P} TIV(s→r, t) / Σ_{t∈P} Σ_{s'} TIV(s'→r, t) (SIPRI's fact-sheet
    convention, methods.md). Columns: supplier, supplier_code, tiv (SIPRI TIV (millions) over
    the span), share (0..1); sorted by tiv, largest first. Suppliers whose only deliveries
    were under 0.5 million ('0') are listed with tiv 0. Empty when nothing was delivered.
    """
    rows = _imports(recipient, start, end, fold_soviet)
    totals = rows.groupby(["supplier", "supplier_code"], as_index=False)["tiv"].sum()
    grand = totals["tiv"].sum()
    totals["share"] = totals["tiv"] / grand if grand > 0 else np.nan
    out = totals.sort_values(["tiv", "supplier"], ascending=[False, True], ignore_index=True)
    out.attrs.update(
        tiv=TIV_LABEL, recipient=recipient, span=(int(start), int(end)), total=float(grand)
    )
    return out


def change(
    recipient: str,
    supplier: str | None,
    span1: tuple[int, int],
    span2: tuple[int, int],
    fold_soviet: bool = False,
) -> dict[str, object]:
    """Relative change in ``recipient``'s imports between two windows, by SIPRI TIV.

    change = (Σ_{P₂} − Σ_{P₁}) / Σ_{P₁} (methods.md); ``supplier=None`` means total imports
    from all suppliers. Windows must not overlap (SIPRI compares non-overlapping windows, as
    in 2012-16 vs 2017-21). Returns recipient, supplier, span1, span2, tiv1 and tiv2 (totals
    over each window, in SIPRI TIV (millions)) and change (a fraction; NaN when tiv1 is 0, as
    the change is then undefined).
    """
    (a1, b1), (a2, b2) = _span(*span1), _span(*span2)
    if a1 <= b2 and a2 <= b1:
        raise ValueError(f"windows {a1}-{b1} and {a2}-{b2} overlap; SIPRI compares disjoint ones")
    source = None if supplier is None else _code(supplier, "supplier", fold_soviet)

    def volume(first: int, last: int) -> float:
        rows = _imports(recipient, first, last, fold_soviet)
        if source is not None:
            rows = rows[rows["supplier_iso3"] == source]
        return float(rows["tiv"].sum())

    tiv1, tiv2 = volume(a1, b1), volume(a2, b2)
    return {
        "recipient": _code(recipient, "recipient", fold_soviet),
        "supplier": source,
        "span1": (a1, b1),
        "span2": (a2, b2),
        "tiv1": tiv1,
        "tiv2": tiv2,
        "change": (tiv2 - tiv1) / tiv1 if tiv1 > 0 else float("nan"),
        "unit": TIV_LABEL,
    }


def coverage() -> tuple[int, int]:
    """First and last year of the TIV tables."""
    years = tiv()["year"]
    return int(years.min()), int(years.max())
