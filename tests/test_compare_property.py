"""Property test: inject random mutations into generated blueprints and require exactly those changes back.

Mutations: delete a step, add a step, rename a step (with or without a `renamed` line), change a
step's actor, move it to another lane or stage, reorder it inside its stage, drop a flow. Each
mutation touches its own steps, and labels use words unique to each step, so the expected changes
follow from the mutations alone (actor.* from which actors still do steps).
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blueprint_cli.compare import compare
from blueprint_cli.language.resolve import load_text

STAFF = ("s1", "s2", "s3")
HEAD = 'org o1 "Org"\nactor patient "Patient" customer\n' + "".join(f'actor {a} "Staff {a}" @o1\n' for a in STAFF)


def render(title: str, variant: str, stages: list[list[dict]], flows: list[tuple[str, str]], renames=()) -> str:
    lines = [f'blueprint "{title}"', f"variant {variant}", HEAD]
    lines += [f"renamed {old} -> {new}" for old, new in renames]
    for n, steps in enumerate(stages):
        lines.append(f'stage g{n} "Stage {n}"')
        for step in steps:
            lines.append(f'  {step["lane"]} {step["id"]} "{step["label"]}" by {step["actor"]}')
    lines += [f"flow {a} -> {b}" for a, b in flows]
    return "\n".join(lines) + "\n"


@st.composite
def scenario(draw):
    sizes = draw(st.lists(st.integers(min_value=3, max_value=6), min_size=2, max_size=4))
    stages, counter = [], 0
    for size in sizes:
        steps = []
        for _ in range(size):
            lane = draw(st.sampled_from(("customer", "frontstage", "backstage")))
            actor = "patient" if lane == "customer" else draw(st.sampled_from(STAFF[:2]))
            steps.append(
                {"id": f"p{counter}", "label": f"Alpha{counter} beta{counter} work", "lane": lane, "actor": actor}
            )
            counter += 1
        stages.append(steps)
    order = [s["id"] for steps in stages for s in steps]
    flows = list(zip(order, order[1:], strict=False))
    return stages, flows, draw(st.randoms(use_true_random=False))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario())
def test_injected_mutations_come_back_exactly(data):
    stages, flows, rnd = data
    intended = load_text(render("P", "intended", stages, flows), "<intended>")
    observed_stages = [[dict(s) for s in steps] for steps in stages]
    observed_flows = list(flows)
    expected: set[tuple[str, str]] = set()
    renames: list[tuple[str, str]] = []
    touched: set[str] = set()
    all_ids = [s["id"] for steps in stages for s in steps]

    def find(step_id):
        for steps in observed_stages:
            for step in steps:
                if step["id"] == step_id:
                    return steps, step
        raise KeyError(step_id)

    # Reorder: a step at index >= 2 of its stage goes to the front; that stage loses no step.
    protected_stage = None
    candidates = [n for n, steps in enumerate(stages) if len(steps) >= 3]
    if candidates and rnd.random() < 0.6:
        protected_stage = rnd.choice(candidates)
        steps = observed_stages[protected_stage]
        moved = steps.pop(rnd.randrange(2, len(steps)))
        steps.insert(0, moved)
        touched.add(moved["id"])
        expected.add(("step.order", moved["id"]))
    free = [i for i in all_ids if i not in touched]
    rnd.shuffle(free)
    protected_ids = {s["id"] for s in stages[protected_stage]} if protected_stage is not None else set()

    def take(*, removable: bool, staff: bool = False):
        for step_id in list(free):
            steps, step = find(step_id)
            if removable and step_id in protected_ids:
                continue
            if staff and step["lane"] == "customer":
                continue
            free.remove(step_id)
            touched.add(step_id)
            return steps, step
        return None

    chosen = rnd.sample(["delete", "rename", "actor", "lane", "stage", "add", "flow"], k=rnd.randint(1, 7))
    # The flow is dropped last: a later deletion would make the dropped flow implied by step.missing.
    for mutation in sorted(chosen, key=lambda m: m == "flow"):
        if mutation == "delete" and (found := take(removable=True)):
            steps, step = found
            steps.remove(step)
            observed_flows = [f for f in observed_flows if step["id"] not in f]
            expected.add(("step.missing", step["id"]))
        elif mutation == "rename" and (found := take(removable=False)):
            _, step = found
            old, new = step["id"], step["id"] + "_new"
            step["id"] = new
            observed_flows = [tuple(new if end == old else end for end in f) for f in observed_flows]
            if rnd.random() < 0.5:
                renames.append((old, new))
            expected.add(("step.renamed", old))
        elif mutation == "actor" and (found := take(removable=False, staff=True)):
            _, step = found
            step["actor"] = "s3"
            expected.add(("step.actor", step["id"]))
        elif mutation == "lane" and (found := take(removable=False, staff=True)):
            _, step = found
            step["lane"] = "backstage" if step["lane"] == "frontstage" else "frontstage"
            expected.add(("step.lane", step["id"]))
        elif mutation == "stage" and (found := take(removable=True)):
            steps, step = found
            here = observed_stages.index(steps)
            others = [n for n in range(len(observed_stages)) if n != here]
            steps.remove(step)
            observed_stages[rnd.choice(others)].append(step)
            expected.add(("step.stage", step["id"]))
        elif mutation == "add":
            target = rnd.randrange(len(observed_stages))
            observed_stages[target].append(
                {"id": "added", "label": "Gamma delta newly", "lane": "backstage", "actor": "s1"}
            )
            expected.add(("step.unplanned", "added"))
        elif mutation == "flow":
            alive = {s["id"] for steps in observed_stages for s in steps}
            back = {new: old for old, new in ((s, s + "_new") for s in all_ids)}
            droppable = [f for f in observed_flows if f[0] in alive and f[1] in alive]
            if droppable:
                flow = rnd.choice(droppable)
                observed_flows.remove(flow)
                expected.add(("flow.missing", f"{back.get(flow[0], flow[0])}->{back.get(flow[1], flow[1])}"))

    used_before = {s["actor"] for steps in stages for s in steps}
    used_after = {s["actor"] for steps in observed_stages for s in steps}
    expected |= {("actor.missing", a) for a in used_before - used_after}
    expected |= {("actor.unplanned", a) for a in used_after - used_before}

    observed = load_text(render("P", "observed", observed_stages, observed_flows, renames), "<observed>")
    found = [(c.kind, c.id) for c in compare(intended, observed).changes]
    assert len(found) == len(set(found)), "a change reported twice"
    assert set(found) == expected
