"""Rules on one blueprint (`blueprint check`): stable codes, documented, individually selectable."""

from __future__ import annotations

from collections.abc import Iterable

from blueprint_cli.checks.base import DEFAULT_OPTIONS, Finding, Options, Rule
from blueprint_cli.checks.rules import RULES
from blueprint_cli.language.model import Blueprint

__all__ = ["Finding", "Options", "Rule", "SelectionError", "all_rules", "readme_table", "run", "select"]


class SelectionError(ValueError):
    """--select or --ignore names a rule that does not exist."""


def all_rules() -> tuple[Rule, ...]:
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

                # Letters typed for look-alike digits first (BP1O1 is BP101), then the closest name.
                folded = word.upper().translate(str.maketrans("OIL", "011"))
                exact = [r.code for r in everything if r.code == folded]
                guess = (
                    exact[0]
                    if exact
                    else did_you_mean(word, [r.code for r in everything] + [r.name for r in everything])
                )
                raise SelectionError(
                    f"unknown rule '{word}'"
                    + (f"; did you mean '{guess}'?" if guess else "")
                    + " (see the README for the list)"
                )
        return found

    wanted, unwanted = expand(include), expand(exclude)
    chosen = [r for r in everything if not wanted or any(matches(r, w) for w in wanted)]
    return tuple(r for r in chosen if not any(matches(r, w) for w in unwanted))


def run(
    blueprint: Blueprint, *, chosen: Iterable[Rule] | None = None, options: Options = DEFAULT_OPTIONS
) -> list[Finding]:
    """Every finding of the chosen rules (all by default), in source order."""
    found: list[Finding] = []
    for rule in chosen if chosen is not None else all_rules():
        found.extend(rule.check(blueprint, options))
    found.sort(key=lambda f: (f.span.path, f.span.line, f.span.column, f.code, f.id))
    return found


def readme_table() -> str:
    """The README's table of check rules, generated from the rule docstrings (checked by a test)."""
    from blueprint_cli.links import rule_anchor

    rows = ["| code | name | default severity | what | anti-pattern | best practice |", "|---|---|---|---|---|---|"]
    for rule in all_rules():
        anchor = f'<a id="{rule_anchor(rule.code)}"></a>'  # where SARIF's helpUri points
        rows.append(
            f"| {anchor}`{rule.code}` | `{rule.name}` | {rule.severity} | {rule.summary} | {rule.section('Anti-pattern')} | {rule.section('Best practice')} |"
        )
    return "\n".join(rows)
