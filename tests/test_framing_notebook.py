"""Notebook 04's parameters reach every table: run it for the swapped pair, per paragraph."""

from __future__ import annotations

import pytest

from rupak.base.paths import REPO_ROOT
from rupak.publish.parameters import check

NB04 = REPO_ROOT / "notebooks" / "04_framing_comparison.ipynb"
SWAPPED = {"source_a": "kaushiki_bawa", "source_b": "durrani", "unit": "paragraph", "top_n": 5}


def _texts(cell) -> list[str]:
    """The plain-text form of each output of a cell (what a terminal or nbval shows)."""
    found = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream":
            found.append(output["text"])
        elif "data" in output and "text/plain" in output["data"]:
            found.append(output["data"]["text/plain"])
    return found


@pytest.fixture(scope="module")
def swapped_run(tmp_path_factory):
    """Notebook 04 executed with papermill for kaushiki_bawa against durrani, per paragraph."""
    import nbformat
    import papermill

    check(NB04, SWAPPED)
    out = tmp_path_factory.mktemp("nb04") / "04_swapped.ipynb"
    papermill.execute_notebook(
        str(NB04),
        str(out),
        parameters=SWAPPED,
        kernel_name="rupak",
        cwd=str(NB04.parent),
        progress_bar=False,
        log_output=False,
    )
    notebook = nbformat.read(out, as_version=4)
    return [_texts(c) for c in notebook.cells if c.cell_type == "code"]


def _output(run: list[list[str]], caption: str) -> str:
    """The one output whose first line holds ``caption`` (tables begin "Table N. caption")."""
    hits = [t for cell in run for t in cell if caption in t.splitlines()[0]] if run else []
    assert len(hits) == 1, f"{len(hits)} outputs have {caption!r} in their first line"
    return hits[0]


def _header(table: str) -> str:
    """The header line of a table output (its caption is the first line)."""
    return table.splitlines()[1]


def _first_column(table: str) -> list[str]:
    return [line.strip().split("  ")[0] for line in table.splitlines()[2:]]


KB, DU = "Kaushiki & Bawa 2022", "Durrani"


@pytest.mark.slow
def test_no_cell_fails_or_warns(swapped_run):
    for cell in swapped_run:
        for text in cell:
            assert "Traceback" not in text and "Warning" not in text


@pytest.mark.slow
def test_selection_columns_name_the_first_source_first(swapped_run):
    for caption in ("Events per period", "Events per kind"):
        header = _header(_output(swapped_run, caption))
        assert header.index(f"{KB} only") < header.index(f"{DU} only")


@pytest.mark.slow
def test_salience_and_frames_put_the_first_source_first_per_paragraph(swapped_run):
    actors = _output(swapped_run, "Actor mentions")
    assert "share of paragraphs mentioning them" in actors.splitlines()[0]
    assert _header(actors).index(f"{KB}: n") < _header(actors).index(f"{DU}: n")
    caption = _output(swapped_run, "carrying each frame")
    assert "each source's paragraphs" in caption


@pytest.mark.slow
def test_stance_and_hedging_are_per_paragraph_in_the_order_asked(swapped_run):
    stance = _output(swapped_run, "Stance towards the Russia–Pakistan rapprochement")
    assert "Paragraphs" in _header(stance)
    assert [row.startswith(KB) for row in _first_column(stance)] == [True] * 3 + [False] * 3
    hedging = _output(swapped_run, "Paragraphs with hedging")
    assert [r[:7] for r in _first_column(hedging)] == [KB[:7], DU]
    by_period = _output(swapped_run, "The same by period of the events a paragraph")
    assert _first_column(by_period)[0] == KB


@pytest.mark.slow
def test_distinctive_words_and_the_summary_follow_the_parameters(swapped_run):
    terms = _output(swapped_run, "The distinctive words")
    assert _first_column(terms) == [KB] * 5 + [DU] * 5
    assert "(paragraph units" in _output(swapped_run, "The top 5 words of each side")
    summary = _output(swapped_run, "Question: How do")
    assert summary.index("Kaushiki") < summary.index("Durrani")
    assert "of the paragraphs of" in summary and "sentences of" not in summary
