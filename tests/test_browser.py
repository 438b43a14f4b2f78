"""Every report, opened in headless Chromium at 1280 px: it renders, reads and links cleanly.

Uses Playwright's Python API with the system Chromium (Debian's ``chromium``; ``.ci/run``
installs it). Screenshots go to ``test-artifacts/``. Each report is opened once; the checks
(issue 11) are separate tests over what was measured:

- no table cell reads ``<NA>``, ``nan``, ``None`` or ``NaT``;
- every image has alt text, and not nbconvert's default;
- no element is wider than the viewport (wide tables scroll inside their own box);
- every table links its CSV, and the file is there;
- every file the build wrote is world-readable (0666 less the umask: 0644 as usual);
- a "Summary" heading comes before the first figure, and a variant's title names its own
  countries.
"""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest

from rupak.base.paths import REPO_ROOT
from rupak.publish import reports
from rupak.publish.parameters import declared

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = REPO_ROOT / "test-artifacts"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WIDTH = 1280
RAW_MISSING = {"<NA>", "nan", "NaN", "None", "NaT"}
NBCONVERT_DEFAULT_ALT = "No description has been provided for this image"

pytestmark = pytest.mark.browser

if CHROMIUM is None:
    if os.environ.get("CI"):
        raise RuntimeError("CI needs Debian's chromium for the browser test (.ci/run installs it)")
    pytest.skip("chromium is not installed", allow_module_level=True)

# Elements sticking out of the viewport, unless a scroll box of their own clips them.
OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth, found = [];
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.right <= width + 1) continue;
    let parent = el.parentElement, clipped = false;
    while (parent && !clipped) {
      const x = getComputedStyle(parent).overflowX;
      clipped = ['auto', 'scroll', 'hidden'].includes(x)
                && parent.getBoundingClientRect().right <= width + 1;
      parent = parent.parentElement;
    }
    if (!clipped) found.push(`${el.tagName}.${el.className} right=${Math.round(box.right)}`);
  }
  return found.slice(0, 5);
}"""
SUMMARY_FIRST_JS = """() => {
  const heading = [...document.querySelectorAll('main h1, main h2, main h3')]
    .find(h => h.textContent.trim().startsWith('Summary'));
  const image = document.querySelector('main img');
  if (!heading) return 'no Summary heading';
  if (image && !(heading.compareDocumentPosition(image) & Node.DOCUMENT_POSITION_FOLLOWING))
    return 'the first figure comes before the Summary';
  return 'ok';
}"""


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("reports")
    outcomes = reports.build(out=out, jobs=2)
    assert all(o.status == "built" for o in outcomes), outcomes
    return out


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield instance
        instance.close()


def open_page(browser, url: str):
    page = browser.new_page(viewport={"width": WIDTH, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url, wait_until="load")
    return page, errors


def measure(report) -> dict:
    """Everything the checks below need from one open report."""
    return {
        "cells": report.eval_on_selector_all("td, th", "els => els.map(e => e.innerText.trim())"),
        "alts": report.eval_on_selector_all("img", "els => els.map(e => e.getAttribute('alt'))"),
        "overflow": report.evaluate(OVERFLOW_JS),
        "tables": report.locator("figure.rupak-table-block").count(),
        "csv": report.eval_on_selector_all(
            "figure.rupak-table-block a.rupak-csv", "els => els.map(e => e.getAttribute('href'))"
        ),
        "summary": report.evaluate(SUMMARY_FIRST_JS),
        "h1": report.locator("main h1").first.inner_text()
        if report.locator("main h1").count()
        else "",
    }


@pytest.fixture(scope="module")
def facts(built, browser) -> dict[str, dict]:
    """Open the index and every report once; render checks run here, the rest below."""
    ARTIFACTS.mkdir(exist_ok=True)
    page, errors = open_page(browser, (built / "index.html").as_uri())
    links = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    specs = reports.load_config()
    assert sorted(links) == sorted(f"{s.name}.html" for s in specs)
    page.screenshot(path=str(ARTIFACTS / "index.png"), full_page=True)
    assert errors == []
    page.close()
    found = {}
    for href in links:
        target = built / href
        assert target.is_file(), href
        report, errors = open_page(browser, target.as_uri())
        images = report.eval_on_selector_all(
            "img", "els => els.map(e => [e.complete, e.naturalWidth])"
        )
        assert len(images) >= 3, href
        assert all(done and width > 0 for done, width in images), (href, images)
        assert report.locator("table.rupak-table").count() >= 3, href
        stderr = report.locator('[data-mime-type="application/vnd.jupyter.stderr"]').count()
        assert stderr == 0, href
        assert "Traceback (most recent call last)" not in report.inner_text("body"), href
        assert report.locator("nav.rupak-toc a").count() >= 4, href
        for anchor in report.eval_on_selector_all(
            "nav.rupak-toc a", "els => els.map(e => e.getAttribute('href'))"
        ):
            found_anchor = report.evaluate("id => document.getElementById(id) !== null", anchor[1:])
            assert found_anchor, anchor
        report.screenshot(path=str(ARTIFACTS / f"{Path(href).stem}.png"), full_page=False)
        table = report.locator("figure.rupak-table-block").first
        if table.count():
            table.screenshot(path=str(ARTIFACTS / f"{Path(href).stem}-table.png"))
        assert errors == [], (href, errors)
        found[Path(href).stem] = measure(report)
        report.close()
    return found


def test_index_and_every_report_render_cleanly(facts):
    assert len(facts) == len(reports.load_config())


def test_no_table_cell_reads_a_raw_missing_marker(facts):
    for name, seen in facts.items():
        assert not RAW_MISSING & set(seen["cells"]), name


def test_every_image_has_alt_text_of_its_own(facts):
    for name, seen in facts.items():
        assert all(alt and alt.strip() for alt in seen["alts"]), (name, seen["alts"])
        assert NBCONVERT_DEFAULT_ALT not in seen["alts"], name


def test_nothing_is_wider_than_the_viewport(facts):
    for name, seen in facts.items():
        assert seen["overflow"] == [], name


def test_every_table_links_a_csv_that_is_there(built, facts):
    for name, seen in facts.items():
        assert len(seen["csv"]) == seen["tables"] > 0, name
        for href in seen["csv"]:
            assert href.startswith(f"{name}/tables/") and href.endswith(".csv"), href
            assert (built / href).is_file(), href


def test_every_file_is_world_readable(built):
    current = os.umask(0)
    os.umask(current)
    expected = 0o666 & ~current
    written = [p for p in built.rglob("*") if p.is_file() and ".state" not in p.parts]
    assert any(p.suffix == ".csv" for p in written)
    for path in written:
        assert stat.S_IMODE(path.stat().st_mode) == expected, path


def test_a_summary_comes_before_the_first_figure(facts):
    assert {name: seen["summary"] for name, seen in facts.items()} == dict.fromkeys(facts, "ok")


def test_a_variant_title_names_its_own_countries(facts):
    from rupak.publish.labels import country_name

    wrong = {}
    for spec in reports.load_config():
        defaults = {k: p.default for k, p in declared(spec.notebook).items()}
        values = {**defaults, **spec.parameters}
        if not spec.parameters or "partner" not in values:
            continue
        title = facts[spec.name]["h1"]
        focal = {country_name(values["focal"])} | (
            {"Soviet"} if values["focal"] == "RUS" else set()
        )
        if country_name(values["partner"]) not in title or not any(f in title for f in focal):
            wrong[spec.name] = title
    assert wrong == {}
