"""Claims checked against the record: the verdicts the issue names are pinned."""

from __future__ import annotations

import pytest

from rupak.analysis import claims
from rupak.cli import main


@pytest.fixture(scope="module")
def table():
    return claims.check().set_index("id")


def test_every_claim_and_checked_event_gets_a_verdict(table):
    import rupak.evidence.curated as c

    assert set(c.claims()["claim_id"]) <= set(table.index)
    checked = c.events()["check"].notna().sum()
    assert (table["item"] == "event").sum() == checked
    assert table["verdict"].notna().all()
    assert set(table["verdict"]) <= set(claims.VERDICTS)


def test_every_check_named_in_the_data_exists():
    assert claims.unknown_checks() == []


@pytest.mark.parametrize(
    ("item", "verdict", "fragment"),
    [
        ("K-17", "consistent", "2012–2016: Russia rank 1, share 68.8%; 2017–2021: Russia rank 1"),
        ("K-18", "consistent", "46.9% drop"),
        ("1968-soviet-pakistan-arms-deal", "consistent", "6 deals ordered 1968"),
        ("K-16", "consistent", "4 Mi-35M ordered 2015"),
        ("2014-russia-lifts-arms-embargo-pakistan", "consistent", "4 Mi-35M (2015)"),
        ("2007-russia-allows-rd-93-reexport", "consistent", "RD-93 version"),
        ("1965-us-aid-stop-pakistan", "consistent", "vs 7 TIV/year 1965–67"),
    ],
)
def test_pinned_verdicts(table, item, verdict, fragment):
    row = table.loc[item]
    assert row["verdict"] == verdict
    assert fragment in row["computed"]


def test_money_is_never_compared_with_tiv(table):
    money = table[table["stated"].str.contains(" USD| RUB", regex=True)]
    assert len(money) >= 8
    for _, row in money.iterrows():
        assert (
            row["verdict"] == "not testable"
            or "not money" in row["scope"]
            or ("cannot be tested" in row["scope"])
        )


def test_a_claim_off_by_more_than_its_precision_is_inconsistent():
    import pandas as pd

    row = pd.Series({"unit": "percent", "value": 40.0})
    assert claims.CHECKS["india_russia_decline_2012_2021"](row).verdict == "inconsistent"
    row = pd.Series({"unit": "percent", "value": 47.0})
    assert claims.CHECKS["india_russia_decline_2012_2021"](row).verdict == "consistent"


def test_cli_prints_a_verdict_for_every_claim(capsys):
    assert main(["check-claims"]) == 0
    out = capsys.readouterr().out
    assert "K-18" in out and "D-01" in out
    assert "consistent" in out and "not testable" in out
    assert "SIPRI TIV is a volume, never money" in out


# --- one test per verdict rule (docs/methods.md#claims) -------------------------------------

from rupak.analysis import claim_rules as rules  # noqa: E402


@pytest.mark.parametrize(
    ("found", "claimed", "verdict"),
    [
        ([2016], [2016], "consistent"),
        ([2015, 2018], [2016], "partly consistent"),
        ([2016, 2018], [2016], "partly consistent"),
        ([], [2016], "inconsistent"),
    ],
)
def test_timing_rule(found, claimed, verdict):
    assert rules.timing(found, claimed) == verdict


def test_a_money_claim_is_never_plainly_consistent():
    assert rules.with_amount("consistent", "USD") == "timing consistent; amount not testable"
    assert rules.with_amount("partly consistent", "RUB").startswith("timing partly")
    assert rules.with_amount("consistent", "count") == "consistent"
    assert rules.with_amount("not testable", "USD") == "not testable"
    assert all(
        v in rules.VERDICTS
        for v in (
            rules.with_amount(p, "USD") for p in ("consistent", "partly consistent", "inconsistent")
        )
    )


def test_a_numeric_coincidence_across_units_is_flagged():
    assert "coincidence" in rules.coincidence(53_000_000, "USD", 53.0)
    assert rules.coincidence(53_000_000, "USD", 120.0) == ""
    assert rules.coincidence(53, "count", 53.0) == ""


@pytest.mark.parametrize(("rank", "major"), [(1, True), (3, True), (4, False), (0, False)])
def test_major_means_top_three(rank, major):
    assert rules.is_major(rank) is major


def test_pinned_rule_outcomes_on_the_record(table):
    assert table.loc["D-01", "verdict"] == "timing partly consistent; amount not testable"
    assert table.loc["2016-russia-india-defence-deals", "verdict"] == "partly consistent"
    assert table.loc["K-03", "verdict"] == "timing consistent; amount not testable"
    assert "coincidence" in table.loc["K-04", "flag"]
    assert "top 3" in table.loc["1960-soviet-arms-sales-india", "scope"]
    assert (table["scope"].str.len() > 0).sum() >= 15  # every verdict table keeps its scope


def test_check_claims_validates_first_and_prints_messages(data_copy, digest, monkeypatch, capsys):
    """Invalid data get the validator's messages, not a traceback from a check."""
    import csv

    path = data_copy / "curated" / "claims.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    rows[0]["value"] = "four billion"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    before = digest(data_copy)
    monkeypatch.setenv("RUPAK_DATA", str(data_copy))
    assert main(["check-claims"]) == 1
    err = capsys.readouterr().err
    assert "claims.csv:2:value: 'four billion': not a valid number" in err
    assert "no claim was checked" in err and "Traceback" not in err
    assert digest(data_copy) == before


def test_verdict_counts_count_claims_per_source_and_verdict(table):
    counts = claims.verdict_counts(table.reset_index(), ["kaushiki_bawa"])
    assert set(counts["source_id"]) == {"kaushiki_bawa"}
    expected = ((table["item"] == "claim") & (table["source_id"] == "kaushiki_bawa")).sum()
    assert counts["claims"].sum() == expected
