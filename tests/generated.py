"""Generated blueprints for the renderer and parser tests: one generator, two shapes.

`synthetic(n)` is like ../shared/bench/gen_synthetic.py (N steps, N/5 stages, four lanes, every
flow declared once); `labelled(n)` adds backward flows, labelled flows and owned handoffs, so that
every path of label placement runs. Both are deterministic (seeded): golden digests depend on them.
"""

from __future__ import annotations

import random

LANES = ("customer", "frontstage", "backstage", "support")
HEAD = [
    'blueprint "Synthetic"',
    'org o1 "Org one"',
    'org o2 "Org two"',
    'actor c "Customer" customer',
    'actor a0 "Staff 0" @o1',
    'actor a1 "Staff 1" @o2',
    'system sys1 "Case system" @o1',
]


def synthetic(n: int, *, seed: int = 7, skips: int = 5, reach: int = 8, backs: int = 0, labels: bool = False) -> str:
    """N steps in stages of 5, a flow to each next step, n // skips flows forward up to `reach`
    steps, n // backs flows back (when `backs`), labels and owners on some flows (when `labels`)."""
    rnd = random.Random(seed)
    lines = list(HEAD)
    for i in range(n):
        if i % 5 == 0:
            lines.append(f'stage g{i // 5} "Stage {i // 5}"')
        lane = rnd.choice(LANES)
        who = " by c" if lane == "customer" else (" uses sys1" if lane == "support" else f" by a{rnd.randrange(2)}")
        lines.append(f'  {lane} s{i} "Step s{i} of the synthetic journey"{who}')
    flows = {(i, i + 1) for i in range(n - 1)}
    for _ in range(n // skips):
        a = rnd.randrange(n - 1)
        flows.add((a, rnd.randrange(a + 1, min(n, a + reach))))
    for _ in range(n // backs if backs else 0):
        a = rnd.randrange(1, n)
        flows.add((a, rnd.randrange(max(0, a - 6), a)))
    lines += [_flow(a, b, rnd) if labels else f"flow s{a} -> s{b}" for a, b in sorted(flows)]
    lines += [f'pain s{i} "Pain at s{i}"' for i in range(0, n, 17)]
    return "\n".join(lines) + "\n"


def _flow(a: int, b: int, rnd: random.Random) -> str:
    r = rnd.random()
    if r < 0.3:
        return f'flow s{a} -> s{b} "label {a} to {b} with some words"'
    if r < 0.4:
        return f'flow s{a} -> s{b} "handed" [owner=a{rnd.randrange(2)}]'
    return f"flow s{a} -> s{b}"


def labelled(n: int, *, seed: int = 11) -> str:
    """N steps, N/5 stages, four lanes, ~1.3N flows (some backwards), 30 % labelled, 10 % owned handoffs."""
    return synthetic(n, seed=seed, skips=4, reach=12, backs=20, labels=True)
