"""The language as data: parse cases (input -> export JSON) and error cases (input -> exact messages).

`tests/cases/parse/NAME.blueprint` loads to the model whose export is `NAME.json`;
`tests/cases/errors/NAME.blueprint` fails with exactly the messages in `NAME.txt` (the plain
rendering: headline, source line, caret, hint). Regenerate with BLUEPRINT_UPDATE_GOLDEN=1 and
read the diff.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from conftest import CASES, assert_golden

from blueprint_cli.language.errors import BlueprintError, format_plain
from blueprint_cli.language.export import dumps, schema_path, to_json
from blueprint_cli.language.fmt import format_document
from blueprint_cli.language.parser import parse_document
from blueprint_cli.language.resolve import load, load_text
from blueprint_cli.language.source import Source, SourceError, read_source

PARSE = CASES / "parse"
ERRORS = CASES / "errors"
PARSE_CASES = sorted(PARSE.glob("*.blueprint"))
ERROR_CASES = sorted(ERRORS.glob("*.blueprint"))


def load_case(path: Path):
    """Load with the file name as its display path, so messages do not depend on the cwd."""
    return load(path, display=path.name)


def error_text(path: Path) -> str:
    try:
        load_case(path)
    except BlueprintError as error:
        return "\n".join(format_plain(d, error.sources.get(d.span.path)) for d in error.diagnostics) + "\n"
    except SourceError as error:
        return f"{error.location}: error: {error.message}\n"
    pytest.fail(f"{path.name} loaded without an error")


# ---------------------------------------------------------------- parse cases


@pytest.mark.parametrize("path", PARSE_CASES, ids=lambda p: p.stem)
def test_parse_case(path: Path):
    assert_golden(dumps(load_case(path)), path.with_suffix(".json"))


@pytest.mark.parametrize("path", PARSE_CASES, ids=lambda p: p.stem)
def test_parse_case_export_matches_the_schema(path: Path):
    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(to_json(load_case(path)))


def test_parse_cases_cover_the_tricky_inputs():
    names = {p.stem for p in PARSE_CASES}
    assert {"all_elements", "escapes", "crlf", "bom", "language_example", "keywords_as_ids"} <= names
    assert b"\r\n" in (PARSE / "crlf.blueprint").read_bytes()
    assert (PARSE / "bom.blueprint").read_bytes().startswith(b"\xef\xbb\xbf")


def test_all_elements_case_uses_every_element():
    blueprint = load_case(PARSE / "all_elements.blueprint")
    assert blueprint.variant.value == "observed" and blueprint.description
    assert {a.kind for a in blueprint.annotations} == {"pain", "workaround", "unknown", "note"}
    assert {s.lane.value for s in blueprint.steps.values()} == {
        "evidence",
        "customer",
        "frontstage",
        "backstage",
        "support",
    }
    assert blueprint.includes[1:] == ("shared/orgs.blueprint", "shared/more.blueprint")
    assert "council" in blueprint.orgs and "safe_home" in blueprint.outcomes  # from the includes
    assert blueprint.renames and any(f.inline for f in blueprint.flows) and any(not f.inline for f in blueprint.flows)
    assert any(h.owned for h in blueprint.handoffs)


def test_escapes_come_out_as_written_text():
    blueprint = load_case(PARSE / "escapes.blueprint")
    assert blueprint.title == 'Quotes "inside", a backslash \\ and <b>&amp;</b> {braces}'
    assert blueprint.orgs["o"].label == 'O \\" mixed'
    assert blueprint.steps["x"].label == "x \\n is not a newline"
    assert blueprint.steps["x"].channel == 'a "quoted" channel'
    assert blueprint.flows[0].label == 'label with "quotes" & <tags>'
    assert blueprint.description == "Ünïcödé, emoji 🙂, tabs\tand # not a comment"


def test_crlf_and_bom_read_like_plain_files():
    crlf = load_case(PARSE / "crlf.blueprint")
    plain = load_text((PARSE / "crlf.blueprint").read_bytes().decode().replace("\r\n", "\n"))
    assert crlf == plain
    bom = load_case(PARSE / "bom.blueprint")
    assert bom.title == "Byte order mark" and bom.span.line == 2 and bom.span.column == 1


def test_the_observed_fragment_of_the_language_sketch_parses():
    source = read_source(PARSE / "fragments" / "language_observed.blueprint")
    document = parse_document(source)
    kinds = [type(s).__name__ for s in document.statements]
    assert kinds[:2] == ["BlueprintDecl", "VariantDecl"]
    assert kinds.count("StepDecl") == 3 and kinds.count("AnnotationDecl") == 3
    assert len(document.comments) == 1
    # It elides declarations, so it does not load on its own — with messages, not a crash.
    with pytest.raises(BlueprintError) as caught:
        load(PARSE / "fragments" / "language_observed.blueprint")
    assert any("unknown actor 'coordinator'" in d.message for d in caught.value.diagnostics)


@pytest.mark.parametrize("path", PARSE_CASES, ids=lambda p: p.stem)
def test_parse_case_survives_formatting(path: Path):
    source = read_source(path, path.name)
    formatted = format_document(parse_document(source), source.text)
    from blueprint_cli.language.resolve import load_source

    again = load_source(Source(path.name, formatted), base=path.parent)
    assert again == load_case(path)


# ---------------------------------------------------------------- error cases


@pytest.mark.parametrize("path", ERROR_CASES, ids=lambda p: p.stem)
def test_error_case(path: Path):
    assert_golden(error_text(path), path.with_suffix(".txt"))


def test_error_cases_cover_every_kind():
    names = {p.stem for p in ERROR_CASES}
    expected = {
        "unknown_keyword", "unknown_lane", "unknown_attribute_key", "unknown_actor", "unknown_system",
        "unknown_outcome", "unknown_step", "wrong_kind_of_reference", "duplicate_id", "step_before_stage",
        "second_blueprint_line", "missing_blueprint_line", "empty_file", "invalid_utf8", "binary_input",
        "unterminated_string", "bad_escape", "invalid_identifier", "duplicate_flow", "include_missing",
        "include_cycle", "invalid_duration", "invalid_evidence", "invalid_channel", "invalid_severity",
        "several_errors",
    }  # fmt: skip
    assert expected <= names


def test_the_did_you_mean_of_the_issue():
    text = error_text(ERRORS / "unknown_actor.blueprint")
    assert "unknown actor 'nures'; did you mean 'nurse'?" in text


def test_several_errors_are_all_reported_in_order():
    error = pytest.raises(BlueprintError, load_case, ERRORS / "several_errors.blueprint").value
    positions = [(d.span.line, d.span.column) for d in error.diagnostics]
    assert len(positions) >= 6
    assert positions == sorted(positions)


def test_every_error_message_has_a_location_and_no_lark_jargon():
    for path in ERROR_CASES:
        text = error_text(path)
        first = text.splitlines()[0]
        assert first.startswith(f"{path.name}:") or first.startswith("inc/"), first
        for word in ("Token(", "$END", "_NL", "ANNOTATION_KIND", "Tree(", "VALUE", "STRING"):
            assert word not in text, f"{path.name}: {word!r} in {text!r}"
