"""XES (`.xes`, `.xes.gz`) read by streaming: one trace in memory at a time, events written as CSV rows."""

from __future__ import annotations

import csv
import gzip
import io
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from typing import IO

from blueprint_cli.evidence.errors import EvidenceError

_VALUE_TAGS = ("string", "date", "int", "float", "boolean", "id")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _open(path: str) -> gzip.GzipFile | io.BufferedReader:
    if path.endswith(".gz"):
        return gzip.open(path, "rb")
    return open(path, "rb")


def _events(path: str) -> Iterator[tuple[dict[str, str], dict[str, str]]]:
    """(trace attributes, event attributes) for each event, in file order."""
    trace: dict[str, str] = {}
    event: dict[str, str] | None = None
    depth_in_value = 0
    with _open(path) as stream:
        try:
            for kind, element in ElementTree.iterparse(stream, events=("start", "end")):
                tag = _local(element.tag)
                if kind == "start":
                    if tag == "trace":
                        trace = {}
                    elif tag == "event":
                        event = {}
                    elif tag in _VALUE_TAGS or tag in ("list", "container"):
                        depth_in_value += 1
                        key, value = element.get("key"), element.get("value")
                        if depth_in_value == 1 and key is not None and value is not None:
                            (event if event is not None else trace)[key] = value
                    continue
                if tag in _VALUE_TAGS or tag in ("list", "container"):
                    depth_in_value -= 1
                elif tag == "event":
                    if event is not None:
                        yield trace, event
                    event = None
                    element.clear()
                elif tag == "trace":
                    trace = {}
                    element.clear()
        except ElementTree.ParseError as error:
            line, column = error.position
            raise EvidenceError(f"{path}:{line}:{column + 1}", f"not valid XES (XML): {error}") from None
        except (OSError, EOFError) as error:
            raise EvidenceError(path, f"cannot read the XES file: {error}") from None


def xes_to_csv(path: str, out: IO[str], wanted: list[str]) -> list[str]:
    """Write the events of an XES log as CSV with the `wanted` columns; return those the log has.

    `case:KEY` is the trace attribute KEY (an event attribute of that exact name wins); any other
    name is an event attribute, else a trace attribute.
    """
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(wanted)
    seen: set[str] = set()
    for trace, event in _events(path):
        row = []
        for name in wanted:
            value = event.get(name)
            if value is None:
                value = trace.get(name[5:]) if name.startswith("case:") else trace.get(name)
            if value is not None:
                seen.add(name)
            row.append("" if value is None else value)
        writer.writerow(row)
    return [name for name in wanted if name in seen]
