"""The report in a real browser: no errors, no network, highlighting, filters, anchors, hostile labels."""

from __future__ import annotations

import pytest
from browser_support import browser, open_report, screenshot  # noqa: F401 - fixtures
from conftest import sample_pairs

from blueprint_cli.checks import run
from blueprint_cli.compare import compare
from blueprint_cli.language.resolve import load
from blueprint_cli.report.build import render_compare_report, render_single_report

pytestmark = pytest.mark.browser

PAIRS = {intended.name.split(".")[0]: (intended, observed) for intended, observed in sample_pairs()}
HOSTILE = "<img src=x onerror=alert(1)>"
BREAKOUT = "</script><script>window.pwned=1</script>"

VISIBLE_FINDINGS = (
    "() => Array.from(document.querySelectorAll('.finding-item')).filter(i => !i.hidden).map(i => i.dataset)"
)
HIGHLIGHTED = "id => { const el = document.getElementById(id); return !!el && el.classList.contains('bp-highlight'); }"


@pytest.fixture(scope="module", params=sorted(PAIRS))
def report_file(request, tmp_path_factory):
    intended, observed = PAIRS[request.param]
    path = tmp_path_factory.mktemp("report") / f"{request.param}.report.html"
    path.write_text(render_compare_report(compare(load(str(intended)), load(str(observed)))), encoding="utf-8")
    return request.param, path


def assert_clean(watched) -> None:
    assert watched.errors == [], "console errors or CSP violations"
    assert watched.foreign_requests() == [], "the report made network requests"
    assert watched.dialogs == []


def test_report_opens_without_errors_or_requests(open_report, report_file):
    name, path = report_file
    watched = open_report(path)
    page = watched.page
    assert page.locator("h1").inner_text().strip()
    assert page.locator("#diagram-overlay svg").count() == 1
    assert page.locator(".score").count() == 5
    screenshot(page, f"report-{name}-top")
    page.locator("#diagram").scroll_into_view_if_needed()
    screenshot(page, f"report-{name}-diagram")
    assert_clean(watched)


def test_clicking_a_finding_highlights_its_element(open_report, report_file):
    name, path = report_file
    watched = open_report(path)
    page = watched.page
    finding = page.locator("details.finding:not([data-target=''])").first
    target = finding.get_attribute("data-target")
    finding.locator("summary").click()
    page.wait_for_function(HIGHLIGHTED, arg=target)
    assert finding.evaluate("d => d.open")
    # "Show in the blueprint" scrolls the diagram into view and keeps the highlight.
    finding.locator(".show-in-diagram").click()
    page.wait_for_function(HIGHLIGHTED, arg=target)
    box = page.locator(f"#{target}").bounding_box()
    assert box is not None and box["y"] < page.viewport_size["height"] and box["y"] + box["height"] > 0, (
        "the element is scrolled into view"
    )
    screenshot(page, f"report-{name}-highlight")
    assert_clean(watched)


def test_filters_change_the_visible_findings(open_report, report_file):
    name, path = report_file
    watched = open_report(path)
    page = watched.page
    everything = page.evaluate(VISIBLE_FINDINGS)
    assert everything
    severities = {f["severity"] for f in everything}
    dropped = "note" if "note" in severities else sorted(severities)[0]
    page.locator(f'#filters input[name="severity"][value="{dropped}"]').uncheck()
    shown = page.evaluate(VISIBLE_FINDINGS)
    assert all(f["severity"] != dropped for f in shown)
    assert len(shown) == sum(1 for f in everything if f["severity"] != dropped)
    assert "Showing" in page.locator("#findings-status").inner_text()
    page.locator("#filters-reset").click()
    page.wait_for_function(
        "n => document.querySelectorAll('.finding-item:not([hidden])').length === n", arg=len(everything)
    )
    for name_, key in (("kind", "kind"), ("lane", "lane"), ("org", "org")):
        values = sorted({f[key] for f in everything if f[key]})
        if not values:
            continue
        page.select_option(f"#filter-{name_}", values[-1])
        shown = page.evaluate(VISIBLE_FINDINGS)
        assert shown and all(f[key] == values[-1] for f in shown)
        assert len(shown) == sum(1 for f in everything if f[key] == values[-1])
        page.select_option(f"#filter-{name_}", "")
    assert len(page.evaluate(VISIBLE_FINDINGS)) == len(everything)
    assert_clean(watched)


def test_anchor_url_opens_and_highlights_the_finding(open_report, report_file):
    name, path = report_file
    probe = open_report(path)
    anchor, target = probe.page.evaluate(
        "() => { const all = Array.from(document.querySelectorAll('details.finding')).filter(d => d.dataset.target);"
        " const d = all[all.length - 1]; return [d.id, d.dataset.target]; }"
    )
    watched = open_report(path, fragment=f"#{anchor}")
    page = watched.page
    finding = page.locator(f"#{anchor}")
    assert "is-target" in finding.get_attribute("class")
    assert finding.evaluate("d => d.open")
    page.wait_for_function(HIGHLIGHTED, arg=target)
    box = finding.bounding_box()
    assert box is not None and 0 <= box["y"] < page.viewport_size["height"]
    screenshot(page, f"report-{name}-anchor")
    assert_clean(watched)


@pytest.mark.parametrize("fragment", ["#%E0%A4%A", "#%", "#%ZZ", "#change-%FF"])
def test_a_malformed_anchor_is_ignored_without_errors(open_report, report_file, fragment):
    watched = open_report(report_file[1], fragment=fragment)
    assert watched.page.locator(".finding.is-target").count() == 0
    watched.page.evaluate("() => { location.hash = '#%E0%A4%A'; }")  # and when it changes later
    watched.page.wait_for_timeout(100)
    assert_clean(watched)


def test_clicking_a_diagram_element_shows_its_changes(open_report, report_file):
    name, path = report_file
    watched = open_report(path)
    page = watched.page
    element = page.locator("#diagram-overlay .bp-step[data-findings]:not([data-findings='0'])").first
    element.scroll_into_view_if_needed()
    element.click()
    panel = page.locator("#element-panel")
    panel.wait_for(state="visible")
    assert panel.locator("li").count() == int(element.get_attribute("data-findings"))
    assert panel.locator("li a").first.get_attribute("href").startswith("#change-")
    # Keyboard: the element is focusable and Enter opens the panel too.
    page.locator("#element-panel-close").click()
    assert panel.is_hidden()
    element.focus()
    page.keyboard.press("Enter")
    panel.wait_for(state="visible")
    screenshot(page, f"report-{name}-panel")
    assert_clean(watched)


def test_view_switch_shows_each_version(open_report, report_file):
    name, path = report_file
    watched = open_report(path)
    page = watched.page
    display = "sel => Array.from(document.querySelectorAll(sel)).map(e => getComputedStyle(e).display)"
    page.locator("#view-switch label", has_text="Intended only").click()
    assert set(page.evaluate(display, "#diagram-overlay .bp-step.status-unplanned")) <= {"none"}
    assert "none" not in page.evaluate(display, "#diagram-overlay .bp-step.status-missing")
    page.locator("#view-switch label", has_text="Observed only").click()
    assert set(page.evaluate(display, "#diagram-overlay .bp-step.status-missing")) <= {"none"}
    page.locator("#view-switch label", has_text="Side by side").click()
    assert page.locator("#diagram-side").is_visible() and page.locator("#diagram-overlay").is_hidden()
    assert page.locator("#diagram-side img").count() == 2
    assert page.evaluate(
        "() => Array.from(document.querySelectorAll('#diagram-side img')).every(i => i.complete && i.naturalWidth > 0)"
    )
    page.locator("#diagram-side").scroll_into_view_if_needed()
    screenshot(page, f"report-{name}-side-by-side")
    page.locator("#view-switch label", has_text="Both overlaid").click()
    assert page.locator("#diagram-overlay").is_visible()
    assert_clean(watched)


def test_findings_work_from_the_keyboard(open_report, report_file):
    _, path = report_file
    watched = open_report(path)
    page = watched.page
    summary = page.locator("details.finding > summary").first
    summary.focus()
    page.keyboard.press("Enter")
    assert summary.evaluate("s => s.parentElement.open")
    outline = summary.evaluate("s => getComputedStyle(s).outlineStyle")
    assert outline != "none", "focus is visible"
    assert_clean(watched)


def test_hostile_labels_show_as_text_and_run_nothing(open_report, tmp_path):
    from test_report import hostile_comparison

    path = tmp_path / "hostile.html"
    path.write_text(render_compare_report(hostile_comparison(tmp_path)), encoding="utf-8")
    watched = open_report(path)
    page = watched.page
    page.wait_for_timeout(300)
    assert watched.dialogs == []
    assert page.evaluate("() => typeof window.pwned") == "undefined"
    assert page.evaluate("() => document.querySelectorAll('img[src=x], main script').length") == 0
    assert HOSTILE in page.locator("h1").inner_text()
    assert BREAKOUT in page.locator(".variant-description").first.inner_text()
    page.locator("#expand-all").click()
    assert page.get_by_text(f"{HOSTILE} pain").first.is_visible()
    # The side panel builds its content with textContent: still text.
    element = page.locator("#diagram-overlay .bp-step[data-findings]").first
    element.click()
    page.locator("#element-panel").wait_for(state="visible")
    assert page.evaluate("() => typeof window.pwned") == "undefined" and watched.dialogs == []
    screenshot(page, "report-hostile", full_page=False)
    assert watched.foreign_requests() == []


@pytest.mark.parametrize("name", sorted(PAIRS)[:2])
def test_single_blueprint_report(open_report, tmp_path, name):
    blueprint = load(str(PAIRS[name][1]))
    path = tmp_path / "single.html"
    path.write_text(render_single_report(blueprint, run(blueprint)), encoding="utf-8")
    watched = open_report(path)
    page = watched.page
    assert page.locator("#diagram-overlay svg").count() == 1
    assert page.locator("#pain li").count() == sum(1 for a in blueprint.annotations if a.kind in ("pain", "workaround"))
    screenshot(page, f"single-{name}", full_page=True)
    assert_clean(watched)


@pytest.fixture(scope="module")
def large_report(tmp_path_factory):
    """A 200-step synthetic pair: more findings than one page; side by side drawn from the overlay."""
    import sys
    from pathlib import Path

    from blueprint_cli.report import build

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    from bench_report import mutate
    from common import synthetic

    folder = tmp_path_factory.mktemp("large")
    (folder / "i.blueprint").write_text(synthetic(200), encoding="utf-8")
    (folder / "o.blueprint").write_text(mutate(synthetic(200)), encoding="utf-8")
    comparison = compare(load(str(folder / "i.blueprint")), load(str(folder / "o.blueprint")))
    limit = build.SIDE_RENDER_MAX_STEPS
    build.SIDE_RENDER_MAX_STEPS = 0
    try:
        html = render_compare_report(comparison)
    finally:
        build.SIDE_RENDER_MAX_STEPS = limit
    path = folder / "large.html"
    path.write_text(html, encoding="utf-8")
    return path, len(comparison.changes)


def test_large_report_pages_its_findings(open_report, large_report):
    path, total = large_report
    assert total > 100
    watched = open_report(path)
    page = watched.page
    assert len(page.evaluate(VISIBLE_FINDINGS)) == 100
    assert page.locator("#pager").is_visible()
    assert "Page 1 of" in page.locator("#pager-label").inner_text()
    seen = {f["kind"] + str(i) for i, f in enumerate(page.evaluate(VISIBLE_FINDINGS))}
    page.locator("#pager-next").click()
    second = page.evaluate(VISIBLE_FINDINGS)
    assert 0 < len(second) <= 100 and "Page 2 of" in page.locator("#pager-label").inner_text()
    assert page.locator("#pager-prev").is_enabled()
    # An anchor on a later page opens that page.
    last = page.evaluate("() => { const d = document.querySelectorAll('details.finding'); return d[d.length - 1].id; }")
    watched_anchor = open_report(path, fragment=f"#{last}")
    assert watched_anchor.page.locator(f"#{last}").is_visible()
    assert "is-target" in watched_anchor.page.locator(f"#{last}").get_attribute("class")
    # Side by side is drawn from the overlay: two copies, without duplicate ids.
    page.locator("#view-switch label", has_text="Side by side").click()
    assert page.locator("#diagram-side svg").count() == 2
    assert page.evaluate("() => document.querySelectorAll('#diagram-side [id]').length") == 0
    assert page.evaluate(
        "() => Array.from(document.querySelectorAll('.side-intended .bp-step.status-unplanned')).every(e => getComputedStyle(e).display === 'none')"
    )
    screenshot(page, "report-large-side-by-side")
    assert_clean(watched)
    assert_clean(watched_anchor)
    assert seen


def test_a_kind_in_the_summary_filters_the_findings(open_report, report_file):
    _, path = report_file
    watched = open_report(path)
    page = watched.page
    link = page.locator("[data-filter-kind]").last
    kind = link.get_attribute("data-filter-kind")
    link.click()
    page.wait_for_function("k => document.getElementById('filter-kind').value === k", arg=kind)
    page.wait_for_function(
        "k => Array.from(document.querySelectorAll('.finding-item')).filter(i => !i.hidden).every(i => i.dataset.kind === k)",
        arg=kind,
    )
    shown = page.evaluate(VISIBLE_FINDINGS)
    assert shown and {f["kind"] for f in shown} == {kind}
    assert_clean(watched)


def test_identical_versions_make_a_calm_report(open_report, tmp_path):
    intended = load(str(PAIRS[sorted(PAIRS)[0]][0]))
    path = tmp_path / "same.html"
    path.write_text(render_compare_report(compare(intended, intended)), encoding="utf-8")
    watched = open_report(path)
    page = watched.page
    assert page.locator(".finding-item").count() == 0
    assert "matches the design" in page.locator("#findings").inner_text()
    assert "100%" in page.locator(".score").first.inner_text()
    assert_clean(watched)


def test_highlighting_a_missing_step_leaves_the_observed_only_view(open_report, report_file):
    _, path = report_file
    watched = open_report(path)
    page = watched.page
    target = page.evaluate(
        "() => { const s = document.querySelector('#diagram-overlay .bp-step.status-missing'); return s && s.id; }"
    )
    if target is None:
        pytest.skip("no missing step in this sample")
    page.locator("#view-switch label", has_text="Observed only").click()
    button = page.locator(f'.show-in-diagram[data-target="{target}"]').first
    button.evaluate("b => b.closest('details.finding').open = true")
    button.click()
    page.wait_for_function(HIGHLIGHTED, arg=target)
    assert page.locator("#diagram-figure").get_attribute("data-view") == "both"
    assert page.locator(f"#{target}").is_visible()
    assert_clean(watched)


FIRST_TARGET = """() => {
  const box = document.getElementById('diagram-overlay');
  const found = Array.from(document.querySelectorAll('details.finding[data-target]'))
    .map(f => f.dataset.target).find(t => t && box.querySelector('[id="' + t + '"]'));
  return found || null;
}"""
VISIBLE_IN_OVERLAY = """id => {
  const el = document.getElementById(id), box = document.getElementById('diagram-overlay');
  const r = el.getBoundingClientRect(), b = box.getBoundingClientRect();
  return r.left < b.right && b.left < r.right && r.top < b.bottom && b.top < r.bottom;
}"""


def test_a_wide_overlay_opens_readable_at_the_first_finding(open_report, report_file):
    """Issue 15, point 12: a picture too wide to read when fitted opens at a readable zoom,
    scrolled to the first finding's element; Fit still shows the whole service."""
    name, path = report_file
    watched = open_report(path)
    page = watched.page
    zoom = int(page.locator("#zoom-level").inner_text().rstrip("%"))
    fitted = page.evaluate(
        "() => { const s = document.querySelector('#diagram-overlay svg'); const box = document.getElementById('diagram-overlay');"
        " return (box.clientWidth - 2) / (s.viewBox.baseVal.width * 4 / 3); }"
    )
    if fitted >= 0.6:
        assert zoom == min(100, round(fitted * 100)), name  # fits readably: the whole service
        return
    assert zoom >= 60, f"{name} opens at {zoom}%"
    first = page.evaluate(FIRST_TARGET)
    assert first, name
    assert page.evaluate(VISIBLE_IN_OVERLAY, first), f"{name}: {first} is not in view"
    page.locator('[data-zoom="fit"]').click()
    assert int(page.locator("#zoom-level").inner_text().rstrip("%")) < 60
    assert_clean(watched)
