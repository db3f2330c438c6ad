"""`blueprint export`: JSON that matches the versioned schema, canonical text that loads back."""

from __future__ import annotations

import json
import os

import jsonschema
import pytest
from conftest import CASES, ROOT, sample_files

from blueprint_cli.language.export import SCHEMA_ID, SCHEMA_VERSION, dumps, schema_path, to_json, to_text
from blueprint_cli.language.fmt import format_document
from blueprint_cli.language.parser import parse_document
from blueprint_cli.language.resolve import load, load_source
from blueprint_cli.language.source import Source

GOOD = CASES / "parse" / "all_elements.blueprint"


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_schema_is_versioned_and_lives_in_the_repository():
    schema = json.loads((ROOT / "schemas" / "blueprint.schema.json").read_text(encoding="utf-8"))
    assert schema["$id"] == SCHEMA_ID and schema["$schema"].endswith("2020-12/schema")
    assert schema["properties"]["schema_version"]["const"] == SCHEMA_VERSION
    assert schema_path().resolve() == (ROOT / "schemas" / "blueprint.schema.json").resolve()


@pytest.mark.parametrize("path", sample_files(), ids=lambda p: p.name)
def test_every_sample_exports_valid_json(path, validator):
    document = to_json(load(path))
    validator.validate(document)
    assert document["schema_version"] == SCHEMA_VERSION


def test_the_schema_rejects_a_broken_document(validator):
    document = to_json(load(GOOD))
    document["steps"][0]["lane"] = "sideways"
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(document)
    del document["steps"][0]["lane"]
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(document)


def test_json_carries_derived_facts_and_locations():
    document = to_json(load(CASES / "parse" / "handoffs.blueprint"))
    steps = {s["id"]: s for s in document["steps"]}
    assert steps["take"]["org"] == "a" and steps["get"]["org"] == "b" and steps["ask"]["org"] is None
    handoffs = {h["id"]: h for h in document["handoffs"]}
    assert handoffs["pass->get"]["owned"] is True and handoffs["pass->get"]["owner"] == "staff_a"
    assert handoffs["reply->take"]["owned"] is False
    assert steps["take"]["location"]["line"] == 16 and steps["take"]["location"]["column"] == 3


@pytest.mark.parametrize("path", sample_files(), ids=lambda p: p.name)
def test_canonical_text_loads_back_to_the_same_model(path):
    blueprint = load(path)
    text = to_text(blueprint)
    again = load_source(Source(str(path), text), base=path.parent)
    assert again == blueprint
    assert format_document(parse_document(Source("t", text)), text) == text  # already canonical


def test_export_json_to_stdout(run_cli):
    code, out, err = run_cli("export", str(GOOD))
    assert code == 0, err
    assert out == dumps(load(GOOD))
    assert out.endswith("}\n") and json.loads(out)["title"] == "Hospital discharge"


def test_export_is_byte_identical_between_runs(run_cli):
    first = run_cli("export", str(CASES / "parse" / "escapes.blueprint"))[1]
    second = run_cli("export", str(CASES / "parse" / "escapes.blueprint"))[1]
    assert first == second
    assert "Ünïcödé" in first and "🙂" in first  # not \\u-escaped


def test_export_text_format(run_cli):
    code, out, _ = run_cli("export", str(GOOD), "--format", "text")
    assert code == 0
    assert out.startswith('blueprint "Hospital discharge"\nvariant observed\n')
    assert "org council" in out  # includes folded in
    assert "# handoff order_tto -> record: hospital -> council, unowned" in out


def test_export_to_a_file_atomically(tmp_path, run_cli):
    target = tmp_path / "out" / "model.json"
    code, out, _ = run_cli("export", str(GOOD), "-o", str(target))
    assert code == 0 and out == ""
    assert json.loads(target.read_text(encoding="utf-8"))["schema_version"] == SCHEMA_VERSION
    assert sorted(os.listdir(target.parent)) == ["model.json"]


def test_export_of_invalid_input_exits_2(run_cli, tmp_path):
    target = tmp_path / "model.json"
    code, out, err = run_cli("export", str(CASES / "errors" / "unknown_actor.blueprint"), "-o", str(target))
    assert code == 2
    assert "unknown actor 'nures'; did you mean 'nurse'?" in err
    assert not target.exists() and out == ""


def test_reordered_declarations_give_the_same_canonical_text():
    """The README's textconv claim (issue 15, point 11): reordering declarations is no change."""
    from blueprint_cli.language.export import to_text
    from blueprint_cli.language.resolve import load_text

    lines = [
        'org tax "Tax"',
        'org council "Council"',
        'actor officer "Officer" @council',
        'actor clerk "Clerk" @tax',
        'system crm "CRM" @council',
        'system ledger "Ledger" @tax',
        'outcome paid "Paid"',
        'outcome housed "Housed"',
    ]
    body = 'stage s "S"\n  backstage a "Files it" by clerk uses ledger [outcome=paid]\n'
    body += '  backstage b "Houses" by officer uses crm [outcome=housed]\n'
    first = load_text('blueprint "B"\n' + "\n".join(lines) + "\n" + body)
    second = load_text('blueprint "B"\n' + "\n".join(reversed(lines)) + "\n" + body)
    assert to_text(first) == to_text(second)
