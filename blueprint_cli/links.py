"""Where the documentation lives, for the links that outputs carry (SARIF `helpUri`, `informationUri`).

One place: change HOME when the repository moves. The README's sections are its anchors.
"""

from __future__ import annotations

HOME = "https://github.com/blueprint-cli/blueprint-cli"

LANGUAGE_SECTION = "the-language"  # what a valid blueprint is (BP000, invalid input)


def rule_anchor(code: str) -> str:
    """The anchor of a check rule's row in the README's table (`BP101` -> `bp101`)."""
    return code.lower()


def kind_anchor(kind: str) -> str:
    """The anchor of a change kind's row in the README's table (`step.missing` -> `kind-step-missing`)."""
    return "kind-" + kind.replace(".", "-")


def readme(section: str) -> str:
    """The address of a section of the README (GitHub renders it on the repository's front page)."""
    return f"{HOME}#{section}"
