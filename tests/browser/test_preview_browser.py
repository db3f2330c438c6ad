"""`blueprint preview` in Chromium: the page follows saves without reloading, shows the errors of a
broken save (line and column) over the last good diagram, and loads nothing from anywhere else."""

from __future__ import annotations

import queue
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import Watched, browser, screenshot  # noqa: F401 - fixtures
from conftest import SAMPLES
from lsp_client import blueprint_argv

pytestmark = pytest.mark.browser

SVG_TEXT = "() => (document.querySelector('#stage svg') || {}).textContent || ''"


class Preview:
    """`blueprint preview ARGS --no-browser --port 0`, running in `folder`, and the address it serves."""

    def __init__(self, folder: Path, *args: str) -> None:
        self.process = subprocess.Popen(
            blueprint_argv() + ["preview", *args, "--no-browser", "--port", "0"],
            cwd=folder,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        lines: queue.Queue[str] = queue.Queue()
        assert self.process.stdout is not None
        stdout = self.process.stdout

        def read() -> None:
            for line in stdout:
                lines.put(line)

        threading.Thread(target=read, daemon=True).start()
        found = re.search(r"http://127\.0\.0\.1:\d+/", lines.get(timeout=30))
        assert found, "preview printed no address"
        self.url = found.group(0)

    def stop(self) -> int:
        self.process.terminate()
        return self.process.wait(timeout=10)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shutil.copytree(SAMPLES, tmp_path / "samples")
    return tmp_path / "samples"


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    yield context.new_page()
    context.close()


def open_page(page: Any, url: str) -> Watched:
    watched = Watched(page, url)
    watched.open()
    return watched


def save(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def test_the_page_follows_saves_and_shows_errors(folder: Path, page: Any) -> None:
    path = folder / "hospital-discharge.intended.blueprint"
    original = path.read_text(encoding="utf-8")
    preview = Preview(folder, path.name)
    try:
        watched = open_page(page, preview.url)
        assert "Arrives on the ward" in page.evaluate(SVG_TEXT)
        page.evaluate("() => { window.samePage = true; }")

        started = time.monotonic()
        save(path, original.replace('"Arrives on the ward"', '"Arrives by helicopter"'))
        page.wait_for_function(f"() => ({SVG_TEXT})().includes('helicopter')", timeout=10000)
        seconds = time.monotonic() - started
        assert seconds < 3, f"the page took {seconds:.1f} s to follow the save"
        assert page.evaluate("() => window.samePage") is True  # updated in place, not reloaded

        broken = path.read_text(encoding="utf-8") + '  customer lost "Gets lost" by nobody\n'
        save(path, broken)
        page.wait_for_selector("#problems.shown", timeout=10000)
        line = broken.rstrip("\n").count("\n") + 1
        column = broken.rstrip("\n").split("\n")[-1].index("nobody") + 1
        problems = page.inner_text("#problems")
        assert f"{path.name}:{line}:{column}: unknown actor 'nobody'" in problems
        assert "showing the last good version" in problems
        assert "helicopter" in page.evaluate(SVG_TEXT)  # the last good diagram stays
        assert page.get_attribute("html", "data-fresh") == "false"
        screenshot(page, "preview-broken")

        save(path, original)
        page.wait_for_selector("#problems.shown", state="hidden", timeout=10000)
        page.wait_for_function(f"() => !({SVG_TEXT})().includes('helicopter')", timeout=10000)
        assert page.get_attribute("html", "data-fresh") == "true"
        assert page.evaluate("() => window.samePage") is True
        screenshot(page, "preview-fixed")
        assert watched.errors == []
        assert watched.foreign_requests() == [preview.url + "events"]
    finally:
        assert preview.stop() == 143  # SIGTERM, as shells count it


def test_a_change_in_an_include_is_followed(folder: Path, page: Any) -> None:
    shared = folder / "shared" / "nhs-orgs.blueprint"
    preview = Preview(folder, "back-to-work.intended.blueprint")
    try:
        open_page(page, preview.url)
        assert "NHS Talking Therapies" in page.evaluate(SVG_TEXT)
        save(shared, shared.read_text(encoding="utf-8").replace('"NHS Talking Therapies"', '"Talking Therapies North"'))
        page.wait_for_function(f"() => ({SVG_TEXT})().includes('Talking Therapies North')", timeout=10000)
    finally:
        assert preview.stop() == 143  # SIGTERM, as shells count it


def test_zoom_and_pan(folder: Path, page: Any) -> None:
    preview = Preview(folder, "hospital-discharge.intended.blueprint")
    try:
        open_page(page, preview.url)
        before = float(page.get_attribute("html", "data-scale"))
        page.click("#zoom-in")
        assert float(page.get_attribute("html", "data-scale")) == pytest.approx(before * 1.25, rel=1e-2)
        page.mouse.move(700, 500)
        page.mouse.wheel(0, 400)  # scrolling down zooms out
        page.wait_for_function(f"() => parseFloat(document.documentElement.dataset.scale) < {before * 1.25}")
        start = page.evaluate("() => document.getElementById('stage').style.transform")
        page.mouse.move(600, 500)
        page.mouse.down()
        page.mouse.move(450, 400, steps=5)
        page.mouse.up()
        moved = page.evaluate("() => document.getElementById('stage').style.transform")
        assert moved != start
        page.click("#zoom-fit")
        assert page.evaluate("() => document.getElementById('stage').style.transform") != moved
    finally:
        assert preview.stop() == 143  # SIGTERM, as shells count it


def test_two_files_show_the_live_report(folder: Path, page: Any) -> None:
    observed = folder / "hospital-discharge.observed.blueprint"
    preview = Preview(folder, "hospital-discharge.intended.blueprint", observed.name)
    try:
        watched = open_page(page, preview.url)
        report = page.frame_locator("#report")
        report.locator("html[data-ready]").wait_for(state="attached", timeout=15000)
        assert page.evaluate("() => document.body.classList.contains('report')")
        first = page.evaluate("() => document.getElementById('report').srcdoc")
        assert "blueprint-cli" in first
        text = observed.read_text(encoding="utf-8")
        label = re.search(r'^  \w+ \w+ "([^"]+)"', text, re.MULTILINE)
        assert label is not None
        save(observed, text.replace(f'"{label.group(1)}"', '"A label nobody wrote before"', 1))
        page.wait_for_function(
            "() => document.getElementById('report').srcdoc.includes('A label nobody wrote before')", timeout=15000
        )
        screenshot(page, "preview-report")
        assert watched.errors == []
        assert watched.foreign_requests() == [preview.url + "events"]
    finally:
        assert preview.stop() == 143  # SIGTERM, as shells count it


def test_only_the_page_and_its_events_are_served(folder: Path, page: Any) -> None:
    preview = Preview(folder, "hospital-discharge.intended.blueprint")
    try:
        for path in (
            "hospital-discharge.intended.blueprint",
            "../samples/shared/nhs-orgs.blueprint",
            "etc/passwd",
            "x.svg",
        ):
            answer = page.request.get(preview.url + path)
            assert answer.status == 404, path
        assert "content-security-policy" in page.request.get(preview.url).headers
    finally:
        assert preview.stop() == 143  # SIGTERM, as shells count it


def test_hostile_labels_stay_text(tmp_path: Path, page: Any) -> None:
    hostile = "<img src=x onerror=alert(1)></svg><script>alert(2)</script>"
    path = tmp_path / "hostile.blueprint"
    escaped = hostile.replace("\\", "\\\\").replace('"', '\\"')
    path.write_text(
        f'blueprint "{escaped}"\nactor c "{escaped}" customer\nstage s "S"\n  customer a "{escaped}" by c\n',
        encoding="utf-8",
    )
    preview = Preview(tmp_path, path.name)
    try:
        watched = open_page(page, preview.url)
        assert "onerror=alert(1)" in page.evaluate(SVG_TEXT)  # shown as text
        assert page.evaluate("() => document.querySelectorAll('#stage img, #stage script').length") == 0
        save(path, path.read_text(encoding="utf-8") + f'  customer b "x" by {hostile}\n')
        page.wait_for_selector("#problems.shown", timeout=10000)
        assert page.evaluate("() => document.querySelectorAll('#problems img, #problems script').length") == 0
        assert watched.dialogs == [] and watched.errors == []
        assert watched.foreign_requests() == [preview.url + "events"]
    finally:
        assert preview.stop() == 143  # SIGTERM, as shells count it
