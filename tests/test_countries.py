"""Country identity: names and codes → ISO3, COW crosswalk, Soviet/Russian continuity."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from rupak.record import countries

# SIPRI's spellings (TIV tables and trade register) and the ISO3 we promise for them.
SIPRI_NAMES = {
    "Afghanistan": "AFG",
    "Pakistan": "PAK",
    "India": "IND",
    "Russia": "RUS",
    "Soviet Union": "SUN",
    "Yugoslavia": "YUG",
    "Serbia": "SRB",
    "Czechoslovakia": "CSK",
    "Czechia": "CZE",
    "East Germany (GDR)": "DDR",
    "Germany": "DEU",
    "North Yemen": "YEM",
    "South Yemen": "YMD",
    "Yemen": "YEM",
    "South Vietnam": "XSV",
    "Viet Nam": "VNM",
    "UAE": "ARE",
    "Cote d'Ivoire": "CIV",
    "DR Congo": "COD",
    "Congo": "COG",
    "eSwatini": "SWZ",
    "Bosnia-Herzegovina": "BIH",
    "Kosovo": "XKX",
    "Taiwan": "TWN",
    "North Korea": "PRK",
    "South Korea": "KOR",
    "Libya GNC": "LBY",
    "Saint Vincent": "VCT",
    "Micronesia": "FSM",
}

NOT_STATES = [
    "ANC (South Africa)*",
    "Hezbollah (Lebanon)*",
    "Libya HoR*",
    "Viet Cong (South Vietnam)*",
    "PIJ (Israel/Palestine)*",  # names two states: still not a state
    "NATO**",
    "United Nations**",
    "African Union**",
    "Unknown recipient(s)",
    "Unknown supplier(s)",
    "Northern Cyprus",
    "Biafra",
    "Katanga",
]

# The UNGA file's country names (unvotes), including its historical states.
UNGA_NAMES = {
    "Russia": "RUS",
    "Federal Republic of Germany": "DEU",
    "German Democratic Republic": "DDR",
    "Yemen Arab Republic": "YEM",
    "Yemen People's Republic": "YMD",
    "Czechoslovakia": "CSK",
    "Zanzibar": "EAZ",
    "Côte d’Ivoire": "CIV",
    "Congo - Brazzaville": "COG",
    "Congo - Kinshasa": "COD",
    "Micronesia (Federated States of)": "FSM",
    "Myanmar (Burma)": "MMR",
    "São Tomé & Príncipe": "STP",
    "St. Vincent & Grenadines": "VCT",
    "Antigua & Barbuda": "ATG",
    "Bosnia & Herzegovina": "BIH",
    "Namibia": "NAM",
}


def test_sipri_names_map_to_documented_codes() -> None:
    names = list(SIPRI_NAMES)
    assert countries.to_iso3(names) == [SIPRI_NAMES[n] for n in names]


@pytest.mark.parametrize("value", NOT_STATES)
def test_non_states_are_none(value: str) -> None:
    assert countries.to_iso3([value]) == [None]


def test_unga_names() -> None:
    names = list(UNGA_NAMES)
    assert countries.to_iso3(names) == [UNGA_NAMES[n] for n in names]


def test_order_duplicates_missing_and_unknown_are_kept_in_place() -> None:
    got = countries.to_iso3(["Pakistan", None, "Atlantis", "Pakistan", float("nan"), "India"])
    assert got == ["PAK", None, None, "PAK", None, "IND"]


def test_accepts_any_iterable_and_whitespace() -> None:
    assert countries.to_iso3(iter(["  Soviet   Union ", "india"])) == ["SUN", "IND"]
    assert countries.to_iso3([]) == []


def test_names_match_ignoring_case_accents_apostrophes_and_spaces() -> None:
    got = countries.to_iso3(["COTE D\u2019IVOIRE", "Sao Tome & Principe", " türkiye ", "viet  nam"])
    assert got == ["CIV", "STP", "TUR", "VNM"]
    assert countries.to_iso3(["Pakistan-ish", "Indiana"]) == [None, None]  # no guessing


def test_every_record_name_is_listed_in_the_table() -> None:
    """Each spelling the UNGA record and SIPRI files use is a row of country_names.csv."""
    from rupak.record import sipri, unga

    listed = countries.names_table()
    record_names = set(unga.votes()["country"].astype(str))
    for frame in (sipri.tiv(), sipri.deals()):
        record_names |= set(frame["supplier"]) | set(frame["recipient"])
    # SIPRI's armed groups (*), organisations (**) and unknowns are not states by rule
    states = {n for n in record_names if not n.endswith("*") and n[:7].casefold() != "unknown"}
    missing = sorted(n for n in states if countries.name_key(n) not in listed)
    assert not missing, missing
    unplaced = sorted(n for n in states if listed[countries.name_key(n)] is None)
    assert unplaced == ["Biafra", "Katanga", "Northern Cyprus"]


def test_the_tables_are_checked_when_read(tmp_path, monkeypatch) -> None:
    table = tmp_path / "countries.csv"
    text = countries.COUNTRIES_FILE.read_text(encoding="utf-8")
    table.write_text(text.replace("\nPAK,PK,Pakistan,770,", "\nPAK,PK,Pakistan,77O,"), "utf-8")
    names = tmp_path / "country_names.csv"
    names.write_text(
        countries.NAMES_FILE.read_text(encoding="utf-8") + "Atlantis,ATL,common\n", "utf-8"
    )
    monkeypatch.setattr(countries, "COUNTRIES_FILE", table)
    monkeypatch.setattr(countries, "NAMES_FILE", names)
    for function in (countries.table, countries.names_table):
        function.cache_clear()
    try:
        with pytest.raises(countries.CountryTableError, match=r"countries.csv:\d+: cow: '77O'"):
            countries.table()
        table.write_text(text, "utf-8")
        countries.table.cache_clear()
        with pytest.raises(
            countries.CountryTableError,
            match=r"country_names.csv:\d+: iso3: 'ATL' is not in countries.csv",
        ):
            countries.names_table()
    finally:
        for function in (countries.table, countries.names_table):
            function.cache_clear()


def test_iso2_source_includes_former_codes_and_namibia() -> None:
    got = countries.to_iso3(
        ["RU", "PK", "NA", "CS", "DD", "YU", "YD", "SU", "GB", "zz"], source="iso2"
    )
    assert got == ["RUS", "PAK", "NAM", "CSK", "DDR", "YUG", "YMD", "SUN", "GBR", None]


def test_iso3_and_cow_sources() -> None:
    assert countries.to_iso3(["pak", "SUN", "XYZ"], source="iso3") == ["PAK", "SUN", None]
    assert countries.to_iso3([365, "770", 2, 999], source="cow") == ["RUS", "PAK", "USA", None]


def test_unknown_source() -> None:
    with pytest.raises(ValueError, match="unknown source 'cown'"):
        countries.to_iso3(["x"], source="cown")


def test_validate_iso3() -> None:
    assert countries.validate_iso3("PAK") == "PAK"
    assert countries.validate_iso3(" rus ") == "RUS"
    for former in ("SUN", "YUG", "CSK", "DDR", "YMD", "VDR", "SCG", "XSV", "XKX"):
        assert countries.validate_iso3(former) == former


def test_validate_iso3_errors_name_the_code_and_suggest() -> None:
    with pytest.raises(ValueError, match=r"^unknown ISO3 code 'XYZ'; did you mean '"):
        countries.validate_iso3("XYZ")
    with pytest.raises(ValueError, match=r"unknown ISO3 code 'PAKI'; did you mean 'PAK'"):
        countries.validate_iso3("PAKI")
    # A name is not a code, but its code is the first suggestion.
    with pytest.raises(ValueError, match=r"unknown ISO3 code 'Pakistan'; did you mean 'PAK'"):
        countries.validate_iso3("Pakistan")
    with pytest.raises(ValueError, match="unknown ISO3 code 5"):
        countries.validate_iso3(5)  # type: ignore[arg-type]


# Hand-checked against the Correlates of War State System Membership list, v2016
# (statelist2016), including where COW differs from Gleditsch–Ward and the codes of states
# that no longer exist, which no installable package lists by ISO3.
HAND_CHECKED_COW = [
    ("USA", 2), ("CAN", 20), ("CUB", 40), ("MEX", 70), ("BRA", 140), ("GBR", 200),
    ("FRA", 220), ("DDR", 265), ("POL", 290), ("AUT", 305), ("HUN", 310), ("CSK", 315),
    ("CZE", 316), ("ITA", 325), ("YUG", 345), ("SRB", 345), ("GRC", 350), ("RUS", 365),
    ("SUN", 365), ("UKR", 369), ("ZAF", 560), ("IRN", 630), ("TUR", 640), ("IRQ", 645),
    ("EGY", 651), ("ISR", 666), ("SAU", 670), ("YMD", 680), ("AFG", 700), ("CHN", 710),
    ("TWN", 713), ("PRK", 731), ("KOR", 732), ("JPN", 740), ("IND", 750), ("PAK", 770),
    ("BGD", 771), ("VNM", 816), ("XSV", 817), ("KIR", 946), ("TUV", 947), ("TON", 955),
    ("NRU", 970), ("EAZ", 511), ("TZA", 510), ("XKX", 347),
]  # fmt: skip


@pytest.mark.parametrize(("iso3", "cow"), HAND_CHECKED_COW)
def test_iso3_to_cow(iso3: str, cow: int) -> None:
    assert countries.iso3_to_cow(iso3) == cow


def test_cow_depends_on_date_where_iso3_spans_two_states() -> None:
    assert countries.iso3_to_cow("DEU", dt.date(1990, 10, 2)) == 260
    assert countries.iso3_to_cow("DEU", dt.date(1990, 10, 3)) == 255
    assert countries.iso3_to_cow("DEU") == 255
    assert countries.iso3_to_cow("YEM", 1980) == 678
    assert countries.iso3_to_cow("YEM", "1990-05-22") == 679
    assert countries.iso3_to_cow("ABW") is None  # a territory: no COW code
    with pytest.raises(ValueError, match="unknown ISO3 code 'ZZZ'"):
        countries.iso3_to_cow("ZZZ")


def test_cow_to_iso3() -> None:
    assert countries.cow_to_iso3(365, dt.date(1991, 12, 25)) == "SUN"
    assert countries.cow_to_iso3(365, dt.date(1991, 12, 26)) == "RUS"
    assert countries.cow_to_iso3(365) == "RUS"
    assert countries.cow_to_iso3(345, 1990) == "YUG"
    assert countries.cow_to_iso3(345, "2004-01-01") == "SCG"
    assert countries.cow_to_iso3(345) == "SRB"
    assert countries.cow_to_iso3(260) == "DEU"
    assert countries.cow_to_iso3(678) == "YEM"
    assert countries.cow_to_iso3(770) == "PAK"
    assert countries.cow_to_iso3(12345) is None


def test_cow_round_trip_for_one_to_one_codes() -> None:
    shared = {"SUN", "RUS", "YUG", "SCG", "SRB", "DEU", "YEM", "VDR", "VNM", "EAT", "TZA"}
    for iso3, state in countries.table().items():
        if state.cow is not None and iso3 not in shared:
            assert countries.cow_to_iso3(state.cow) == iso3, iso3


def test_iso3_to_cow_many_is_vectorised_iso3_to_cow() -> None:
    codes = ["DEU", "DEU", "YEM", "RUS", None, "ABW", "PAK"]
    dates = ["1980-01-01", "2000-01-01", "1980-01-01", "1960-01-01", "1960-01-01", "2000-01-01",
             "2000-01-01"]  # fmt: skip
    got = countries.iso3_to_cow_many(codes, dates)
    assert got.dtype.name == "int16"
    assert got.tolist() == [260, 255, 678, 365, 0, 0, 770]


def test_russia_era_boundary() -> None:
    got = countries.russia_era(["1991-12-25", "1991-12-26", "1946-01-01", "2019-01-01"])
    assert got == ["Soviet Union", "Russian Federation", "Soviet Union", "Russian Federation"]


def test_iso3_at_splits_yugoslavia_only() -> None:
    codes = ["YUG", "YUG", "YUG", "RUS", "PAK"]
    dates = ["1991-01-01", "2003-02-04", "2006-06-03", "1970-01-01", "1970-01-01"]
    assert countries.iso3_at(codes, dates) == ["YUG", "SCG", "SRB", "RUS", "PAK"]


def test_name() -> None:
    assert countries.name("SUN") == "Soviet Union"
    assert countries.name("pak") == "Pakistan"
    assert countries.name("XSV") == "South Vietnam"


# --- cross-checks against independent tables (dev-only dependencies) ---------------------

# Where this project's table deliberately differs from country_converter (coco), and why.
COCO_EXCEPTIONS = {
    "Czechoslovakia": "coco gives CZE, one of the two successors; we keep CSK",
    "South Yemen": "coco merges South Yemen into YEM; we keep YMD (ISO 3166-3)",
    "Yemen People's Republic": "as South Yemen",
    "Yemen, People's Republic": "as South Yemen",
    "People's Democratic Republic of Yemen": "as South Yemen",
    "Northern Cyprus": "coco reads it as Cyprus; it is not a recognised state",
}


def _rows(path) -> list[dict[str, str]]:
    import csv

    lines = path.read_text(encoding="utf-8").splitlines()
    return list(csv.DictReader(line for line in lines if not line.startswith("#")))


def test_names_agree_with_country_converter_where_both_know_them() -> None:
    """Every spelling in our table that coco places (uniquely) gets coco's ISO3, or is a
    documented exception; coco is GPL-3, so it is a test-only dependency."""
    coco = pytest.importorskip("country_converter")
    import logging
    import os

    import pandas as pd

    logging.getLogger("country_converter").setLevel(logging.ERROR)
    tsv = os.path.join(os.path.dirname(coco.__file__), "country_data.tsv")
    data = pd.read_csv(tsv, sep="\t", dtype=str, keep_default_na=False, na_values=[""])
    converter = coco.CountryConverter(country_data=data)
    rows = _rows(countries.NAMES_FILE)
    theirs = converter.convert([r["name"] for r in rows], src="regex", to="ISO3", not_found="-")
    compared = 0
    disagree = {}
    for row, code in zip(rows, theirs, strict=True):
        if not isinstance(code, str) or code == "-":
            continue  # coco does not know it (former states) or finds several
        compared += 1
        if code != (row["iso3"] or None) and row["name"] not in COCO_EXCEPTIONS:
            disagree[row["name"]] = (row["iso3"], code)
    assert not disagree, disagree
    assert compared > 300
    # ISO2 and ISO3 of every state coco lists.
    iso2_of = dict(zip(data["ISO3"], data["ISO2"], strict=True))
    for code, state in countries.table().items():
        if code in iso2_of and isinstance(iso2_of[code], str):
            assert state.iso2 is not None and re.fullmatch(iso2_of[code], state.iso2), code


# Where COW codes from the countrycode package (Arel-Bundock et al., from COW's state list)
# are absent or differ, and why; states without an ISO3 there (former states) are in
# HAND_CHECKED_COW instead.
COUNTRYCODE_EXCEPTIONS = {
    "VAT": "countrycode gives 327, the Papal States (1816-1870); the Holy See is no COW state",
}


def test_cow_codes_agree_with_the_countrycode_package() -> None:
    countrycode = pytest.importorskip("countrycode")
    codes = sorted(countries.table())
    theirs = countrycode.countrycode(codes, origin="iso3c", destination="cown")
    compared = 0
    for code, cow in zip(codes, theirs, strict=True):
        if cow is None or cow != cow or code in COUNTRYCODE_EXCEPTIONS:
            continue
        compared += 1
        assert countries.table()[code].cow == int(cow), code
    assert compared > 180
    # and no state of ours lacks a code that countrycode has, except the documented ones
    missing = [
        code
        for code, cow in zip(codes, theirs, strict=True)
        if cow is not None and cow == cow and countries.table()[code].cow is None
    ]
    assert missing == sorted(COUNTRYCODE_EXCEPTIONS)


def test_the_library_never_imports_the_gpl_converters() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from rupak.record import countries, sipri, unga\n"
        "countries.to_iso3(['Pakistan', 'Soviet Union']); countries.validate_iso3('PAK')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('country_converter', 'countrycode')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
