"""What both SIPRI exports share: the unit, the error type, reading files, non-state names.

Why a module of its own: the TIV tables (:mod:`rupak.record.sipri_tiv`) and the trade register
(:mod:`rupak.record.sipri_register`) are parsed by different code but must agree on the unit
label, on how a problem is reported (file, line, column, value) and on which of SIPRI's names
are not states, so those are defined once, here (docs/methods.md#tiv).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "NON_STATE_ACTORS",
    "TIV_LABEL",
    "Problem",
    "SipriFormatError",
    "code_version",
]

#: The label for every TIV column in tables, plots and reports: a volume, never money.
TIV_LABEL = "SIPRI TIV (millions)"

NUMBER = re.compile(r"\d+(?:\.\d+)?")
YEAR = re.compile(r"\d{4}")

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
            "rupak.record.sipri_format, never the data):\n" + "\n".join(shown)
        )


def decode(path: Path, encoding: str) -> str:
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


def csv_rows(text: str, path: Path | None = None) -> list[tuple[int, list[str]]]:
    """CSV records with the physical line each ends on; only '\\n' ends a line here."""
    reader = csv.reader(io.StringIO(text, newline="\n"))
    try:
        return [(reader.line_num, row) for row in reader]
    except csv.Error as error:  # e.g. a file saved in another encoding (UTF-16's NULs)
        raise SipriFormatError(
            [Problem(str(path), reader.line_num, None, None, f"not readable as CSV: {error}")]
        ) from None


# --- country identity -----------------------------------------------------------------------


def is_non_state(name: str) -> bool:
    return name.casefold() in _NON_STATE_KEYS


def state_codes(names: Iterable[str]) -> dict[str, str | None]:
    """ISO3 per SIPRI name; None for the documented non-state actors *and* for unplaced names.

    Non-state names never reach the country mapping, so "Hezbollah (Lebanon)*" can never be
    read as Lebanon. Callers report names that are None without being non-state.
    """
    from rupak.record.countries import to_iso3

    unique = sorted(set(names))
    ask = [n for n in unique if not is_non_state(n)]
    codes = dict(zip(ask, to_iso3(ask, source="name"), strict=True))
    return {n: codes.get(n) for n in unique}


def unplaced(name: str, codes: Mapping[str, str | None]) -> bool:
    return codes.get(name) is None and not is_non_state(name)


UNPLACED_REASON = (
    "name the country mapping (rupak.record.countries.to_iso3) cannot place and not a documented "
    "non-state actor (rupak.record.sipri_format.NON_STATE_ACTORS)"
)


def code_version(*modules: str) -> str:
    """A cache version for tables parsed by ``modules``: their source and the country table,
    so that editing a parser or a spelling rebuilds the cached table."""
    from importlib.util import find_spec

    from rupak.record.countries import table_version

    digest = hashlib.sha256(table_version().encode())
    for name in ("rupak.record.sipri_format", *modules):
        spec = find_spec(name)
        if spec is not None and spec.origin:
            digest.update(Path(spec.origin).read_bytes())
    return digest.hexdigest()[:16]
