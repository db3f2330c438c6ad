"""Whatever `check` accepts, `render` and `report` draw (issue 16, point 4).

Every generated valid blueprint (the generator of test_language_property) is turned into DOT;
batches of them are drawn by Graphviz in one `neato` run each, which must report no error.
Labels that are exactly `]`, ` ]` or `]]`, or only a tab, once made Graphviz's HTML-label
parser fail on a valid blueprint.
"""

from __future__ import annotations

import subprocess

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from render_helpers import needs_graphviz
from test_language_property import Spec, blueprints

from blueprint_cli.language.resolve import load_text
from blueprint_cli.render import to_dot

ODD_LABELS = ["]", " ]", "]]", "\t", "\t\t", " ", "", "]]>", "<![CDATA[", "a]b", "[", "[]", "&#93;", "\\]"]


def _neato(dot_texts: list[str]) -> tuple[int, str]:
    """Draw several graphs in one Graphviz run; its exit status and what it said on stderr."""
    done = subprocess.run(
        ["neato", "-n2", "-Tsvg", "-o", "/dev/null"],
        input="\n".join(dot_texts).encode("utf-8"),
        capture_output=True,
        timeout=300,
        check=False,
    )
    return done.returncode, done.stderr.decode("utf-8", "replace")


def _odd_blueprint(label: str) -> str:
    q = '"' + label.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return (
        f"blueprint {q}\norg o {q}\nactor a {q} @o\nsystem y {q} @o\noutcome done {q}\nstage s {q}\n"
        f"  customer x {q} by a uses y [channel={q}, outcome=done]\n  frontstage z {q} by a -> x\n"
        f"flow x -> z {q} [owner=o]\npain x {q}\n"
    )


@needs_graphviz
@pytest.mark.parametrize("label", ODD_LABELS, ids=repr)
def test_odd_labels_are_drawn(label: str):
    code, stderr = _neato([to_dot(load_text(_odd_blueprint(label)))])
    assert code == 0 and "Error" not in stderr, stderr


@needs_graphviz
@pytest.mark.parametrize("label", ["]", "\t"], ids=repr)
def test_render_and_report_draw_odd_labels(tmp_path, run_cli, label: str):
    source = tmp_path / "odd.blueprint"
    source.write_text(_odd_blueprint(label), encoding="utf-8")
    assert run_cli("check", str(source))[0] == 0
    code, _, err = run_cli("render", str(source), "-o", str(tmp_path / "odd.svg"))
    assert code == 0, err
    code, _, err = run_cli("report", str(source), "-o", str(tmp_path / "odd.html"))
    assert code == 0, err


FUZZ = settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


@FUZZ
@given(blueprints())
def test_every_generated_blueprint_becomes_dot(spec: Spec):
    dot = to_dot(load_text(spec.text))
    assert dot.startswith("digraph") and dot.rstrip().endswith("}")


@needs_graphviz
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(blueprints(), min_size=6, max_size=6))
def test_generated_blueprints_are_drawn_by_graphviz(specs: list[Spec]):
    code, stderr = _neato([to_dot(load_text(spec.text)) for spec in specs])
    assert code == 0 and "Error" not in stderr, stderr
