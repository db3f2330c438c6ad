"""What a check rule is and what it finds: the types `checks` and `checks.rules` share."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from blueprint_cli.language.model import Blueprint
from blueprint_cli.language.source import Span


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem a rule found in a valid blueprint."""

    code: str  # e.g. "BP101"
    name: str  # e.g. "unowned-join"
    severity: str  # a Severity's value: "error", "warning" or "note" (plain text in every output)
    message: str
    span: Span
    id: str  # the element it is about: a step id, "a->b" for a flow, an actor id ...
    hint: str | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity,
            "message": self.message,
            "id": self.id,
            "hint": self.hint,
            "location": self.span.to_json(),
        }


@dataclass(frozen=True, slots=True)
class Options:
    """Settings some rules take."""

    max_assumed: float = 0.5  # BP109: largest acceptable share of assumed steps in an observed blueprint


DEFAULT_OPTIONS = Options()


@dataclass(frozen=True)
class Rule:
    """A check: its code, name, severity and the function that finds its findings."""

    code: str
    name: str
    severity: str
    check: Callable[[Blueprint, Options], Iterable[Finding]]

    @property
    def doc(self) -> str:
        return (self.check.__doc__ or "").strip()

    @property
    def summary(self) -> str:
        return self.doc.splitlines()[0] if self.doc else self.name

    def section(self, title: str) -> str:
        """The paragraph of the docstring that starts with `title:` (Anti-pattern, Best practice)."""
        for block in self.doc.split("\n\n"):
            text = " ".join(line.strip() for line in block.splitlines())
            if text.startswith(title + ":"):
                return text[len(title) + 1 :].strip()
        return ""
