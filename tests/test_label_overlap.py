"""Labels never sit on boxes or lines (issue 15, point 2): a tested property, not a visual check.

Every arrow label's white box is measured in the rendered SVG against the step boxes, the lines
between lanes, the stage boundaries and the other labels, on the samples (each version and the
report's overlay of both) and on generated blueprints, drawn whole and wrapped into bands of
stages (where off-band connectors count as boxes).
"""

from __future__ import annotations

import random

import pytest
from conftest import sample_files, sample_pairs
from render_helpers import NUMBER, SVG, bbox, groups, needs_graphviz

from blueprint_cli.compare import compare
from blueprint_cli.language.resolve import load, load_text
from blueprint_cli.render import to_svg
from blueprint_cli.report.compare_view import build_compare_overlay

Rect = tuple[float, float, float, float]  # left, top, right, bottom
SLACK = 0.5  # a touch is not an overlap


def _label_boxes(found) -> dict[str, list[Rect]]:
    boxes: dict[str, list[Rect]] = {}
    for gid, group in found.items():
        if "bp-flow" not in (group.get("class") or "") and "bp-line" not in (group.get("class") or ""):
            continue
        for shape in group:
            if shape.tag == f"{SVG}polygon" and shape.get("fill") == "#ffffff":
                values = [float(v) for v in NUMBER.findall(shape.get("points"))]
                xs, ys = values[0::2], values[1::2]
                boxes.setdefault(gid, []).append((min(xs), min(ys), max(xs), max(ys)))
    return boxes


def _hits(a: Rect, b: Rect) -> bool:
    return a[0] + SLACK < b[2] and b[0] + SLACK < a[2] and a[1] + SLACK < b[3] and b[1] + SLACK < a[3]


def _crosses(box: Rect, line: tuple[float, float, float, float]) -> bool:
    x1, y1, x2, y2 = line
    if y1 == y2:
        return box[1] + SLACK < y1 < box[3] - SLACK and min(x1, x2) < box[2] and box[0] < max(x1, x2)
    return box[0] + SLACK < x1 < box[2] - SLACK and min(y1, y2) < box[3] and box[1] < max(y1, y2)


def _connector_box(group) -> Rect:
    shape = next(group.iter(f"{SVG}polygon"))
    values = [float(v) for v in NUMBER.findall(shape.get("points"))]
    return min(values[0::2]), min(values[1::2]), max(values[0::2]), max(values[1::2])


def overlaps(svg: str) -> list[str]:
    found = groups(svg)
    # step boxes, and the off-band connectors of a wrapped picture (`render --wrap-stages`)
    steps = {gid: bbox(g) for gid, g in found.items() if "bp-step" in (g.get("class") or "")}
    # the off-band connectors of a wrapped picture (`render --wrap-stages`), drawn inside a link
    steps |= {gid: _connector_box(g) for gid, g in found.items() if "bp-connector " in (g.get("class") or "")}
    lines = []
    for gid, group in found.items():
        cls = group.get("class") or ""
        if "bp-line" in cls or "bp-stage-boundary" in cls:
            d = next(s for s in group if s.tag == f"{SVG}path").get("d")
            v = [float(n) for n in NUMBER.findall(d)]
            lines.append((gid, (v[0], v[1], v[-2], v[-1])))
    labels = [(gid, box) for gid, found_boxes in _label_boxes(found).items() for box in found_boxes]
    problems = []
    for index, (gid, box) in enumerate(labels):
        problems += [f"{gid} label on step box {sid}" for sid, step in steps.items() if _hits(box, step)]
        problems += [f"{gid} label on {lid}" for lid, line in lines if lid != gid and _crosses(box, line)]
        problems += [f"{gid} label on the label of {other}" for other, b in labels[index + 1 :] if _hits(box, b)]
    return problems


@needs_graphviz
@pytest.mark.parametrize("path", sample_files(), ids=lambda p: p.name)
def test_no_label_sits_on_a_box_or_a_line_in_a_sample(path):
    assert overlaps(to_svg(load(path))) == []


@needs_graphviz
@pytest.mark.parametrize("pair", sample_pairs(), ids=lambda p: p[0].name.split(".")[0])
def test_no_label_sits_on_a_box_or_a_line_in_the_report_overlay(pair):
    overlay = build_compare_overlay(compare(*(load(p) for p in pair)))
    svg = to_svg(
        overlay.blueprint, step_status=overlay.step_words(), flow_status=overlay.flow_words(), heading="overlay"
    )
    assert overlays_ok(svg)


def overlays_ok(svg: str) -> bool:
    problems = overlaps(svg)
    assert problems == [], problems
    return True


def generated(seed: int) -> str:
    rng = random.Random(seed)
    lanes = ["customer", "frontstage", "backstage", "support"]
    lines = ['blueprint "Generated"', 'org a "Org A"', 'org b "Org B"', 'actor p "Person" customer']
    lines += ['actor x "Staff A" @a', 'actor y "Staff B" @b', 'system s "System" @a']
    ids = []
    for stage in range(rng.randint(2, 4)):
        lines.append(f'stage st{stage} "Stage {stage}"')
        for n in range(rng.randint(2, 5)):
            lane = rng.choice(lanes)
            sid = f"s{stage}_{n}"
            by = {"customer": "p", "support": None}.get(lane, rng.choice("xy"))
            lines.append(f'  {lane} {sid} "Step {sid} with some words"' + (f" by {by}" if by else " uses s"))
            ids.append(sid)
    pairs = {tuple(rng.sample(ids, 2)) for _ in range(len(ids))}
    for a, b in sorted(pairs):
        label = rng.choice(["", ' "referral"', ' "a longer flow label here"'])
        lines.append(f"flow {a} -> {b}{label}")
    return "\n".join(dict.fromkeys(lines)) + "\n"


@needs_graphviz
@pytest.mark.parametrize("seed", range(6))
def test_no_label_sits_on_a_box_or_a_line_in_generated_blueprints(seed):
    assert overlays_ok(to_svg(load_text(generated(seed))))


@needs_graphviz
@pytest.mark.parametrize("path", sample_files(), ids=lambda p: p.name)
@pytest.mark.parametrize("wrap", [2, "auto"])
def test_no_label_sits_on_a_box_or_a_line_in_a_wrapped_sample(path, wrap):
    assert overlays_ok(to_svg(load(path), wrap_stages=wrap))


@needs_graphviz
@pytest.mark.parametrize("seed", range(6))
def test_no_label_sits_on_a_box_or_a_line_in_wrapped_generated_blueprints(seed):
    assert overlays_ok(to_svg(load_text(generated(seed)), wrap_stages=1))
