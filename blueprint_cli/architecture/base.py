"""What the map's modules share: a journey's stem and the map's findings."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

VARIANT_SUFFIXES = (".intended.blueprint", ".observed.blueprint", ".blueprint")


def stem_of(path: str) -> str:
    """`moving/council.intended.blueprint` -> `council`."""
    name = Path(path).name
    for suffix in VARIANT_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


@dataclass(frozen=True)
class MapFinding:
    """Something about the set of journeys as a whole (or a file that could not be read into it)."""

    code: str
    name: str
    severity: str
    message: str
    path: str | None = None
    line: int | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity,
            "message": self.message,
            "path": self.path,
            "line": self.line,
        }
