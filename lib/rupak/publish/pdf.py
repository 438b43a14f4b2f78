"""A report page printed to PDF by headless Chromium (Debian's ``chromium``), atomically.

Why Chromium: it is the browser the browser test already uses, so the PDF is the page as
tested, with the print stylesheet (``@media print`` in ``rupak.css``): folded sections open,
tables whole, no scroll boxes. The page is printed from a temporary copy beside it in which
every ``<details>`` is open (so nothing folded is lost, whatever the Chromium version), and
the PDF replaces ``<name>.pdf`` only once it is complete.

Usage::

    from rupak.publish import pdf
    pdf.write_pdf(Path("reports/cold-war-divergence.html"))   # → reports/cold-war-divergence.pdf
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from rupak.base.storage import atomic_write_bytes

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-pdf-header-footer",
)
TIMEOUT = 180


class PdfError(RuntimeError):
    """Chromium is missing or could not print the page; the message says what to do."""


def find_chromium() -> str | None:
    """Debian's Chromium (``RUPAK_CHROMIUM`` overrides), or None when absent."""
    chosen = os.environ.get("RUPAK_CHROMIUM")
    if chosen:
        return chosen if Path(chosen).is_file() else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


_DETAILS = re.compile(r"<details(?![^>]*\bopen\b)([^>]*)>")


def printable(page: str) -> str:
    """The page with every ``<details>`` open, for printing."""
    return _DETAILS.sub(r"<details open\1>", page)


def write_pdf(page: Path, target: Path | None = None, chromium: str | None = None) -> Path:
    """Print ``page`` (an HTML report) to ``target`` (default: beside it, ``.pdf``)."""
    page = Path(page).resolve()
    target = Path(target) if target is not None else page.with_suffix(".pdf")
    browser = chromium or find_chromium()
    if browser is None:
        raise PdfError(
            "rupak reports --pdf needs Chromium to print the reports (Debian: "
            "`apt-get install chromium`, or set RUPAK_CHROMIUM to its path); no PDF was written"
        )
    if not page.is_file():
        raise PdfError(f"{page.name}: no such report page; build it first")
    copy = page.with_name(f".{page.stem}.print.html")
    with tempfile.TemporaryDirectory(prefix="rupak-pdf-") as scratch:
        out = Path(scratch) / "page.pdf"
        try:
            copy.write_text(printable(page.read_text(encoding="utf-8")), encoding="utf-8")
            command = [
                browser,
                *FLAGS,
                f"--user-data-dir={Path(scratch) / 'profile'}",
                f"--print-to-pdf={out}",
                copy.as_uri(),
            ]
            result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            raise PdfError(f"{page.name}: Chromium did not finish within {TIMEOUT} s") from None
        finally:
            copy.unlink(missing_ok=True)
        data = out.read_bytes() if out.is_file() else b""
        if result.returncode != 0 or not data.startswith(b"%PDF"):
            detail = (result.stderr or "").strip().splitlines()[-1:] or ["no output"]
            raise PdfError(f"{page.name}: Chromium could not print it ({detail[0][:200]})")
    atomic_write_bytes(target, data)
    return target
