"""The report runner: parameters checked before running, variants, incremental, failures."""

from __future__ import annotations

import json
import math
import pickle
import shutil
import time
from pathlib import Path

import nbformat
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
        ({"measure": "cosine"}, "measure: 'cosine' is not one of percent, ia, s, kappa, pi"),
        ({"end": 2090}, "end: 2090 is outside the years the record covers"),
        ({"period_id": "golden_age"}, "period_id: 'golden_age' is not a period"),
        ({"min_votes": True}, "min_votes: True is a bool, expected int"),
    ],
)
def test_bad_parameters_are_refused_with_their_reason(values, message):
    with pytest.raises(ParameterError) as caught:
        check(NB02, values)
    assert message in str(caught.value)


NB04 = REPO_ROOT / "notebooks" / "04_framing_comparison.ipynb"


@pytest.mark.parametrize(
    ("notebook", "values", "message"),
    [
        (NB04, {"prior_strength": float("nan")}, "prior_strength: nan is not a finite number"),
        (NB04, {"prior_strength": float("inf")}, "prior_strength: inf is not a finite number"),
        (NB02, {"min_votes": float("inf")}, "min_votes: inf is a float, expected int"),
        (NB02, {"partner": "RUS"}, "focal 'RUS' and partner 'RUS' are the same state"),
        (NB02, {"rival": "PAK"}, "partner 'PAK' and rival 'PAK' are the same state"),
        (NB02, {"focal": "SUN", "patron": "RUS"}, "focal 'SUN' and patron 'RUS' are the same"),
        (NB02, {"min_votes": 101}, "min_votes: 101 is above 100"),
        (NB04, {"top_n": 1000}, "top_n: 1000 is above 100"),
        (NB02, {"window_start": 1950}, "window_start–window_end (1950–1975) must lie within"),
        (NB02, {"start": 1800}, "start: 1800 is outside the years the record covers"),
        (NB02, {"partner": "SSD"}, "partner 'SSD': no UNGA votes in 1955–1985 (member from 2011)"),
        (
            NB02,
            {
                "partner": "DDR",
                "start": 1990,
                "end": 1995,
                "window_start": 1990,
                "window_end": 1995,
            },
            "partner 'DDR': no UNGA votes in 1990–1995 (votes until 1989)",
        ),
        (
            NB02,
            {"start": 1960, "window_start": 1964, "window_end": 1964},
            "window 1964–1964: no UNGA roll calls in the span 1964–1964",
        ),
        (
            NB02,
            {"start": 1950, "window_start": 1951, "window_end": 1951},
            "window 1951–1951: RUS and PAK both voted on",
        ),
        (NB02, {"partner": "X" * 5000}, "partner: 'XXXXXXXX"),
    ],
)
def test_parameters_that_would_make_nonsense_are_refused(notebook, values, message):
    with pytest.raises(ParameterError) as caught:
        check(notebook, values)
    assert message in str(caught.value), str(caught.value)
    assert len(str(caught.value)) < 1000  # long values are shortened


def test_a_long_value_is_shortened_in_the_message():
    with pytest.raises(ParameterError) as caught:
        check(NB02, {"partner": "X" * 20_000_000})
    assert "(20,000,000 characters)" in str(caught.value)
    assert len(str(caught.value)) < 1000


@settings(max_examples=40, deadline=None)
@given(st.floats(allow_nan=True, allow_infinity=True))
def test_a_float_parameter_is_finite_and_bounded_or_refused(value):
    try:
        merged = check(NB04, {"prior_strength": value})
    except ParameterError as error:
        assert all(p.startswith("prior_strength: ") for p in error.problems)
        assert not (math.isfinite(value) and 0 < value <= 1e7)
    else:
        assert math.isfinite(merged["prior_strength"]) and 0 < value <= 1e7


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ('label: str = "x"\nyear: int = 19 65  # a year', "line 2 (parameter 'year'): not valid"),
        (
            'label: str = "x".upper()  # a label',
            "line 1 (parameter 'label'): default '\"x\".upper()'",
        ),
        ('label = "x"', "line 1: 'label = \"x\"': write each parameter as 'name: type = default"),
        ("year: int = 'x' * 10_000_000", "is not a literal"),
        ("label: dict = {}", "line 1 (parameter 'label'): type 'dict' is not one of"),
        ('label: str = "x"  # meaning: a = b', "papermill reads the parameters"),
    ],
)
def test_a_bad_parameters_cell_names_the_notebook_line_and_parameter(tmp_path, cell, message):
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    path = tmp_path / "nb.ipynb"
    kernel = {"name": "python3", "display_name": "Python 3", "language": "python"}
    cells = [new_code_cell(cell, metadata={"tags": ["parameters"]})]
    nbformat.write(new_notebook(cells=cells, metadata={"kernelspec": kernel}), path)
    with pytest.raises(ParameterError) as caught:
        declared(path)
    assert str(path) in str(caught.value) and message in str(caught.value), str(caught.value)
    assert len(str(caught.value)) < 1000


def test_a_parameter_error_renders_in_a_notebook_as_its_message_alone():
    error = ParameterError("02.ipynb", ["partner: 'XYZ' is not a known ISO3 state code"])
    assert error._render_traceback_() == [
        "ParameterError: 02.ipynb: invalid parameters:",
        "  partner: 'XYZ' is not a known ISO3 state code",
    ]
    assert pickle.loads(pickle.dumps(error)).problems == error.problems


def test_declared_parameters_come_from_papermill_and_the_committed_text():
    text = NB02.read_text(encoding="utf-8").replace('\\"PAK\\"', '\\"IND\\"', 1)
    assert declared(NB02)["partner"].default == "PAK"
    assert declared(NB02, text=text)["partner"].default == "IND"
    assert "partner" in declared(NB02)["partner"].doc


def test_all_parameter_problems_are_listed_at_once():
    with pytest.raises(ParameterError) as caught:
        check(NB02, {"partner": "XYZ", "start": 1990, "end": 1980, "colour": "red"})
    assert len(caught.value.problems) == 3


def write_config(path: Path, body: str) -> Path:
    path.write_text(body, encoding="utf-8")
    return path


ENTRY = f'[[report]]\nname = "a"\nnotebook = "{NB02.as_posix()}"\n'


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("[[report]\nname = 'x'", "not valid TOML"),
        (
            '[[report]]\nname = "a"\nnotebook = "notebooks/nope.ipynb"\n',
            "notebook 'notebooks/nope.ipynb' does not exist",
        ),
        (ENTRY + ENTRY, "report 'a': duplicate report name"),
        (ENTRY + '[report.parameters]\npartner = "ZZZ"\n', "partner: 'ZZZ' is not a known ISO3"),
        ('title = "no reports"\n', "unknown top-level key(s) 'title'"),
        ("timeout = 5\n", "expected one or more [[report]] tables"),
    ],
)
def test_bad_config_is_refused_before_anything_runs(tmp_path, body, message):
    # Each case has its own folder (tmp_path): parallel workers never share a config file.
    config = write_config(tmp_path / "reports.toml", body)
    with pytest.raises(reports.ConfigError) as caught:
        reports.build(config=config, out=tmp_path / "out")
    assert message in str(caught.value)
    assert not (tmp_path / "out").exists()


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
    config = write_config(
        tmp_path_factory.mktemp("config") / "reports.toml",
        (
            f'[[report]]\nname = "india"\nnotebook = "{NB02.as_posix()}"\n'
            '[report.parameters]\npartner = "IND"\nrival = "PAK"\n'
            f'[[report]]\nname = "usa"\nnotebook = "{NB02.as_posix()}"\n'
            '[report.parameters]\nfocal = "USA"\npatron = "RUS"\nmeasure = "pi"\n'
            "start = 1960\nend = 1980\nwindow_start = 1965\nwindow_end = 1970\n"
        ),
    )
    started = time.perf_counter()
    outcomes = reports.build(config=config, out=out, jobs=2)
    seconds = time.perf_counter() - started
    again_started = time.perf_counter()
    again = reports.build(config=config, out=out, jobs=2)
    again_seconds = time.perf_counter() - again_started
    return out, outcomes, seconds, again, again_seconds


def test_alternative_parameters_give_the_same_analysis(variant_build):
    out, outcomes, _, _, _ = variant_build
    assert [o.status for o in outcomes] == ["built", "built"]
    india = nbformat.read(out / "india.ipynb", as_version=4)
    text = json.dumps(india, ensure_ascii=False)
    assert "Strategic proximity: Soviet Union–India" in text and "Soviet Union→India" in text
    usa = (out / "usa.html").read_text(encoding="utf-8")
    assert "United States–Pakistan" in usa and "Scott" in usa
    assert "United States→Pakistan (SIPRI TIV, millions)" in usa
    assert "Soviet Union–India" not in usa  # the default comparison dyad is gone
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
    assert "<code>partner</code> = <code>&#39;IND&#39;</code>" in index
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
