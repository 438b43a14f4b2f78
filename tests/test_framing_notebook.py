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
        kernel_name="python3",
        cwd=str(NB04.parent),
        progress_bar=False,
        log_output=False,
    )
    notebook = nbformat.read(out, as_version=4)
    return [_texts(c) for c in notebook.cells if c.cell_type == "code"]


def _output(run: list[list[str]], starts: str) -> str:
    hits = [t for cell in run for t in cell if t.startswith(starts)]
    assert len(hits) == 1, f"{len(hits)} outputs start with {starts!r}"
    return hits[0]


def _header(table: str) -> list[str]:
    """Column names of a table output (its caption on the first line, the header on the next)."""
    return table.splitlines()[1].split()


def _first_column(table: str) -> list[str]:
    return [line.split()[0] for line in table.splitlines()[2:]]


@pytest.mark.slow
def test_no_cell_fails_or_warns(swapped_run):
    for cell in swapped_run:
        for text in cell:
            assert "Traceback" not in text and "Warning" not in text


@pytest.mark.slow
def test_selection_columns_name_the_first_source_first(swapped_run):
    for caption in ("Events per period", "Events per kind"):
        header = _header(_output(swapped_run, caption))
        assert header[-5:] == ["both", "kaushiki_bawa_only", "durrani_only", "total", "share_both"]


@pytest.mark.slow
def test_salience_and_frames_put_the_first_source_first_per_paragraph(swapped_run):
    actors = _output(swapped_run, "Actor mentions")
    assert "share of paragraphs mentioning them" in actors.splitlines()[0]
    header = _header(actors)
    assert header.index("kaushiki_bawa_n") < header.index("durrani_n")
    figure = _output(swapped_run, "The values plotted in Figure 3")
    assert _header(figure) == ["frame_id", "kaushiki_bawa", "durrani"]
    caption = _output(swapped_run, "Figure 3.")
    assert "each source's paragraphs" in caption


@pytest.mark.slow
def test_stance_and_hedging_are_per_paragraph_in_the_order_asked(swapped_run):
    stance = _output(swapped_run, "Stance towards the Russia–Pakistan rapprochement")
    assert _header(stance) == ["source_id", "stance", "paragraphs", "share"]
    assert _first_column(stance) == ["kaushiki_bawa"] * 3 + ["durrani"] * 3
    hedging = _output(swapped_run, "Paragraphs with hedging")
    assert _header(hedging)[:3] == ["source_id", "group", "paragraphs"]
    assert _first_column(hedging) == ["kaushiki_bawa", "durrani"]
    by_period = _output(swapped_run, "The same by period of the events a paragraph")
    assert _first_column(by_period)[0] == "kaushiki_bawa"


@pytest.mark.slow
def test_distinctive_words_and_the_summary_follow_the_parameters(swapped_run):
    terms = _output(swapped_run, "The values plotted in Figure 2")
    assert _first_column(terms) == ["kaushiki_bawa"] * 5 + ["durrani"] * 5
    assert "(paragraph units" in _output(swapped_run, "Figure 2.")
    frames = _output(swapped_run, "Frames: ")
    assert frames.index("Kaushiki") < frames.index("Durrani")
    assert "of paragraphs" in frames
    stance = _output(swapped_run, "Stance: ")
    assert stance.index("Kaushiki") < stance.index("Durrani") and "'s paragraphs" in stance
