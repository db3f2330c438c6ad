"""The map page in a real browser: no errors or requests; outcome -> journey -> step in its blueprint; filters; keyboard."""

from __future__ import annotations

import pytest
from browser_support import browser, open_report, screenshot  # noqa: F401 - fixtures
from conftest import ROOT

from blueprint_cli import pipeline

pytestmark = pytest.mark.browser

SAMPLE_SET = ROOT / "samples" / "after-a-death"
VISIBLE_JOURNEYS = (
    "() => Array.from(document.querySelectorAll('article.journey')).filter(a => !a.hidden).map(a => a.id)"
)
IN_VIEW = (
    "id => { const r = document.getElementById(id).getBoundingClientRect();"
    " return r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth; }"
)
TARGETED = "id => { const el = document.getElementById(id); return !!el && el.classList.contains('is-target'); }"


@pytest.fixture(scope="module")
def map_file(tmp_path_factory):
    architecture = pipeline.architecture([str(SAMPLE_SET)])
    path = tmp_path_factory.mktemp("map") / "architecture.html"
    path.write_text(pipeline.map_page(architecture, pipeline.map_facts(architecture)), encoding="utf-8")
    return path


def assert_clean(watched) -> None:
    assert watched.errors == [], "console errors or CSP violations"
    assert watched.foreign_requests() == [], "the page made network requests"
    assert watched.dialogs == []


def test_map_opens_without_errors_or_requests(open_report, map_file):
    watched = open_report(map_file)
    screenshot(watched.page, "map-top")
    assert watched.page.locator("h1").inner_text() == "Service architecture"
    assert watched.page.locator("#overview svg").count() == 1
    assert watched.page.locator("article.journey").count() == 3
    assert_clean(watched)


def test_click_from_an_outcome_to_a_journey_to_a_step_in_its_blueprint(open_report, map_file):
    watched = open_report(map_file)
    page = watched.page
    outcome = page.locator("#outcome-death_registered")
    outcome.locator("a[href^='#journey-']").first.click()
    journey_id = page.evaluate("location.hash.slice(1)")
    assert page.locator(f"#{journey_id} h3").inner_text() == "Registering a death"
    page.wait_for_function(IN_VIEW, arg=f"{journey_id}-title", timeout=5000)
    screenshot(page, "map-journey")
    # The step list, then the step: its blueprint opens and the step is marked in the drawing.
    page.locator(f"#{journey_id} details.steps summary").click()
    page.locator(f"#{journey_id} a.to-blueprint", has_text="Registers the death").click()
    target = f"{journey_id}-bp-step-register"
    assert page.evaluate("location.hash") == f"#{target}"
    assert page.evaluate(f"() => document.getElementById('{journey_id}-blueprint').open")
    assert page.evaluate(TARGETED, target)
    page.wait_for_function(IN_VIEW, arg=target, timeout=5000)  # scrolled into view (smoothly)
    page.wait_for_timeout(300)
    screenshot(page, "map-step-in-blueprint")
    assert_clean(watched)


def test_an_address_to_a_step_opens_its_blueprint(open_report, map_file):
    watched = open_report(map_file, fragment="#journey-2-bp-step-register")
    assert watched.page.evaluate("() => document.getElementById('journey-2-blueprint').open")
    assert watched.page.evaluate(TARGETED, "journey-2-bp-step-register")
    assert_clean(watched)


def test_filters_by_organisation_and_by_journey(open_report, map_file):
    watched = open_report(map_file)
    page = watched.page
    assert len(page.evaluate(VISIBLE_JOURNEYS)) == 3
    page.select_option("#filter-org", label="Register office")
    assert page.evaluate(VISIBLE_JOURNEYS) == ["journey-2"]  # only Registering a death involves the registrar
    assert page.locator("#filter-status").inner_text() == "Showing 1 journey."
    page.select_option("#filter-org", value="")
    page.select_option("#filter-journey", label="Council tax after a death")
    assert page.evaluate(VISIBLE_JOURNEYS) == ["journey-1"]
    screenshot(page, "map-filtered")
    assert_clean(watched)


def test_the_overview_links_work_from_the_keyboard(open_report, map_file):
    watched = open_report(map_file)
    page = watched.page
    link = page.locator("#overview svg a").first
    link.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash").startswith("#journey-")
    assert_clean(watched)
