"""Outcomes on the diagram: the steps that serve one are marked, the legend lists them (issue 15, point 3)."""

from __future__ import annotations

import re

from conftest import sample_files

from blueprint_cli.language.resolve import load, load_text
from blueprint_cli.render import to_dot
from blueprint_cli.render.escape import html_text

TEXT = """\
blueprint "B"
outcome home "Home safely & <soon>"
outcome paid "Paid on time"
org tax "Tax"
actor clerk "Clerk" @tax
stage s "S"
  backstage file "Files it" by clerk [outcome=home]
  backstage other "Does something else" by clerk
"""


def node(dot: str, name: str) -> str:
    found = re.search(rf'^\s*"{name}" \[.*$', dot, re.MULTILINE)
    assert found, name
    return found.group(0)


def legend(dot: str) -> str:
    return "\n".join(re.findall(r'^\s*"legend(?:_\d+)?" \[.*$', dot, re.MULTILINE))


def test_a_step_serving_an_outcome_is_marked_with_it_and_others_are_not():
    dot = to_dot(load_text(TEXT))
    serving, other = node(dot, "step_file"), node(dot, "step_other")
    assert "serves-outcome" in serving and "serves-outcome" not in other
    assert html_text("Home safely & <soon>") in serving
    assert "Home safely" not in other


def test_the_legend_lists_every_outcome_with_the_steps_serving_it():
    text = legend(to_dot(load_text(TEXT)))
    assert "Outcomes" in text
    assert html_text("Home safely & <soon>") in text and "1 step" in text
    assert "Paid on time" in text and "no step serves it" in text


def test_no_outcomes_no_outcome_section():
    dot = to_dot(
        load_text(
            TEXT.replace('outcome home "Home safely & <soon>"\noutcome paid "Paid on time"\n', "").replace(
                " [outcome=home]", ""
            )
        )
    )
    assert "Outcomes" not in legend(dot) and "serves-outcome" not in dot


def test_every_sample_outcome_shows_in_its_diagram():
    for path in sample_files():
        blueprint = load(str(path))
        dot = to_dot(blueprint)
        for outcome in blueprint.outcomes.values():
            assert html_text(outcome.label) in legend(dot), (path.name, outcome.id)
        for sid, step in blueprint.steps.items():
            assert ("serves-outcome" in node(dot, f"step_{sid}")) == (step.outcome is not None), (path.name, sid)


def test_a_plans_dashed_steps_are_planned_not_assumed():
    """Issue 15, point 8: in an intended diagram the dashed steps are planned — not yet observed."""
    plan = to_dot(load_text(TEXT))
    assert "planned — not yet observed" in legend(plan) and "assumed" not in legend(plan)
    observed = to_dot(load_text(TEXT.replace('blueprint "B"\n', 'blueprint "B"\nvariant observed\n')))
    assert "assumed (nobody has checked)" in legend(observed) and "planned" not in legend(observed)
