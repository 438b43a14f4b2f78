"""Country identity, in one place: ISO3 codes in our tables, COW codes where the record uses them.

Why one module: the UNGA record, SIPRI and our curated tables each name states their own way,
and the Soviet Union → Russia continuity is handled differently by each. Every other module
asks this one, so a state has one identity across the project.

Conventions (the choices made here, and why)
--------------------------------------------
* **ISO3** (ISO 3166-1 alpha-3) is the key in every table. Names and ISO2 codes are converted
  with ``country_converter`` (coco, Stadler 2017); coco is slow per call, so each distinct
  value is converted once per process and remembered.
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
  with a real assignment; Zanzibar ``EAZ`` and Tanganyika ``EAT`` follow coco.
* **Not states → None**: SIPRI's non-state actors (names ending ``*``), organisations (``**``),
  "Unknown ..." entries, secessionist entities (Biafra, Katanga) and Northern Cyprus.
* **Soviet Union / Russia**: in our curated data ``SUN`` is the Soviet Union and ``RUS`` Russia;
  SIPRI keeps them apart too (``USR`` → ``SUN``). The UNGA record folds them into one country
  ("Russia", RU, COW 365): there we use ``RUS`` throughout with an era flag
  (:func:`russia_era`), because the Russian Federation holds the Soviet seat as continuator.
* **COW codes** (Correlates of War State System Membership, v2016) are not in coco, so a small
  crosswalk lives here. Where one ISO3 spans two COW codes the date decides: ``DEU`` is 260
  (German Federal Republic) before 1990-10-03 and 255 after; ``YEM`` is 678 (Yemen Arab
  Republic) before 1990-05-22 and 679 after. COW 365 is ``SUN`` before 1991-12-26 and ``RUS``
  after; COW 345 is ``YUG`` / ``SCG`` / ``SRB`` by date.
"""

from __future__ import annotations

import datetime as dt
import difflib
import logging
import os
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from rupak.base import eras

__all__ = [
    "SOVIET_END",
    "cow_to_iso3",
    "iso3_at",
    "iso3_to_cow",
    "iso3_to_cow_many",
    "known_iso3",
    "name",
    "russia_era",
    "to_iso3",
    "validate_iso3",
]

#: The Soviet Union was dissolved on 26 December 1991; UNGA roll calls before it are Soviet.
SOVIET_END = eras.SOVIET_END

SOURCES = ("name", "iso2", "iso3", "cow")

# Names coco gets wrong or does not know. Keys are casefolded; None = not a state.
_NAME_OVERRIDES: dict[str, str | None] = {
    # The Soviet Union and its successor
    "soviet union": "SUN",
    "ussr": "SUN",
    "u.s.s.r.": "SUN",
    "union of soviet socialist republics": "SUN",
    "russian federation": "RUS",
    # Germany
    "east germany": "DDR",
    "east germany (gdr)": "DDR",
    "german democratic republic": "DDR",
    "gdr": "DDR",
    "west germany": "DEU",
    "west germany (frg)": "DEU",
    "federal republic of germany": "DEU",
    # Czechoslovakia (coco says CZE: wrong, Czechia is one of two successors)
    "czechoslovakia": "CSK",
    # Yugoslavia and its successors
    "yugoslavia": "YUG",
    "serbia and montenegro": "SCG",
    # Yemen (coco says YEM for both halves: South Yemen is a different state)
    "south yemen": "YMD",
    "yemen people's republic": "YMD",
    "yemen, people's republic": "YMD",
    "people's democratic republic of yemen": "YMD",
    "north yemen": "YEM",
    "yemen arab republic": "YEM",
    # Vietnam
    "south vietnam": "XSV",
    "republic of vietnam": "XSV",
    "north vietnam": "VDR",
    "democratic republic of vietnam": "VDR",
    "viet nam": "VNM",
    # Tanzania's predecessors
    "zanzibar": "EAZ",
    "tanganyika": "EAT",
    # Short names coco misreads as codes
    "uae": "ARE",
    # Not states
    "northern cyprus": None,
    "biafra": None,
    "katanga": None,
}

# ISO2 codes that are not (or no longer) coco's: ISO 3166-3 former codes, and the UNGA file's.
_ISO2_OVERRIDES: dict[str, str | None] = {
    "SU": "SUN",
    "CS": "CSK",  # Czechoslovakia (ISO 3166-3); UNGA uses CS for it
    "DD": "DDR",
    "YU": "YUG",
    "YD": "YMD",
    "VD": "VDR",
    "XK": "XKX",
}

# Codes accepted as ISO3 that coco (without obsolete entries) does not list.
_EXTRA_ISO3: dict[str, str] = {
    "SUN": "Soviet Union",
    "YUG": "Yugoslavia",
    "SCG": "Serbia and Montenegro",
    "CSK": "Czechoslovakia",
    "DDR": "East Germany (GDR)",
    "YMD": "South Yemen",
    "VDR": "North Vietnam",
    "XSV": "South Vietnam",
    "EAZ": "Zanzibar",
    "EAT": "Tanganyika",
}

# COW State System Membership (v2016) codes. One line per ISO3: "ISO3 COW" or, where the
# code changed, "ISO3 COW<until COW" with the first day of the later code.
_COW_TABLE = """
USA 2; CAN 20; BHS 31; CUB 40; HTI 41; DOM 42; JAM 51; TTO 52; BRB 53; DMA 54; GRD 55; LCA 56
VCT 57; ATG 58; KNA 60; MEX 70; BLZ 80; GTM 90; HND 91; SLV 92; NIC 93; CRI 94; PAN 95
COL 100; VEN 101; GUY 110; SUR 115; ECU 130; PER 135; BRA 140; BOL 145; PRY 150; CHL 155
ARG 160; URY 165; GBR 200; IRL 205; NLD 210; BEL 211; LUX 212; FRA 220; MCO 221; LIE 223
CHE 225; ESP 230; AND 232; PRT 235; DDR 265; POL 290; AUT 305; HUN 310; CSK 315
CZE 316; SVK 317; ITA 325; SMR 331; MLT 338; ALB 339; MNE 341; MKD 343; HRV 344; YUG 345
SCG 345; SRB 345; BIH 346; XKX 347; SVN 349; GRC 350; CYP 352; BGR 355; MDA 359; ROU 360
RUS 365; SUN 365; EST 366; LVA 367; LTU 368; UKR 369; BLR 370; ARM 371; GEO 372; AZE 373
FIN 375; SWE 380; NOR 385; DNK 390; ISL 395; CPV 402; STP 403; GNB 404; GNQ 411; GMB 420
MLI 432; SEN 433; BEN 434; MRT 435; NER 436; CIV 437; GIN 438; BFA 439; LBR 450; SLE 451
GHA 452; TGO 461; CMR 471; NGA 475; GAB 481; CAF 482; TCD 483; COG 484; COD 490; UGA 500
KEN 501; TZA 510; EAT 510; EAZ 511; BDI 516; RWA 517; SOM 520; DJI 522; ETH 530; ERI 531
AGO 540; MOZ 541; ZMB 551; ZWE 552; MWI 553; ZAF 560; NAM 565; LSO 570; BWA 571; SWZ 572
MDG 580; COM 581; MUS 590; SYC 591; MAR 600; DZA 615; TUN 616; LBY 620; SDN 625; SSD 626
IRN 630; TUR 640; IRQ 645; EGY 651; SYR 652; LBN 660; JOR 663; ISR 666; SAU 670
YMD 680; KWT 690; BHR 692; QAT 694; ARE 696; OMN 698; AFG 700; TKM 701; TJK 702; KGZ 703
UZB 704; KAZ 705; CHN 710; MNG 712; TWN 713; PRK 731; KOR 732; JPN 740; IND 750; BTN 760
PAK 770; BGD 771; MMR 775; LKA 780; MDV 781; NPL 790; THA 800; KHM 811; LAO 812; VNM 816
VDR 816; XSV 817; MYS 820; SGP 830; BRN 835; PHL 840; IDN 850; TLS 860; AUS 900; PNG 910
NZL 920; VUT 935; SLB 940; KIR 946; TUV 947; FJI 950; TON 955; NRU 970; MHL 983; PLW 986
FSM 987; WSM 990
"""

# ISO3 whose COW code depends on the date: (cow before, first day of the later code, cow after).
_COW_BY_DATE: dict[str, tuple[int, dt.date, int]] = {
    "DEU": (260, dt.date(1990, 10, 3), 255),  # German Federal Republic → Germany
    "YEM": (678, dt.date(1990, 5, 22), 679),  # Yemen Arab Republic → Yemen
}

# COW codes shared by several ISO3 over time: [(first day, iso3), ...] in date order; the
# last one is the answer when no date is given. COW codes not here map through _COW_TABLE.
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


def _parse_cow_table() -> dict[str, int]:
    table: dict[str, int] = {}
    for line in _COW_TABLE.strip().splitlines():
        for item in line.split(";"):
            code, cow = item.split()
            table[code] = int(cow)
    return table


_ISO3_TO_COW: dict[str, int] = _parse_cow_table()
_COW_TO_ISO3: dict[int, str] = {}
for _code, _cow in _ISO3_TO_COW.items():
    _COW_TO_ISO3.setdefault(_cow, _code)
for _code, (_before, _switch, _after) in _COW_BY_DATE.items():
    _ISO3_TO_COW[_code] = _after


@cache
def _coco_data() -> pd.DataFrame:
    """coco's country table, read so that Namibia's ISO2 "NA" stays a string.

    coco 1.3's own loader turns "NA" into a missing value under pandas 3 and then fails
    compiling it as a regex; giving it the table pre-read avoids that.
    """
    import country_converter as coco

    tsv = os.path.join(os.path.dirname(coco.__file__), "country_data.tsv")
    return pd.read_csv(tsv, sep="\t", dtype=str, keep_default_na=False, na_values=[""])


@cache
def _converter() -> Any:
    """One coco converter per process (building it compiles ~250 regexes)."""
    import country_converter as coco

    logging.getLogger("country_converter").setLevel(logging.ERROR)
    return coco.CountryConverter(country_data=_coco_data())


@cache
def known_iso3() -> frozenset[str]:
    """Every ISO3 code this module accepts: coco's (incl. obsolete ones) plus our extras."""
    codes = set(_coco_data()["ISO3"].dropna()) | set(_EXTRA_ISO3)
    return frozenset(codes)


@cache
def _iso3_names() -> dict[str, str]:
    data = _coco_data()
    names = dict(zip(data["ISO3"], data["name_short"], strict=True))
    names.update(_EXTRA_ISO3)
    return names


def name(iso3: str) -> str:
    """Short English name of a state given its ISO3 code (validated)."""
    return _iso3_names()[validate_iso3(iso3)]


_NOT_FOUND = "\x00not-found"
_cache: dict[tuple[str, str], str | None] = {}


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def _from_name(value: str) -> str | object | None:
    """Our own rules for a name, or ``_NOT_FOUND`` to ask coco."""
    text = " ".join(value.split())
    key = text.casefold()
    if key in _NAME_OVERRIDES:
        return _NAME_OVERRIDES[key]
    # SIPRI marks non-state actors with *, organisations with **; "Unknown recipient(s)".
    if text.endswith("*") or key.startswith("unknown"):
        return None
    return _NOT_FOUND


def _convert_uncached(values: Sequence[str], source: str) -> dict[str, str | None]:
    """Convert distinct values not yet cached: our rules first, then one coco call."""
    result: dict[str, str | None] = {}
    ask: list[str] = []
    for value in values:
        if source == "name":
            ours = _from_name(value)
        elif source == "iso2":
            code = value.strip().upper()
            ours = _ISO2_OVERRIDES.get(code, _NOT_FOUND)
        elif source == "iso3":
            code = value.strip().upper()
            ours = code if code in known_iso3() else None
        else:  # cow
            try:
                ours = cow_to_iso3(int(value))
            except (ValueError, KeyError):
                ours = None
        if ours is _NOT_FOUND:
            ask.append(value)
        else:
            result[value] = ours  # type: ignore[assignment]
    if ask:
        src = "regex" if source == "name" else "ISO2"
        query = [" ".join(v.split()) if source == "name" else v.strip().upper() for v in ask]
        found = _converter().convert(query, src=src, to="ISO3", not_found=_NOT_FOUND)
        if isinstance(found, str):
            found = [found]
        for value, iso3 in zip(ask, found, strict=True):
            # A list means several regexes matched: ambiguous, so no answer.
            ok = isinstance(iso3, str) and iso3 != _NOT_FOUND
            result[value] = iso3 if ok else None
            if not ok:
                log.debug("to_iso3: no state for %r (source=%s)", value, source)
    return result


def to_iso3(values: Iterable[Any], *, source: str = "name") -> list[str | None]:
    """ISO3 code of each value (None where it is not a state or unknown), in order.

    ``source`` says what the values are: ``"name"`` (English names, SIPRI's and UNGA's
    spellings included), ``"iso2"``, ``"iso3"`` (checked against the known codes) or
    ``"cow"`` (COW numbers, present-day code, see :func:`cow_to_iso3`). Vectorised and cached:
    each distinct value goes to coco once per process. The choices for historical states and
    non-state actors are in the module docstring; this API is shared with ``rupak.record.sipri``.
    """
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}; expected one of {', '.join(SOURCES)}")
    items = list(values)
    keys = [None if _is_missing(v) else str(v) for v in items]
    todo = sorted({k for k in keys if k is not None and (source, k) not in _cache})
    if todo:
        for key, iso3 in _convert_uncached(todo, source).items():
            _cache[(source, key)] = iso3
    return [None if k is None else _cache[(source, k)] for k in keys]


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
    return pd.Timestamp(when).date()


def _datetimes(dates: Sequence[Any] | pd.Series | np.ndarray) -> np.ndarray:
    """Dates of any readable kind as a datetime64 array, without a per-item Python loop."""
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
    return _ISO3_TO_COW.get(code)


def iso3_to_cow_many(iso3s: Sequence[str | None], dates: Sequence[Any] | None = None) -> np.ndarray:
    """Vectorised :func:`iso3_to_cow`: an int16 array, 0 where there is no COW code.

    ``dates`` (same length; anything ``pd.to_datetime`` reads) resolves the date-dependent
    codes. Used by ``rupak.record.unga`` on ~870,000 rows, hence no per-row Python.
    """
    codes = pd.Series(np.asarray(iso3s, dtype=object), dtype="object")
    out = codes.map(_ISO3_TO_COW).fillna(0).to_numpy(dtype=np.int16)
    if dates is not None:
        when = _datetimes(dates)
        for code, (before, switch, _after) in _COW_BY_DATE.items():
            early = (codes.to_numpy() == code) & (when < np.datetime64(switch))
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
        return _COW_TO_ISO3.get(int(cow))
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
    when = _datetimes(dates)
    soviet = when < np.datetime64(SOVIET_END)
    return ["Soviet Union" if s else "Russian Federation" for s in soviet]
