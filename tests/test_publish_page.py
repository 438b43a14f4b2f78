"""Notebook helpers and the page export: quotes, numbering, alt text, CSV files, the footer."""

from __future__ import annotations

import copy
import re

import nbformat
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from rupak.publish import html as page_html
from rupak.publish import notebook, plots

SPAM = "http://www.artforhealingfoundation.org/synthroid"


@pytest.fixture
def captured(monkeypatch):
    """Every display a helper makes, as notebook outputs (no kernel needed)."""
    outputs: list = []

    def display(obj, metadata=None, raw=False, **_):
        data = dict(obj) if raw else {"text/html": obj._repr_html_(), "text/plain": repr(obj)}
        outputs.append(new_output("display_data", data=data, metadata=metadata or {}))

    import IPython.display

    monkeypatch.setattr(IPython.display, "display", display)
    notebook.setup_notebook()
    return outputs


@given(st.text(min_size=1, max_size=40))
def test_a_quote_is_never_wrapped_twice(text):
    shown = notebook.quote_marks(text)
    assert not shown.startswith("““") and not shown.endswith("””")
    assert text.strip() in shown


def test_quotes_that_carry_their_own_marks_are_shown_as_they_are():
    assert notebook.quote_marks("“allocated $6bn”") == "“allocated $6bn”"
    assert notebook.quote_marks("allocated $6bn") == "“allocated $6bn”"
    assert notebook.quote_marks("‘got off to a cool start.’") == "‘got off to a cool start.’"


def quote_rows():
    return pd.DataFrame(
        {
            "source_id": ["kaushiki_bawa", "kaushiki_bawa", "durrani", "kaushiki_bawa"],
            "quote": [
                "the Sochi Summit of 2010 led to establishment of the Commission",
                "Further, the Sochi Summit of 2010 led to establishment",
                '<script>alert("x")</script> ' + SPAM,
                "Shoigu’s visit to Islamabad in November 2014",
            ],
            "char_start": [16299, 16290, 10, 17979],
            "char_end": [16362, 16345, 90, 18067],
            "date_start": pd.to_datetime(["2010-08-18", "2010-08-18", "1968-07-01", "2014-11-20"]),
            "sentence_id": ["kb-s1", "kb-s1", "d-s2", "kb-s3"],
            "title": ["Sochi summit", "Sochi summit", "Arms deal", "Shoigu visits Islamabad"],
        }
    )


def test_overlapping_quotes_of_a_source_are_shown_once_in_date_order():
    block = notebook.quotes(quote_rows(), heading="Quotes")
    assert block.markup.count("Sochi Summit") == 1
    assert "led to establishment of the Commission" in block.markup  # the longer one is kept
    order = [block.markup.index(w) for w in ("alert", "Sochi", "Shoigu")]
    assert order == sorted(order)
    assert "&lt;script&gt;" in block.markup and "<script>" not in block.markup
    assert "<a " not in block.markup  # the spam URL stays text
    assert "Kaushiki &amp; Bawa 2022 (Indian authors)" in block.markup


def test_tables_and_figures_are_numbered_and_carry_their_csv_and_alt(captured):
    assert notebook.show_table(pd.DataFrame({"year": [1965]}), "First") == 1
    n = notebook.show_figure(
        plots.dyad_series(
            {
                "studied": plots.with_gaps(
                    pd.DataFrame({"year": [1960, 1961], "value": [0.1, 0.2], "n": [30, 31]})
                )
            },
            None,
            "κ",
        ),
        "Agreement per year.",
    )
    assert n == 1
    assert notebook.show_table(pd.DataFrame({"year": [1966]}), "Second") == 2
    first, figure, second = captured
    assert first.metadata["rupak"]["table"]["number"] == 1
    assert first.metadata["rupak"]["table"]["csv"] == "Year\r\n1965\r\n"
    assert figure.data["text/plain"] == "Figure 1. Agreement per year."
    assert figure.metadata["image/png"]["alt"] == "Figure 1. Agreement per year."
    assert second.data["text/plain"].startswith("Table 2. Second")
    notebook.setup_notebook()
    assert notebook.show_table(pd.DataFrame({"year": [1967]}), "Again") == 1


def test_the_glossary_explains_cameo_and_goldstein():
    text = notebook.glossary().text
    assert "01–08" in text and "cooperative" in text and "−10" in text and "+10" in text
    with pytest.raises(ValueError, match="unknown glossary term"):
        notebook.glossary("nope")


def page_of(outputs, name="my-report", title="A <report>", show_code=False):
    cells = [new_markdown_cell("# Heading\n\n## Section"), new_code_cell("x", outputs=outputs)]
    book = nbformat.from_dict(new_notebook(cells=cells, metadata={}))
    return page_html.export_html(book, show_code, title, name, built="2026-01-02")


@pytest.fixture
def exported(captured):
    notebook.show_quotes(quote_rows())
    notebook.show_figure(
        plots.flows_chart(
            {"studied": pd.DataFrame({"year": [1960, 1961], "tiv": [1.0, 2.0]})}, None
        ),
        "Deliveries.",
    )
    notebook.show_table(pd.DataFrame({"kind": ["un_veto"], "n": [3]}), "Kinds of events")
    notebook.provenance_footer({"focal": "RUS"}, methods=["hage2011", "goldstein1992"])
    return page_of(list(captured))


def test_the_page_links_each_table_to_its_csv_file(exported):
    assert list(exported.files) == ["my-report/tables/01-kinds-of-events.csv"]
    assert exported.files["my-report/tables/01-kinds-of-events.csv"] == b"Kind,n\r\nUN veto,3\r\n"
    assert 'href="my-report/tables/01-kinds-of-events.csv"' in exported.html


def test_every_image_has_its_caption_as_alt_text(exported):
    images = re.findall(r"<img[^>]*>", exported.html)
    assert len(images) == 1
    assert 'alt="Figure 1. Deliveries."' in images[0]
    assert "No description has been provided" not in exported.html
    assert "<figcaption><strong>Figure 1.</strong> Deliveries.</figcaption>" in exported.html


def test_the_footer_cites_and_folds_the_provenance(exported):
    body = exported.html
    assert '<h2 id="References">References</h2>' in body
    assert "Häge, Frank M. (2011)" in body and "Goldstein, Joshua S. (1992)" in body
    assert 'href="https://doi.org/10.1093/pan/mpr023"' in body
    cite = re.search(r'<p class="rupak-cite-line">(.*?)</p>', body, re.S).group(1)
    assert "A &lt;report&gt;" in cite and "2026-01-02" in cite and "rupak version" in cite
    assert '<details class="rupak-appendix">' in body  # closed
    assert body.index("References") < body.index("How to cite") < body.index("Appendix")
    toc = re.search(r'<nav class="rupak-toc".*?</nav>', body, re.S).group(0)
    assert "References" in toc and "How to cite this report" in toc and "Appendix" in toc


def test_the_stylesheet_is_lean(exported):
    styles = re.findall(r"<style[^>]*>(.*?)</style>", exported.html, re.S)
    assert sum(len(s) for s in styles) < 20_000
    assert "@media print" in exported.html
    assert "<script" not in exported.html


def test_figures_drawn_the_old_way_take_the_caption_that_follows(captured):
    import base64

    png = base64.b64encode(
        plots.figure_png(
            plots.flows_chart({"studied": pd.DataFrame({"year": [1960], "tiv": [1.0]})}, None)
        )
    ).decode()
    image = new_output(
        "execute_result", data={"image/png": png, "text/plain": "<Figure>"}, execution_count=1
    )
    notebook.caption("Figure 3. Old style.")
    page = page_of([image, *captured])
    assert 'alt="Figure 3. Old style."' in page.html


def test_the_export_does_not_change_the_notebooks_cells(captured):
    import base64
    import json

    png = base64.b64encode(
        plots.figure_png(
            plots.flows_chart({"studied": pd.DataFrame({"year": [1960], "tiv": [1.0]})}, None)
        )
    ).decode()
    image = new_output("display_data", data={"image/png": png, "text/plain": "<Figure>"})
    notebook.caption("Figure 1. Old style.")
    book = nbformat.from_dict(new_notebook(cells=[new_code_cell("x", outputs=[image, *captured])]))
    before = json.dumps(book.cells, sort_keys=True)
    page_html.export_html(book, False, "T", "n", built="2026-01-02")
    assert json.dumps(book.cells, sort_keys=True) == before
    assert book.metadata["title"] == "T"


def test_the_same_notebook_gives_the_same_page(captured):
    notebook.show_table(pd.DataFrame({"year": [1965], "share": [0.5]}), "First")
    notebook.show_figure(
        plots.flows_chart({"studied": pd.DataFrame({"year": [1960], "tiv": [1.0]})}, None), "F."
    )
    cells = [new_markdown_cell("# Heading"), new_code_cell("x", outputs=list(captured))]
    book = nbformat.from_dict(new_notebook(cells=cells, metadata={}))
    first, second = (
        page_html.export_html(copy.deepcopy(book), False, "T", "n", built="2026-01-02")
        for _ in range(2)
    )
    assert first.html == second.html and first.files == second.files
