"""`rupak reports --pdf`: Chromium prints each page, folded sections open, atomically."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess

import pytest

from conftest import write_notebook
from rupak import cli
from rupak.publish import pdf

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><style>
@media print { details::details-content { content-visibility: visible; } }
</style></head><body><h1>Printed report</h1>
<details class="rupak-fold"><summary>All rows</summary><p>FOLDEDWORD inside</p></details>
<table><tr>{cells}</tr></table></body></html>
"""


def umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def test_every_folded_section_is_opened_for_printing():
    page = '<details class="a"><summary>x</summary></details><details open><p>y</p></details>'
    assert pdf.printable(page) == (
        '<details open class="a"><summary>x</summary></details><details open><p>y</p></details>'
    )


def test_a_missing_chromium_gives_a_clear_message(tmp_path, monkeypatch):
    monkeypatch.setenv("RUPAK_CHROMIUM", str(tmp_path / "no-such-browser"))
    page = tmp_path / "r.html"
    page.write_text("<html></html>", encoding="utf-8")
    with pytest.raises(pdf.PdfError, match="needs Chromium"):
        pdf.write_pdf(page)
    assert not (tmp_path / "r.pdf").exists()


@pytest.mark.skipif(pdf.find_chromium() is None, reason="chromium is not installed")
def test_a_page_is_printed_whole_and_atomically(tmp_path):
    page = tmp_path / "report.html"
    page.write_text(PAGE.replace("{cells}", "<td>WIDECELL</td>" * 40), encoding="utf-8")
    target = pdf.write_pdf(page)
    assert target == tmp_path / "report.pdf"
    data = target.read_bytes()
    assert data.startswith(b"%PDF")
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html", "report.pdf"]
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(target), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "Printed report" in text and "FOLDEDWORD" in text
    if shutil.which("pdftoppm"):
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "40",
                "-f",
                "1",
                "-l",
                "1",
                str(target),
                str(tmp_path / "p"),
            ],
            check=True,
        )
        assert any(p.suffix == ".png" and p.stat().st_size > 1000 for p in tmp_path.iterdir())


def test_reports_pdf_without_chromium_says_so_and_fails(tmp_path, monkeypatch, capsys):
    books = tmp_path / "books"
    books.mkdir()
    write_notebook(books / "tiny.ipynb", "print(label)")
    config = tmp_path / "reports.toml"
    config.write_text('[[report]]\nname = "tiny"\nnotebook = "books/tiny.ipynb"\n')
    monkeypatch.setenv("RUPAK_CHROMIUM", str(tmp_path / "no-such-browser"))
    out = tmp_path / "out"
    code = cli.main(["reports", "--config", str(config), "--out", str(out), "--pdf"])
    assert code == 1
    assert "needs Chromium" in capsys.readouterr().err
    assert (out / "tiny.html").is_file() and not (out / "tiny.pdf").exists()
