"""Completion: what may be typed at the cursor, from the line so far and the ids the index knows."""

from __future__ import annotations

import re
from dataclasses import dataclass

from blueprint_cli.language import syntax as S
from blueprint_cli.lsp.index import Index
from blueprint_cli.vocab import ANNOTATION_KINDS, CHANNELS, LANES, LINE_KEYWORDS, PAIN_SEVERITIES, Evidence, Variant

LANE_WORDS = tuple(lane.value for lane in LANES)
# The words that start the other lines (declarations, the header after its first line, stages).
HEADER_WORDS = tuple(
    w for w in LINE_KEYWORDS if w not in LANE_WORDS and w not in ANNOTATION_KINDS and w not in ("blueprint", "flow")
)
STEP_KEYS = ("channel", "evidence", "duration", "outcome")
DURATIONS = ("30m", "2h", "1d", "1w")
_PARTIAL = re.compile(r"[A-Za-z0-9_\-]*$")
_KEY_BEFORE = re.compile(r"([a-z][a-z0-9_]*)\s*=\s*\"?$")


@dataclass(frozen=True, slots=True)
class Item:
    label: str
    kind: str  # keyword | lane | id | key | value
    detail: str = ""


def complete(index: Index, path: str, line: int, prefix: str) -> list[Item]:
    """Completions at the end of `prefix`, the start of 1-based `line` up to the cursor."""
    if _in_string_or_comment(prefix):
        return []
    partial = _PARTIAL.search(prefix)
    before = prefix[: partial.start()] if partial else prefix
    if not before.strip():
        return _line_start(index, path, line)
    if before.endswith("@"):
        return _ids(index, "org")
    bracket = before.rfind("[")
    if bracket > before.rfind("]"):
        return _attributes(index, before, bracket)
    words = before.split()
    first, last = words[0], words[-1]
    if first in ANNOTATION_KINDS and len(words) == 1:
        return _ids(index, "step")
    if first == "variant" and len(words) == 1:
        return [Item(v.value, "value") for v in Variant]
    if first == "flow" and (len(words) == 1 or last == "->" or last.endswith(",")):
        return _ids(index, "step")
    if first in LANE_WORDS and len(words) >= 3:
        clause = next((w for w in reversed(words) if w in ("by", "uses", "->")), None)
        if last == "by":
            return _ids(index, "actor")
        if last == "uses" or (clause == "uses" and last.endswith(",")):
            return _ids(index, "system")
        if last == "->" or (clause == "->" and last.endswith(",")):
            return _ids(index, "step")
        if last.endswith('"') or (clause is not None and last != clause):
            return [Item(w, "keyword") for w in ("by", "uses", "->") if w not in words]
    if first == "renamed" and last == "->":
        return _ids(index, "step")
    if first in ("actor", "system") and len(words) >= 3 and last.endswith('"'):
        orgs = [Item("@" + name, "id", f"org: {index.declarations[name].label}") for name in index.names("org")]
        return ([Item("customer", "keyword", "a person the service is for")] if first == "actor" else []) + orgs
    return []


def _in_string_or_comment(prefix: str) -> bool:
    inside = False
    escaped = False
    for char in prefix:
        if inside:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                inside = False
        elif char == '"':
            inside = True
        elif char == "#":
            return True
    return inside


def _line_start(index: Index, path: str, line: int) -> list[Item]:
    document = index.documents.get(path)
    statements = document.statements if document is not None else ()
    before = [s for s in statements if s.span.line < line]
    items: list[Item] = []
    if not any(isinstance(s, S.BlueprintDecl) for s in statements):
        items.append(Item("blueprint", "keyword", 'the first line: blueprint "Title"'))
    items += [Item(word, "keyword") for word in HEADER_WORDS]
    if any(isinstance(s, S.StageDecl) for s in before):
        items += [Item(lane, "lane", "a step in this stage") for lane in LANE_WORDS]
    items.append(Item("flow", "keyword", "flows between steps"))
    items += [Item(word, "keyword", f"a {word} at a step") for word in ANNOTATION_KINDS]
    return items


def _ids(index: Index, *kinds: str) -> list[Item]:
    return [
        Item(name, "id", f"{index.declarations[name].kind}: {index.declarations[name].label}")
        for name in index.names(*kinds)
    ]


def _attributes(index: Index, before: str, bracket: int) -> list[Item]:
    first = before.split()[0] if before.split() else ""
    key = _KEY_BEFORE.search(before[bracket:])
    if key is not None:
        return _values(index, key.group(1))
    if before[bracket:].rstrip()[-1:] not in ("[", ","):
        return []
    if first in LANE_WORDS:
        keys: tuple[str, ...] = STEP_KEYS
    elif first == "flow":
        keys = ("owner",)
    elif first == "pain":
        keys = ("severity",)
    else:
        keys = ()
    return [Item(k, "key") for k in keys]


def _values(index: Index, key: str) -> list[Item]:
    if key == "channel":
        return [Item(v, "value") for v in CHANNELS]
    if key == "evidence":
        return [Item(v.value, "value") for v in Evidence]
    if key == "duration":
        return [Item(v, "value", "a whole number and m, h, d or w") for v in DURATIONS]
    if key == "severity":
        return [Item(v, "value") for v in PAIN_SEVERITIES]
    if key == "outcome":
        return _ids(index, "outcome")
    if key == "owner":
        return _ids(index, "actor", "org")
    return []
