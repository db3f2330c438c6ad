"""The renderer without Graphviz: grid layout, routes, golden DOT per sample, determinism, escaping."""

from __future__ import annotations

import pytest
from conftest import ROOT, assert_golden, sample_files
from generated import synthetic

from blueprint_cli.language.model import LANES
from blueprint_cli.language.resolve import load, load_text
from blueprint_cli.render import layout as G
from blueprint_cli.render import render_bytes, to_dot
from blueprint_cli.render.escape import html_text, quoted
from blueprint_cli.render.metrics import text_width, wrap
from blueprint_cli.render.routes import route_flows

GOLDEN = ROOT / "tests" / "golden" / "render"
SAMPLES = sample_files()
needs_samples = pytest.mark.skipif(not SAMPLES, reason="no samples/*.blueprint in the repository yet")

EXAMPLE = """\
blueprint "Hospital discharge to home care"
variant intended
org hospital "Acute hospital trust"
org council "Adult social care"
actor patient "Patient" customer
actor nurse "Ward nurse" @hospital
actor coordinator "Discharge coordinator" @hospital
actor social_worker "Social worker" @council
system epr "Electronic patient record" @hospital
stage admission "Admission"
  customer arrive "Arrives on the ward" by patient
  frontstage assess "Assesses needs on admission" by nurse uses epr -> set_date
  backstage set_date "Sets expected discharge date" by coordinator uses epr [evidence=observed]
stage planning "Planning the discharge"
  customer told_date "Is told the expected discharge date" by patient
  backstage refer "Refers for home care" by coordinator
  backstage accept "Accepts referral and books visits" by social_worker
  backstage other "Something unrelated in the same column" by coordinator
flow arrive -> assess
flow set_date -> told_date
flow refer -> accept "referral"
"""


def test_columns_follow_the_flows_and_supporting_steps_sit_underneath():
    blueprint = load_text(EXAMPLE)
    columns = G.stage_columns(blueprint)
    assert columns["arrive"] == 0
    assert columns["assess"] == 0  # supports the customer step from the lane below
    assert columns["set_date"] == 0
    assert columns["refer"] == 0 and columns["accept"] == 1  # same lane: to the right
    layout = G.compute(blueprint)
    cells = layout.cells
    assert cells["refer"].column < cells["accept"].column
    # Unrelated steps of one lane never share a slot: the later one moves right.
    assert (cells["other"].row, cells["other"].column) != (cells["refer"].row, cells["refer"].column)
    assert cells["assess"].box.cx == cells["set_date"].box.cx


def test_steps_can_stack_in_sub_rows(monkeypatch):
    monkeypatch.setattr(G, "MAX_STACK", 2)
    layout = G.compute(load_text(EXAMPLE))
    other, refer = layout.cells["other"], layout.cells["refer"]
    assert other.column == refer.column and other.row == refer.row + 1
    assert other.box.top >= refer.box.bottom
    monkeypatch.setattr(G, "MAX_STACK", 1)
    cells = G.compute(load_text(EXAMPLE)).cells
    assert cells["other"].row == cells["refer"].row and cells["other"].column > cells["accept"].column - 1
    assert cells["other"].column != cells["refer"].column


def test_cycles_in_a_stage_do_not_hang_and_place_every_step():
    text = EXAMPLE + "flow accept -> refer\n"
    columns = G.stage_columns(load_text(text))
    assert set(columns) >= {"refer", "accept"} and columns["refer"] != columns["accept"]


def _overlaps(a, b) -> bool:
    return a.left < b.right and b.left < a.right and a.top < b.bottom and b.top < a.bottom


@pytest.mark.parametrize("n", [40, 200])
def test_synthetic_layout_has_no_overlaps_and_routes_avoid_boxes(n):
    blueprint = load_text(synthetic(n))
    layout = G.compute(blueprint)
    boxes = [c.box for c in layout.cells.values()]
    by_column: dict[int, list] = {}
    for cell in layout.cells.values():
        by_column.setdefault(cell.column, []).append(cell.box)
    for column_boxes in by_column.values():
        for i, a in enumerate(column_boxes):
            assert not any(_overlaps(a, b) for b in column_boxes[i + 1 :])
    stages = list(blueprint.stages.values())
    for first, second in zip(stages, stages[1:], strict=False):
        right = max(layout.cells[s].box.right for s in first.steps)
        left = min(layout.cells[s].box.left for s in second.steps)
        assert right < left
    for route in route_flows(blueprint, layout):
        for (x1, y1), (x2, y2) in zip(route.points, route.points[1:], strict=False):
            assert x1 == x2 or y1 == y2, "routes are orthogonal"
            for box in boxes:
                inside_x = min(x1, x2) < box.right - 0.5 and box.left + 0.5 < max(x1, x2)
                inside_y = min(y1, y2) < box.bottom - 0.5 and box.top + 0.5 < max(y1, y2)
                assert not (inside_x and inside_y), f"{route.flow.id} crosses a step box"


def test_lanes_are_bands_in_canonical_order_spanning_the_width():
    layout = G.compute(load_text(EXAMPLE))
    tops = [layout.bands[lane].top for lane in LANES]
    assert tops == sorted(tops)
    assert len({(b.left, b.width) for b in layout.bands.values()}) == 1


@needs_samples
@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_golden_dot(path):
    assert_golden(to_dot(load(path)), GOLDEN / path.name.replace(".blueprint", ".dot"))


@needs_samples
@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_dot_is_deterministic(path):
    assert to_dot(load(path)) == to_dot(load(path))


def test_dot_has_ids_classes_and_statuses_for_the_overlay():
    text = EXAMPLE.replace('refer -> accept "referral"', 'refer -> accept "referral" [owner=coordinator]')
    blueprint = load_text(text)
    dot = to_dot(
        blueprint, step_status={"refer": "missing", "accept": "unplanned"}, flow_status={("refer", "accept"): "broken"}
    )
    assert 'id="step-refer", class="bp-step lane-backstage assumed status-missing"' in dot
    assert "status-unplanned" in dot
    assert 'id="flow-refer--accept", class="bp-flow handoff status-broken"' in dot
    assert "✕ broken" in dot and "<S>" in dot
    for lane in LANES:
        assert f'id="lane-{lane.value}"' in dot
    assert 'id="stage-admission"' in dot and 'id="stage-planning"' in dot


def test_unowned_handoffs_are_labelled():
    dot = to_dot(load_text(EXAMPLE))
    assert 'class="bp-flow handoff unowned"' in dot
    assert "unowned handoff" in dot


def test_render_bytes_dot_needs_no_graphviz(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    data = render_bytes(load_text(EXAMPLE), "dot")
    assert data.startswith(b"digraph blueprint {")


def test_escaping_helpers():
    assert html_text('C:\\New <b>&amp; "q" {x}') == "C:\\\\New &lt;b&gt;&amp;amp; &quot;q&quot; {x}"
    assert quoted('a "b" \\N') == '"a \\"b\\" \\\\N"'
    assert html_text("tab\x01bell") == "tab bell"


def test_wrap_never_cuts_text():
    text = "Supercalifragilisticexpialidocious-and-then-some words that go on"
    lines = wrap(text, width=60, size=11)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(text_width(line, size=11) <= 60 for line in lines)


def _wrap_by_rescanning(text: str, *, width: float, size: float) -> list[str]:
    """The old, cubic algorithm (re-measure every prefix), kept as a reference for the same result."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, size=size) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = ""
        while text_width(word, size=size) > width:
            cut = next((c for c in range(len(word) - 1, 0, -1) if text_width(word[:c], size=size) <= width), 1)
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current or not lines:
        lines.append(current)
    return lines


@pytest.mark.parametrize(
    "text",
    [
        "x" * 500,
        "short then " + "Wide€→" * 80 + " tail words",
        "iiiiiiiiiiWWWWWWWWWW" * 20 + " a b",
        "Ω" * 300,
        "word " * 40,
    ],
)
def test_wrap_splits_long_words_as_before(text):
    assert wrap(text, width=60, size=11) == _wrap_by_rescanning(text, width=60, size=11)


def test_a_long_word_is_measured_in_one_pass(monkeypatch):
    from blueprint_cli.render import metrics

    class CountingTable(dict):
        lookups = 0

        def get(self, key, default=None):
            CountingTable.lookups += 1
            return super().get(key, default)

    monkeypatch.setattr(metrics, "REGULAR", CountingTable(metrics.REGULAR))
    word = "a" * 400
    lines = metrics.wrap(word, width=200, size=11)
    assert "".join(lines) == word and len(lines) > 10
    assert CountingTable.lookups < 5 * len(word)


def test_a_very_long_unbroken_title_renders_to_dot_and_wraps():
    import signal

    title = "A" * 20_000
    text = EXAMPLE.replace('"Hospital discharge to home care"', f'"{title}"', 1)
    previous = signal.signal(signal.SIGALRM, lambda *_: pytest.fail("rendering a long title took over 20 s"))
    signal.alarm(20)
    try:
        dot = to_dot(load_text(text))
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert title not in dot  # wrapped onto several lines
    assert dot.count("A" * 50) >= 20


SEVERITY_EXAMPLE = EXAMPLE + (
    'pain arrive "Waits on a trolley" [severity=high]\n'
    'pain assess "Forms asked twice" [severity=medium]\n'
    'pain refer "Slow fax" [severity=low]\n'
    'pain accept "Unclear who calls back"\n'
)


def test_pain_points_show_their_severity_in_colour_text_and_words():
    from blueprint_cli.render.style import SEVERITY_LOOKS

    dot = to_dot(load_text(SEVERITY_EXAMPLE))
    high, medium, low, unrated = (SEVERITY_LOOKS[s][0] for s in ("high", "medium", "low", None))
    assert len({high, medium, low, unrated}) == 4
    # The chip on the step: a high one says "P1!" in strong red; the others keep their code.
    assert f'BGCOLOR="{high}" VALIGN="BOTTOM"><FONT POINT-SIZE="8" COLOR="#ffffff"><B>P1!</B>' in dot
    assert f'BGCOLOR="{medium}" VALIGN="BOTTOM"><FONT POINT-SIZE="8" COLOR="#ffffff"><B>P2</B>' in dot
    assert f'BGCOLOR="{low}" VALIGN="BOTTOM"><FONT POINT-SIZE="8" COLOR="#5c4b3f"><B>P3</B>' in dot
    assert ">P4</B>" in dot and "P2!" not in dot and "P3!" not in dot
    # The key and the legend say the severity in words.
    for words in (
        "Pain point, high severity",
        "Pain point, medium severity",
        "Pain point, low severity",
        "Pain point, no severity given",
    ):
        assert dot.count(words) == 2, words  # once in the legend, once in the key


def test_legend_lists_only_the_severities_that_occur():
    dot = to_dot(load_text(EXAMPLE + 'pain arrive "Waits" [severity=high]\n'))
    assert "Pain point, high severity" in dot
    assert "medium severity" not in dot and "low severity" not in dot and "no severity given" not in dot


def _legend(dot: str) -> str:
    return "\n".join(line for line in dot.splitlines() if 'class="bp-legend"' in line)


def test_legend_shows_only_what_the_diagram_has():
    legend = _legend(to_dot(load_text(EXAMPLE)))
    assert "Acute hospital trust" in legend and "Adult social care" in legend  # org colours always
    assert "observed, reported or measured" in legend and "planned — not yet observed" in legend  # an intended diagram
    assert "unowned handoff" in legend and ">flow<" in legend
    for absent in ("owner named", "Workaround", "Unknown", "Note", "Pain point", "Markers", "broken flow"):
        assert absent not in legend, absent

    owned = EXAMPLE.replace('refer -> accept "referral"', 'refer -> accept "referral" [owner=coordinator]')
    owned = owned.replace(" by patient\n", " by patient [evidence=observed]\n").replace(
        "uses epr -> set_date", "uses epr -> set_date [evidence=observed]"
    )
    owned = owned.replace(" by coordinator\n", " by coordinator [evidence=observed]\n").replace(
        " by social_worker\n", " by social_worker [evidence=observed]\n"
    )
    owned += 'workaround refer "Phones the council"\n'
    legend = _legend(to_dot(load_text(owned)))
    assert "owner named" in legend and "unowned handoff" not in legend
    assert "planned — not yet observed" not in legend and "observed, reported or measured" in legend
    assert "Workaround" in legend and "Pain point" not in legend and "Unknown" not in legend


def test_legend_of_a_diagram_without_flows_has_no_arrows_section():
    legend = _legend(to_dot(load_text('blueprint "B"\nstage s "S"\n  customer a "A"\n')))
    assert "Arrows" not in legend and "Markers" not in legend and "Steps" in legend


def _sample_and_synthetic_blueprints():
    return [pytest.param(path, id=path.name) for path in SAMPLES] + [
        pytest.param(n, id=f"synthetic-{n}") for n in (40, 200)
    ]


@pytest.mark.parametrize("source", _sample_and_synthetic_blueprints())
def test_arrows_keep_off_the_lines_between_lanes_and_the_band_edges(source):
    from blueprint_cli.render.routes import separator_ys

    clear = 9.5  # points; at 6 pt an arrow seemed to run along the dashed line
    blueprint = load_text(synthetic(source)) if isinstance(source, int) else load(source)
    layout = G.compute(blueprint)
    separators = separator_ys(layout)
    assert {y for _, y in layout.lines} <= set(separators)
    for route in route_flows(blueprint, layout):
        for (x1, y1), (x2, y2) in zip(route.points, route.points[1:], strict=False):
            if y1 == y2 and x1 != x2:
                nearest = min(abs(y1 - y) for y in separators)
                assert nearest >= clear, f"{route.flow.id} runs {nearest:.1f} pt from a line between lanes"


@pytest.mark.parametrize("source", _sample_and_synthetic_blueprints())
def test_arrows_never_run_on_top_of_each_other(source):
    blueprint = load_text(synthetic(source)) if isinstance(source, int) else load(source)
    layout = G.compute(blueprint)
    horizontal: dict[float, list] = {}
    vertical: dict[float, list] = {}
    for route in route_flows(blueprint, layout):
        for (x1, y1), (x2, y2) in zip(route.points, route.points[1:], strict=False):
            if y1 == y2 and x1 != x2:
                horizontal.setdefault(round(y1), []).append((min(x1, x2), max(x1, x2), route.flow.id))
            elif x1 == x2 and y1 != y2:
                vertical.setdefault(round(x1), []).append((min(y1, y2), max(y1, y2), route.flow.id))
    for lines in (horizontal, vertical):
        for at, pieces in lines.items():
            pieces.sort()
            for (_a1, a2, a), (b1, _b2, b) in zip(pieces, pieces[1:], strict=False):
                assert a == b or b1 >= a2 - 1, f"{a} and {b} run on top of each other at {at}"


def test_a_heading_replaces_the_variant_line():
    """The report's overlay of both versions says so, instead of naming one variant."""
    blueprint = load_text(EXAMPLE)
    plain = to_dot(blueprint)
    headed = to_dot(blueprint, heading="Intended and observed, overlaid")
    assert "INTENDED SERVICE (TO-BE)" in plain and "INTENDED SERVICE (TO-BE)" not in headed
    assert "INTENDED AND OBSERVED, OVERLAID" in headed


def test_a_step_shows_the_data_it_collects():
    blueprint = load_text(
        'blueprint "T"\nactor p "P" customer\ndata addr "New address"\ndata when "Moving date"\nstage s "S"\n'
        '  customer x "Tells us" by p collects addr, when\n'
    )
    assert "collects New address, Moving date" in to_dot(blueprint)


def test_the_picture_widens_for_a_legend_row_without_a_key():
    """Two steps of two organisations and no markers: the legend's rows (700 pt at least before
    they wrap) used to run past a drawing of 486 pt."""
    import re

    text = (
        'blueprint "Narrow"\norg a "Acute Hospital Trust of the City"\norg b "Adult Social Care of the County"\n'
        'actor x "X" @a\nactor y "Y" @b\nstage one "One"\n  frontstage s1 "One" by x\n  backstage s2 "Two" by y\n'
        "flow s1 -> s2\n"
    )
    dot = to_dot(load_text(text))
    width = float(re.search(r'bb="0,0,([0-9.]+),', dot).group(1))
    rows = re.findall(r'^  "?legend\w*"? \[pos="([0-9.]+),[0-9.]+!", width=([0-9.]+)', dot, flags=re.M)
    assert rows
    for x, w in rows:
        assert float(x) + float(w) * 72 / 2 <= width - 28 + 0.1
