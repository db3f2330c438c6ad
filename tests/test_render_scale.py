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

from blueprint_cli.language.model import Blueprint
from blueprint_cli.language.resolve import load_text
from blueprint_cli.render import layout as G
from blueprint_cli.render import to_dot


def labelled(n: int, *, seed: int = 11) -> str:
    """N steps, N/5 stages, four lanes, ~1.3N flows (some backwards), 30 % labelled, 10 % owned handoffs."""
    rnd = random.Random(seed)
    lanes = ["customer", "frontstage", "backstage", "support"]
    lines = [
        'blueprint "Synthetic"',
        'org o1 "Org one"',
        'org o2 "Org two"',
        'actor c "Customer" customer',
        'actor a0 "Staff 0" @o1',
        'actor a1 "Staff 1" @o2',
        'system sys1 "Case system" @o1',
    ]
    for i in range(n):
        if i % 5 == 0:
            lines.append(f'stage g{i // 5} "Stage {i // 5}"')
        lane = rnd.choice(lanes)
        who = " by c" if lane == "customer" else (" uses sys1" if lane == "support" else f" by a{rnd.randrange(2)}")
        lines.append(f'  {lane} s{i} "Step s{i} of the synthetic journey"{who}')
    flows = {(i, i + 1) for i in range(n - 1)}
    for _ in range(n // 4):
        a = rnd.randrange(n - 1)
        flows.add((a, rnd.randrange(a + 1, min(n, a + 12))))
    for _ in range(n // 20):
        a = rnd.randrange(1, n)
        flows.add((a, rnd.randrange(max(0, a - 6), a)))
    for a, b in sorted(flows):
        r = rnd.random()
        if r < 0.3:
            lines.append(f'flow s{a} -> s{b} "label {a} to {b} with some words"')
        elif r < 0.4:
            lines.append(f'flow s{a} -> s{b} "handed" [owner=a{rnd.randrange(2)}]')
        else:
            lines.append(f"flow s{a} -> s{b}")
    lines += [f'pain s{i} "Pain at s{i}"' for i in range(0, n, 17)]
    return "\n".join(lines) + "\n"


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
