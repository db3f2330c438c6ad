"""Versioned JSON for `diff` and `check` (schemas in schemas/diff.schema.json and check.schema.json)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Protocol, TypedDict

from blueprint_cli.compare.result import ChangeJson, Comparison, ScoresJson
from blueprint_cli.formats.items import Item
from blueprint_cli.language.model import Blueprint
from blueprint_cli.vocab import count_severities

if TYPE_CHECKING:
    from blueprint_cli.checks import Finding
    from blueprint_cli.language.errors import Diagnostic

VERSION = 1


class BlueprintSummary(TypedDict):
    path: str
    title: str
    variant: str
    steps: int
    stages: int
    handoffs: int


class MatchJson(TypedDict):
    intended: str
    observed: str
    similarity: float | None


class ResolvedChangeJson(TypedDict):
    kind: str
    id: str
    severity: str
    message: str


class _DiffDocument(TypedDict):
    version: int
    intended: BlueprintSummary
    observed: BlueprintSummary
    scores: ScoresJson
    summary: dict[str, int]
    matches: list[MatchJson]
    changes: list[ChangeJson]


class DiffDocument(_DiffDocument, total=False):
    """The JSON object of `blueprint diff`."""

    resolved: list[ResolvedChangeJson]  # only with a baseline


def _blueprint_summary(blueprint: Blueprint) -> BlueprintSummary:
    return BlueprintSummary(
        path=blueprint.path,
        title=blueprint.title,
        variant=blueprint.variant.value,
        steps=len(blueprint.steps),
        stages=len(blueprint.stages),
        handoffs=len(blueprint.handoffs),
    )


def diff_document(
    comparison: Comparison, *, statuses: dict[str, str] | None = None, resolved: Iterable[Item] = ()
) -> DiffDocument:
    """The JSON object of a comparison; `statuses` maps "kind:id" to new/accepted when a baseline is used."""
    resolved = list(resolved)
    changes = []
    for change in comparison.changes:
        item = change.to_json()
        if statuses is not None:
            item["baseline"] = statuses.get(f"{change.kind}:{change.id}", "new")
        changes.append(item)
    document = DiffDocument(
        version=VERSION,
        intended=_blueprint_summary(comparison.intended),
        observed=_blueprint_summary(comparison.observed),
        scores=comparison.scores.to_json(),
        summary=_diff_summary(comparison, statuses, resolved),
        matches=[
            MatchJson(intended=i, observed=m.observed, similarity=m.similarity)
            for i, m in comparison.step_matches.items()
        ],
        changes=changes,
    )
    if statuses is not None:
        document["resolved"] = [
            ResolvedChangeJson(kind=r.rule, id=r.ident, severity=r.severity, message=r.message) for r in resolved
        ]
    return document


def _diff_summary(comparison: Comparison, statuses: dict[str, str] | None, resolved: Sequence[Item]) -> dict[str, int]:
    """Counts of the new changes; with a baseline also how many it accepted and lists as resolved."""
    if statuses is None:
        return comparison.counts()
    state = [statuses.get(f"{c.kind}:{c.id}", "new") for c in comparison.changes]
    counts = dict(count_severities(c.severity for c, s in zip(comparison.changes, state, strict=True) if s == "new"))
    counts["accepted"] = state.count("accepted")
    counts["resolved"] = len(resolved)
    return counts


def dumps(document: object) -> str:
    from blueprint_cli import jsontext

    return jsontext.dumps(document)


class _CheckFileJson(TypedDict):
    path: str
    valid: bool
    diagnostics: list[dict[str, object]]
    findings: list[dict[str, object]]  # each finding's JSON, with "baseline" when a baseline is used


class CheckFileJson(_CheckFileJson, total=False):
    fragment: bool  # only for a valid include fragment (shared declarations, no `blueprint` line)


class _CheckSummary(TypedDict):
    files: int
    invalid: int
    error: int
    warning: int
    note: int


class CheckSummary(_CheckSummary, total=False):
    accepted: int  # only with a baseline: findings it accepts (not counted above)
    resolved: int  # only with a baseline: its entries no longer found


class ResolvedFindingJson(TypedDict):
    code: str
    id: str
    severity: str
    message: str


class _CheckDocument(TypedDict):
    version: int
    files: list[CheckFileJson]
    summary: CheckSummary


class CheckDocument(_CheckDocument, total=False):
    """The JSON object of `blueprint check`."""

    resolved: list[ResolvedFindingJson]  # only with a baseline


class CheckedFile(Protocol):
    """What `blueprint check` found in one file (commands.check.FileResult)."""

    @property
    def path(self) -> str: ...
    @property
    def valid(self) -> bool: ...
    @property
    def diagnostics(self) -> Sequence[Diagnostic]: ...
    @property
    def findings(self) -> Sequence[Finding]: ...
    @property
    def fragment(self) -> bool: ...


def check_document(
    results: Sequence[CheckedFile], items: Sequence[Item], *, resolved: Iterable[Item] | None = None
) -> CheckDocument:
    """The JSON object of `blueprint check`: per file, validity, diagnostics and rule findings."""
    from blueprint_cli.formats.items import baseline_scope

    status = {(i.scope, i.rule, i.ident): i.status for i in items}
    files: list[CheckFileJson] = []
    for result in results:
        findings: list[dict[str, object]] = []
        for finding in result.findings:
            entry: dict[str, object] = finding.to_json()
            if resolved is not None:
                entry["baseline"] = status.get((baseline_scope(result.path), finding.code, finding.id), "new")
            findings.append(entry)
        entry_json = CheckFileJson(
            path=result.path,
            valid=result.valid,
            diagnostics=[d.to_json() for d in result.diagnostics],
            findings=findings,
        )
        if result.fragment:
            entry_json["fragment"] = True
        files.append(entry_json)
    counts = count_severities(item.severity for item in items if item.status == "new")
    document = CheckDocument(
        version=VERSION,
        files=files,
        summary=CheckSummary(
            files=len(results),
            invalid=sum(not r.valid for r in results),
            error=counts["error"],
            warning=counts["warning"],
            note=counts["note"],
        ),
    )
    if resolved is not None:
        resolved = list(resolved)
        document["summary"]["accepted"] = sum(1 for i in items if i.status == "accepted")
        document["summary"]["resolved"] = len(resolved)
        document["resolved"] = [
            ResolvedFindingJson(code=r.rule, id=r.ident, severity=r.severity, message=r.message) for r in resolved
        ]
    return document
