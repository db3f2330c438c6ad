"""`blueprint map`: the architecture across journeys, checked against figures counted by hand.

tests/cases/map/family holds three journeys (one of them with an observed version), a shared
include fragment, a copy that claims an existing journey and a file that does not resolve. Every
expected figure below was counted by hand from those files, not taken from the program's output.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import CASES, ROOT

from blueprint_cli import pipeline
from blueprint_cli.architecture.base import stem_of
from blueprint_cli.architecture.inputs import collect

FAMILY = CASES / "map" / "family"
SAMPLE_SET = ROOT / "samples" / "after-a-death"
needs_graphviz = pytest.mark.skipif(shutil.which("neato") is None, reason="Graphviz is not installed")


@pytest.fixture(scope="module")
def family_json() -> dict:
    architecture = pipeline.architecture([str(FAMILY)])
    return json.loads(pipeline.map_json(architecture, pipeline.map_facts(architecture)))


def test_stems_drop_the_variant_suffix():
    assert stem_of("a/b/council.intended.blueprint") == "council"
    assert stem_of("council.observed.blueprint") == "council"
    assert stem_of("x-copy.blueprint") == "x-copy"


def test_a_folder_is_searched_and_fragments_are_set_apart():
    inputs = collect([str(FAMILY)])
    names = [Path(p).name for p in inputs.journeys]
    assert names == [
        "broken.blueprint",
        "one.blueprint",
        "three.blueprint",
        "two.intended.blueprint",
        "two.observed.blueprint",
        "x-copy.blueprint",
    ]
    assert [Path(p).name for p in inputs.fragments] == ["common.blueprint"]


def test_journeys_match_the_hand_count(family_json):
    journeys = family_json["journeys"]
    assert [(j["title"], j["variants"], j["steps"], j["handoffs"]) for j in journeys] == [
        ("Journey one", ["intended"], 4, 1),
        ("Journey three", ["intended"], 2, 0),
        ("Journey two", ["intended", "observed"], 4, 1),
    ]
    assert journeys[0]["path"].endswith("family/one.blueprint")
    two = journeys[2]
    # The observed version of two lost `recv2`: 3 of 4 intended steps, and its one handoff.
    assert two["scores"]["delivered_steps"] == 3 and two["scores"]["intended_steps"] == 4
    assert two["scores"]["intact_handoffs"] == 0
    assert family_json["left_out"][0].endswith("broken.blueprint")


def test_orgs_and_systems_match_the_hand_count(family_json):
    assert family_json["orgs"] == {"a": ["one", "two"], "b": ["one", "three", "two"]}
    assert family_json["systems"] == {"sys_a": ["one", "two"], "web": ["one", "three", "two"]}


def test_joins_match_the_hand_count(family_json):
    assert family_json["joins"] == [
        {"journey": "one", "from": "pass1", "to": "get1", "from_org": "a", "to_org": "b", "owner": "clerk_a"},
        {"journey": "two", "from": "send2", "to": "recv2", "from_org": "b", "to_org": "a", "owner": None},
    ]
    assert family_json["org_pairs"] == [{"orgs": ["a", "b"], "journeys": ["one", "two"]}]


def test_data_matches_the_hand_count(family_json):
    data = family_json["data"]
    assert data["addr"]["asked_of_customer"] == [["one", "ask1"], ["two", "ask2"]]
    assert data["addr"]["stored_in"] == ["sys_a", "web"]
    assert data["dob"]["asked_of_customer"] == [["one", "ask1"], ["three", "ask3"]]
    assert data["dob"]["stored_in"] == ["web"]
    assert len(data["dob"]["collected_by"]) == 3  # ask1, ask3 and the frontstage take2


def test_outcomes_and_matrix_match_the_hand_count(family_json):
    assert family_json["outcomes"] == {"done": {"label": "Done", "served_by": [["one", "take1"]]}}
    cells = {(c["journey"], c["org"]): (c["steps"], c["handoffs"]) for c in family_json["matrix"]}
    assert cells == {
        ("one", "a"): (2, 1),
        ("one", "b"): (1, 1),
        ("three", "b"): (1, 0),
        ("two", "a"): (1, 1),
        ("two", "b"): (2, 1),
    }


def test_findings_match_the_hand_count(family_json):
    codes = [(f["code"], f["severity"]) for f in family_json["findings"]]
    assert codes == [
        ("BP200", "error"),  # broken.blueprint left out
        ("BP201", "warning"),  # x-copy claims Journey one
        ("BP202", "warning"),  # 'b' is "Body B" in one and two, "Body Bee" in three
        ("BP203", "warning"),  # addr asked in one and two
        ("BP203", "warning"),  # dob asked in one and three
        ("BP204", "note"),  # addr kept in sys_a and web
    ]
    messages = " ".join(f["message"] for f in family_json["findings"])
    assert "x-copy.blueprint claims the same journey" in messages and "'b' means different things" in messages


def test_bad_input_is_reported_with_its_place_and_exits_2(run_cli):
    code, out, err = run_cli("map", str(FAMILY), "--format", "json")
    assert code == 2
    assert "broken.blueprint:3:21: error: unknown actor 'nobody'" in err
    assert "missing from the map" in err
    assert json.loads(out)["journeys"]  # the map is still made from the rest
    code, _, _ = run_cli("map", str(FAMILY), "--format", "json", "--exit-zero")
    assert code == 0


def test_a_path_that_names_nothing_is_a_clear_error(run_cli, tmp_path):
    code, _, err = run_cli("map", str(tmp_path / "nowhere"), "--format", "json")
    assert code == 2 and "no such file or folder" in err and "Traceback" not in err


def test_markdown_summary(run_cli):
    code, out, _ = run_cli("map", str(SAMPLE_SET), "--format", "markdown")
    assert code == 0
    assert out.startswith("## Service architecture")
    assert "| Registering a death |" in out and "Asked of the customer in more than one journey" in out


@needs_graphviz
def test_overview_diagram_thick_and_red_joins(tmp_path, run_cli):
    code, out, _ = run_cli("map", str(SAMPLE_SET), "--format", "dot")
    assert code == 0
    # council <-> tax: two unowned joins in council-tax, one owned in tax-and-pension: 3 joins, red.
    edge = next(line for line in out.splitlines() if line.startswith('  "o:council" -- "o:tax"'))
    assert 'color="#c62828", penwidth=4.5' in edge and "<td>3</td>" in edge and 'tooltip="3 joins, 2 unowned"' in edge
    target = tmp_path / "overview.svg"
    code, _, _ = run_cli("map", str(SAMPLE_SET), "-o", str(target))
    assert code == 0 and target.read_text(encoding="utf-8").lstrip().startswith("<?xml")


@needs_graphviz
def test_html_page_is_self_contained_deterministic_and_escaped(tmp_path, run_cli):
    hostile = tmp_path / "set"
    hostile.mkdir()
    (hostile / "evil.blueprint").write_text(
        'blueprint "<script>alert(1)</script> & co"\n'
        'actor p "P" customer\n'
        'data x "<img src=x onerror=alert(2)>"\n'
        'stage s "S"\n'
        '  customer a "<b>bold</b>" by p collects x\n',
        encoding="utf-8",
    )
    first, second = tmp_path / "a.html", tmp_path / "b.html"
    assert run_cli("map", str(hostile), "-o", str(first))[0] == 0
    assert run_cli("map", str(hostile), "-o", str(second))[0] == 0
    html = first.read_text(encoding="utf-8")
    assert first.read_bytes() == second.read_bytes()
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html
    assert "<img src=x" not in html and "<b>bold</b>" not in html
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert "http://" not in html.replace("http://www.w3.org", "")
    assert "https://" not in html


@needs_graphviz
def test_html_links_an_outcome_to_a_journey_to_a_step_in_its_blueprint(tmp_path):
    architecture = pipeline.architecture([str(SAMPLE_SET)])
    html = pipeline.map_page(architecture, pipeline.map_facts(architecture))
    journeys = {j.stem: n for n, j in enumerate(architecture.journeys, start=1)}
    n = journeys["register-death"]
    assert f'<a href="#journey-{n}">Registering a death</a>' in html
    assert f'<a href="#journey-{n}-bp-step-register" class="to-blueprint">' in html
    assert f'id="journey-{n}-bp-step&#45;register"' in html  # the step in the inlined blueprint


def test_map_refuses_to_overwrite_an_input(run_cli):
    code, _, err = run_cli("map", str(FAMILY / "one.blueprint"), "-o", str(FAMILY / "one.blueprint"))
    assert code == 2 and "blueprint" in err


def test_json_matches_its_schema(family_json):
    import jsonschema

    schema = json.loads((ROOT / "schemas" / "map.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(family_json)
    architecture = pipeline.architecture([str(SAMPLE_SET)])
    sample = json.loads(pipeline.map_json(architecture, pipeline.map_facts(architecture)))
    jsonschema.Draft202012Validator(schema).validate(sample)


def test_versions_pair_by_title_and_an_observed_only_journey_stands_alone(tmp_path):
    body = 'actor p "P" customer\nstage s "S"\n  customer a "A" by p\n'
    (tmp_path / "plan.blueprint").write_text('blueprint "Moving"\nvariant intended\n' + body, encoding="utf-8")
    (tmp_path / "research.blueprint").write_text('blueprint "Moving"\nvariant observed\n' + body, encoding="utf-8")
    (tmp_path / "seen.observed.blueprint").write_text('blueprint "Seen"\nvariant observed\n' + body, encoding="utf-8")
    architecture = pipeline.architecture([str(tmp_path)])
    journeys = json.loads(pipeline.map_json(architecture, pipeline.map_facts(architecture)))["journeys"]
    assert [(j["stem"], j["variants"]) for j in journeys] == [
        ("plan", ["intended", "observed"]),
        ("seen", ["observed"]),
    ]
    assert journeys[0]["scores"]["delivered_share"] == 1.0
    assert journeys[1]["path"].endswith("seen.observed.blueprint") and journeys[1]["scores"] is None
