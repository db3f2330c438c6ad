"""`blueprint export --format mermaid|plantuml`: the shape of the text, its escaping, and the real renderers.

The renderer tests run mermaid-cli (installed from npm into tests/renderers by `scripts/run.sh test`,
driving the system Chromium) and PlantUML (the Debian package). Without them they are skipped
locally and fail on CI.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import CASES, ROOT, assert_golden, sample_files

from blueprint_cli.interop.mermaid import node_id, to_mermaid
from blueprint_cli.interop.mermaid import text as mermaid_text
from blueprint_cli.interop.plantuml import text as plantuml_text
from blueprint_cli.interop.plantuml import to_plantuml
from blueprint_cli.language import model as M
from blueprint_cli.language.resolve import load, load_text

HOSTILE = CASES / "interop" / "hostile.blueprint"
GOLDEN = ROOT / "tests" / "golden" / "interop"
DIAGRAMS = sample_files() + sorted((CASES / "parse").glob("*.blueprint")) + [HOSTILE]
RENDERERS = ROOT / "tests" / "renderers"
MMDC = RENDERERS / "node_modules" / ".bin" / "mmdc"

# A node: `s_ID` then one of our four shapes around one quoted label with no quote inside.
_NODE = re.compile(r'^ {4}s_[a-z][a-z0-9_]*(\(\["[^"]*"\]\)|\[\("[^"]*"\)\]|\[/"[^"]*"/\]|\["[^"]*"\])$')
_ARROW = re.compile(r'^ {2}s_[a-z][a-z0-9_]* (-->|==>|-\.->)(\|"[^"]*"\|)? s_[a-z][a-z0-9_]*$')


# ---------------------------------------------------------------- Mermaid, as text


@pytest.mark.parametrize("path", DIAGRAMS, ids=lambda p: p.name)
def test_mermaid_lines_are_all_of_known_shapes(path):
    blueprint = load(path)
    lines = to_mermaid(blueprint).splitlines()
    assert lines[0] == "flowchart LR"
    nodes = [line for line in lines if line.startswith("    s_")]
    arrows = [line for line in lines if _ARROW.match(line)]
    assert len(nodes) == len(blueprint.steps)
    assert all(_NODE.match(line) for line in nodes), [line for line in nodes if not _NODE.match(line)]
    assert len(arrows) == len(blueprint.flows)
    # Nothing but our own syntax: every line is a node, an arrow, or one of the fixed statements.
    fixed = re.compile(
        r"^(flowchart LR|  subgraph lane_[a-z]+\[\"[A-Za-z ]+\"\]|  end|  (style|classDef|class|linkStyle) .*)$"
    )
    assert [line for line in lines if line not in nodes and line not in arrows and not fixed.match(line)] == []


def test_mermaid_lanes_come_in_blueprint_order_and_handoffs_are_marked():
    blueprint = load(HOSTILE)
    text = to_mermaid(blueprint)
    lanes = re.findall(r"subgraph lane_([a-z]+)", text)
    assert lanes == [lane.value for lane in M.LANES]
    arrows = [line for line in text.splitlines() if _ARROW.match(line)]
    unowned = [h for h in blueprint.handoffs if not h.owned]
    assert len(unowned) == 1
    (index,) = [i for i, line in enumerate(arrows) if f"{node_id(unowned[0].source)} -.->" in line]
    assert "unowned join" in arrows[index]
    assert f"  linkStyle {index} stroke:#c62828" in text


def test_mermaid_owned_handoffs_are_thick():
    blueprint = load(ROOT / "samples" / "hospital-discharge.intended.blueprint")
    text = to_mermaid(blueprint)
    owned = [h for h in blueprint.handoffs if h.owned]
    assert owned
    for handoff in owned:
        assert f"{node_id(handoff.source)} ==>" in text


@pytest.mark.parametrize(
    "label",
    [
        'a "quoted" b',
        "x --> y",
        "#35;",
        "%%{init: {}}%%",
        "a | b",
        "<b>x</b> & y;",
        "`md`",
        "back\\slash",
        "classDef s fill:#f00;",
    ],
)
def test_mermaid_text_leaves_no_syntax(label):
    written = mermaid_text(label)
    assert not set(written) & set('"<>%|`\\')
    assert "classDef" not in written and "style" not in written.lower()
    # Decoding the entity codes gives the label back (with a word joiner after a backslash).
    decoded = re.sub(r"#(\d+);", lambda m: chr(int(m.group(1))), written)
    assert decoded.replace("\\\u2060", "\\") == label


def test_mermaid_of_some_stages_only():
    blueprint = load(ROOT / "samples" / "hospital-discharge.intended.blueprint")
    text = to_mermaid(blueprint, stages={"planning"})
    shown = set(re.findall(r"^ {4}s_([a-z0-9_]+)", text, flags=re.M))
    assert shown == set(blueprint.stages["planning"].steps)
    for source, target in re.findall(r"^  s_([a-z0-9_]+) \S+ s_([a-z0-9_]+)$", text, flags=re.M):
        assert source in shown and target in shown


# ---------------------------------------------------------------- PlantUML, as text


@pytest.mark.parametrize("path", DIAGRAMS, ids=lambda p: p.name)
def test_plantuml_lines_are_all_of_known_shapes(path):
    blueprint = load(path)
    lines = to_plantuml(blueprint).splitlines()
    assert lines[0] == "@startuml" and lines[-1] == "@enduml"
    activities = [line for line in lines if line.startswith(":")]
    assert len(activities) == len(blueprint.steps)
    for line in lines[1:-1]:
        assert not line.startswith(("!", "@", "'")), line  # no preprocessor, no second diagram, no comment
        if line.startswith(":"):
            assert line.endswith(";") and ";" not in re.sub(r"&#\d+;", "", line[:-1]), line
    lanes = [m for m in re.findall(r"^\|#[0-9A-F]{6}\|([A-Za-z ]+)\|$", "\n".join(lines), flags=re.M)]
    assert lanes == [lane.heading for lane in M.LANES if any(s.lane is lane for s in blueprint.steps.values())]


@pytest.mark.parametrize(
    "label", ["a;b", "<b>x</b>", '**bold** //it// ""mono""', "!include x", "back\\slash", "<U+005C>"]
)
def test_plantuml_text_leaves_no_syntax(label):
    written = plantuml_text(label)
    plain = re.sub(r"&#\d+;|<U\+[0-9A-F]{4}>", "", written)
    assert not set(plain) & set(';<>*/"!\\&')


def test_plantuml_marks_the_flows_the_sequence_cannot_draw():
    blueprint = load_text(
        """blueprint "T"
org a "A"
org b "B"
actor c "C" customer
actor x "X" @a
actor y "Y" @b
stage s "S"
  customer one "One" by c -> two, three
  frontstage two "Two" by x -> three
  backstage three "Three" by y
"""
    )
    text = to_plantuml(blueprint)
    assert "note right\n<U+2192> Three\nend note" in text  # one -> three skips a step: listed in a note
    assert "-[#C62828,dashed]-> A <U+2192> B <U+00B7> <U+26A0> unowned join;" in text  # two -> three: a handoff


def test_hostile_exports_match_their_golden_files():
    blueprint = load(HOSTILE)
    assert_golden(to_mermaid(blueprint), GOLDEN / "hostile.mmd")
    assert_golden(to_plantuml(blueprint), GOLDEN / "hostile.puml")


def test_export_command_writes_mermaid_and_plantuml(tmp_path, run_cli):
    code, out, err = run_cli("export", str(HOSTILE), "--format", "mermaid")
    assert code == 0, err
    assert out == to_mermaid(load(HOSTILE))
    target = tmp_path / "d.puml"
    code, _, err = run_cli("export", str(HOSTILE), "--format", "plantuml", "-o", str(target))
    assert code == 0, err
    assert target.read_text(encoding="utf-8") == to_plantuml(load(HOSTILE))


# ---------------------------------------------------------------- the real renderers


MERMAID_ERRORS = ("Syntax error", "Maximum text size", "Edge limit")


def render_markdown(tmp_path: Path, markdown: str) -> list[str]:
    """Every Mermaid block of `markdown` drawn by mermaid-cli, as SVG text, in order; none an error picture."""
    if not MMDC.exists() or not Path("/usr/bin/chromium").exists():
        _missing("mermaid-cli (tests/renderers) with /usr/bin/chromium")
    source = tmp_path / "in.md"
    source.write_text(markdown, encoding="utf-8")
    command = [
        str(MMDC),
        "-q",
        "-p",
        str(RENDERERS / "puppeteer.json"),
        "-i",
        str(source),
        "-o",
        str(tmp_path / "out.md"),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    files = sorted(tmp_path.glob("out-*.svg"), key=lambda p: int(p.stem.rpartition("-")[2]))
    pictures = [f.read_text(encoding="utf-8") for f in files]
    for file, picture in zip(files, pictures, strict=True):
        # mermaid-cli exits 0 after drawing Mermaid's error picture: look for it.
        shown = re.sub(r"<style.*?</style>", "", picture, flags=re.S)
        assert not [e for e in MERMAID_ERRORS if e.lower() in shown.lower()], file.name
    return pictures


def _missing(what: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing; scripts/run.sh test installs it")
    pytest.skip(f"{what} is not installed (bash scripts/run.sh test installs it)")


@pytest.mark.browser
def test_mermaid_cli_renders_every_sample(tmp_path):
    blocks = [f"## {path.name}\n\n```mermaid\n{to_mermaid(load(path))}```\n" for path in DIAGRAMS]
    pictures = render_markdown(tmp_path, "\n".join(blocks))
    assert len(pictures) == len(DIAGRAMS)
    for picture, path in zip(pictures, DIAGRAMS, strict=True):
        assert picture.count('class="node ') == len(load(path).steps), path.name  # every step is drawn


@pytest.mark.slow
def test_plantuml_renders_every_sample(tmp_path):
    plantuml = shutil.which("plantuml")
    if plantuml is None:
        _missing("PlantUML (apt-get install plantuml)")
    for path in DIAGRAMS:
        (tmp_path / f"{path.stem}.puml").write_text(to_plantuml(load(path)), encoding="utf-8")
    sources = sorted(tmp_path.glob("*.puml"))
    result = subprocess.run(
        [plantuml, "-tpng", "-failfast2", *map(str, sources)], capture_output=True, text=True, timeout=600, check=False
    )
    # PlantUML exits 0 after some exceptions: the messages count too.
    assert result.returncode == 0 and "Exception" not in result.stderr and "rror" not in result.stderr, result.stderr[
        -3000:
    ]
    assert len(list(tmp_path.glob("*.png"))) == len(sources)


def _svg_text(path: Path) -> str:
    """The text a reader sees in an SVG: every text node, entities decoded, word joiners dropped."""
    import html

    svg = re.sub(r"<style.*?</style>", "", path.read_text(encoding="utf-8"), flags=re.S)
    return "\n".join(html.unescape(part) for part in re.findall(r">([^<>]+)<", svg)).replace("\u2060", "")


def _shown_texts(blueprint: M.Blueprint) -> list[str]:
    used = {s.actor for s in blueprint.steps.values()}
    return (
        [s.label for s in blueprint.steps.values()]
        + [a.label for a in blueprint.actors.values() if a.id in used]
        + [f.label for f in blueprint.flows if f.label]
    )


HOSTILE_TEXTS = [HOSTILE, CASES / "parse" / "escapes.blueprint"]


@pytest.mark.browser
@pytest.mark.parametrize("path", HOSTILE_TEXTS, ids=lambda p: p.name)
def test_mermaid_shows_every_label_exactly_as_written(path, tmp_path):
    if not MMDC.exists():
        _missing("mermaid-cli (tests/renderers)")
    blueprint = load(path)
    (tmp_path / "d.mmd").write_text(to_mermaid(blueprint), encoding="utf-8")
    command = [str(MMDC), "-q", "-p", str(RENDERERS / "puppeteer.json"), "-i", "d.mmd", "-o", "d.svg"]
    subprocess.run(command, cwd=tmp_path, check=True, timeout=300, capture_output=True)
    shown = _svg_text(tmp_path / "d.svg")
    assert [text for text in _shown_texts(blueprint) if text not in shown] == []


@pytest.mark.slow
@pytest.mark.parametrize("path", HOSTILE_TEXTS, ids=lambda p: p.name)
def test_plantuml_shows_every_label_exactly_as_written(path, tmp_path):
    plantuml = shutil.which("plantuml")
    if plantuml is None:
        _missing("PlantUML (apt-get install plantuml)")
    blueprint = load(path)
    (tmp_path / "d.puml").write_text(to_plantuml(blueprint), encoding="utf-8")
    subprocess.run([plantuml, "-tsvg", "d.puml"], cwd=tmp_path, check=True, timeout=300, capture_output=True)
    shown = _svg_text(tmp_path / "d.svg")
    assert [text for text in _shown_texts(blueprint) + [blueprint.title] if text not in shown] == []


def test_export_mermaid_of_some_stages(run_cli):
    path = str(ROOT / "samples" / "hospital-discharge.intended.blueprint")
    code, out, err = run_cli("export", path, "-f", "mermaid", "--stage", "planning", "--stage", "admission")
    assert code == 0, err
    blueprint = load(path)
    drawn = set(re.findall(r"^ {4}s_([a-z0-9_]+)", out, flags=re.M))
    assert drawn == set(blueprint.stages["planning"].steps) | set(blueprint.stages["admission"].steps)
    code, out, err = run_cli("export", path, "-f", "mermaid", "--stage", "planing")
    assert code == 2 and "did you mean 'planning'" in err and out == ""
    code, out, err = run_cli("export", path, "-f", "csv", "--stage", "planning")
    assert code == 2 and "--stage" in err and out == ""
    code, out, err = run_cli("export", path, path, "-f", "mermaid", "--stage", "planning")
    assert code == 2 and "one blueprint" in err and out == ""


def test_export_warns_when_mermaid_would_refuse_the_diagram(tmp_path, run_cli):
    lines = ['blueprint "Big"', 'actor c "C" customer', 'stage s "S"']
    lines += [f'  customer a{i} "A step with a fairly long label, number {i}" by c -> a{i + 1}' for i in range(600)]
    lines += ['stage t "T"', '  customer a600 "Last" by c']
    path = tmp_path / "big.blueprint"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = run_cli("export", str(path), "--format", "mermaid")
    assert code == 0 and out.startswith("flowchart LR")
    assert "warning" in err and "Mermaid draws at most" in err and "--stage" in err
    code, _, err = run_cli("export", str(HOSTILE), "--format", "mermaid")
    assert code == 0 and err == ""
