"""Licences: MIT for the code, CC BY 4.0 for the curated tables, each raw text its own terms.

The same three statements must agree in LICENSE, LICENSE-DATA, the data package, CITATION.cff
and the README, and the data package must never claim one licence for everything.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest
import yaml

from rupak.base.paths import REPO_ROOT
from rupak.publish.references import intermediaries

DESCRIPTOR = json.loads((REPO_ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
SOURCES = pd.read_csv(REPO_ROOT / "data" / "curated" / "sources.csv", dtype=str)
CITATION = yaml.safe_load((REPO_ROOT / "CITATION.cff").read_text(encoding="utf-8"))
README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
LICENSE_DATA = (REPO_ROOT / "LICENSE-DATA").read_text(encoding="utf-8")
CC_BY = "https://creativecommons.org/licenses/by/4.0/"
RIGHTS_RESERVED = "rights reserved by the author; included unchanged so quotes can be verified"


def _flat(text: str) -> str:
    return " ".join(text.split()).lower()


def test_the_code_is_mit_licensed_to_the_rupak_contributors():
    text = (REPO_ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License")
    assert "Copyright (c) 2026 rupak contributors" in text
    assert 'THE SOFTWARE IS PROVIDED "AS IS"' in text


def test_the_data_package_claims_no_licence_for_everything():
    assert "licenses" not in DESCRIPTOR and "licence" not in DESCRIPTOR


def test_every_curated_table_is_cc_by_4_0_on_its_own():
    for resource in DESCRIPTOR["resources"]:
        assert resource["path"].startswith("curated/"), resource["name"]
        (licence,) = resource["licenses"]
        assert licence["name"] == "CC-BY-4.0" and licence["path"] == CC_BY, resource["name"]


def test_each_raw_text_is_listed_with_its_own_terms():
    """The raw texts are not resources (not tables): `sources` lists them, each licensed."""
    listed = {entry["path"]: entry for entry in DESCRIPTOR["sources"]}
    texts = {f"sources/{p.name}" for p in (REPO_ROOT / "data" / "sources").iterdir()}
    assert set(listed) == texts
    resources = {r["path"] for r in DESCRIPTOR["resources"]}
    assert not texts & resources
    for _, row in SOURCES.iterrows():
        (licence,) = listed[f"sources/{row['file']}"]["licenses"]
        if row["licence"] == "CC BY 4.0":
            assert licence["name"] == "CC-BY-4.0" and licence["path"] == CC_BY
        else:  # no licence stated in the text
            assert row["licence"].startswith("unknown"), row["source_id"]
            assert licence["title"] == RIGHTS_RESERVED
            assert "path" not in licence
    assert "not resources of this package" in DESCRIPTOR["description"]


def test_the_data_package_is_valid_for_frictionless():
    from frictionless import Package

    package = Package(str(REPO_ROOT / "data" / "datapackage.json"))
    report = package.validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]


@pytest.mark.parametrize("where", ["README.md", "LICENSE-DATA", "CITATION.cff"])
def test_the_three_licences_are_stated_alike_everywhere(where):
    text = _flat((REPO_ROOT / where).read_text(encoding="utf-8"))
    assert RIGHTS_RESERVED in text
    assert "mit" in text and "cc by 4.0" in text
    assert "kaushiki" in text and "durrani" in text


def test_citation_cff_names_the_licences_and_the_sources():
    assert CITATION["license"] == ["MIT", "CC-BY-4.0"]
    titles = {ref["title"]: ref for ref in CITATION["references"]}
    durrani = titles[
        "Yoking Pak – Russia Relations: Will Rapprochement of Russia and Pakistan work?"
    ]
    assert "license" not in durrani and RIGHTS_RESERVED in _flat(durrani["notes"])
    kaushiki = titles["Tracing the Trajectory of Russo-Pak Strategic Relations"]
    assert kaushiki["license"] == "CC-BY-4.0"
    assert "SIPRI Arms Transfers Database" in titles
    voeten = titles["Data and Analyses of Voting in the UN General Assembly"]
    assert voeten["identifiers"][0]["value"] == "hdl:1902.1/12379"


@pytest.mark.parametrize("dataset", ["unvotes", "sipri"])
def test_citation_cff_names_every_intermediary_at_its_pinned_commit(dataset):
    cited = {
        (ref["repository-code"].removeprefix("https://github.com/"), ref["commit"])
        for ref in CITATION["references"]
        if "repository-code" in ref
    }
    for repo, commit, _ in intermediaries(dataset):
        assert (repo, commit) in cited, f"{repo} at {commit} (pinned in the record registry)"
