"""`render --wrap-stages N|auto` (issue 15, point 12): bands of stages, off-band connectors, a PDF page per band.

Every flow is drawn, inside a band as an arrow or between bands as a matched pair of connectors;
`auto` keeps bands under the width limit; the output is deterministic; bad values are usage
errors. The label-overlap property on wrapped pictures is in test_label_overlap.py.
"""

from __future__ import annotations

import io
import re

import pytest
from conftest import ROOT, SAMPLES, assert_golden, sample_files
from generated import labelled
from render_helpers import NUMBER, SVG, groups, needs_graphviz, squash, texts

from blueprint_cli.language.model import Blueprint
from blueprint_cli.language.resolve import load, load_text
from blueprint_cli.render import layout as G
from blueprint_cli.render import render_bytes, to_dot, to_svg
from blueprint_cli.render.bands import CONNECTOR_WIDTH, MAX_BAND_WIDTH, band_width, connector_lines, split
from blueprint_cli.render.wrapped import to_dot_pages, to_dot_wrapped

GOLDEN = ROOT / "tests" / "golden" / "render" / "wrapped"
HOSPITAL = SAMPLES / "hospital-discharge.intended.blueprint"

# Flows both ways between the stages: forward across two bands, backward, a handoff without an
# owner, and labels a renderer must escape.
BOTH_WAYS = """blueprint "Both ways"
org a "Org A"
org b "Org B"
actor p "Person" customer
actor x "Staff A" @a
actor y "Staff B" @b
stage one "One"
  customer s1 "Asks \\"why?\\" <now> & [bold]loudly[/bold]" by p
  frontstage s2 "Answers" by x
stage two "Two"
  frontstage s3 "Checks" by y
  backstage s4 "Files" by x
stage three "Three"
  customer s5 "Receives" by p
flow s1 -> s2
flow s2 -> s3 "hand over"
flow s1 -> s5 "the long way"
flow s4 -> s1 "asks again"
flow s5 -> s2
flow s3 -> s4
"""


def _band_of_steps(blueprint: Blueprint, wrap: int | str) -> dict[str, int]:
    return {
        sid: band.number
        for band in split(blueprint, wrap)
        for stage in band.stages
        for sid in blueprint.stages[stage].steps
    }  # type: ignore[arg-type]


def _edge_ids(dot: str) -> set[str]:
    return set(re.findall(r'-> "[^"]+" \[.*?\bid="([^"]+)"', dot))


def _node_ids(dot: str) -> set[str]:
    return {m for m in re.findall(r'^  "[^"]+" \[.*?\bid="?([^",]+)"?,', dot, flags=re.M)}


def _assert_every_flow_drawn(blueprint: Blueprint, wrap: int | str) -> int:
    """Each flow is an arrow within one band, or leaves its band at a connector to the target's
    band and arrives from a connector in the source's; returns how many flows cross bands."""
    dot = to_dot_wrapped(blueprint, wrap)  # type: ignore[arg-type]
    edges, nodes = _edge_ids(dot), _node_ids(dot)
    band = _band_of_steps(blueprint, wrap)
    crossing = 0
    for flow in blueprint.flows:
        whole = f"flow-{flow.source}--{flow.target}"
        if band[flow.source] == band[flow.target]:
            assert whole in edges, whole
            continue
        crossing += 1
        assert whole not in edges
        assert {whole + "-to-connector", whole + "-from-connector"} <= edges, whole
        assert f"connector-to-{flow.target}-band-{band[flow.source]}" in nodes
        assert f"connector-from-{flow.source}-band-{band[flow.target]}" in nodes
    return crossing


def test_every_flow_is_an_arrow_or_a_pair_of_connectors_both_ways() -> None:
    blueprint = load_text(BOTH_WAYS)
    assert _assert_every_flow_drawn(blueprint, 1) == 4  # s2->s3 (a handoff), s1->s5, s4->s1, s5->s2
    band = _band_of_steps(blueprint, 1)
    assert band["s4"] > band["s1"] and band["s5"] > band["s2"]  # backward flows are among them


@pytest.mark.parametrize("path", sample_files(), ids=lambda p: p.name)
@pytest.mark.parametrize("wrap", [1, 2, "auto"])
def test_no_flow_of_a_sample_is_lost(path, wrap) -> None:
    _assert_every_flow_drawn(load(path), wrap)


def test_no_flow_of_a_generated_blueprint_is_lost() -> None:
    assert _assert_every_flow_drawn(load_text(labelled(200)), "auto") > 20


def test_connector_text_names_the_other_end_and_its_band() -> None:
    dot = to_dot_wrapped(load_text(BOTH_WAYS), 1)
    # escaped for Graphviz's quoted strings in the tooltip, and for its HTML-like labels
    assert 'tooltip="from “Asks \\"why?\\" <now> & [bold]loudly[/bold]” · band 1"' in dot
    assert 'tooltip="to “Asks \\"why?\\" <now> & [bold]loudly[/bold]” · band 1"' in dot
    labels = "".join(re.findall(r'class="bp-connector [^\n]*label=(<.*>)\];$', dot, flags=re.M))
    assert "&quot;why?&quot;" in labels and "&lt;now&gt;" in labels and "&amp;" in labels
    assert "<now>" not in labels
    assert 'href="#step-s1"' in dot


@pytest.mark.parametrize(
    "text",
    [
        "from “Rebooks the slot” · band 2",  # wrapped as "… · band" over "2" before
        "to “Checks the patient in” · band 4",
        "from “Is told the outcome” · band 5",
        "to “A label · with its own dot that is long enough to wrap twice” · band 12",
        "to “x” · band 3",
    ],
)
def test_connector_text_never_splits_band_from_its_number(text) -> None:
    lines = connector_lines(text)
    assert " ".join(lines) == text
    assert lines[-1].endswith(text.rpartition(" · ")[2])  # "band N" whole, on the last line
    assert all(not line.split()[0].isdigit() for line in lines)


@needs_graphviz
def test_connector_text_reads_as_written_in_the_svg() -> None:
    found = groups(to_svg(load_text(BOTH_WAYS), wrap_stages=1))
    said = squash(texts(found["connector-from-s1-band-3"]))
    assert said == squash('from “Asks "why?" <now> & [bold]loudly[/bold]” · band 1')


@pytest.mark.parametrize("wrap", [1, 5, "auto"])
def test_one_band_has_no_band_caption(wrap) -> None:
    one = load_text(
        'blueprint "One"\nactor p "P" customer\nstage s "S"\n  customer a "A" by p -> b\n  customer b "B" by p\n'
    )
    for dot in (to_dot_wrapped(one, wrap), *to_dot_pages(one, wrap)):
        assert "Band 1 of 1" not in dot and "band-1-caption" not in dot
    assert "Band 1 of 3" in to_dot_wrapped(load_text(BOTH_WAYS), 1)  # several bands keep theirs


def test_bands_of_n_stages() -> None:
    blueprint = load(HOSPITAL)
    stages = list(blueprint.stages)
    assert [band.stages for band in split(blueprint, 2)] == [tuple(stages[i : i + 2]) for i in range(0, len(stages), 2)]
    assert [len(band.stages) for band in split(blueprint, 100)] == [len(stages)]


@needs_graphviz
def test_svg_has_a_band_per_two_stages_each_with_its_lanes_and_headers() -> None:
    blueprint = load(HOSPITAL)
    found = groups(to_svg(blueprint, wrap_stages=2))
    per_band: dict[int, list[str]] = {}
    for gid, group in found.items():
        classes = (group.get("class") or "").split()
        if "bp-stage" in classes:
            number = next(int(c.split("-")[1]) for c in classes if c.startswith("band-"))
            per_band.setdefault(number, []).append(gid.removeprefix("stage-"))
    stages = list(blueprint.stages)
    assert per_band == {n // 2 + 1: stages[n : n + 2] for n in range(0, len(stages), 2)}
    for number in per_band:
        for lane in ("customer", "frontstage", "backstage", "support"):
            assert f"lane-{lane}-band-{number}" in found and f"lane-{lane}-title-band-{number}" in found
        assert f"band-{number}-caption" in found
    assert "Band 2 of 3 · continued from band 1" in texts(found["band-2-caption"])
    # connectors link to the step at the other end
    assert 'xlink:href="#step-' in to_svg(blueprint, wrap_stages=2)


def test_golden_wrapped_dot() -> None:
    assert_golden(to_dot_wrapped(load(HOSPITAL), 2), GOLDEN / "hospital-discharge.intended.wrap2.dot")


def test_without_the_option_the_dot_is_unchanged() -> None:
    blueprint = load(HOSPITAL)
    assert render_bytes(blueprint, "dot") == to_dot(blueprint).encode("utf-8")
    assert (
        render_bytes(blueprint, "dot", wrap_stages=None)
        == (ROOT / "tests/golden/render" / "hospital-discharge.intended.dot").read_bytes()
    )


def test_dot_is_deterministic() -> None:
    blueprint = load(HOSPITAL)
    assert to_dot_wrapped(blueprint, "auto") == to_dot_wrapped(load(HOSPITAL), "auto")
    assert to_dot_pages(blueprint, 2) == to_dot_pages(load(HOSPITAL), 2)


@needs_graphviz
def test_svg_and_pdf_are_deterministic() -> None:
    blueprint = load(HOSPITAL)
    assert render_bytes(blueprint, "svg", wrap_stages=2) == render_bytes(load(HOSPITAL), "svg", wrap_stages=2)
    assert render_bytes(blueprint, "pdf", wrap_stages=2) == render_bytes(load(HOSPITAL), "pdf", wrap_stages=2)


@needs_graphviz
@pytest.mark.parametrize("wrap", [1, 2, "auto"])
def test_pdf_has_a_page_per_band_all_of_one_size(wrap) -> None:
    from pypdf import PdfReader

    blueprint = load(HOSPITAL)
    reader = PdfReader(io.BytesIO(render_bytes(blueprint, "pdf", wrap_stages=wrap)))
    assert len(reader.pages) == len(split(blueprint, wrap))
    assert len({(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages}) == 1


def _assert_auto_fits(blueprint: Blueprint) -> None:
    bands = split(blueprint, "auto")
    assert [s for band in bands for s in band.stages] == list(blueprint.stages)
    for index, band in enumerate(bands):
        assert len(band.stages) == 1 or band_width(blueprint, list(band.stages)) <= MAX_BAND_WIDTH
        assert G.columns_width(band.blueprint, stack=band.stack, widths=band.widths) == band_width(
            blueprint, list(band.stages)
        )
        if index + 1 < len(bands):  # greedy: the next stage would not have fitted
            assert band_width(blueprint, [*band.stages, bands[index + 1].stages[0]]) > MAX_BAND_WIDTH


@pytest.mark.parametrize("path", sample_files(), ids=lambda p: p.name)
def test_auto_keeps_the_bands_of_a_sample_under_the_width_limit(path) -> None:
    _assert_auto_fits(load(path))


def test_auto_puts_narrow_stages_together() -> None:
    assert [len(band.stages) for band in split(load(HOSPITAL), "auto")][0] == 2


def test_auto_keeps_the_bands_of_200_generated_steps_under_the_width_limit() -> None:
    blueprint = load_text(labelled(200))
    _assert_auto_fits(blueprint)
    bands = split(blueprint, "auto")  # its stages of 5 steps are 1,300-2,200 pt wide: a band each
    found = re.findall(r'"lane_customer-band-(\d+)" \[pos="[^"]+", width=([0-9.]+)', to_dot_wrapped(blueprint, "auto"))
    assert len(found) == len(bands)
    for number, width in found:  # as drawn: a band of one stage may be wider, if the stage is
        if len(bands[int(number) - 1].stages) > 1:
            assert float(width) * 72 + 2 * G.MARGIN <= MAX_BAND_WIDTH + 1


@needs_graphviz
def test_drawn_bands_of_a_sample_are_no_wider_than_the_limit() -> None:
    bands = split(load(HOSPITAL), "auto")
    found = groups(to_svg(load(HOSPITAL), wrap_stages="auto"))
    for band in bands:
        if len(band.stages) == 1:
            continue  # a stage wider than the limit has a band of its own
        rect = found[f"lane-customer-band-{band.number}"].find("{http://www.w3.org/2000/svg}polygon")
        xs = [float(v) for v in re.findall(r"(-?[\d.]+),", rect.get("points"))]
        assert max(xs) - min(xs) + 2 * G.MARGIN <= MAX_BAND_WIDTH + 1


@pytest.mark.parametrize("value", ["0", "x", "-1", "2.5", ""])
def test_bad_wrap_values_are_usage_errors(run_cli, value) -> None:
    code, _, err = run_cli("render", str(HOSPITAL), "--wrap-stages", value, "-o", "-", "--format", "dot")
    assert code == 2
    assert "--wrap-stages must be a whole number of stages per band (1 or more) or 'auto'" in err
    assert "Traceback" not in err


def test_wrap_from_the_configuration(run_cli, tmp_path, monkeypatch) -> None:
    (tmp_path / "blueprint.toml").write_text("[render]\nwrap-stages = 2\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, _ = run_cli("render", str(HOSPITAL), "-o", "-", "--format", "dot")
    assert code == 0 and out == to_dot_wrapped(load(HOSPITAL), 2)
    code, out, _ = run_cli("render", str(HOSPITAL), "-o", "-", "--format", "dot", "--wrap-stages", "auto")
    assert code == 0 and out == to_dot_wrapped(load(HOSPITAL), "auto")
    (tmp_path / "blueprint.toml").write_text("[render]\nwrap-stages = 0\n", encoding="utf-8")
    code, _, err = run_cli("render", str(HOSPITAL), "-o", "-", "--format", "dot")
    assert code == 2 and "wrap-stages" in err and "Traceback" not in err


def test_graphviz_node_names_are_unique() -> None:
    for wrap in (1, "auto"):
        dot = to_dot_wrapped(load_text(labelled(100)), wrap)  # type: ignore[arg-type]
        names = re.findall(r'^  ("[^"]+"|\w+) \[', dot, flags=re.M)
        assert len(names) == len(set(names))


def test_watch_renders_the_bands_again_when_the_file_changes(tmp_path, monkeypatch) -> None:
    import os
    import time

    from blueprint_cli.commands import render as command

    source = tmp_path / "both.blueprint"
    source.write_text(BOTH_WAYS, encoding="utf-8")
    target = tmp_path / "both.dot"
    ok, read = command.render_one(str(source), target, fmt="dot", timeout=10, wrap=1)
    assert ok and target.read_text(encoding="utf-8") == to_dot_wrapped(load_text(BOTH_WAYS), 1)
    calls = []

    def fake_sleep(_seconds):
        calls.append(1)
        if len(calls) > 1:
            raise KeyboardInterrupt
        source.write_text(BOTH_WAYS.replace('"Checks"', '"Checks again"'), encoding="utf-8")
        stat = source.stat()
        os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))

    monkeypatch.setattr(time, "sleep", fake_sleep)
    command.watch_loop([str(source)], [target], fmt="dot", timeout=10, watched={str(source): read}, wrap=1)
    drawn = target.read_text(encoding="utf-8")
    assert "Checks again" in drawn and "band-3-caption" in drawn


def _edge_looks(dot: str) -> dict[str, tuple[str, str, str, str, str]]:
    """By edge id: colour, thickness, line style, classes and the words of its label."""
    looks = {}
    for line in dot.splitlines():
        found = re.search(r' -> .*?\bid="([^"]+)"', line)
        if not found:
            continue
        attr = {key: re.search(rf'\b{key}=("[^"]*"|[^,\]]*)', line) for key in ("color", "penwidth", "style", "class")}
        words = "".join(re.findall(r">([^<>]+)</FONT>", line))
        looks[found.group(1)] = (*(m.group(1) if m else "" for m in attr.values()), "".join(words.split()))
    return looks


def test_flow_halves_look_like_the_flow() -> None:
    """Handoff thickness and owner, unowned in vermillion, overlay statuses, measured cases: a flow
    between bands keeps its look on both halves."""
    text = BOTH_WAYS.replace('flow s2 -> s3 "hand over"', 'flow s2 -> s3 "hand over" [owner=x, cases=40, wait=2d]')
    text = text.replace("flow s5 -> s2", "flow s5 -> s2 [cases=10]")
    blueprint = load_text(text)
    flow_status = {("s1", "s5"): "broken", ("s4", "s1"): "new"}
    step_status = {"s5": "missing"}
    whole = _edge_looks(to_dot(blueprint, step_status=step_status, flow_status=flow_status))
    halves = _edge_looks(to_dot_wrapped(blueprint, 1, step_status=step_status, flow_status=flow_status))
    assert any("unowned" in look[3] for look in whole.values())  # s3 -> s4, between two orgs
    for flow in blueprint.flows:
        name = f"flow-{flow.source}--{flow.target}"
        if name in halves:
            assert halves[name] == whole[name]
            continue
        colour, penwidth, style, classes, words = whole[name]
        for half in ("-to-connector", "-from-connector"):
            assert halves[name + half] == (colour, penwidth, style, classes[:-1] + ' off-band"', words)
    assert "40cases·waits2d" in whole["flow-s2--s3"][4] and whole["flow-s2--s3"][2] == "solid"
    assert whole["flow-s1--s5"][2] == "dashed"


def test_auto_gives_a_stage_without_steps_no_band_of_its_own() -> None:
    text = labelled(30)  # stages of 5 steps, each too wide to share a band with the next
    text = text.replace('stage g0 "Stage 0"', 'stage lead "Nothing yet"\nstage g0 "Stage 0"')
    text = text.replace('stage g3 "Stage 3"', 'stage gap "Nothing here"\nstage g3 "Stage 3"')
    blueprint = load_text(text)
    bands = split(blueprint, "auto")
    assert len(bands) > 3
    for band in bands:
        assert any(blueprint.stages[sid].steps for sid in band.stages), band.stages
    by_stage = {sid: band.number for band in bands for sid in band.stages}
    assert by_stage["lead"] == by_stage["g0"] and by_stage["gap"] == by_stage["g2"]


BACK_TO_WORK = SAMPLES / "back-to-work.observed.blueprint"


def test_a_connector_column_is_narrower_than_a_step_column() -> None:
    """Each connector column of a band costs CONNECTOR_WIDTH, not a step's BOX_WIDTH: with
    step-wide connectors their two columns took about a third of MAX_BAND_WIDTH. (On the samples
    the bands `auto` makes stay as many: their stages are 2-5 columns of 266 pt each, and a band
    of two of them misses the limit by more than the 120 pt two narrow connector columns save.)"""
    assert CONNECTOR_WIDTH < G.BOX_WIDTH
    blueprint = load(BACK_TO_WORK)
    for band in split(blueprint, "auto"):
        columns = G.stage_columns(band.blueprint, stack=band.stack)
        connector_columns = sum(
            max(columns[sid] for sid in stage.steps) + 1
            for stage in band.blueprint.stages.values()
            if stage.id in band.widths
        )
        assert connector_columns >= 1
        step_wide = G.columns_width(band.blueprint, stack=band.stack)  # every column BOX_WIDTH, as before
        narrow = band_width(blueprint, list(band.stages))
        assert step_wide - narrow == pytest.approx(connector_columns * (G.BOX_WIDTH - CONNECTOR_WIDTH))


@needs_graphviz
@pytest.mark.parametrize("path", [HOSPITAL, BACK_TO_WORK], ids=lambda p: p.stem)
def test_connector_boxes_are_narrower_than_step_boxes_in_the_svg(path) -> None:
    found = groups(to_svg(load(path), wrap_stages="auto"))
    connectors = [_box_width(g) for gid, g in found.items() if gid.startswith("connector-") and "-band-" in gid]
    steps = [_box_width(found[f"step-{sid}"]) for sid in load(path).steps]
    assert connectors and steps
    assert max(connectors) <= CONNECTOR_WIDTH + 1 < min(steps)


def _box_width(group) -> float:
    """The width of the first polygon or path in a node's group, links included."""
    shape = next(s for s in group.iter() if s.tag in (f"{SVG}polygon", f"{SVG}path"))
    xs = [float(v) for v in NUMBER.findall(shape.get("points") or shape.get("d", ""))][0::2]
    return max(xs) - min(xs)
