"""References, labels and the end of a page: full citations, no internal ids in prose."""

from __future__ import annotations

import pandas as pd
import pytest

from rupak.evidence import curated
from rupak.publish import labels, references

BRIEF_METHODS = [
    "hage2011",
    "signorino_ritter1999",
    "cohen1960",
    "cohen1968",
    "scott1955",
    "monroe2008",
    "krippendorff2004",
    "entman1993",
    "goldstein1992",
    "cameo2002",
    "landis_koch1977",
]


def texts(section):
    return [f"{r.text} {r.note}" for r in section]


def test_both_sources_are_cited_in_full_with_their_licences():
    refs = references.references(data=[])
    durrani, kaushiki = texts(refs["Sources"])
    assert durrani.startswith("Durrani, Aroosha Farzeen (undated; not before 2016).")
    assert "Yoking Pak – Russia Relations" in durrani
    assert "Rights reserved by the author" in durrani and "quotes can be verified" in durrani
    assert kaushiki.startswith("Kaushiki, Nishtha and Jagmeet Bawa (2022).")
    assert "Remarking An Analisation" in kaushiki and "VII(V)" in kaushiki
    assert "Published 20 August 2022" in kaushiki and "CC BY 4.0" in kaushiki
    assert "Data" not in refs and "Methods" not in refs


def test_the_data_name_their_versions_and_intermediaries():
    data = " ".join(texts(references.references(data=["unvotes", "sipri"])["Data"]))
    assert "hdl:1902.1/12379" in data and "Voeten" in data
    assert f"version {references.UNVOTES_VERSION}" in data
    assert "github.com/dgrtwo/unvotes at commit 7eb7034" in data
    assert "generated 28 July 2022" in data
    assert "github.com/360-info/report-arms-trade at commit e00d2d3 (134 files)" in data
    assert "github.com/ClaytonB-3/arms-trade-proj at commit 2245f4f (1 file)" in data
    assert "not money" in data


def test_intermediaries_come_from_the_pinned_registry():
    found = references.intermediaries("sipri")
    assert sum(n for _, _, n in found) == 135
    assert {repo for repo, _, _ in found} == {
        "360-info/report-arms-trade",
        "ClaytonB-3/arms-trade-proj",
    }


def test_every_method_of_the_brief_is_known_and_kept_in_order():
    refs = references.references(methods=[*BRIEF_METHODS, "hage"], data=[])["Methods"]
    assert [r.key for r in refs] == BRIEF_METHODS  # the alias "hage" is not repeated
    years = {"hage2011": "(2011)", "entman1993": "(1993)", "monroe2008": "(2008)"}
    for ref in refs:
        if ref.key in years:
            assert years[ref.key] in ref.text
    with pytest.raises(ValueError, match="unknown method reference 'hage2012'"):
        references.references(methods=["hage2012"])


def test_each_measure_names_its_methods():
    for keys in references.MEASURE_METHODS.values():
        for key in keys:
            assert key in references.METHODS


def test_source_labels_are_built_from_sources_csv():
    assert labels.source_label("kaushiki_bawa") == "Kaushiki & Bawa 2022 (Indian authors)"
    assert labels.source_label("durrani") == "Durrani (Pakistani author)"  # inferred date
    assert labels.source_label("kaushiki_bawa", short=True) == "Kaushiki & Bawa 2022"
    assert labels.SourceLabels().get("durrani") == "Durrani (Pakistani author)"


def test_labels_have_one_home_in_the_evidence_layer():
    assert labels.source_labels() == curated.source_labels()
    assert labels.source_label("nope") == "Nope"  # unknown ids are humanised, not raised


@pytest.mark.parametrize(
    ("kind", "name"),
    [
        ("diplomatic_shift", "Diplomatic shift"),
        ("un_veto", "UN veto"),
        ("aid_cutoff", "Aid cut-off"),
        ("something_new", "Something new"),
    ],
)
def test_kinds_have_human_names(kind, name):
    assert labels.kind_name(kind) == name


def test_names_are_idempotent():
    for value in ("Diplomatic shift", "UN veto"):
        assert labels.kind_name(labels.kind_name(value)) == value
    for value in ("both", "durrani", "kaushiki_bawa_only"):
        once = labels.mentioned_by_name(value)
        assert labels.mentioned_by_name(once) == once
    assert labels.mentioned_by_name("kaushiki_bawa") == "Kaushiki & Bawa 2022 only"


def test_periods_are_named_not_identified():
    assert labels.period_name("proximity_1965_1975") == "Strategic proximity (1965–1975)"
    assert labels.period_name("cold_war_divergence", years=False) == "Cold War divergence"
    with pytest.raises(ValueError, match=r"periods\.csv"):
        labels.period_name("nope")


def test_every_curated_kind_has_a_name():
    kinds = set(curated.events()["kind"].astype(str))
    assert kinds <= set(labels.KIND_NAMES)
    assert isinstance(curated.events(), pd.DataFrame)
