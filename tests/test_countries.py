"""Country identity: names and codes → ISO3, COW crosswalk, Soviet/Russian continuity."""

from __future__ import annotations

import datetime as dt

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
    "PIJ (Israel/Palestine)*",  # coco finds two states in it: still not a state
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


def test_conversions_are_cached(monkeypatch: pytest.MonkeyPatch) -> None:
    countries.to_iso3(["Bhutan", "Nepal"])

    def fail() -> None:
        raise AssertionError("coco called again for cached values")

    monkeypatch.setattr(countries, "_converter", fail)
    assert countries.to_iso3(["Nepal", "Bhutan", "Nepal"]) == ["NPL", "BTN", "NPL"]


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


@pytest.mark.parametrize(
    ("iso3", "cow"),
    # COW State System Membership v2016, including where COW differs from Gleditsch–Ward
    [("USA", 2), ("RUS", 365), ("SUN", 365), ("PAK", 770), ("IND", 750), ("CHN", 710),
     ("TWN", 713), ("CZE", 316), ("CSK", 315), ("DDR", 265), ("YMD", 680), ("SRB", 345),
     ("YUG", 345), ("KIR", 946), ("TON", 955), ("NRU", 970), ("TUV", 947), ("VNM", 816),
     ("XSV", 817), ("EAZ", 511), ("GBR", 200), ("BGD", 771)],
)  # fmt: skip
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
    for iso3, cow in countries._ISO3_TO_COW.items():
        if iso3 not in shared:
            assert countries.cow_to_iso3(cow) == iso3, iso3
        assert iso3 in countries.known_iso3(), iso3


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
