"""The report runner: parameters checked before running, variants, incremental, failures."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import nbformat
import pytest

from conftest import write_notebook
from rupak.base.paths import REPO_ROOT
from rupak.publish import reports
from rupak.publish.parameters import ParameterError, check, declared

NB02 = REPO_ROOT / "notebooks" / "02_proximity_1965_1975.ipynb"


def test_declared_parameters_read_like_a_signature():
    spec = declared(NB02)
    assert list(spec)[:4] == ["focal", "partner", "rival", "patron"]
    assert spec["start"].type == "int" and spec["start"].default == 1955
    assert "ISO3" in spec["focal"].doc


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"focul": "RUS"}, "focul: unknown parameter"),
        ({"start": "1965"}, "start: '1965' is a str, expected int"),
        ({"start": 1980, "end": 1970}, "start > end: 1980 > 1970"),
        ({"partner": "XYZ"}, "partner: 'XYZ' is not a known ISO3 state code"),
        ({"measure": "cosine"}, "measure: 'cosine' is not one of kappa, pi, s, ia, percent"),
        ({"end": 2090}, "end: 2090 is outside the years the record covers"),
        ({"period_id": "golden_age"}, "period_id: 'golden_age' is not a period"),
        ({"min_votes": True}, "min_votes: True is a bool, expected int"),
    ],
)
def test_bad_parameters_are_refused_with_their_reason(values, message):
    with pytest.raises(ParameterError) as caught:
        check(NB02, values)
    assert message in str(caught.value)


def test_all_parameter_problems_are_listed_at_once():
    with pytest.raises(ParameterError) as caught:
        check(NB02, {"partner": "XYZ", "start": 1990, "end": 1980, "colour": "red"})
    assert len(caught.value.problems) == 3


def write_config(path: Path, body: str) -> Path:
    path.write_text(body, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("[[report]\nname = 'x'", "not valid TOML"),
        (
            '[[report]]\nname = "a"\nnotebook = "notebooks/nope.ipynb"\n',
            "notebook 'notebooks/nope.ipynb' does not exist",
        ),
        (
            '[[report]]\nname = "a"\nnotebook = "notebooks/02_proximity_1965_1975.ipynb"\n'
            '[[report]]\nname = "a"\nnotebook = "notebooks/02_proximity_1965_1975.ipynb"\n',
            "report 'a': duplicate report name",
        ),
        (
            '[[report]]\nname = "a"\nnotebook = "notebooks/02_proximity_1965_1975.ipynb"\n'
            '[report.parameters]\npartner = "ZZZ"\n',
            "partner: 'ZZZ' is not a known ISO3",
        ),
        ('title = "no reports"\n', "expected one or more [[report]] tables"),
    ],
)
def test_bad_config_is_refused_before_anything_runs(tmp_path, body, message):
    config = write_config(REPO_ROOT / f".test-reports-{tmp_path.name}.toml", body)
    try:
        with pytest.raises(reports.ConfigError) as caught:
            reports.build(config=config, out=tmp_path / "out")
        assert message in str(caught.value)
        assert not (tmp_path / "out" / "index.html").exists()
    finally:
        config.unlink()


def tiny_notebook(path: Path, fail: bool) -> Path:
    extra = ["raise RuntimeError('planted failure')"] if fail else []
    return write_notebook(path, "print(label)", *extra)


def test_a_failing_notebook_does_not_stop_the_others(tmp_path):
    book = tmp_path / "books"
    book.mkdir()
    tiny_notebook(book / "good.ipynb", fail=False)
    tiny_notebook(book / "bad.ipynb", fail=True)
    config = write_config(
        tmp_path / "reports.toml",
        '[[report]]\nname = "good"\nnotebook = "books/good.ipynb"\n'
        '[[report]]\nname = "bad"\nnotebook = "books/bad.ipynb"\n',
    )
    out = tmp_path / "out"
    outcomes = {o.name: o for o in reports.build(config=config, out=out, jobs=2)}
    assert outcomes["good"].status == "built"
    assert outcomes["bad"].status == "failed"
    assert "planted failure" in outcomes["bad"].message
    assert (out / "good.html").is_file() and not (out / "bad.html").exists()
    failed_page = (out / "bad.failed.html").read_text(encoding="utf-8")
    assert "planted failure" in failed_page and "RuntimeError" in failed_page
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'class="status-failed"' in index and 'href="bad.failed.html"' in index
    assert not list((out / ".work").glob("*.ipynb"))


@pytest.fixture(scope="module")
def variant_build(tmp_path_factory):
    """Two alternative parameter sets through papermill, into a private output folder."""
    out = tmp_path_factory.mktemp("variants")
    config = REPO_ROOT / ".test-variants.toml"
    write_config(
        config,
        (
            '[[report]]\nname = "india"\nnotebook = "notebooks/02_proximity_1965_1975.ipynb"\n'
            '[report.parameters]\npartner = "IND"\nrival = "PAK"\n'
            '[[report]]\nname = "usa"\nnotebook = "notebooks/02_proximity_1965_1975.ipynb"\n'
            '[report.parameters]\nfocal = "USA"\npatron = "RUS"\nmeasure = "pi"\n'
            "start = 1960\nend = 1980\nwindow_start = 1965\nwindow_end = 1970\n"
        ),
    )
    try:
        started = time.perf_counter()
        outcomes = reports.build(config=config, out=out, jobs=2)
        seconds = time.perf_counter() - started
        again_started = time.perf_counter()
        again = reports.build(config=config, out=out, jobs=2)
        again_seconds = time.perf_counter() - again_started
    finally:
        config.unlink()
    return out, outcomes, seconds, again, again_seconds


def test_alternative_parameters_give_the_same_analysis(variant_build):
    out, outcomes, _, _, _ = variant_build
    assert [o.status for o in outcomes] == ["built", "built"]
    india = nbformat.read(out / "india.ipynb", as_version=4)
    text = json.dumps(india, ensure_ascii=False)
    assert "RUS–IND value" in text and "RUS→IND" in text
    usa = (out / "usa.html").read_text(encoding="utf-8")
    assert "USA–PAK" in usa and "Scott" in usa
    assert "USA→PAK (SIPRI TIV, millions)" in usa
    for page in ("india.html", "usa.html"):
        html = (out / page).read_text(encoding="utf-8")
        assert 'class="rupak-toc"' in html
        assert "data:image/png;base64," in html
        assert (
            'class="jp-OutputArea-output" data-mime-type="application/vnd.jupyter.stderr"'
            not in html
        )
        assert "Traceback" not in html


def test_executed_notebooks_carry_no_timing_metadata(variant_build):
    out = variant_build[0]
    notebook = json.loads((out / "india.ipynb").read_text(encoding="utf-8"))
    assert "papermill" not in notebook["metadata"]
    assert all("execution" not in c["metadata"] for c in notebook["cells"])


def test_a_second_build_with_nothing_changed_executes_nothing(variant_build):
    _, _, _, again, again_seconds = variant_build
    assert [o.status for o in again] == ["unchanged", "unchanged"]
    assert again_seconds < 1.0


def test_the_index_lists_every_report_with_parameters_and_status(variant_build):
    out = variant_build[0]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert index.count('class="status-built"') == 2
    assert "<code>partner</code> = <code>&#x27;IND&#x27;</code>" in index
    assert "Voeten" in index and "SIPRI" in index


def test_reports_depend_on_the_files_they_read(variant_build, tmp_path, monkeypatch):
    out = variant_build[0]
    state = reports.read_state(out, "india")
    assert "data/curated/events.csv" in state["inputs"]
    assert any(i.startswith("record:unvotes/") for i in state["inputs"])
    spec = reports.ReportSpec("india", NB02, "", {"partner": "IND", "rival": "PAK"})
    assert reports.is_current(spec, out, show_code=False)
    data = tmp_path / "data"
    shutil.copytree(REPO_ROOT / "data", data)
    monkeypatch.setenv("RUPAK_DATA", str(data))
    assert reports.is_current(spec, out, show_code=False)  # an identical copy changes nothing
    events = data / "curated" / "events.csv"
    events.write_text(events.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert not reports.is_current(spec, out, show_code=False)
    assert reports.is_current(spec, out, show_code=True) is False
