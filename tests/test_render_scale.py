"""The DOT of large generated blueprints stays byte-identical while the renderer gets faster.

The digests (tests/golden/render/scale/, written only with BLUEPRINT_UPDATE_GOLDEN=1) were first
taken from the renderer before its quadratic loops were removed (layout's columns per stage
scanning every flow, label placement filtering every arrow run per label);
the blueprints carry labelled flows, handoffs and pain points, drawn plain and as an overlay with
step and flow statuses, so every path of label placement runs. A change that moves anything in
the picture changes a digest: if that is intended, regenerate them and say why in the commit.
"""

from __future__ import annotations

import hashlib
import random

import pytest
from conftest import ROOT, assert_golden
from generated import labelled

from blueprint_cli.language.model import Blueprint
from blueprint_cli.language.resolve import load_text
from blueprint_cli.render import layout as G
from blueprint_cli.render import to_dot


def _digests(blueprint: Blueprint, n: int) -> tuple[str, str]:
    rnd = random.Random(n)
    flows = {f.key: rnd.choice(["broken", "new"]) for f in blueprint.flows if rnd.random() < 0.2}
    steps = {s: rnd.choice(["missing", "unplanned", "moved", "changed"]) for s in blueprint.steps if rnd.random() < 0.1}
    plain = to_dot(blueprint)
    overlay = to_dot(blueprint, step_status=steps, flow_status=flows, heading="Both")
    return (
        hashlib.sha256(plain.encode()).hexdigest()[:16],
        hashlib.sha256(overlay.encode()).hexdigest()[:16],
    )


GOLDEN = ROOT / "tests" / "golden" / "render" / "scale"


@pytest.mark.parametrize("n", [30, 100, 300, 1000])
def test_dot_of_generated_blueprints_is_byte_identical_to_before(n: int) -> None:
    plain, overlay = _digests(load_text(labelled(n)), n)
    assert_golden(f"{plain} {overlay}\n", GOLDEN / f"{n}.digests")


@pytest.mark.slow
@pytest.mark.parametrize("n", [2000, 5000])
def test_dot_of_large_generated_blueprints_is_byte_identical_to_before(n: int) -> None:
    plain, overlay = _digests(load_text(labelled(n)), n)
    assert_golden(f"{plain} {overlay}\n", GOLDEN / f"{n}.digests")


def test_columns_per_stage_only_follow_flows_within_the_stage() -> None:
    text = (
        'blueprint "B"\nstage one "One"\n  customer a "A"\n  customer b "B"\n'
        'stage two "Two"\n  customer c "C"\n  customer d "D"\n'
        "flow a -> c\nflow b -> a\nflow c -> d\n"
    )
    columns = G.stage_columns(load_text(text))
    assert columns == {"b": 0, "a": 1, "c": 0, "d": 1}
