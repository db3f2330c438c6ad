"""Which column holds what: explicit names first, else the XES names, else the plain ones."""

from __future__ import annotations

from dataclasses import dataclass

from blueprint_cli.evidence.errors import EvidenceError

ROLES = ("case", "activity", "timestamp", "resource", "group", "lifecycle")
REQUIRED = ("case", "activity", "timestamp")
XES_NAMES = {
    "case": "case:concept:name",
    "activity": "concept:name",
    "timestamp": "time:timestamp",
    "resource": "org:resource",
    "group": "org:group",
    "lifecycle": "lifecycle:transition",
}


@dataclass(frozen=True)
class Columns:
    """The log's column for each role (None: the log has no such column)."""

    case: str
    activity: str
    timestamp: str
    resource: str | None = None
    group: str | None = None
    lifecycle: str | None = None

    def get(self, role: str) -> str | None:
        value: str | None = getattr(self, role)
        return value


def shown(name: str) -> str:
    """A name from a file, safe to print: control characters written as escapes."""
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in name)


def resolve_columns(available: list[str], named: dict[str, str], *, where: str) -> Columns:
    """Pick a column per role among `available`; `named` (from flags or the mapping) wins."""
    lowered = {name.lower(): name for name in available}
    found: dict[str, str | None] = {}
    for role in ROLES:
        if role in named:
            if named[role] not in available:
                raise EvidenceError(
                    where,
                    f"the {role} column '{shown(named[role])}' is not in the log; its columns are: "
                    + ", ".join(map(shown, available)),
                )
            found[role] = named[role]
            continue
        found[role] = next(
            (lowered[c.lower()] for c in (XES_NAMES[role], role) if c.lower() in lowered),
            None,
        )
    for role in REQUIRED:
        if found[role] is None:
            raise EvidenceError(
                where,
                f"no {role} column: looked for '{XES_NAMES[role]}' and '{role}'; the log's columns are: "
                f"{', '.join(map(shown, available))} (name it with --{role} or '{role} =' under [log] in the mapping)",
            )
    return Columns(
        case=str(found["case"]),
        activity=str(found["activity"]),
        timestamp=str(found["timestamp"]),
        resource=found["resource"],
        group=found["group"],
        lifecycle=found["lifecycle"],
    )
