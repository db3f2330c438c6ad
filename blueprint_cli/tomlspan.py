"""Where a key or a table is written in a TOML file, so a configuration error can name its line.

The standard TOML reader gives values without places. This scanner knows enough TOML for the
configuration files people write: `[table]` headers, `key = value` lines and dotted keys.
"""

from __future__ import annotations

import re

_HEADER = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(#.*)?$")
_KEY = re.compile(r"""^(\s*)((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*=""")


def _parts(dotted: str) -> tuple[str, ...]:
    return tuple(part.strip().strip("\"'") for part in re.split(r"\.(?=(?:[^\"']*[\"'][^\"']*[\"'])*[^\"']*$)", dotted))


def locate(text: str, table: tuple[str, ...], key: str | None = None) -> tuple[int, int]:
    """(line, column), 1-based, of `key` in `table` (or of the table itself); (1, 1) when not found."""
    header: tuple[int, int] | None = None
    current: tuple[str, ...] = ()
    for number, line in enumerate(text.splitlines(), start=1):
        found = _HEADER.match(line)
        if found:
            current = _parts(found.group(1))
            if current == table and header is None:
                header = (number, line.index("[") + 1)
            continue
        assigned = _KEY.match(line)
        if not assigned:
            continue
        path = current + _parts(assigned.group(2))
        column = len(assigned.group(1)) + 1
        if key is not None and path[: len(table) + 1] == (*table, key):
            return number, column
        if key is None and header is None and path[: len(table)] == table and len(path) > len(table):
            header = (number, column)
    return header or (1, 1)
