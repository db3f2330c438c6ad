"""Data-driven comparison cases: tests/cases/diff/<case>/{intended,observed}.blueprint + expected.json.

expected.json lists every change (kind, id, severity, message, values). It is written only with
BLUEPRINT_UPDATE_GOLDEN=1 and then reviewed by a person; the test also requires that every change
kind of the table is exercised by at least one case.
"""

from __future__ import annotations

import json

import pytest
from conftest import CASES, assert_golden

from blueprint_cli.compare import KINDS, compare
from blueprint_cli.compare.result import VALUE_TYPES, value_json
from blueprint_cli.language.resolve import load

DIFF_CASES = sorted(p for p in (CASES / "diff").iterdir() if p.is_dir())


def _expected_text(case) -> tuple[str, list[dict]]:
    comparison = compare(load(case / "intended.blueprint"), load(case / "observed.blueprint"))
    changes = [
        {
            "kind": c.kind,
            "id": c.id,
            "severity": c.severity,
            "message": c.message,
            "intended": value_json(c.intended),
            "observed": value_json(c.observed),
        }
        for c in comparison.changes
    ]
    return json.dumps(changes, indent=2, ensure_ascii=False) + "\n", changes


@pytest.mark.parametrize("case", DIFF_CASES, ids=[c.name for c in DIFF_CASES])
def test_diff_case(case):
    text, _ = _expected_text(case)
    assert_golden(text, case / "expected.json")


def test_every_kind_has_a_case():
    seen = set()
    for case in DIFF_CASES:
        expected = case / "expected.json"
        if expected.exists():
            seen |= {c["kind"] for c in json.loads(expected.read_text(encoding="utf-8"))}
    from blueprint_cli.compare.kinds import MEASURED_KINDS

    assert set(KINDS) - seen - set(MEASURED_KINDS) == set(), "change kinds without a data-driven case"


def test_identical_case_has_no_changes():
    _, changes = _expected_text(CASES / "diff" / "identical")
    assert changes == []


@pytest.mark.parametrize("case", DIFF_CASES, ids=[c.name for c in DIFF_CASES])
def test_values_have_the_types_their_kind_declares(case):
    """Each change carries the typed old and new value `compare.result.VALUE_TYPES` lists for its kind."""
    comparison = compare(load(case / "intended.blueprint"), load(case / "observed.blueprint"))
    for change in comparison.changes:
        intended_types, observed_types = VALUE_TYPES[change.kind]
        assert change.intended is None or isinstance(change.intended, intended_types), change
        assert change.observed is None or isinstance(change.observed, observed_types), change


def test_every_kind_declares_its_value_types():
    assert set(VALUE_TYPES) == set(KINDS)
