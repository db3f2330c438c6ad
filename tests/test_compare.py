"""The comparison engine: matching passes, order, scores, samples, determinism and the JSON schema."""

from __future__ import annotations

import json

import jsonschema
import pytest
from conftest import ROOT, sample_files, sample_pairs

from blueprint_cli.compare import KINDS, compare
from blueprint_cli.compare.kinds import readme_table
from blueprint_cli.compare.match import label_similarity, longest_increasing, match, tokens
from blueprint_cli.language.resolve import load, load_text

HEADER = 'blueprint "T"\norg oa "A"\norg ob "B"\nactor p "P" customer\nactor x "X" @oa\nactor y "Y" @ob\n'


def bp(body: str, variant: str = "intended"):
    return load_text(HEADER.replace('blueprint "T"\n', f'blueprint "T"\nvariant {variant}\n') + body, f"<{variant}>")


@pytest.mark.parametrize("path", sample_files(), ids=lambda p: p.name)
def test_diff_with_itself_is_empty(path):
    blueprint = load(path)
    comparison = compare(blueprint, blueprint)
    assert comparison.changes == ()
    assert comparison.scores.delivered_share == 1.0
    assert comparison.scores.planned_share == 1.0


def test_samples_exist():
    assert len(sample_pairs()) >= 4


@pytest.mark.parametrize("pair", sample_pairs(), ids=lambda p: p[0].name.split(".")[0])
def test_sample_pairs_are_deterministic_and_consistent(pair):
    intended, observed = (load(p) for p in pair)
    first, second = compare(intended, observed), compare(intended, observed)
    assert first.changes == second.changes
    keys = [(c.kind, c.id) for c in first.changes]
    assert len(keys) == len(set(keys)), "a change is reported twice"
    missing = {c.id for c in first.changes if c.kind == "step.missing"}
    unplanned = {c.id for c in first.changes if c.kind == "step.unplanned"}
    assert missing == set(intended.steps) - set(first.matches)
    assert unplanned == set(observed.steps) - set(first.matches.values())
    # Nothing invented: a matched step is never also missing or unplanned.
    assert not missing & set(first.matches)
    for change in first.changes:
        assert change.kind in KINDS
        assert change.message and change.severity in ("error", "warning", "note")
        if change.kind.startswith("step.") and change.kind not in ("step.unplanned",):
            assert change.id in intended.steps


def test_sample_renames_are_reported_as_renames():
    found = {}
    for pair in sample_pairs():
        comparison = compare(load(pair[0]), load(pair[1]))
        found.update({c.id: c.observed_id for c in comparison.changes if c.kind == "step.renamed"})
    # Declared with `renamed` in the observed files:
    assert found.get("order_meds") == "order_tto"
    assert found.get("hand_card") == "issue_card"
    # Found by label similarity:
    assert found.get("care_review") == "package_review"


def test_hospital_sample_reports_the_drift_of_the_language_sketch():
    comparison = compare(
        load(ROOT / "samples/hospital-discharge.intended.blueprint"),
        load(ROOT / "samples/hospital-discharge.observed.blueprint"),
    )
    kinds = {(c.kind, c.id) for c in comparison.changes}
    assert ("step.missing", "share") in kinds
    assert ("step.missing", "gp_update") in kinds
    assert ("step.unplanned", "chase") in kinds
    assert ("step.systems", "refer") in kinds
    assert ("handoff.owner", "refer->accept") in kinds
    assert ("system.unplanned", "phone") in kinds
    assert any(k == "pain.added" and i.startswith("refer#") for k, i in kinds)
    assert any(k == "unknown.added" and i.startswith("accept#") for k, i in kinds)
    # A flow whose end was renamed is matched through it, not missing.
    assert not any(c.kind == "flow.missing" and "order_meds" in c.id for c in comparison.changes)


def test_flow_ends_renamed_is_not_missing():
    intended = bp(
        'stage s "S"\n  frontstage one "First thing" by x\n  frontstage two "Second thing" by x\nflow one -> two\n'
    )
    observed = bp(
        'renamed two -> second\nstage s "S"\n  frontstage one "First thing" by x\n  frontstage second "Second thing" by x\nflow one -> second\n',
        "observed",
    )
    assert [(c.kind, c.id, c.observed_id) for c in compare(intended, observed).changes] == [
        ("step.renamed", "two", "second")
    ]


def test_handoff_broken_is_not_also_flow_missing():
    body = 'stage s "S"\n  frontstage one "Sends" by x\n  backstage two "Receives" by y\n'
    intended = bp(body + "flow one -> two [owner=x]\n")
    observed = bp(body, "observed")
    assert [(c.kind, c.id) for c in compare(intended, observed).changes] == [("handoff.broken", "one->two")]


def test_unplanned_flow_id_uses_intended_ids_of_matched_ends():
    intended = bp('stage s "S"\n  frontstage one "Sends the form" by x\n  frontstage two "Reads the form" by x\n')
    observed = bp(
        'renamed one -> uno\nstage s "S"\n  frontstage uno "Sends the form" by x\n  frontstage two "Reads the form" by x\nflow uno -> two\n',
        "observed",
    )
    flows = [c for c in compare(intended, observed).changes if c.kind == "flow.unplanned"]
    assert [(c.id, c.observed_id) for c in flows] == [("one->two", "uno->two")]


def test_fuzzy_matching_is_one_to_one_and_prefers_the_best_pair():
    intended = bp('stage s "S"\n  backstage a "Checks the application form" by x\n')
    observed = bp(
        'stage s "S"\n  backstage b "Checks the application" by x\n  backstage c "Checks the application form again" by x\n',
        "observed",
    )
    comparison = compare(intended, observed)
    assert comparison.matches == {"a": "c"} or comparison.matches == {"a": "b"}
    assert len(comparison.matches) == 1
    assert sum(c.kind == "step.unplanned" for c in comparison.changes) == 1


def test_fuzzy_matching_only_looks_at_neighbouring_stages():
    stages = 'stage s1 "One"\n  backstage a "Checks the application form" by x\nstage s2 "Two"\n  backstage m "Middle" by x\nstage s3 "Three"\n'
    intended = bp(stages + '  backstage z "Something else" by x\n')
    observed = bp(
        stages.replace('  backstage a "Checks the application form" by x\n', "")
        + '  backstage z "Something else" by x\n  backstage b "Checks the application form" by x\n',
        "observed",
    )
    kinds = sorted((c.kind, c.id) for c in compare(intended, observed).changes)
    assert kinds == [("step.missing", "a"), ("step.unplanned", "b")]


def test_label_similarity_threshold_documented_values():
    assert label_similarity(tokens("Reviews the care package"), tokens("Reviews the home care package")) > 0.8
    assert label_similarity(tokens("Examines the patient"), tokens("Sends the invoice")) == 0.0
    assert tokens("Orders medicines") == tokens("order medicine")


def test_longest_increasing_keeps_the_common_order():
    assert longest_increasing([0, 1, 2, 3]) == {0, 1, 2, 3}
    assert longest_increasing([3, 0, 1, 2]) == {1, 2, 3}
    assert longest_increasing([]) == set()


def test_moved_step_is_order_not_missing_and_unplanned():
    intended = bp(
        'stage s "S"\n  customer a "A step" by p\n  customer b "B step" by p\n  customer c "C step" by p\n  customer d "D step" by p\n'
    )
    observed = bp(
        'stage s "S"\n  customer d "D step" by p\n  customer a "A step" by p\n  customer b "B step" by p\n  customer c "C step" by p\n',
        "observed",
    )
    assert [(c.kind, c.id) for c in compare(intended, observed).changes] == [("step.order", "d")]
    assert match(intended, observed).moved_steps == {"d"}


def test_lane_change_names_the_lines_crossed():
    intended = bp('stage s "S"\n  customer a "Fills in the form" by p\n')
    observed = bp('stage s "S"\n  backstage a "Fills in the form" by x\n', "observed")
    lane = next(c for c in compare(intended, observed).changes if c.kind == "step.lane")
    assert "line of interaction" in lane.message and "line of visibility" in lane.message


def test_scores():
    body = 'stage s "S"\n  frontstage one "Sends" by x\n  backstage two "Receives" by y [evidence=observed]\n  backstage three "Files" by y\n'
    intended = bp(body + "flow one -> two [owner=x]\n")
    observed = bp(body.replace('  backstage three "Files" by y\n', "") + "flow one -> two\n", "observed")
    scores = compare(intended, observed).scores
    assert (scores.intended_steps, scores.delivered_steps, scores.observed_steps, scores.planned_steps) == (3, 2, 2, 2)
    assert (scores.intended_handoffs, scores.intact_handoffs, scores.unowned_intended, scores.unowned_observed) == (
        1,
        1,
        0,
        1,
    )
    assert scores.assumed_share_intended == pytest.approx(2 / 3)
    assert scores.assumed_share_observed == pytest.approx(1 / 2)


def test_changes_are_ordered_by_stage_then_kind_then_id():
    from blueprint_cli.compare import stage_order
    from blueprint_cli.compare.kinds import KIND_ORDER

    for pair in sample_pairs():
        comparison = compare(load(pair[0]), load(pair[1]))
        rank = {
            s: n
            for n, s in enumerate(
                stage_order(
                    comparison.intended, comparison.observed, match(comparison.intended, comparison.observed).stages
                )
            )
        }
        keys = [(rank.get(c.stage, -1) if c.stage else -1, KIND_ORDER[c.kind], c.id) for c in comparison.changes]
        assert keys == sorted(keys)


@pytest.mark.parametrize("pair", sample_pairs(), ids=lambda p: p[0].name.split(".")[0])
def test_json_output_matches_its_schema(pair, run_cli):
    schema = json.loads((ROOT / "schemas/diff.schema.json").read_text(encoding="utf-8"))
    code, out, _ = run_cli("diff", str(pair[0]), str(pair[1]), "--format", "json")
    assert code in (0, 1)
    document = json.loads(out)
    jsonschema.Draft202012Validator(schema).validate(document)
    assert document["version"] == 1
    assert all(
        {"kind", "id", "severity", "message", "intended", "observed", "locations"} <= set(c)
        for c in document["changes"]
    )


def test_readme_kinds_table_is_current():
    """The README table of change kinds is generated from compare/kinds.py (BLUEPRINT_UPDATE_GOLDEN=1 rewrites it)."""
    _check_readme_block("kinds", readme_table())


def _check_readme_block(name: str, table: str) -> None:
    import os

    readme = ROOT / "README.md"
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    text = readme.read_text(encoding="utf-8")
    assert start in text and end in text, f"README.md lacks the {start} ... {end} block"
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    current = rest.split(end, 1)[0].strip("\n")
    if os.environ.get("BLUEPRINT_UPDATE_GOLDEN") == "1" and current != table:
        readme.write_text(head + start + "\n" + table + "\n" + end + tail, encoding="utf-8")
        return
    assert current == table, f"the README {name} table is stale; rerun with BLUEPRINT_UPDATE_GOLDEN=1"


def test_every_kind_is_documented():
    for kind in KINDS.values():
        assert kind.severity in ("error", "warning", "note")
        assert kind.title and kind.why.endswith(".")


def test_a_rename_of_a_step_the_plan_lacks_is_warned_about(tmp_path, run_cli):
    """`renamed aks -> request` with no step `aks` in the intended file: a warning, with a suggestion."""
    intended = tmp_path / "i.blueprint"
    observed = tmp_path / "o.blueprint"
    intended.write_text('blueprint "S"\nstage s "S"\n  customer ask "Asks for help"\n', encoding="utf-8")
    observed.write_text(
        'blueprint "S"\nvariant observed\nrenamed aks -> request\nstage s "S"\n  customer request "Asks for help"\n',
        encoding="utf-8",
    )
    code, _, err = run_cli("diff", str(intended), str(observed))
    assert code == 0
    assert "names a step the intended version does not have; did you mean 'ask'?" in err
    assert f"{observed}:3:1" in err


@pytest.mark.parametrize("pair", sample_pairs(), ids=lambda p: p[0].name.split(".")[0])
def test_comparison_carries_the_matching(pair):
    """Stage matches, how each step was matched and its similarity: nothing downstream re-runs the matcher."""
    from blueprint_cli.compare import MatchedBy

    intended, observed = (load(p) for p in pair)
    comparison, matching = compare(intended, observed), match(intended, observed)
    assert comparison.stage_matches == matching.stages
    assert comparison.matches == matching.steps
    for i_id, found in comparison.step_matches.items():
        assert (found.intended, found.observed, found.by) == (i_id, matching.steps[i_id], matching.how[i_id])
        assert (found.similarity is None) == (found.by is MatchedBy.ID)
    assert comparison.similarity == matching.similarity
    renamed = {c.id: c.observed for c in comparison.changes if c.kind == "step.renamed"}
    for i_id, value in renamed.items():
        assert value.matched_by is comparison.step_matches[i_id].by
