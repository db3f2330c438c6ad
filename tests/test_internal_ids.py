"""Internal ids stay internal (issue 15, point 6)."""

from __future__ import annotations

import json

import pytest

from blueprint_cli.compare import compare
from blueprint_cli.language.resolve import load_text

INTENDED = """\
blueprint "Repairs"
variant intended
org council "Council"
actor officer "Officer" @council
actor tenant "Tenant" customer
stage report "Reporting"
  customer ask "Reports the repair" by tenant -> confirm_appt
  frontstage confirm_appt "Confirms the appointment" by officer -> visit
  backstage visit "Visits the home" by officer
"""
OBSERVED = (
    INTENDED.replace("variant intended", "variant observed")
    + 'pain confirm_appt "Waits <three> days & more" [severity=high]\n'
)


@pytest.fixture
def pair(tmp_path):
    (tmp_path / "i.blueprint").write_text(INTENDED, encoding="utf-8")
    (tmp_path / "o.blueprint").write_text(OBSERVED, encoding="utf-8")
    return str(tmp_path / "i.blueprint"), str(tmp_path / "o.blueprint")


@pytest.mark.parametrize("fmt", ["markdown", "github", "junit"])
def test_annotation_changes_show_the_step_and_the_text_not_the_internal_id(run_cli, pair, fmt):
    _code, out, _err = run_cli("diff", *pair, "--format", fmt)
    assert "pain.added" in out
    assert "#pain:" not in out, out
    plain = out.replace("\\", "")  # Markdown backslashes _ in ids
    assert "confirm_appt (pain" in plain and "Waits" in plain


def test_json_keeps_the_stable_id_for_baselines(run_cli, pair):
    _code, out, _err = run_cli("diff", *pair, "--format", "json")
    ids = [c["id"] for c in json.loads(out)["changes"]]
    assert any(i.startswith("confirm_appt#pain:") for i in ids)


RENAMES = """\
blueprint "Repairs"
variant {variant}
org council "Council"
actor officer "Officer" @council
actor tenant "Tenant" customer
stage report "Reporting"
  customer {ask} "Reports the repair" by tenant -> {book}
  frontstage {book} "{book_label}" by officer{lane_extra}
  backstage visit "Visits the home" by officer
"""


def _renamed_pair(*, ask: str = "ask", book: str = "book", book_label: str = "Books an appointment", extra: str = ""):
    intended = load_text(
        RENAMES.format(variant="intended", ask="ask", book="book", book_label="Books an appointment", lane_extra=""),
        "i.blueprint",
    )
    observed = load_text(
        RENAMES.format(variant="observed", ask=ask, book=book, book_label=book_label, lane_extra="") + extra,
        "o.blueprint",
    )
    return compare(intended, observed)


def test_every_change_of_a_renamed_step_carries_its_observed_id():
    extra = 'workaround booking "Rings twice"\nflow booking -> visit\n'
    comparison = _renamed_pair(book="booking", book_label="Books the appointment", extra=extra)
    assert comparison.matches["book"] == "booking"
    of_step = [c for c in comparison.changes if c.step == "book" and not c.kind.startswith("flow.")]
    assert {c.kind for c in of_step} >= {"step.renamed", "workaround.added"}
    observed_ids = {c.kind: c.observed_id for c in of_step}
    assert observed_ids["step.renamed"] == "booking"
    note = next(c for c in of_step if c.kind == "workaround.added")
    assert note.id.startswith("book#workaround:")
    assert observed_ids["workaround.added"] == note.id.replace("book#", "booking#")


def test_the_similarity_reported_is_of_the_labels_as_written():
    comparison = _renamed_pair(book="booking", book_label="Books the appointment")
    renamed = next(c for c in comparison.changes if c.kind == "step.renamed")
    similarity = comparison.step_matches["book"].similarity
    assert similarity is not None and similarity < 1.0
    assert "similarity 1.00" not in renamed.message
    assert f"{similarity:.2f}" in renamed.message


def test_a_pure_id_change_is_not_marked_changed_in_the_overlay():
    from blueprint_cli.report.compare_view import matched_step_statuses

    comparison = _renamed_pair(book="booking")  # same label, new id
    assert comparison.matches["book"] == "booking"
    assert "book" not in matched_step_statuses(comparison)
    relabelled = _renamed_pair(book="booking", book_label="Books the appointment")
    assert "book" in matched_step_statuses(relabelled)  # the wording changed: that is a change
