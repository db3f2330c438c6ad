"""Where the documentation lives, for the links that outputs carry (SARIF `helpUri`, `informationUri`).

One place: change HOME when the repository moves. The README's sections are its anchors.
"""

from __future__ import annotations

HOME = "https://github.com/blueprint-cli/blueprint-cli"

RULES_SECTION = "checks-on-one-blueprint"  # the table of check rules (BP101...)
LANGUAGE_SECTION = "the-language"  # what a valid blueprint is (BP000, invalid input)


def kind_anchor(kind: str) -> str:
    """The anchor of a change kind's row in the README's table (`step.missing` -> `kind-step-missing`)."""
    return "kind-" + kind.replace(".", "-")


def readme(section: str) -> str:
    """The address of a section of the README (GitHub renders it on the repository's front page)."""
    return f"{HOME}#{section}"
