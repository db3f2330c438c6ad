"""SARIF 2.1.0 for code-scanning tools: stable rule ids, fingerprints from element identity."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import TypedDict
from urllib.parse import quote

from blueprint_cli import links
from blueprint_cli.formats.items import Item, Rule
from blueprint_cli.language.source import Span

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {"error": "error", "warning": "warning", "note": "note"}
BASELINE_STATE = {"new": "new", "accepted": "unchanged", "resolved": "absent"}


def artifact_uri(path: str) -> str:
    """A URI reference for a blueprint path: relative paths stay relative, absolute ones become file: URIs."""
    posix = path.replace("\\", "/")
    if PurePosixPath(posix).is_absolute():
        return "file://" + quote(posix)
    return quote(posix)


# A SARIF document as JSON-ready values; the shapes that matter to the writer are typed.
SarifObject = dict[str, object]


class Message(TypedDict):
    text: str


class _Location(TypedDict):
    physicalLocation: SarifObject


class Location(_Location, total=False):
    id: int  # related locations only
    message: Message


class _Result(TypedDict):
    ruleId: str
    level: str
    message: Message
    partialFingerprints: dict[str, str]
    properties: dict[str, str]


class Result(_Result, total=False):
    ruleIndex: int
    locations: list[Location]
    relatedLocations: list[Location]
    baselineState: str


def _location(span: Span) -> Location:
    return Location(
        physicalLocation={
            "artifactLocation": {"uri": artifact_uri(span.path)},
            "region": {
                "startLine": max(span.line, 1),
                "startColumn": max(span.column, 1),
                "endLine": max(span.end_line, span.line, 1),
                "endColumn": max(span.end_column, 1),
            },
        }
    )


def document(
    items: list[Item],
    rules: dict[str, Rule],
    *,
    tool_version: str,
    with_baseline: bool = False,
    automation_id: str = "blueprint/",
) -> SarifObject:
    """One SARIF log with one run; every rule of the table is listed so that rule indexes are stable.

    `automation_id` (`category/`) tells runs apart when several are uploaded for one commit: code
    scanning keeps the latest run of each category (`blueprint/check`, `blueprint/diff/FILE`).
    """
    rule_list = list(rules.values())
    index = {r.id: n for n, r in enumerate(rule_list)}
    results: list[Result] = []
    for item in items:
        spans = [s for s in item.spans if s.line > 0]
        result = Result(
            ruleId=item.rule,
            level=LEVEL[item.severity],
            message=Message(text=item.message),
            partialFingerprints={"blueprintElement/v1": item.fingerprint()},
            properties={"elementId": item.ident},
        )
        if item.rule in index:
            result["ruleIndex"] = index[item.rule]
        if spans:
            # The observed place is where the drift can be seen; the intended one is related.
            result["locations"] = [_location(spans[-1])]
            if len(spans) > 1:
                related = []
                for n, span in enumerate(spans[:-1]):
                    location = _location(span)
                    location["id"] = n
                    at = f", at revision {item.revision}" if item.revision else ""
                    location["message"] = Message(text=f"the intended version{at}")
                    related.append(location)
                result["relatedLocations"] = related
        if with_baseline:
            result["baselineState"] = BASELINE_STATE[item.status]
        results.append(result)
    driver: SarifObject = {
        "name": "blueprint",
        "fullName": "blueprint-cli (service blueprints as code)",
        "semanticVersion": tool_version,
        "version": tool_version,
        "informationUri": links.HOME,
        "rules": [_rule(r) for r in rule_list],
    }
    run: SarifObject = {
        "tool": {"driver": driver},
        "automationDetails": {"id": automation_id},
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def _rule(rule: Rule) -> SarifObject:
    """A rule with the help text and link that code scanning shows beside each alert."""
    address = links.readme(rule.section) if rule.section else links.HOME
    text = rule.help or rule.description
    return {
        "id": rule.id,
        "name": _pascal(rule.name),
        "shortDescription": {"text": _sentence(rule.name)},
        "fullDescription": {"text": _sentence(rule.description)},
        "defaultConfiguration": {"level": LEVEL[rule.severity]},
        "help": {"text": f"{text} More: {address}", "markdown": f"{text}\n\n[More in the README]({address})"},
        "helpUri": address,
        "properties": {"tags": ["service-blueprint"]},
    }


def _sentence(text: str) -> str:
    """A description as SARIF wants one: a sentence ending in a full stop."""
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


def _pascal(name: str) -> str:
    """`unowned-join` / `Step missing` -> `UnownedJoin` / `StepMissing` (SARIF rule names are identifiers)."""
    import re

    return "".join(word[:1].upper() + word[1:] for word in re.split(r"[^A-Za-z0-9]+", name) if word)
