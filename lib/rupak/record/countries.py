"""Country identity, in one place: ISO3 codes in our tables, COW codes where the record uses them.

Why one module: the UNGA record, SIPRI and our curated tables each name states their own way,
and the Soviet Union → Russia continuity is handled differently by each. Every other module
asks this one, so a state has one identity across the project.

The facts are data in the repository, read once per process (no third-party converter):

* ``countries.csv`` — one row per state or former state: ISO3 (the key), ISO2, a short English
  name, its COW code and where the code comes from (ISO 3166-1, ISO 3166-3, user-assigned).
* ``country_names.csv`` — every spelling the UNGA record and the SIPRI files use, ISO 3166-1's
  short and formal names and common English variants, each with its ISO3 (blank: not a
  state). Matching ignores case, accents, curly apostrophes and repeated spaces, nothing
  more: a name that is not listed is unknown (None), never guessed. A new spelling in a new
  release of the record is added there deliberately (the record's parsers fail on it).

Conventions (the choices made here, and why)
--------------------------------------------
* **ISO3** (ISO 3166-1 alpha-3) is the key in every table.
* **Dissolved states** keep a code of their own, so that their flows and votes are never
  merged into a successor by accident. Where ISO 3166-3 lists a former alpha-3 code we use it:
  ``SUN`` Soviet Union, ``YUG`` Yugoslavia (SFRY, and the FRY until 2003), ``SCG`` Serbia and
  Montenegro (2003–2006), ``CSK`` Czechoslovakia, ``DDR`` East Germany, ``YMD`` South Yemen
  (People's Democratic Republic), ``VDR`` North Vietnam (only when named as such).
* **Where ISO kept the code, continuity follows ISO**: West Germany (FRG) is ``DEU``, North Yemen
  (Yemen Arab Republic) is ``YEM`` (ISO's ``YEM`` was North Yemen's before unification), and
  SIPRI's "Viet Nam" (the DRV, then unified Vietnam) is ``VNM``.
* **No ISO code ever existed**: South Vietnam (Republic of Vietnam) gets ``XSV``, a code from
  ISO 3166-1's user-assigned range X.. (as Kosovo's widely used ``XKX``), so it can never clash
  with a real assignment; Zanzibar ``EAZ`` and Tanganyika ``EAT`` keep the codes this project
  used before it had its own table.
* **Not states → None**: SIPRI's non-state actors (names ending ``*``), organisations (``**``),
  "Unknown ..." entries, secessionist entities (Biafra, Katanga) and Northern Cyprus.
* **Soviet Union / Russia**: in our curated data ``SUN`` is the Soviet Union and ``RUS`` Russia;
  SIPRI keeps them apart too (``USR`` → ``SUN``). The UNGA record folds them into one country
  ("Russia", RU, COW 365): there we use ``RUS`` throughout with an era flag
  (:func:`russia_era`), because the Russian Federation holds the Soviet seat as continuator.
* **COW codes** (Correlates of War State System Membership, v2016) are in ``countries.csv``.
  Where one ISO3 spans two COW codes the date decides: ``DEU`` is 260 (German Federal
  Republic) before 1990-10-03 and 255 after; ``YEM`` is 678 (Yemen Arab Republic) before
  1990-05-22 and 679 after. COW 365 is ``SUN`` before 1991-12-26 and ``RUS`` after; COW 345
  is ``YUG`` / ``SCG`` / ``SRB`` by date.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import logging
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from rupak.base import eras
from rupak.base.provenance import cached

if TYPE_CHECKING:  # pandas stays lazy: importing the record layer starts fast
    import pandas as pd

__all__ = [
    "COUNTRIES_FILE",
    "NAMES_FILE",
    "SOVIET_END",
    "cow_to_iso3",
    "iso3_at",
    "iso3_to_cow",
    "iso3_to_cow_many",
    "known_iso3",
    "name",
    "names_table",
    "russia_era",
    "table",
    "table_version",
    "to_iso3",
    "validate_iso3",
]

#: The Soviet Union was dissolved on 26 December 1991; UNGA roll calls before it are Soviet.
SOVIET_END = eras.SOVIET_END

COUNTRIES_FILE = Path(__file__).with_name("countries.csv")
NAMES_FILE = Path(__file__).with_name("country_names.csv")
SOURCES = ("name", "iso2", "iso3", "cow")

# ISO3 whose COW code depends on the date: (cow before, first day of the later code, cow after).
_COW_BY_DATE: dict[str, tuple[int, dt.date, int]] = {
    "DEU": (260, dt.date(1990, 10, 3), 255),  # German Federal Republic → Germany
    "YEM": (678, dt.date(1990, 5, 22), 679),  # Yemen Arab Republic → Yemen
}

# COW codes shared by several ISO3 over time: [(first day, iso3), ...] in date order; the
# last one is the answer when no date is given. COW codes not here map through the table.
_ISO3_BY_COW_DATE: dict[int, list[tuple[dt.date, str]]] = {
    365: [(dt.date.min, "SUN"), (SOVIET_END, "RUS")],
    345: [(dt.date.min, "YUG"), (dt.date(2003, 2, 4), "SCG"), (dt.date(2006, 6, 3), "SRB")],
    255: [(dt.date.min, "DEU")],
    260: [(dt.date.min, "DEU")],
    678: [(dt.date.min, "YEM")],
    679: [(dt.date.min, "YEM")],
    510: [(dt.date.min, "TZA")],
    816: [(dt.date.min, "VNM")],
}

# ISO3 codes that changed while the state's identity in a record continued (ISO 3166-3).
_ISO3_SUCCESSION: dict[str, list[tuple[dt.date, str]]] = {
    "YUG": [(dt.date.min, "YUG"), (dt.date(2003, 2, 4), "SCG"), (dt.date(2006, 6, 3), "SRB")],
}

log = logging.getLogger(__name__)


class CountryTableError(RuntimeError):
    """The repository's country tables are malformed; the message names file, row and value."""


@dataclass(frozen=True)
class State:
    """One row of ``countries.csv``."""

    iso3: str
    iso2: str | None
    name: str
    cow: int | None
    status: str


_STATUSES = ("iso3166-1", "iso3166-3", "user-assigned", "other")


def name_key(text: str) -> str:
    """How names are compared: no case, accents, curly apostrophes or repeated spaces."""
    text = unicodedata.normalize("NFKD", text.replace("\u2019", "'"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.split()).casefold()


def _rows(path: Path, header: list[str]) -> list[tuple[int, dict[str, str]]]:
    """Data rows of a project CSV with their line numbers; '#' lines are comments."""
    lines = path.read_text(encoding="utf-8").splitlines()
    numbered = [(i, line) for i, line in enumerate(lines, 1) if not line.startswith("#")]
    rows = list(csv.reader([line for _, line in numbered]))
    if not rows or rows[0] != header:
        raise CountryTableError(f"{path}: header {rows[0] if rows else []} is not {header}")
    out: list[tuple[int, dict[str, str]]] = []
    for (line, _), row in zip(numbered[1:], rows[1:], strict=True):
        if len(row) != len(header):
            raise CountryTableError(f"{path}:{line}: {len(row)} cells, expected {len(header)}")
        out.append((line, dict(zip(header, row, strict=True))))
    return out


@cached
def table() -> dict[str, State]:
    """The states and former states of ``countries.csv``, by ISO3 (checked on reading)."""
    states: dict[str, State] = {}
    problems: list[str] = []
    for line, row in _rows(COUNTRIES_FILE, ["iso3", "iso2", "name", "cow", "status"]):
        where = f"{COUNTRIES_FILE.name}:{line}"
        code, iso2, cow = row["iso3"], row["iso2"], row["cow"]
        if len(code) != 3 or not code.isalpha() or not code.isupper():
            problems.append(f"{where}: iso3: {code!r} is not three capital letters")
        if iso2 and (len(iso2) != 2 or not iso2.isalpha() or not iso2.isupper()):
            problems.append(f"{where}: iso2: {iso2!r} is not two capital letters")
        if cow and not cow.isdigit():
            problems.append(f"{where}: cow: {cow!r} is not a whole number")
        if row["status"] not in _STATUSES:
            problems.append(f"{where}: status: {row['status']!r} is not one of {_STATUSES}")
        if code in states:
            problems.append(f"{where}: iso3: {code!r} listed twice")
        states[code] = State(
            code, iso2 or None, row["name"], int(cow) if cow.isdigit() else None, row["status"]
        )
    iso2s = Counter(state.iso2 for state in states.values() if state.iso2)
    problems += [f"{COUNTRIES_FILE.name}: iso2 {c!r} used twice" for c, k in iso2s.items() if k > 1]
    if problems:
        raise CountryTableError("\n".join(problems))
    return states


@cached
def names_table() -> dict[str, str | None]:
    """Every listed spelling (as :func:`name_key`) → ISO3, or None for a non-state."""
    states = table()
    names: dict[str, str | None] = {}
    problems: list[str] = []
    for line, row in _rows(NAMES_FILE, ["name", "iso3", "used_by"]):
        where = f"{NAMES_FILE.name}:{line}"
        key, code = name_key(row["name"]), row["iso3"] or None
        if code is not None and code not in states:
            problems.append(f"{where}: iso3: {code!r} is not in {COUNTRIES_FILE.name}")
        if key in names and names[key] != code:
            problems.append(f"{where}: name: {row['name']!r} already maps to {names[key]!r}")
        names[key] = code
    for state in states.values():  # every short name is a name too
        names.setdefault(name_key(state.name), state.iso3)
    if problems:
        raise CountryTableError("\n".join(problems))
    return names


@cached
def table_version() -> str:
    """A short digest of the two country tables: part of the key of every table mapped with
    them, so that editing a spelling or a code rebuilds those tables."""
    import hashlib

    digest = hashlib.sha256()
    for path in (COUNTRIES_FILE, NAMES_FILE):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@cached
def known_iso3() -> frozenset[str]:
    """Every ISO3 code this module accepts: ISO 3166-1, the former codes and our extras."""
    return frozenset(table())


def name(iso3: str) -> str:
    """Short English name of a state given its ISO3 code (validated)."""
    return table()[validate_iso3(iso3)].name


@cached
def _by_iso2() -> dict[str, str]:
    return {state.iso2: state.iso3 for state in table().values() if state.iso2}


@cached
def _cow_of() -> dict[str, int]:
    """ISO3 → COW code (the present-day one where it changed: see ``_COW_BY_DATE``)."""
    return {s.iso3: s.cow for s in table().values() if s.cow is not None}


@cached
def _iso3_of_cow() -> dict[int, str]:
    out: dict[int, str] = {}
    for code, cow in sorted(_cow_of().items()):
        out.setdefault(cow, code)
    for code, (before, _switch, _after) in _COW_BY_DATE.items():
        out.setdefault(before, code)
    return out


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    return isinstance(value, float) and value != value  # NaN


def _from_name(value: str) -> str | None:
    key = name_key(value)
    names = names_table()
    if key in names:
        return names[key]
    # SIPRI marks non-state actors with *, organisations with **; "Unknown recipient(s)".
    if not (key.endswith("*") or key.startswith("unknown")):
        log.debug("to_iso3: no state named %r", value)
    return None


def _convert(value: str, source: str) -> str | None:
    if source == "name":
        return _from_name(value)
    if source == "iso2":
        return _by_iso2().get(value.strip().upper())
    if source == "iso3":
        code = value.strip().upper()
        return code if code in known_iso3() else None
    try:
        return cow_to_iso3(int(value))
    except ValueError:
        return None


def to_iso3(values: Iterable[Any], *, source: str = "name") -> list[str | None]:
    """ISO3 code of each value (None where it is not a state or unknown), in order.

    ``source`` says what the values are: ``"name"`` (English names, SIPRI's and UNGA's
    spellings included: see ``country_names.csv``), ``"iso2"``, ``"iso3"`` (checked against
    the known codes) or ``"cow"`` (COW numbers, present-day code, see :func:`cow_to_iso3`).
    Each distinct value is looked up once. The choices for historical states and non-state
    actors are in the module docstring; this API is shared with ``rupak.record.sipri``.
    """
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}; expected one of {', '.join(SOURCES)}")
    keys = [None if _is_missing(v) else str(v) for v in values]
    found = {k: _convert(k, source) for k in set(keys) if k is not None}
    return [None if k is None else found[k] for k in keys]


def validate_iso3(code: str) -> str:
    """Return ``code`` as a known upper-case ISO3 code, or raise ValueError suggesting near ones.

    Why: a typo in a state code must fail loudly, not return an empty analysis.
    """
    if not isinstance(code, str):
        raise ValueError(f"unknown ISO3 code {code!r}; expected a three-letter string")
    normal = code.strip().upper()
    if normal in known_iso3():
        return normal
    near = difflib.get_close_matches(normal, sorted(known_iso3()), n=3, cutoff=0.3)
    by_name = to_iso3([code])[0] if len(code.strip()) > 3 else None
    if by_name:  # a name was given: its code is the best suggestion
        near = [by_name, *(c for c in near if c != by_name)][:3]
    hint = "; did you mean " + ", ".join(repr(c) for c in near) + "?" if near else ""
    raise ValueError(f"unknown ISO3 code {code!r}{hint}")


def _as_date(when: dt.date | dt.datetime | str | int | None) -> dt.date | None:
    if when is None:
        return None
    if isinstance(when, int):
        return dt.date(when, 7, 1)
    if isinstance(when, dt.datetime):
        return when.date()
    if isinstance(when, dt.date):
        return when
    import pandas as pd

    return pd.Timestamp(when).date()


def _datetimes(dates: Sequence[Any] | pd.Series | np.ndarray) -> np.ndarray:
    """Dates of any readable kind as a datetime64 array, without a per-item Python loop."""
    import pandas as pd

    series = dates if isinstance(dates, pd.Series) else pd.Series(np.asarray(dates))
    return pd.to_datetime(series).to_numpy()


def iso3_to_cow(iso3: str, date: dt.date | str | int | None = None) -> int | None:
    """COW code of an ISO3 state (None if COW has no code for it, e.g. a territory).

    ``date`` (a date, ISO string, or a year meaning its mid-point) matters only where the
    COW code changed under one ISO3 (``DEU`` 260 → 255, ``YEM`` 678 → 679); without it the
    present-day code is returned.
    """
    code = validate_iso3(iso3)
    when = _as_date(date)
    if code in _COW_BY_DATE and when is not None:
        before, switch, after = _COW_BY_DATE[code]
        return before if when < switch else after
    return _cow_of().get(code)


def iso3_to_cow_many(iso3s: Sequence[str | None], dates: Sequence[Any] | None = None) -> np.ndarray:
    """Vectorised :func:`iso3_to_cow`: an int16 array, 0 where there is no COW code.

    ``dates`` (same length; anything ``pd.to_datetime`` reads) resolves the date-dependent
    codes. Used by ``rupak.record.unga`` on ~870,000 rows, hence no per-row Python.
    """
    codes = np.asarray(iso3s, dtype=object)
    distinct, index = np.unique(codes.astype(str), return_inverse=True)
    cow = _cow_of()
    out = np.array([cow.get(c, 0) for c in distinct], dtype=np.int16)[index.reshape(-1)]
    if dates is not None:
        when = _datetimes(dates)
        for code, (before, switch, _after) in _COW_BY_DATE.items():
            early = (codes == code) & (when < np.datetime64(switch))
            out[early] = before
    return out


def cow_to_iso3(cow: int, date: dt.date | str | int | None = None) -> str | None:
    """ISO3 code of a COW state (None if unknown); ``date`` picks among successive codes.

    COW 365 is ``SUN`` before 1991-12-26 and ``RUS`` from then (and without a date); COW 345
    is ``YUG``, then ``SCG`` (2003-02-04), then ``SRB`` (2006-06-03).
    """
    when = _as_date(date)
    periods = _ISO3_BY_COW_DATE.get(int(cow))
    if periods is None:
        return _iso3_of_cow().get(int(cow))
    if when is None:
        return periods[-1][1]
    found = periods[0][1]
    for start, code in periods:
        if when >= start:
            found = code
    return found


def iso3_at(iso3s: Sequence[str | None], dates: Sequence[Any]) -> list[str | None]:
    """The ISO3 code in force at each date, for states whose code changed but not identity.

    Only Yugoslavia needs it: the UNGA record's "Yugoslavia" (COW 345) runs on as the FRY,
    Serbia and Montenegro and Serbia, so rows are ``YUG`` / ``SCG`` / ``SRB`` by date. (The
    Soviet Union is deliberately *not* split: see :func:`russia_era`.)
    """
    arr = np.asarray(iso3s, dtype=object)
    when = _datetimes(dates)
    out = arr.copy()
    for code, periods in _ISO3_SUCCESSION.items():
        mask = arr == code
        for start, new in periods[1:]:
            out[mask & (when >= np.datetime64(start))] = new
    return out.tolist()


def russia_era(dates: Sequence[Any]) -> list[str]:
    """ "Soviet Union" for dates before 1991-12-26, else "Russian Federation".

    Why: the UNGA record (Voeten) gives the Soviet Union and Russia one identity (RU, COW 365)
    and we keep it as ``RUS``; this flag lets an analysis split or label the two eras.
    """
    soviet = _datetimes(dates) < np.datetime64(SOVIET_END)
    return np.where(soviet, "Soviet Union", "Russian Federation").tolist()
