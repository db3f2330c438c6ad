"""Headless Chromium (Debian's, never a download) driven by Playwright: fixtures for the report tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("BLUEPRINT_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"


# One Chromium for the whole run. Each test module imports `browser`, which makes it a fixture of
# that module: without this, two modules would each start Playwright, and a second sync
# Playwright in the same thread fails ("Sync API inside the asyncio loop").
_SHARED: dict = {"users": 0}


@pytest.fixture(scope="session")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium, or set BLUEPRINT_CHROMIUM)")
    if _SHARED["users"] == 0:
        _SHARED["playwright"] = sync_api.sync_playwright().start()
        _SHARED["browser"] = _SHARED["playwright"].chromium.launch(executable_path=CHROMIUM, args=ARGS)
    _SHARED["users"] += 1
    yield _SHARED["browser"]
    _SHARED["users"] -= 1
    if _SHARED["users"] == 0:
        _SHARED.pop("browser").close()
        _SHARED.pop("playwright").stop()


class Watched:
    """A page with everything it tried to do recorded: console errors, requests, dialogs."""

    def __init__(self, page, url: str):
        self.page = page
        self.url = url
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        page.on(
            "console",
            lambda message: self.errors.append(message.text) if message.type in ("error", "warning") else None,
        )
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("request", lambda request: self.requests.append(request.url))

        def on_dialog(dialog):
            self.dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)

    def open(self, fragment: str = "") -> None:
        self.page.goto(self.url + fragment)
        self.page.wait_for_selector("html[data-ready]", state="attached", timeout=15000)

    def foreign_requests(self) -> list[str]:
        """Requests to anything but the report file itself and data: URLs."""
        return [url for url in self.requests if url.split("#")[0] != self.url and not url.startswith("data:")]


@pytest.fixture
def open_report(browser):
    """Open an HTML file in a fresh page; returns a `Watched` page."""
    contexts = []

    def opener(path: Path, *, fragment: str = "", viewport=(1400, 1000)) -> Watched:
        context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]}, java_script_enabled=True)
        contexts.append(context)
        watched = Watched(context.new_page(), path.resolve().as_uri())
        watched.open(fragment)
        return watched

    yield opener
    for context in contexts:
        context.close()


def screenshot(page, name: str, *, full_page: bool = False) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
