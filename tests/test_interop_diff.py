"""`blueprint diff --format markdown --mermaid`: the diagram of the changed stages, within a comment's size."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT, sample_pairs
from test_interop_diagrams import render_markdown

from blueprint_cli.compare import compare
from blueprint_cli.formats.markdown import COMMENT_LIMIT, size
from blueprint_cli.interop.diff_mermaid import marks_of, section
from blueprint_cli.interop.mermaid import MAX_ARROWS, too_big
from blueprint_cli.language.resolve import load, load_text

PAIR_IDS = [intended.name.split(".")[0] for intended, _ in sample_pairs()]


def _diagram(markdown: str) -> str:
    blocks = re.findall(r"```mermaid\n(.*?)```", markdown, flags=re.S)
    assert len(blocks) == 1
    return blocks[0]


def _pair(stages: int, steps: int, changed: set[int]) -> tuple[str, str]:
    """An intended and an observed blueprint; the observed one renames a step in each `changed` stage."""
    head = 'blueprint "Big"\norg o "Org"\nactor c "C" customer\nactor s "S" @o\n'
    intended, observed = [head], [head.replace('"Big"', '"Big"\nvariant observed')]
    for i in range(stages):
        for text in (intended, observed):
            text.append(f'stage st{i} "Stage {i}"\n')
        for j in range(steps):
            lane = "customer" if j % 2 == 0 else "frontstage"
            actor = "c" if lane == "customer" else "s"
            intended.append(f'  {lane} s{i}_{j} "Step {i} {j}" by {actor}\n')
            label = f"Step {i} {j} done differently" if i in changed and j == 0 else f"Step {i} {j}"
            observed.append(f'  {lane} s{i}_{j} "{label}" by {actor}\n')
    return "".join(intended), "".join(observed)


@pytest.mark.parametrize(("intended", "observed"), sample_pairs(), ids=PAIR_IDS)
def test_markdown_with_mermaid_draws_exactly_the_changed_stages(intended, observed, run_cli):
    code, out, err = run_cli("diff", str(intended), str(observed), "--format", "markdown", "--mermaid", "--exit-zero")
    assert code == 0, err
    _, plain, _ = run_cli("diff", str(intended), str(observed), "--format", "markdown", "--exit-zero")
    assert out.startswith(plain)  # the diagram is added after the tables, nothing else changes
    diagram = _diagram(out)
    comparison = compare(load(intended), load(observed))
    marks, counts = marks_of(comparison)
    drawn = set(re.findall(r"^ {4}s_([a-z0-9_]+)", diagram, flags=re.M))
    expected = {s for stage in counts for s in comparison.observed.stages[stage].steps}
    assert drawn == expected
    unplanned = {c.id for c in comparison.changes if c.kind == "step.unplanned"}
    for step in unplanned:
        assert f"  class s_{step} unplanned" in diagram
    # Steps that no longer happen are drawn, dotted, in the stage they were planned for.
    missing = {c.step for c in comparison.changes if c.kind == "step.missing"}
    ghosts = set(re.findall(r"^ {4}m_([a-z0-9_]+)", diagram, flags=re.M))
    assert ghosts == {g.id for g in marks.ghosts} and ghosts <= missing
    for step in ghosts:
        assert f"  class m_{step} missing" in diagram and comparison.intended.steps[step].label.split()[0] in diagram
    assert size(out) <= COMMENT_LIMIT


def test_only_changed_stages_are_drawn():
    intended, observed = _pair(stages=5, steps=4, changed={1, 3})
    comparison = compare(load_text(intended), load_text(observed))
    text = section(comparison, budget=COMMENT_LIMIT)
    drawn = set(re.findall(r"^ {4}s_([a-z0-9_]+)", _diagram(text), flags=re.M))
    assert drawn == {f"s{i}_{j}" for i in (1, 3) for j in range(4)}
    assert "Diagram of the changed stages" in text
    assert "class s_s1_0 changed" in text and "class s_s3_0 changed" in text


def test_a_diagram_too_big_for_the_comment_is_cut_to_the_stages_that_fit():
    intended, observed = _pair(stages=40, steps=30, changed=set(range(40)))
    comparison = compare(load_text(intended), load_text(observed))
    whole = section(comparison, budget=10**9)
    budget = size(whole) // 3
    cut = section(comparison, budget=budget)
    assert size(cut) <= budget
    stages = len(set(re.findall(r"^ {4}s_s(\d+)_", _diagram(cut), flags=re.M)))
    assert 0 < stages < 40
    assert f"{stages} of the 40 changed stages" in cut
    nothing = section(comparison, budget=50)
    assert "```mermaid" not in nothing and "left out" in nothing


def test_the_whole_comment_stays_under_the_limit(tmp_path, run_cli):
    intended, observed = _pair(stages=40, steps=30, changed=set(range(40)))
    (tmp_path / "i.blueprint").write_text(intended, encoding="utf-8")
    (tmp_path / "o.blueprint").write_text(observed, encoding="utf-8")
    code, out, err = run_cli(
        "diff",
        str(tmp_path / "i.blueprint"),
        str(tmp_path / "o.blueprint"),
        "-f",
        "markdown",
        "--mermaid",
        "--exit-zero",
    )
    assert code == 0, err
    assert size(out) <= COMMENT_LIMIT
    assert "```mermaid" in out and "of the 40 changed stages" in out
    assert too_big(_diagram(out)) is None


def test_no_changes_no_diagram(run_cli):
    path = str(ROOT / "samples" / "hospital-discharge.intended.blueprint")
    code, out, err = run_cli("diff", path, path, "--format", "markdown", "--mermaid")
    assert code == 0, err
    assert "```mermaid" not in out


def test_mermaid_needs_markdown(run_cli):
    path = str(ROOT / "samples" / "hospital-discharge.intended.blueprint")
    code, out, err = run_cli("diff", path, path, "--mermaid")
    assert code == 2 and "--format markdown" in err and out == ""


@pytest.mark.browser
def test_mermaid_cli_renders_the_diff_diagrams(tmp_path, run_cli):
    documents = []
    for intended, observed in sample_pairs():
        _, out, _ = run_cli("diff", str(intended), str(observed), "-f", "markdown", "--mermaid", "--exit-zero")
        documents.append(out)
    big_intended, big_observed = _pair(stages=40, steps=30, changed=set(range(40)))
    (tmp_path / "i.blueprint").write_text(big_intended, encoding="utf-8")
    (tmp_path / "o.blueprint").write_text(big_observed, encoding="utf-8")
    _, out, _ = run_cli(
        "diff",
        str(tmp_path / "i.blueprint"),
        str(tmp_path / "o.blueprint"),
        "-f",
        "markdown",
        "--mermaid",
        "--exit-zero",
    )
    documents.append(out)  # cut to what fits: Mermaid must still draw it
    assert len(render_markdown(tmp_path, "\n".join(documents))) == len(documents)


def test_a_diagram_with_more_arrows_than_mermaid_draws_is_cut():
    intended, observed = _pair(stages=30, steps=40, changed=set(range(30)))
    flows = "".join(f"flow s{i}_{j} -> s{i}_{j + 1}\n" for i in range(30) for j in range(39))
    comparison = compare(load_text(intended + flows), load_text(observed + flows))
    assert len(comparison.observed.flows) > MAX_ARROWS
    text = section(comparison, budget=10**9)
    diagram = _diagram(text)
    assert too_big(diagram) is None and 0 < diagram.count(" --> ") <= MAX_ARROWS
    assert "of the 30 changed stages" in text
