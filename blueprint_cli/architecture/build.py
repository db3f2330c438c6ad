"""Journeys from files: each valid file loaded, intended and observed versions paired, bad input kept as findings.

A journey's stem is its file name without `.blueprint` (and without `.intended` / `.observed`).
Two files are versions of one journey when they share a stem or a title; a pair is compared with
`compare/` for its headline scores. Two files that claim the same version of one journey keep
the first (in path order) and make a finding; so does a file that does not load, which is left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from blueprint_cli.architecture.base import MapFinding, stem_of
from blueprint_cli.language.errors import Diagnostic
from blueprint_cli.language.model import Blueprint
from blueprint_cli.vocab import Severity, Variant

if TYPE_CHECKING:
    from blueprint_cli.compare.result import Comparison


@dataclass(frozen=True)
class Journey:
    """One journey: its versions (intended first), and their comparison when both are present."""

    stem: str
    versions: Mapping[str, Blueprint]  # variant -> blueprint
    comparison: Comparison | None = None

    @property
    def primary(self) -> Blueprint:
        """The version the architecture is drawn from: the intended one when there is one."""
        return self.versions.get(Variant.INTENDED.value) or next(iter(self.versions.values()))

    @property
    def title(self) -> str:
        return self.primary.title

    @property
    def path(self) -> str:
        return self.primary.path

    @property
    def variants(self) -> list[str]:
        return [v.value for v in Variant if v.value in self.versions]


@dataclass(frozen=True)
class LeftOut:
    """A journey file that could not be read or resolved: its problems, for messages with excerpts."""

    path: str
    diagnostics: tuple[Diagnostic, ...]
    sources: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Architecture:
    journeys: tuple[Journey, ...]
    left_out: tuple[LeftOut, ...] = ()
    fragments: tuple[str, ...] = ()
    findings: tuple[MapFinding, ...] = ()


def pair(blueprints: Iterable[Blueprint]) -> tuple[list[tuple[str, dict[str, Blueprint]]], list[MapFinding]]:
    """Group blueprints into journeys (same stem or same title); the second claim of a version is a finding."""
    groups: list[tuple[str, dict[str, Blueprint]]] = []
    by_stem: dict[str, int] = {}
    by_title: dict[str, int] = {}
    findings: list[MapFinding] = []
    for bp in sorted(blueprints, key=lambda b: b.path):
        stem = stem_of(bp.path)
        index = by_stem.get(stem, by_title.get(bp.title))
        if index is None:
            index = len(groups)
            groups.append((stem, {}))
        by_stem.setdefault(stem, index)
        by_title.setdefault(bp.title, index)
        versions = groups[index][1]
        variant = bp.variant.value
        if variant in versions:
            first = versions[variant]
            findings.append(
                MapFinding(
                    "BP201",
                    "duplicate-journey",
                    Severity.WARNING.value,
                    f"{bp.path} claims the same journey as {first.path} ({variant} version of “{first.title}”); "
                    f"the map uses {first.path}",
                    bp.path,
                    bp.span.line or None,
                )
            )
            continue
        versions[variant] = bp
    groups.sort(key=lambda g: g[0])
    return groups, findings


def build(
    loaded: Iterable[Blueprint], *, left_out: Iterable[LeftOut] = (), fragments: Iterable[str] = ()
) -> Architecture:
    """The architecture of the valid journeys, with findings about the files left out and the set as a whole."""
    from blueprint_cli.architecture.meanings import meaning_findings
    from blueprint_cli.compare import compare

    groups, findings = pair(loaded)
    journeys = []
    for stem, versions in groups:
        ordered: dict[str, Blueprint] = {v.value: versions[v.value] for v in Variant if v.value in versions}
        comparison = None
        if len(ordered) == 2:
            comparison = compare(ordered[Variant.INTENDED.value], ordered[Variant.OBSERVED.value])
        journeys.append(Journey(stem, ordered, comparison))
    lost = tuple(sorted(left_out, key=lambda o: o.path))
    for out in lost:
        first = out.diagnostics[0] if out.diagnostics else None
        more = len(out.diagnostics) - 1
        text = f"{out.path} is left out of the map: " + (first.message if first else "it could not be read")
        if more > 0:
            text += f" (and {more} more problem{'s' if more > 1 else ''})"
        findings.append(
            MapFinding(
                "BP200",
                "journey-left-out",
                Severity.ERROR.value,
                text,
                out.path,
                first.span.line if first and first.span.line else None,
            )
        )
    findings.extend(meaning_findings([j.primary for j in journeys]))
    return Architecture(tuple(journeys), lost, tuple(sorted(fragments)), tuple(findings))
