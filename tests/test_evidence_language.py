"""The measured attributes: `cases=` on steps and flows, `wait=` on flows."""

from __future__ import annotations

import json

import pytest

from blueprint_cli.language.errors import BlueprintError
from blueprint_cli.language.export import dumps, to_text
from blueprint_cli.language.resolve import load_text

TEXT = """blueprint "T"
variant observed
org a "A"
actor x "X" @a
stage s "S"
  backstage one "One" by x [evidence=measured, duration=2h, cases=12]
  backstage two "Two" by x [cases=0]
flow one -> two [cases=9, wait=1d]
"""


def test_cases_and_wait_are_read_and_exported():
    blueprint = load_text(TEXT, "t.blueprint")
    assert blueprint.steps["one"].cases == 12
    assert blueprint.steps["two"].cases == 0
    (flow,) = blueprint.flows
    assert (flow.cases, flow.wait, flow.wait_minutes) == (9, "1d", 1440)
    document = json.loads(dumps(blueprint))
    assert document["steps"][0]["cases"] == 12
    assert {k: document["flows"][0][k] for k in ("cases", "wait", "wait_minutes")} == {
        "cases": 9,
        "wait": "1d",
        "wait_minutes": 1440,
    }


def test_the_canonical_text_keeps_them():
    blueprint = load_text(TEXT, "t.blueprint")
    again = load_text(to_text(blueprint), "again.blueprint")
    assert again.steps == blueprint.steps
    assert again.flows == blueprint.flows
    assert "[cases=9, wait=1d]" in to_text(blueprint)


@pytest.mark.parametrize(
    ("attribute", "words"),
    [
        ("[cases=12a]", "invalid case count '12a'"),
        ('[cases="12"]', "invalid case count '12'"),
        ("[cases=1.5]", "invalid case count '1.5'"),
        ("[wait=2days]", "invalid wait '2days'; did you mean '2d'?"),
    ],
)
def test_bad_values_are_located(attribute, words):
    text = TEXT.replace("[cases=9, wait=1d]", attribute)
    with pytest.raises(BlueprintError) as caught:
        load_text(text, "t.blueprint")
    (diagnostic,) = caught.value.diagnostics
    assert words in diagnostic.message
    assert diagnostic.span.line == 8


def test_target_keeps_the_plans_duration_beside_a_measured_one():
    blueprint = load_text(TEXT.replace("duration=2h, cases=12", "duration=2h, target=1d, cases=12"), "t.blueprint")
    assert (blueprint.steps["one"].target, blueprint.steps["one"].target_minutes) == ("1d", 1440)
    assert "[evidence=measured, duration=2h, target=1d, cases=12]" in to_text(blueprint)
    with pytest.raises(BlueprintError) as caught:
        load_text(TEXT.replace("cases=12", "target=soon"), "t.blueprint")
    assert "invalid target 'soon'" in caught.value.diagnostics[0].message


def test_wait_is_not_a_step_attribute():
    with pytest.raises(BlueprintError) as caught:
        load_text(TEXT.replace("[cases=0]", "[wait=1d]"), "t.blueprint")
    assert "does not apply to a step" in caught.value.diagnostics[0].message
