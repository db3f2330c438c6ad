"""Ids that mean two things across journeys: declared with another kind, label or organisation.

An id declared in a shared include means the same in every journey that includes it. The same id
declared separately in two journeys is fine as long as it says the same; when it does not, the
map would merge two different things (or split one), so it is a finding.
"""

from __future__ import annotations

from collections.abc import Iterable

from blueprint_cli.architecture.base import MapFinding, stem_of
from blueprint_cli.language.model import Blueprint
from blueprint_cli.vocab import Severity

# (kind word, the blueprint table) for the declarations shared between journeys.
TABLES: tuple[tuple[str, str], ...] = (
    ("org", "orgs"),
    ("actor", "actors"),
    ("system", "systems"),
    ("outcome", "outcomes"),
    ("data item", "data"),
)

Meaning = tuple[str, str, str]  # kind, label, org ("" when none)


def meanings(blueprints: Iterable[Blueprint]) -> dict[str, dict[Meaning, list[str]]]:
    """id -> each meaning it is declared with -> the journey stems that declare it so (in order)."""
    found: dict[str, dict[Meaning, list[str]]] = {}
    for bp in blueprints:
        stem = stem_of(bp.path)
        for kind, table in TABLES:
            for ident, element in getattr(bp, table).items():
                org = getattr(element, "org", None) or ""
                stems = found.setdefault(ident, {}).setdefault((kind, element.label, org), [])
                if stem not in stems:
                    stems.append(stem)
    return found


def meaning_findings(blueprints: Iterable[Blueprint]) -> list[MapFinding]:
    """One finding per id declared with two or more meanings."""
    out = []
    for ident, seen in sorted(meanings(blueprints).items()):
        if len(seen) < 2:
            continue
        parts = []
        for (kind, label, org), stems in seen.items():
            where = f" @{org}" if org else ""
            parts.append(f"{kind} “{label}”{where} in {', '.join(stems)}")
        out.append(
            MapFinding(
                "BP202",
                "id-two-meanings",
                Severity.WARNING.value,
                f"'{ident}' means different things in different journeys: "
                + "; ".join(parts)
                + " — declare it once in a shared include, or rename one",
            )
        )
    return out
