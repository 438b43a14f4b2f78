"""SIPRI's trade register: one row per deal, from a Windows-1252 CSV with blank-headed columns.

Why this module: the register holds what the TIV tables do not (orders, numbers, designations,
years of delivery), in a layout of its own: blank headers hold SIPRI's ``?`` uncertainty
markers, and two deals are broken over two lines by a stray CR. The parser mends those two and
fails loudly on anything else, naming file, line, column and value. TIV columns are SIPRI TIV
(millions): a volume, not money (docs/methods.md#tiv).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np
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

__all__ = ["DEAL_COLUMNS", "REGISTER", "build_deals", "deal_dtypes", "parse_trade_register"]

#: Record name of the trade register (see :func:`rupak.record.fetch.path`).
REGISTER = "sipri/trade-register.csv"

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
    rows = csv_rows(decode(path, "cp1252"), path)
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
        _read_deal(line, row, out, bad)

    names = out["recipient"] + out["supplier"]
    if codes is None:
        codes = state_codes(names)
    for side in ("recipient", "supplier"):
        out[f"{side}_iso3"] = [codes.get(name) for name in out[side]]
        reported: set[str] = set()
        for line, name in zip(out["line"], out[side], strict=True):
            if name not in reported and unplaced(name, codes):
                reported.add(name)
                bad(line, side, name, f"{side} " + UNPLACED_REASON)
    if problems:
        problems.sort(key=lambda p: (p.line or 0, int((p.column or "0").split()[0])))
        raise SipriFormatError(problems)
    return deal_dtypes(pd.DataFrame(out, columns=DEAL_COLUMNS))


def _read_deal(line: int, row: list[str], out: dict[str, list], bad: Callable[..., None]) -> None:
    """Append one deal's cells to the columns ``out``, reporting bad cells through ``bad``."""
    cells = [cell.strip() for cell in row]
    for column in ("recipient", "supplier", "weapon_designation", "weapon_description",
                   "status", "comments"):  # fmt: skip
        out[column].append(cells[_COL[column]])
    out["line"].append(line)

    year = cells[_COL["order_year"]]
    if YEAR.fullmatch(year) is None:
        bad(line, "order_year", row[_COL["order_year"]], "not a year")
    out["order_year"].append(int(year) if YEAR.fullmatch(year) else 0)

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
    for token in filter(None, (t.strip() for t in cells[_COL["delivery_years"]].split(";"))):
        match = _DELIVERY.fullmatch(token)
        if match is None or (match[2] and int(match[2]) < int(match[1])):
            why = f"delivery year {token!r} is not a year or a range of years"
            bad(line, "delivery_years", row[_COL["delivery_years"]], why)
            continue
        years.extend(range(int(match[1]), int(match[2] or match[1]) + 1))
    out["delivery_years"].append(years)

    for column in ("tiv_per_unit", "tiv_order", "tiv_delivered"):
        value = cells[_COL[column]]
        if NUMBER.fullmatch(value) is None:
            bad(line, column, row[_COL[column]], "not a number (SIPRI TIV (millions))")
            out[column].append(np.nan)
        else:
            out[column].append(float(value))


def deal_dtypes(frame: pd.DataFrame) -> pd.DataFrame:
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


def build_deals() -> pd.DataFrame:
    """The record's trade register, parsed (see :func:`parse_trade_register`)."""
    return parse_trade_register(record.path(REGISTER))
