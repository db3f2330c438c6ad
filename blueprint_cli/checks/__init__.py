"""Rules on one blueprint (`blueprint check`): stable codes, documented, individually selectable."""

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
    severity: str  # "error" | "warning" | "note"
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


@dataclass(frozen=True)
class Rule:
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


class SelectionError(ValueError):
    """--select or --ignore names a rule that does not exist."""


def all_rules() -> tuple[Rule, ...]:
    from blueprint_cli.checks.rules import RULES

    return RULES


def select(*, include: Iterable[str] = (), exclude: Iterable[str] = ()) -> tuple[Rule, ...]:
    """Rules chosen by code or name (a prefix such as `BP1` selects a family); unknown names are an error."""
    everything = all_rules()

    def matches(rule: Rule, word: str) -> bool:
        return rule.code.startswith(word.upper()) or rule.name == word.lower()

    def expand(words: Iterable[str]) -> list[str]:
        found = [w.strip() for text in words for w in text.split(",") if w.strip()]
        for word in found:
            if not any(matches(r, word) for r in everything):
                from blueprint_cli.language.errors import did_you_mean

                guess = did_you_mean(word, [r.code for r in everything] + [r.name for r in everything])
                raise SelectionError(
                    f"unknown rule '{word}'"
                    + (f"; did you mean '{guess}'?" if guess else "")
                    + " (see the README for the list)"
                )
        return found

    wanted, unwanted = expand(include), expand(exclude)
    chosen = [r for r in everything if not wanted or any(matches(r, w) for w in wanted)]
    return tuple(r for r in chosen if not any(matches(r, w) for w in unwanted))


def run(blueprint: Blueprint, *, chosen: Iterable[Rule] | None = None, options: Options = Options()) -> list[Finding]:
    """Every finding of the chosen rules (all by default), in source order."""
    found: list[Finding] = []
    for rule in chosen if chosen is not None else all_rules():
        found.extend(rule.check(blueprint, options))
    found.sort(key=lambda f: (f.span.path, f.span.line, f.span.column, f.code, f.id))
    return found


def readme_table() -> str:
    """The README's table of check rules, generated from the rule docstrings (checked by a test)."""
    rows = ["| code | name | default severity | what | anti-pattern | best practice |", "|---|---|---|---|---|---|"]
    for rule in all_rules():
        rows.append(
            f"| `{rule.code}` | `{rule.name}` | {rule.severity} | {rule.summary} | {rule.section('Anti-pattern')} | {rule.section('Best practice')} |"
        )
    return "\n".join(rows)
