"""SARIF 2.1.0 for code-scanning tools: stable rule ids, fingerprints from element identity."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import TypedDict
from urllib.parse import quote

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
    items: list[Item], rules: dict[str, Rule], *, tool_version: str, with_baseline: bool = False
) -> SarifObject:
    """One SARIF log with one run; every rule of the table is listed so that rule indexes are stable."""
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
                    location["message"] = Message(text="the intended version")
                    related.append(location)
                result["relatedLocations"] = related
        if with_baseline:
            result["baselineState"] = BASELINE_STATE[item.status]
        results.append(result)
    driver: SarifObject = {
        "name": "blueprint",
        "semanticVersion": tool_version,
        "version": tool_version,
        "rules": [
            {
                "id": r.id,
                "name": r.name,
                "shortDescription": {"text": r.name},
                "fullDescription": {"text": r.description},
                "defaultConfiguration": {"level": LEVEL[r.severity]},
                **({"help": {"text": r.help}} if r.help else {}),
            }
            for r in rule_list
        ],
    }
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{"tool": {"driver": driver}, "columnKind": "unicodeCodePoints", "results": results}],
    }
