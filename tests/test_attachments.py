"""Unplanned and missing steps say where they attach (issue 15, point 7)."""

from __future__ import annotations

import json

from blueprint_cli.compare import compare
from blueprint_cli.language.resolve import load_text

INTENDED = """\
blueprint "Housing decisions"
variant intended
org council "Council"
actor officer "Officer" @council
actor tenant "Tenant" customer
stage decide "Decision"
  customer ask "Asks for the decision to be looked at again" by tenant -> decide_it
  backstage decide_it "Makes the decision" by officer -> write, file
  backstage write "Writes to the tenant" by officer -> letter
  backstage file "Files the decision" by officer
  customer letter "Reads the letter" by tenant
"""
# Observed: "Looks at the decision again" between ask and decide_it was never planned; the
# letter is never written (write is missing), so decide_it leads straight to letter.
OBSERVED = """\
blueprint "Housing decisions"
variant observed
org council "Council"
actor officer "Officer" @council
actor tenant "Tenant" customer
stage decide "Decision"
  customer ask "Asks for the decision to be looked at again" by tenant -> review
  backstage review "Looks at the decision <again> & again" by officer -> decide_it
  backstage decide_it "Makes the decision" by officer -> letter, file
  backstage file "Files the decision" by officer
  customer letter "Reads the letter" by tenant
"""


def _changes():
    comparison = compare(load_text(INTENDED, "i.blueprint"), load_text(OBSERVED, "o.blueprint"))
    return {c.kind: c for c in comparison.changes}


def test_an_unplanned_step_names_where_it_leaves_from_and_returns_to():
    change = _changes()["step.unplanned"]
    assert change.after == ("ask",) and change.before == ("decide_it",)
    assert "after “Asks for the decision to be looked at again”" in change.message
    assert "“Makes the decision”" in change.message
    assert change.message.endswith("(review)")


def test_a_missing_step_names_where_it_was_planned():
    change = _changes()["step.missing"]
    assert change.after == ("decide_it",) and change.before == ("letter",)
    assert "after “Makes the decision”" in change.message and "before “Reads the letter”" in change.message


def test_json_lists_the_ids(run_cli, tmp_path):
    (tmp_path / "i.blueprint").write_text(INTENDED, encoding="utf-8")
    (tmp_path / "o.blueprint").write_text(OBSERVED, encoding="utf-8")
    _code, out, _err = run_cli("diff", str(tmp_path / "i.blueprint"), str(tmp_path / "o.blueprint"), "--format", "json")
    by_kind = {c["kind"]: c for c in json.loads(out)["changes"]}
    assert by_kind["step.unplanned"]["after"] == ["ask"] and by_kind["step.unplanned"]["before"] == ["decide_it"]
    assert by_kind["step.missing"]["after"] == ["decide_it"] and by_kind["step.missing"]["before"] == ["letter"]
    assert "after" not in by_kind.get("flow.unplanned", {})
