"""The mapping file: the shared receipt mapping reads, rules apply in order, errors are located."""

from __future__ import annotations

import json

import pytest
from test_evidence_logs import HEADER, write_csv
from test_evidence_oracle import RECEIPT

from blueprint_cli.evidence.errors import EvidenceError
from blueprint_cli.evidence.mapping import load_mapping, parse_mapping
from blueprint_cli.evidence.run import ObserveRequest, run_observe


@pytest.mark.skipif(not (RECEIPT / "receipt.mapping.toml").exists(), reason="no shared receipt data")
def test_the_receipt_mapping_reads():
    mapping = load_mapping(str(RECEIPT / "receipt.mapping.toml"))
    assert mapping.timezone == "Europe/Amsterdam"
    assert mapping.columns["case"] == "case:concept:name"
    assert mapping.step_of("T05 Print and send confirmation of receipt") == "send_receipt"
    assert mapping.step_of("T07-5 Draft intern advice aspect 5") == "advice_5"
    assert mapping.step_of("Something else") is None
    assert mapping.org_actor("Group 4") == ("checking", "checker")
    assert mapping.org_actor("Group 14") == ("advisors", "advisor")
    assert mapping.org_actor("EMPTY") == (None, None)
    assert mapping.outside_policy == "carry" and "apply" in mapping.outside_log
    assert mapping.channel is not None and mapping.channel.values["Internet"] == "web"


def test_first_matching_rule_wins_and_lists_are_allowed():
    mapping = parse_mapping(
        """version = 1
[[step]]
activity = ["Send letter", "Send e-mail"]
id = "send"
[[step]]
regex = "Send (.*)"
id = "send_{1}"
""",
        "m.toml",
    )
    assert mapping.step_of("Send e-mail") == "send"
    assert mapping.step_of("Send Fax Now") == "send_fax_now"


@pytest.mark.parametrize(
    ("text", "where", "words"),
    [
        ("version = 1\n[log]\ncase = 'x'\ncolour = 'red'\n", "m.toml:4:1", "unknown key 'colour' in [log]"),
        ("version = 2\n", "m.toml:1:1", "version 1"),
        (
            "version = 1\n[[step]]\nactivity = 'A'\nid = 'a'\n\n[[step]]\nregex = '(('\nid = 'b'\n",
            "m.toml:7:1",
            "regular expression",
        ),
        ("version = 1\n[[step]]\nactivity = 'A'\nid = 'Not An Id'\n", "m.toml:4:1", "'id' must be a step id"),
        ("version = 1\n[defaults]\nunmapped = 'drop'\n", "m.toml:3:1", "unplanned, ignore, error"),
        ("version = 1\n[log\n", "m.toml:2:5", "not valid TOML"),
        ("version = 1\n[[group]]\nmatch = 'G'\n", "m.toml:2:1", "needs 'org', 'actor' or both"),
    ],
)
def test_errors_are_located(text, where, words):
    with pytest.raises(EvidenceError) as caught:
        parse_mapping(text, "m.toml")
    assert caught.value.location == where
    assert words in caught.value.message


def test_a_mapping_error_through_the_cli(tmp_path, run_cli):
    mapping = tmp_path / "m.toml"
    mapping.write_text("version = 1\n[defaults]\nrework_pain = 3\n", encoding="utf-8")
    log = write_csv(tmp_path / "log.csv", HEADER, [["a", "A", "2024-01-01T00:00:00Z", "G", "complete"]])
    code, out, err = run_cli("observe", str(log), "--mapping", str(mapping))
    assert code == 2
    assert f"{mapping}:3:1: error: 'rework_pain' must be a number from 0 to 1" in err


ROWS = [
    ["a", "Register", "2024-01-01T09:00:00Z", "G1", "complete"],
    ["a", "Gossip", "2024-01-01T10:00:00Z", "G1", "complete"],
    ["a", "Decide", "2024-01-01T11:00:00Z", "G1", "complete"],
]


def mapped(tmp_path, unmapped: str) -> dict:
    mapping = tmp_path / "m.toml"
    mapping.write_text(
        f"""version = 1
[defaults]
unmapped = "{unmapped}"
[[step]]
activity = ["Register"]
id = "register"
[[step]]
activity = "Decide"
id = "decide"
""",
        encoding="utf-8",
    )
    log = write_csv(tmp_path / "log.csv", HEADER, ROWS)
    text, _ = run_observe(ObserveRequest(log=str(log), mapping=str(mapping)))
    return json.loads(text)


def test_unmapped_activities_become_steps_of_their_own(tmp_path):
    figures = mapped(tmp_path, "unplanned")
    assert [a["step"] for a in figures["activities"]] == ["decide", "gossip", "register"]
    assert figures["events"] == 3


def test_unmapped_activities_can_be_ignored(tmp_path):
    figures = mapped(tmp_path, "ignore")
    assert figures["events"] == 2
    assert [(f["from_step"], f["to_step"]) for f in figures["flows"]] == [("register", "decide")]
    assert figures["log"]["filters"] == ["1 unmapped activities ignored (1 events)"]


def test_unmapped_activities_can_be_an_error(tmp_path):
    with pytest.raises(EvidenceError) as caught:
        mapped(tmp_path, "error")
    assert "Gossip" in caught.value.message


def test_time_frame_and_endpoint_filters(tmp_path):
    rows = [
        ["early", "Register", "2023-12-31T23:00:00Z", "G1", "complete"],
        ["early", "Decide", "2024-01-02T09:00:00Z", "G1", "complete"],
        ["open", "Register", "2024-01-01T09:00:00Z", "G1", "complete"],
        ["done", "Register", "2024-01-01T09:00:00Z", "G1", "complete"],
        ["done", "Decide", "2024-01-01T10:00:00Z", "G1", "complete"],
        ["late", "Register", "2024-02-01T00:00:00Z", "G1", "complete"],
        ["late", "Decide", "2024-02-01T10:00:00Z", "G1", "complete"],
    ]
    mapping = tmp_path / "m.toml"
    mapping.write_text(
        'version = 1\n[log.filter]\nfrom = "2024-01-01"\nuntil = "2024-02-01"\nends_with = ["Decide"]\n',
        encoding="utf-8",
    )
    log = write_csv(tmp_path / "log.csv", HEADER, rows)
    figures = json.loads(run_observe(ObserveRequest(log=str(log), mapping=str(mapping)))[0])
    assert figures["cases"] == 1 and figures["events"] == 2
    assert len(figures["log"]["filters"]) == 2


def test_the_readme_documents_every_mapping_key():
    from conftest import ROOT

    from blueprint_cli.evidence.mapping import KEYS

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("### The mapping file", 1)[1].split("\n## ", 1)[0]
    for section, keys in KEYS.items():
        for key in keys:
            if key in KEYS or f"{section}.{key}" in KEYS:
                continue  # a table: documented by its own rows
            assert f"`{key}`" in table, f"README's mapping table lacks {section or 'top'}.{key}"
