"""One neutral record for a change or a finding, so that the CI writers serve `diff` and `check` alike."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from blueprint_cli.language.source import Span
from blueprint_cli.links import LANGUAGE_SECTION
from blueprint_cli.vocab import count_severities

if TYPE_CHECKING:
    from blueprint_cli.checks import Finding
    from blueprint_cli.compare.result import Change, Comparison
    from blueprint_cli.language.errors import Diagnostic


@dataclass(frozen=True, slots=True)
class Rule:
    """What a SARIF rule, a JUnit test case or a legend entry needs to know about a kind or a check."""

    id: str  # "step.missing" or "BP101"
    name: str  # "Step missing" / "unowned-join"
    severity: str
    description: str  # why it matters / what the rule looks for
    help: str = ""
    section: str = ""  # the README section that documents it (links.readme)


@dataclass(frozen=True, slots=True)
class Item:
    """A change (from `diff`) or a finding (from `check`), ready for any output format."""

    rule: str  # kind or check code
    severity: str
    ident: str  # element identity, stable across runs (used for fingerprints and the baseline)
    message: str
    spans: tuple[Span, ...] = ()
    group: str | None = None  # stage label (diff) or file (check)
    status: str = "new"  # "new" | "accepted" (in the baseline) | "resolved" (only in the baseline)
    hint: str | None = None
    scope: str | None = None  # the file a check finding is in (part of its identity)
    revision: str | None = None  # `diff --rev`: the git revision the intended version (its spans) was read at
    seen_at_revision: bool = False  # its place (its only span) is in the revision, not in the checkout
    element: str = ""  # the element as people read it, when `ident` is internal (an annotation's id)

    @property
    def shown(self) -> str:
        """The element for people: never an internal id such as `confirm_appt#pain:7d9b24a912`."""
        if self.element:
            return self.element
        step, hash_mark, rest = self.ident.partition("#")
        return f"{step} ({rest.split(':', 1)[0]})" if hash_mark and ":" in rest else self.ident

    @property
    def key(self) -> str:
        """The element identity used by the baseline and fingerprints: rule, file (for checks) and id."""
        return f"{self.rule}:{self.scope}:{self.ident}" if self.scope else f"{self.rule}:{self.ident}"

    def fingerprint(self) -> str:
        import hashlib

        return hashlib.sha256(self.key.encode("utf-8")).hexdigest()[:32]


def kind_rules() -> dict[str, Rule]:
    from blueprint_cli.compare.kinds import KINDS
    from blueprint_cli.links import kind_anchor

    return {
        k.name: Rule(
            k.name,
            k.title,
            k.severity,
            k.why,
            f"{k.title}: {k.why} Reported as {k.severity} by default; the README explains how versions are "
            "matched and which changes are counted once.",
            kind_anchor(k.name),
        )
        for k in KINDS.values()
    }


def change_items(comparison: Comparison, *, stage_labels: bool = True, revision: str | None = None) -> list[Item]:
    """The changes of a comparison as items, grouped by stage label.

    With `revision` (the intended version was read from git), a change located only in the
    intended version says so: its file exists, but the line is the revision's.
    """
    labels: dict[str, str] = {}
    if stage_labels:
        labels = {s: st.label for s, st in comparison.observed.stages.items()}
        labels.update({s: st.label for s, st in comparison.intended.stages.items()})
    return [
        Item(
            rule=c.kind,
            severity=c.severity,
            ident=c.id,
            message=c.message + revision_note(c.intended_span, c.observed_span, revision),
            spans=tuple(c.spans),
            group=labels.get(c.stage, c.stage) if c.stage else None,
            revision=revision,
            seen_at_revision=bool(revision_note(c.intended_span, c.observed_span, revision)),
            element=_element(c),
        )
        for c in comparison.changes
    ]


def revision_note(intended: Span | None, observed: Span | None, revision: str | None) -> str:
    """` (line 57 at revision main)` for a change seen only in the intended version read from git."""
    if revision is None or intended is None or observed is not None or intended.line <= 0:
        return ""
    return f" (line {intended.line} at revision {revision})"


def _element(change: Change) -> str:
    """An annotation change as its step and its text (`confirm_appt (pain: “Waits”)`); else ''."""
    step, hash_mark, rest = change.id.partition("#")
    if not hash_mark:
        return ""
    value = change.observed if change.observed is not None else change.intended
    text = getattr(value, "text", value)
    kind = rest.split(":", 1)[0]
    return f"{change.step or step} ({kind}: “{text}”)" if isinstance(text, str) else f"{step} ({kind})"


INVALID_RULE = Rule(
    "BP000",
    "invalid-blueprint",
    "error",
    "The file is not a valid blueprint (syntax, references or structure).",
    "Fix the error at the location shown; every problem of a file is reported in one run.",
    LANGUAGE_SECTION,
)


def check_rules() -> dict[str, Rule]:
    from blueprint_cli.checks import all_rules
    from blueprint_cli.links import rule_anchor

    found = {INVALID_RULE.id: INVALID_RULE}
    for rule in all_rules():
        help_text = " ".join(
            t for t in (rule.section("Anti-pattern"), "Best practice: " + rule.section("Best practice")) if t
        )
        found[rule.code] = Rule(rule.code, rule.name, rule.severity, rule.summary, help_text, rule_anchor(rule.code))
    return found


def baseline_scope(path: str) -> str:
    """The file part of a check finding's identity, however the path was typed.

    `loop.blueprint`, `./loop.blueprint` and `/abs/loop.blueprint` all become the path relative to the
    current directory (symbolic links resolved, `/` separators); standard input stays `<stdin>`.
    """
    import os

    if path in ("-", "<stdin>", ""):
        return path or ""
    return _scope(path, os.getcwd())


@functools.lru_cache(maxsize=1024)
def _scope(path: str, cwd: str) -> str:
    """`baseline_scope` of one path from one directory: worked out once, not once per finding."""
    import os

    try:
        relative = os.path.relpath(os.path.realpath(path), cwd)
    except ValueError:  # another drive on Windows
        relative = os.path.realpath(path)
    return relative.replace(os.sep, "/")


def finding_item(finding: Finding, *, path: str) -> Item:
    return Item(
        rule=finding.code,
        severity=finding.severity,
        ident=finding.id,
        message=finding.message,
        spans=(finding.span,) if finding.span.line > 0 else (),
        group=path,
        hint=finding.hint,
        scope=baseline_scope(path),
    )


def diagnostic_item(diagnostic: Diagnostic, *, path: str) -> Item:
    """Invalid input as an item (rule BP000), so that CI formats show it too."""
    span = diagnostic.span
    return Item(
        rule=INVALID_RULE.id,
        severity="error",
        ident=f"{span.line}:{span.column}",
        message=diagnostic.message,
        spans=(span,),
        group=path,
        hint=diagnostic.hint,
        scope=baseline_scope(path),
    )


def count(items: Iterable[Item]) -> dict[str, int]:
    return count_severities(item.severity for item in items)


def count_phrase(items: Iterable[Item]) -> str:
    counts = count(items)
    parts = [f"{n} {name}{'s' if n != 1 else ''}" for name, n in counts.items() if n]
    return ", ".join(parts) if parts else "nothing found"
