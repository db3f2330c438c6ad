"""Include fragments: files of shared declarations that blueprints `include`.

A fragment has no `blueprint` line and only org, actor, system and outcome declarations (and
further includes). It is not a blueprint on its own, but it can be checked: it is read exactly as
an including blueprint would read it, so every problem is reported at its place in the fragment.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from blueprint_cli.words import plural

if TYPE_CHECKING:
    from blueprint_cli.language.model import Blueprint


@dataclass(frozen=True)
class Fragment:
    """A valid include fragment and what it declares."""

    path: str
    declarations: Blueprint  # orgs, actors, systems and outcomes, as an including blueprint sees them

    def summary(self) -> str:
        found = self.declarations
        parts = [
            plural(len(found.orgs), "org"),
            plural(len(found.actors), "actor"),
            plural(len(found.systems), "system"),
            plural(len(found.outcomes), "outcome"),
        ]
        return "valid include fragment — " + ", ".join(parts)


def is_fragment(path: str) -> bool:
    """Whether a file that parses has no `blueprint` line and declares only what can be included."""
    from blueprint_cli.language import syntax
    from blueprint_cli.language.errors import BlueprintError
    from blueprint_cli.language.parser import parse_document
    from blueprint_cli.language.resolve import INCLUDABLE
    from blueprint_cli.language.source import SourceError, read_source

    try:
        document = parse_document(read_source(path))
    except (BlueprintError, SourceError):
        return False
    statements = document.statements
    return bool(statements) and all(
        isinstance(s, INCLUDABLE) and not isinstance(s, syntax.BlueprintDecl) for s in statements
    )


def load_fragment(path: str) -> Fragment:
    """Read a fragment as a blueprint next to it would include it; raises BlueprintError (located in the fragment)."""
    from blueprint_cli.language.resolve import load_source
    from blueprint_cli.language.source import Source

    file = Path(path)
    # A host that is never written: it sits beside the fragment, so the fragment is named as given.
    host = str(file.with_name(f".{file.name}.host"))
    text = f'blueprint "include fragment"\ninclude "{_quoted(file.name)}"\n'
    declarations = load_source(Source(host, text), base=file.resolve().parent)
    return Fragment(path, declarations)


def _quoted(name: str) -> str:
    return name.replace("\\", "\\\\").replace('"', '\\"')
