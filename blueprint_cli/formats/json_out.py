"""Versioned JSON for `diff` and `check` (schemas in schemas/diff.schema.json and check.schema.json)."""

from __future__ import annotations

import json

from blueprint_cli.vocab import count_severities

VERSION = 1


def _blueprint_summary(blueprint) -> dict:
    return {
        "path": blueprint.path,
        "title": blueprint.title,
        "variant": blueprint.variant.value,
        "steps": len(blueprint.steps),
        "stages": len(blueprint.stages),
        "handoffs": len(blueprint.handoffs),
    }


def diff_document(comparison, *, statuses: dict[str, str] | None = None, resolved=()) -> dict:
    """The JSON object of a comparison; `statuses` maps "kind:id" to new/accepted when a baseline is used."""
    changes = []
    for change in comparison.changes:
        item = change.to_json()
        if statuses is not None:
            item["baseline"] = statuses.get(f"{change.kind}:{change.id}", "new")
        changes.append(item)
    document = {
        "version": VERSION,
        "intended": _blueprint_summary(comparison.intended),
        "observed": _blueprint_summary(comparison.observed),
        "scores": comparison.scores.to_json(),
        "summary": comparison.counts(),
        "matches": [
            {"intended": i, "observed": o, "similarity": comparison.similarity.get(i)}
            for i, o in comparison.matches.items()
        ],
        "changes": changes,
    }
    if statuses is not None:
        document["resolved"] = [
            {"kind": r.rule, "id": r.ident, "severity": r.severity, "message": r.message} for r in resolved
        ]
    return document


def dumps(document: dict) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def check_document(results, items, *, resolved=None) -> dict:
    """The JSON object of `blueprint check`: per file, validity, diagnostics and rule findings."""
    from blueprint_cli.formats.items import baseline_scope

    status = {(i.scope, i.rule, i.ident): i.status for i in items}
    files = []
    for result in results:
        findings = []
        for finding in result.findings:
            entry = finding.to_json()
            if resolved is not None:
                entry["baseline"] = status.get((baseline_scope(result.path), finding.code, finding.id), "new")
            findings.append(entry)
        files.append(
            {
                "path": result.path,
                "valid": result.valid,
                "diagnostics": [d.to_json() for d in result.diagnostics],
                "findings": findings,
            }
        )
    counts = count_severities(item.severity for item in items if item.status == "new")
    document = {
        "version": VERSION,
        "files": files,
        "summary": {"files": len(results), "invalid": sum(not r.valid for r in results), **counts},
    }
    if resolved is not None:
        document["resolved"] = [
            {"code": r.rule, "id": r.ident, "severity": r.severity, "message": r.message} for r in resolved
        ]
    return document
