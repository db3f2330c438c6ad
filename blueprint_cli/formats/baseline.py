"""Baselines: accepted drift or findings, so that CI fails only on what is new.

A baseline is a JSON file written by `--write-baseline FILE`:
`{"version": 1, "command": "diff", "accepted": [{"rule": ..., "id": ..., "severity": ..., "message": ...}]}`
(entries of `check` also name their "file"). An item is accepted when its rule (change kind or
check code), file (for `check`) and element id are in the file;
the message is kept only so that a person reading the file knows what was accepted.
"""

from __future__ import annotations

from dataclasses import replace

from blueprint_cli.formats.items import Item, baseline_scope
from blueprint_cli.vocab import SEVERITY_ORDER

VERSION = 1


class BaselineError(Exception):
    """A baseline file that cannot be read (missing, not JSON, wrong shape)."""


def document(items: list[Item], *, command: str) -> str:
    accepted = sorted(
        (
            {
                "rule": i.rule,
                **({"file": i.scope} if i.scope else {}),
                "id": i.ident,
                "severity": i.severity,
                "message": i.message,
            }
            for i in items
        ),
        key=lambda e: (e["rule"], e.get("file", ""), e["id"]),
    )
    from blueprint_cli import jsontext

    return jsontext.dumps({"version": VERSION, "command": command, "accepted": accepted})


def write(path: str, items: list[Item], *, command: str) -> None:
    from blueprint_cli.atomic import write_atomic

    write_atomic(path, document(items, command=command).encode("utf-8"))


# One accepted entry as read from the file: "rule" and "id" are strings, anything else as written.
Entry = dict[str, object]


def load(path: str, *, command: str) -> dict[str, Entry]:
    """ "rule:id" -> accepted entry; raises BaselineError with a message for people."""
    data = _read_json(path)
    if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("accepted"), list):
        raise BaselineError(f"{path}: not a blueprint baseline (expected version {VERSION} with an 'accepted' list)")
    if data.get("command", command) != command:
        raise BaselineError(
            f"{path}: this baseline was written by 'blueprint {data.get('command')}', not 'blueprint {command}'"
        )
    found: dict[str, Entry] = {}
    for entry in data["accepted"]:
        if (
            not isinstance(entry, dict)
            or not isinstance(entry.get("rule"), str)
            or not isinstance(entry.get("id"), str)
        ):
            raise BaselineError(f"{path}: every accepted entry needs a 'rule' and an 'id' (strings)")
        scope = entry.get("file")
        if isinstance(scope, str) and scope:
            scope = baseline_scope(scope)  # older baselines kept the path as it was typed
        found[f"{entry['rule']}:{scope}:{entry['id']}" if scope else f"{entry['rule']}:{entry['id']}"] = entry
    return found


def _read_json(path: str) -> object:
    """The baseline's JSON: a regular file of limited size (not a device or a pipe), not nested without end."""
    import json  # here: a check without a baseline does not need it
    import os

    from blueprint_cli.language.source import SourceError, read_bytes

    if not os.path.lexists(path):
        raise BaselineError(f"{path}: no such baseline file (write one with --write-baseline {path})")
    try:
        raw, _ = read_bytes(os.path.join(".", path) if path == "-" else path)
        return json.loads(raw.decode("utf-8"))
    except SourceError as exc:
        raise BaselineError(f"{path}: cannot read the baseline: {exc.message}") from None
    except UnicodeDecodeError as exc:
        raise BaselineError(f"{path}: cannot read the baseline: {exc}") from None
    except json.JSONDecodeError as exc:
        raise BaselineError(f"{path}:{exc.lineno}:{exc.colno}: the baseline is not valid JSON: {exc.msg}") from None
    except RecursionError:
        raise BaselineError(f"{path}: the baseline is nested too deeply to be a blueprint baseline") from None


def apply(items: list[Item], accepted: dict[str, Entry]) -> tuple[list[Item], list[Item]]:
    """Mark items found in the baseline as accepted; return them and the resolved baseline entries."""
    marked = [replace(i, status="accepted") if i.key in accepted else i for i in items]
    present = {i.key for i in items}
    resolved = [_resolved(e) for key, e in sorted(accepted.items()) if key not in present]
    return marked, resolved


def _resolved(entry: Entry) -> Item:
    """An accepted entry no longer found: its severity when it names one, else a note."""
    severity = entry.get("severity")
    scope = entry.get("file")
    return Item(
        rule=str(entry["rule"]),
        severity=severity if isinstance(severity, str) and severity in SEVERITY_ORDER else "note",
        ident=str(entry["id"]),
        message=str(entry.get("message", "")),
        status="resolved",
        scope=scope if isinstance(scope, str) else None,
    )
