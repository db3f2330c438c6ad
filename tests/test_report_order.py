"""The report's findings follow the journey's order, also for a stage matched by label (issue 15, point 5)."""

from __future__ import annotations

import re

from blueprint_cli.compare import compare
from blueprint_cli.language.resolve import load_text
from blueprint_cli.report.build import render_compare_report

INTENDED = """\
blueprint "Repairs"
variant intended
org council "Council"
actor officer "Officer" @council
stage report "Reporting"
  backstage log "Logs the repair" by officer -> inspect
stage works "Repair works"
  backstage inspect "Inspects the damage" by officer -> fix
  backstage fix "Fixes it" by officer -> call
  backstage order "Orders the parts" by officer
stage check "Six-week check"
  backstage call "Calls the tenant" by officer -> survey
  backstage survey "Sends a survey" by officer
"""
# The stage "Repair works" has a new id; one step is missing from it and one from the check.
OBSERVED = (
    INTENDED.replace("variant intended", "variant observed")
    .replace('stage works "Repair works"', 'stage repair_works "Repair works"')
    .replace('  backstage order "Orders the parts" by officer\n', "")
    .replace(" -> survey", "")
    .replace('  backstage survey "Sends a survey" by officer\n', "")
)


def stage_groups(html: str) -> list[str]:
    return re.findall(r'<details class="stage-group" id="stage-findings-([\w-]+)"', html)


def test_a_stage_matched_by_label_keeps_its_place_in_the_journey():
    comparison = compare(load_text(INTENDED, "i.blueprint"), load_text(OBSERVED, "o.blueprint"))
    assert comparison.stage_matches["works"] == "repair_works"
    groups = stage_groups(render_compare_report(comparison, to_svg=lambda *a, **k: "<svg/>"))
    assert groups == ["repair_works", "check"], groups
