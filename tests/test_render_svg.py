"""The rendered SVG of every sample: labels present, lanes as ordered bands, stages in order, no overlaps."""

from __future__ import annotations

import pytest
from conftest import sample_files
from render_helpers import bbox, groups, needs_graphviz, squash, texts
from test_render_dot import EXAMPLE

from blueprint_cli.language.model import LANES
from blueprint_cli.language.resolve import load, load_text
from blueprint_cli.render import GraphvizError, render_bytes, to_svg

SAMPLES = sample_files()
needs_samples = pytest.mark.skipif(not SAMPLES, reason="no samples/*.blueprint in the repository yet")

pytestmark = needs_graphviz


def _check_structure(blueprint, svg: str) -> None:
    found = groups(svg)
    # Every step is there with its label (wrapped lines joined back together).
    boxes = {}
    for sid, step in blueprint.steps.items():
        group = found.get(f"step-{sid}")
        assert group is not None, f"step {sid} missing from the SVG"
        assert "bp-step" in group.get("class", "")
        assert squash(step.label) in squash(texts(group)), f"label of {sid} not shown in full"
        boxes[sid] = bbox(group)
    # Lanes are bands in canonical order, and every step sits inside its own lane's band.
    bands = {lane: bbox(found[f"lane-{lane.value}"]) for lane in LANES}
    tops = [bands[lane][1] for lane in LANES]
    assert tops == sorted(tops) and len(set(tops)) == len(tops)
    widths = {(round(b[0]), round(b[2])) for b in bands.values()}
    assert len(widths) == 1, "bands span the same full width"
    for sid, step in blueprint.steps.items():
        left, top, right, bottom = boxes[sid]
        band = bands[step.lane]
        assert band[1] <= top and bottom <= band[3], f"{sid} is outside the {step.lane.value} band"
    # Every step of stage k lies left of every step of stage k + 1.
    stages = [s for s in blueprint.stages.values() if s.steps]
    for first, second in zip(stages, stages[1:], strict=False):
        assert max(boxes[s][2] for s in first.steps) < min(boxes[s][0] for s in second.steps)
    for stage in blueprint.stages.values():
        assert f"stage-{stage.id}" in found
    # No two step boxes overlap.
    items = sorted(boxes.items(), key=lambda item: item[1][0])
    for i, (a, (_al, at, ar, ab)) in enumerate(items):
        for b, (bl, bt, _br, bb) in items[i + 1 :]:
            if bl >= ar:
                break
            assert not (at < bb and bt < ab), f"{a} and {b} overlap"


@needs_samples
@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_sample_svg_structure(path):
    blueprint = load(path)
    _check_structure(blueprint, to_svg(blueprint))


def test_example_svg_structure_with_overlay_statuses():
    blueprint = load_text(EXAMPLE)
    svg = to_svg(
        blueprint, step_status={"other": "unplanned", "refer": "missing"}, flow_status={("refer", "accept"): "broken"}
    )
    _check_structure(blueprint, svg)
    found = groups(svg)
    assert "status-unplanned" in found["step-other"].get("class")
    assert "status-missing" in found["step-refer"].get("class")
    flow = found["flow-refer--accept"]
    assert {"bp-flow", "handoff", "unowned", "status-broken"} <= set(flow.get("class").split())
    assert "broken" in texts(flow)
    assert "line-through" in "".join(t.get("text-decoration", "") for t in found["step-refer"].iter())
    for key in ("line-interaction", "line-visibility", "line-internal-interaction", "legend", "header"):
        assert key in found


@needs_samples
@pytest.mark.parametrize("path", SAMPLES[:2], ids=lambda p: p.name)
def test_svg_is_byte_identical_on_a_second_run(path):
    assert render_bytes(load(path), "svg") == render_bytes(load(path), "svg")


def test_user_text_comes_out_literally():
    text = (
        'blueprint "Escapes \\"quoted\\" {braces} \\\\G"\n'
        'description "Path C:\\\\New & <b>&amp;</b>"\n'
        'actor p "Pat <i>" customer\n'
        'stage s "Stage \\\\N {x}"\n'
        '  customer a "C:\\\\New" by p\n'
        '  customer b "Label \\\\N \\\\l \\\\E <b>&amp; {braces} \\"quotes\\"" by p\n'
        'flow a -> b "edge \\\\T label"\n'
        'pain b "It hurts \\\\H & <so>"\n'
    )
    blueprint = load_text(text)
    assert blueprint.steps["a"].label == "C:\\New"
    svg = to_svg(blueprint)
    found = groups(svg)
    assert squash("C:\\New") in squash(texts(found["step-a"]))
    assert squash('Label \\N \\l \\E <b>&amp; {braces} "quotes"') in squash(texts(found["step-b"]))
    assert squash("Pat <i>") in squash(texts(found["step-a"])) or "Customer" in texts(found["step-a"])
    assert squash('Escapes "quoted" {braces} \\G') in squash(texts(found["header"]))
    assert squash("Path C:\\New & <b>&amp;</b>") in squash(texts(found["header"]))
    assert squash("Stage \\N {x}") in squash(texts(found["stage-s"]))
    assert "edge \\T label" in texts(found["flow-a--b"])
    assert squash("It hurts \\H & <so>") in squash(texts(found["key"]))


def test_missing_graphviz_says_how_to_install_it(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(GraphvizError) as error:
        to_svg(load_text(EXAMPLE))
    assert "apt-get install graphviz" in str(error.value) and "brew install graphviz" in str(error.value)


def test_png_and_pdf_are_produced():
    blueprint = load_text(EXAMPLE)
    assert render_bytes(blueprint, "png").startswith(b"\x89PNG")
    assert render_bytes(blueprint, "pdf").startswith(b"%PDF")
    with pytest.raises(ValueError):
        render_bytes(blueprint, "gif")


@pytest.mark.parametrize(
    "text",
    [
        'blueprint "Empty"\n',
        'blueprint "Empty stage"\nstage a "A"\nstage b "B"\n  customer x "X"\n',
        'blueprint "Cycle"\nstage a "A"\n  customer x "X"\n  customer y "Y"\nflow x -> y\nflow y -> x\n',
    ],
    ids=["empty", "empty-stage", "cycle"],
)
def test_edge_cases_render(text):
    blueprint = load_text(text)
    _check_structure(blueprint, to_svg(blueprint))


def _chips(svg: str):
    """(box top, box bottom, text baseline, font size, text) of every marker chip in the SVG."""
    import re
    import xml.etree.ElementTree as ET

    from render_helpers import NUMBER, SVG

    root = ET.fromstring(svg.encode("utf-8"))
    found = []
    for group in root.iter(f"{SVG}g"):
        children = list(group)
        for shape, text in zip(children, children[1:], strict=False):
            if shape.tag != f"{SVG}polygon" or text.tag != f"{SVG}text":
                continue
            if not re.fullmatch(r"[PWUN]\d*!?", text.text or "") or text.get("font-weight") != "bold":
                continue
            ys = [float(v) for v in NUMBER.findall(shape.get("points", ""))][1::2]
            found.append((min(ys), max(ys), float(text.get("y")), float(text.get("font-size")), text.text))
    return found


def test_marker_letters_are_vertically_centred_in_their_chips():
    from test_render_dot import SEVERITY_EXAMPLE

    svg = to_svg(load_text(SEVERITY_EXAMPLE + 'workaround refer "Phones instead"\nunknown accept "Who?"\n'))
    chips = _chips(svg)
    assert len(chips) >= 2 * 6  # on the steps, in the legend and in the key
    cap_height = 0.73  # of DejaVu Sans Bold, in em: capitals and digits have no descenders
    for top, bottom, baseline, size, text in chips:
        glyph_centre = baseline - cap_height * size / 2
        assert abs(glyph_centre - (top + bottom) / 2) <= 0.8, f"{text} is not centred in its chip"


@needs_samples
@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_arrow_labels_do_not_hide_the_lines_between_lanes(path):
    from render_helpers import NUMBER, SVG

    found = groups(to_svg(load(path)))
    line_ys = set()
    for name in ("line-interaction", "line-visibility", "line-internal-interaction"):
        d = next(shape for shape in found[name] if shape.tag == f"{SVG}path").get("d")
        line_ys.add(round(float(NUMBER.findall(d)[1]), 1))
    for lane in LANES:
        _, top, _, bottom = bbox(found[f"lane-{lane.value}"])
        line_ys |= {round(top, 1), round(bottom, 1)}
    for gid, group in found.items():
        if "bp-flow" not in (group.get("class") or ""):
            continue
        for shape in group:
            if shape.tag == f"{SVG}polygon" and shape.get("fill") == "#ffffff":
                ys = [float(v) for v in NUMBER.findall(shape.get("points"))][1::2]
                hidden = [y for y in line_ys if min(ys) + 0.5 < y < max(ys) - 0.5]
                assert not hidden, f"the label of {gid} hides a line between lanes at y={hidden[0]}"
