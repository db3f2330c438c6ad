"""Change messages are for reviewers: they lead with labels in “ ” quotes, keep ids compact, read as one sentence."""

from __future__ import annotations

import re

import pytest
from conftest import sample_pairs

from blueprint_cli.compare import compare
from blueprint_cli.compare.result import PainNote
from blueprint_cli.compare.wording import and_list, duration_words, quoted, ratio_words, shorten
from blueprint_cli.language.resolve import load, load_text

PAIRS = sample_pairs()
NOTE_KINDS = ("pain", "workaround", "unknown")


def _changes():
    found = []
    for intended_path, observed_path in PAIRS:
        intended, observed = load(intended_path), load(observed_path)
        comparison = compare(intended, observed)
        for change in comparison.changes:
            found.append((intended, observed, change, comparison.matches.get(change.id, change.id)))
    return found


@pytest.fixture(scope="module")
def sample_changes():
    found = _changes()
    assert found, "the samples should differ"
    return found


def _without_note_text(message: str, change) -> str:
    """The message without the quoted annotation text (user prose may hold any punctuation)."""
    if change.kind.split(".")[0] not in NOTE_KINDS:
        return message
    value = change.observed if change.kind.endswith(".added") else change.intended
    text = value.text if isinstance(value, PainNote) else value
    return message.replace(f"“{text}”", "“…”")


def test_no_message_speaks_in_ids(sample_changes):
    for _, _, change, _ in sample_changes:
        message = re.sub(r"“[^”]*”", "“…”", change.message)  # labels are user text: any character may be in them
        assert not re.search(r"'[\w.-]+'", message), change.message  # no 'step_id' in straight quotes
        assert "->" not in message and '"' not in message, change.message
        assert message[0] == "“" or message[0].isupper(), change.message


def test_step_messages_lead_with_the_label_and_end_with_the_id(sample_changes):
    for intended, observed, change, observed_id in sample_changes:
        if not change.kind.startswith("step.") or change.kind == "step.renamed":
            continue
        versions = [
            v.steps[i]
            for v, i in ((intended, change.id), (observed, change.id), (observed, observed_id))
            if i in v.steps
        ]
        assert change.message.startswith("“") and change.message.endswith(f"({change.id})"), change.message
        label = change.message[1 : change.message.index("”")]
        assert label in {step.label for step in versions}, change.message


def test_messages_are_one_plain_sentence(sample_changes):
    for _, _, change, _ in sample_changes:
        message = _without_note_text(change.message, change)
        assert not re.search(r"[,;:.]\s*[,;:.]|\.\.|……|\(\s*\(|\)\s*\(", message), change.message
        assert not message.endswith((".", ";", ",")), change.message
        assert message.count("“") == message.count("”"), change.message
        assert "\n" not in message


def test_quoted_labels_are_never_cut(sample_changes):
    """Labels are carried whole (issue 15, point 4): machine formats keep them, people's formats wrap."""
    for _, _, change, _ in sample_changes:
        message = _without_note_text(change.message, change)
        for label in re.findall(r"“([^”]*)”", message):
            assert label == "…" or not label.endswith("…"), change.message  # "…": note text taken out


def test_flows_and_handoffs_are_named_by_their_steps(sample_changes):
    seen = set()
    for intended, observed, change, _observed_id in sample_changes:
        if change.kind.split(".")[0] not in ("flow", "handoff"):
            continue
        seen.add(change.kind)
        for end in change.id.split("->"):
            labels = {quoted(v.steps[end].label) for v in (intended, observed) if end in v.steps}
            assert any(label in change.message for label in labels), change.message
        if change.kind.startswith("handoff."):
            assert " → " in change.message and " from " in change.message, change.message
    assert {"handoff.broken", "flow.missing"} <= seen


def test_the_example_from_the_issue():
    base = """blueprint "Discharge"
variant {variant}
org trust "Acute hospital trust"
org council "Adult social care"
actor nurse "Nurse" @trust
actor officer "Officer" @council
stage plan "Planning"
  backstage care_plan "Copy of the care and support plan" by nurse
  backstage accept "Accepts referral and books visits as soon as a package can be found" by officer
  backstage confirm_start "Confirms the start date" by nurse
flow accept -> confirm_start
"""
    intended = load_text(base.format(variant="intended"), "i.blueprint")
    observed = load_text(
        base.format(variant="observed")
        .replace('  backstage care_plan "Copy of the care and support plan" by nurse\n', "")
        .replace("flow accept -> confirm_start\n", ""),
        "o.blueprint",
    )
    messages = {c.kind: c.message for c in compare(intended, observed).changes}
    assert messages["step.missing"] == "“Copy of the care and support plan” never happens (care_plan)"
    assert messages["handoff.broken"] == (
        "The handoff from Adult social care to Acute hospital trust, “Accepts referral and books visits as soon as a package can be found” → "
        "“Confirms the start date”, no longer happens"
    )


def test_shorten_cuts_at_a_word_with_an_ellipsis():
    assert shorten("Short label") == "Short label"
    long = "Accepts the referral, checks the package of care and books the first visits"
    short = shorten(long)
    assert short.endswith("…") and len(short) <= 50 and long.startswith(short[:-1])
    assert not short[:-1].endswith((" ", ","))
    assert shorten("x" * 80).endswith("…") and len(shorten("x" * 80)) == 50
    assert quoted("Plan") == "“Plan”"


def test_quoted_keeps_a_long_label_whole():
    long = "Checks health risks and vulnerability in the household before booking the repair"
    assert quoted(long) == f"“{long}”"


def test_lists_durations_and_ratios_read_as_english():
    assert and_list(["“A”"]) == "“A”"
    assert and_list(["“A”", "“B”"]) == "“A” and “B”"
    assert and_list(["a", "b", "c", "d", "e"]) == "a, b, c and 2 more"
    assert (
        duration_words("1h") == "1 hour" and duration_words("20m") == "20 minutes" and duration_words("5w") == "5 weeks"
    )
    assert ratio_words(60, 180) == "3 times as long" and ratio_words(60, 120) == "twice as long"
    assert ratio_words(60, 20) == "a third of the time" and ratio_words(60, 30) == "half the time"
    assert ratio_words(60, 70) == ""


@pytest.mark.parametrize(
    ("a", "b"),
    [("Chases the referral", "Chased the referral"), ("Books visits", "Booking a visit"), ("Examines", "Examining")],
)
def test_word_forms_of_one_word_score_as_the_same_word(a, b):
    """Issue 15, point 10: a real (Snowball) stemmer, not a suffix stripper; the scoring is kept."""
    from blueprint_cli.compare.match import label_similarity, tokens

    assert tokens(a) == tokens(b)
    assert label_similarity(tokens(a), tokens(b)) == 1.0
    assert label_similarity(tokens("Chases the referral"), tokens("Closes the case")) < 0.5
