"""Every report, opened in headless Chromium: links resolve, images load, no errors.

Uses Playwright's Python API with the system Chromium (Debian's ``chromium``; ``.ci/run``
installs it). Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from rupak.base.paths import REPO_ROOT
from rupak.publish import reports

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

pytestmark = pytest.mark.browser

if CHROMIUM is None:
    if os.environ.get("CI"):
        raise RuntimeError("CI needs Debian's chromium for the browser test (.ci/run installs it)")
    pytest.skip("chromium is not installed", allow_module_level=True)


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
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url, wait_until="load")
    return page, errors


def test_index_and_every_report_render_cleanly(built, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    page, errors = open_page(browser, (built / "index.html").as_uri())
    links = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    specs = reports.load_config()
    assert sorted(links) == sorted(f"{s.name}.html" for s in specs)
    page.screenshot(path=str(ARTIFACTS / "index.png"), full_page=True)
    assert errors == []
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
        body = report.inner_text("body")
        assert "Traceback (most recent call last)" not in body, href
        assert report.locator("nav.rupak-toc a").count() >= 4, href
        for anchor in report.eval_on_selector_all(
            "nav.rupak-toc a", "els => els.map(e => e.getAttribute('href'))"
        ):
            found = report.evaluate("id => document.getElementById(id) !== null", anchor[1:])
            assert found, anchor
        report.screenshot(path=str(ARTIFACTS / f"{Path(href).stem}.png"), full_page=False)
        assert errors == [], (href, errors)
        report.close()
