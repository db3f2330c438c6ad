"""The conformance report (`report INTENDED LOG --mapping M`) in a real browser: no errors, no network."""

from __future__ import annotations

import pytest
from browser_support import browser, open_report, screenshot  # noqa: F401 - fixtures
from conftest import ROOT

pytestmark = pytest.mark.browser

RECEIPT = ROOT.parent / "shared" / "data" / "receipt"


@pytest.mark.skipif(not (RECEIPT / "receipt.csv").exists(), reason="no shared receipt data")
def test_the_conformance_report_opens_without_errors_or_requests(open_report, tmp_path):
    from blueprint_cli.evidence.conform import conformance
    from blueprint_cli.evidence.conform_report import report_section
    from blueprint_cli.evidence.mapping import load_mapping
    from blueprint_cli.language.resolve import load
    from blueprint_cli.report.build import render_compare_report

    result = conformance(
        str(RECEIPT / "receipt.csv"),
        load(RECEIPT / "receipt.intended.blueprint"),
        load_mapping(str(RECEIPT / "receipt.mapping.toml")),
    )
    path = tmp_path / "receipt.report.html"
    path.write_text(render_compare_report(result.comparison, conformance=report_section(result)), encoding="utf-8")
    watched = open_report(path)
    page = watched.page
    section = page.locator("#conformance")
    section.scroll_into_view_if_needed()
    assert "775 of 1,434" in section.inner_text()
    assert page.locator("nav a[href='#conformance']").count() == 1
    screenshot(page, "report-receipt-conformance")
    assert watched.errors == [], "console errors or CSP violations"
    assert watched.foreign_requests() == [], "the report made network requests"
