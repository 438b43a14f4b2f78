"""Source text never becomes live HTML; builds need no network; killed builds lose nothing."""

from __future__ import annotations

import csv
import os
import shutil
import signal
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import write_notebook
from rupak.base.paths import REPO_ROOT
from rupak.publish import reports

PLANTED = (
    'Moscow <script>alert("x")</script> sold <a href="http://evil.example/">arms</a> '
    "<img src=x onerror=alert(1)> to Pakistan in 1968."
)
RUPAK = str(Path(sys.executable).parent / "rupak")


def plant(data: Path) -> None:
    """Append a planted paragraph to Durrani's text and quote it as evidence of 1968 and as a
    narrative statement of the 1965–75 period (both are shown in the period report)."""
    source = data / "sources" / "000_be06c8c6ab4980c8.txt"
    text = source.read_text(encoding="utf-8")
    start = len(text) + 1
    source.write_text(text + "\n" + PLANTED + "\n", encoding="utf-8")
    with open(data / "curated" / "evidence.csv", "a", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerow(
            [
                "1968-soviet-pakistan-arms-deal",
                "durrani",
                PLANTED,
                start,
                start + len(PLANTED),
                "1968",
            ]
        )
    with open(data / "curated" / "narratives.csv", "a", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerow(
            [
                "proximity_1965_1975-D-99",
                "proximity_1965_1975",
                "durrani",
                "A planted statement about 1968 arms.",
                "arms_rise",
                "higher",
                PLANTED,
                start,
                start + len(PLANTED),
                "",
            ]
        )


@pytest.fixture(scope="module")
def planted_build(tmp_path_factory):
    data = tmp_path_factory.mktemp("planted") / "data"
    shutil.copytree(REPO_ROOT / "data", data)
    plant(data)
    out = tmp_path_factory.mktemp("out")
    config = tmp_path_factory.mktemp("config") / "reports.toml"
    notebook = REPO_ROOT / "notebooks" / "02_proximity_1965_1975.ipynb"
    config.write_text(
        f'[[report]]\nname = "p"\nnotebook = "{notebook.as_posix()}"\n', encoding="utf-8"
    )
    previous = os.environ.get("RUPAK_DATA")
    os.environ["RUPAK_DATA"] = str(data)
    try:
        outcomes = reports.build(config=config, out=out, jobs=1)
    finally:
        if previous is None:
            os.environ.pop("RUPAK_DATA")
        else:
            os.environ["RUPAK_DATA"] = previous
    assert [o.status for o in outcomes] == ["built"], outcomes
    return (out / "p.html").read_text(encoding="utf-8")


class Elements(HTMLParser):
    """Every element of a page with its attributes, and the text inside <script> elements."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


def test_planted_markup_is_shown_as_text(planted_build):
    parser = Elements()
    parser.feed(planted_build)
    anchors = [a.get("href") or "" for tag, a in parser.elements if tag == "a"]
    assert not any("evil.example" in href for href in anchors)
    assert not any(tag == "img" and a.get("src") == "x" for tag, a in parser.elements)
    assert not any(a.get("onerror") for _, a in parser.elements)
    assert not any('alert("x")' in script for script in parser.scripts)
    assert "Moscow &lt;script&gt;alert" in planted_build  # the words are there, as text


def test_the_spam_link_never_reaches_a_report(planted_build):
    assert "synthroid" not in planted_build
    assert "artforhealingfoundation" not in planted_build


def test_reports_have_no_live_external_references(planted_build):
    import re

    live = re.findall(r'<(?:script|link|img|iframe)[^>]+(?:src|href)="(https?:)?//', planted_build)
    assert live == []


def tiny(path: Path, seconds: float) -> None:
    write_notebook(path, f"import time\ntime.sleep({seconds})\nprint(label)")


def test_a_build_killed_midway_keeps_the_last_good_reports(tmp_path):
    book = tmp_path / "books"
    book.mkdir()
    tiny(book / "quick.ipynb", 0)
    tiny(book / "slow.ipynb", 0)
    config = tmp_path / "reports.toml"
    config.write_text(
        '[[report]]\nname = "quick"\nnotebook = "books/quick.ipynb"\n'
        '[[report]]\nname = "slow"\nnotebook = "books/slow.ipynb"\n'
    )
    out = tmp_path / "out"
    reports.build(config=config, out=out, jobs=2)
    before = {p.name: p.read_bytes() for p in out.glob("*.html")}
    assert set(before) == {"quick.html", "slow.html", "index.html"}
    tiny(book / "slow.ipynb", 30)  # changed: the next build must re-run it, slowly
    code = (
        f"from pathlib import Path; from rupak.publish import reports; "
        f"reports.build(config=Path({str(config)!r}), out=Path({str(out)!r}), jobs=2)"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code],
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 60
    while time.time() < deadline and not list((out / ".work").glob("slow.ipynb")):
        time.sleep(0.2)
    time.sleep(2)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    after = {p.name: p.read_bytes() for p in out.glob("*.html")}
    assert after == before  # nothing half-written, nothing lost
    assert not list(out.glob("*.tmp")) and not list(out.glob(".*.tmp"))
    tiny(book / "slow.ipynb", 0.1)  # a third version: the next run must build it
    outcomes = {o.name: o.status for o in reports.build(config=config, out=out, jobs=2)}
    assert outcomes == {"quick": "unchanged", "slow": "built"}


@pytest.mark.skipif(
    shutil.which("unshare") is None or os.geteuid() != 0,
    reason="needs root and unshare to take the network away",
)
def test_reports_build_with_no_network_once_the_record_is_cached(tmp_path):
    from rupak.record import fetch as record

    cache = tmp_path / "cache"
    for name in record.registry():
        target = cache / "files" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(record.path(name), target)
    env = {k: v for k, v in os.environ.items() if k != "RUPAK_MIRROR"}
    env["RUPAK_CACHE"] = str(cache)
    script = (
        f"ip link set lo up && {RUPAK} fetch && "
        f"{RUPAK} reports --only cold-war-us-pakistan --out {tmp_path / 'out'} --jobs 1"
    )
    result = subprocess.run(
        ["unshare", "-n", "sh", "-c", script],
        env=env,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "138 record file(s) verified" in result.stdout
    assert (tmp_path / "out" / "cold-war-us-pakistan.html").is_file()
