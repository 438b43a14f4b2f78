"""`rupak findings`: the findings table on the command line, with the report parameters' errors."""

from __future__ import annotations

import csv
import io

import pytest

from rupak.cli import main

PROXIMITY = ["findings", "--window", "1965", "1975", "--before", "1955", "1964"]


@pytest.mark.slow
def test_the_csv_has_the_columns_a_researcher_needs(capsys):
    assert main([*PROXIMITY, "--tests", "agreement_rise", "arms_rise", "--csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["finding"] for r in rows] == ["agreement_rise", "arms_rise"]
    for column in (
        "measure",
        "segment_a",
        "segment_b",
        "estimate",
        "ci_low",
        "ci_high",
        "share_of_specifications",
        "verdict",
        "sentence",
    ):
        assert column in rows[0]
    assert rows[0]["segment_a"] == "1955–1964" and rows[0]["verdict"] == "supported"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--partner", "SSD"], "partner 'SSD': no UNGA votes in 1955–1975 (member from 2011)"),
        (["--partner", "RUS"], "are the same state"),
        (["--measure", "tau"], "measure: 'tau' is not one of percent, ia, s, kappa, pi"),
        (["--min-votes", "1000"], "min_votes: 1000 is above 100"),
        (["--before", "1960", "1966"], "before_end 1966 must be earlier than window_start 1965"),
        (["--partner", "XYZ"], "partner: 'XYZ' is not a known ISO3 state code"),
    ],
)
def test_bad_arguments_get_the_report_parameters_messages(extra, message, capsys):
    assert main([*PROXIMITY, *extra]) == 2
    err = capsys.readouterr().err
    assert "rupak findings" in err and message in err
    assert "Traceback" not in err
