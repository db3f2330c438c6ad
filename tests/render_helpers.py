"""Helpers for the renderer tests: reading step boxes, bands and texts out of our SVG."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET

import pytest

SVG = "{http://www.w3.org/2000/svg}"
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
needs_graphviz = pytest.mark.skipif(shutil.which("neato") is None, reason="Graphviz (neato) is not installed")


def groups(svg_text: str) -> dict[str, ET.Element]:
    """Every <g> with an id, by id (XML entities such as &#45; decoded)."""
    root = ET.fromstring(svg_text.encode("utf-8"))
    return {g.get("id"): g for g in root.iter(f"{SVG}g") if g.get("id")}


def bbox(group: ET.Element) -> tuple[float, float, float, float]:
    """(left, top, right, bottom) of the first shape in a group, in SVG coordinates."""
    for shape in group:
        if shape.tag == f"{SVG}path":
            values = [float(v) for v in NUMBER.findall(shape.get("d", ""))]
        elif shape.tag == f"{SVG}polygon":
            values = [float(v) for v in NUMBER.findall(shape.get("points", ""))]
        else:
            continue
        xs, ys = values[0::2], values[1::2]
        return min(xs), min(ys), max(xs), max(ys)
    raise AssertionError(f"no shape in group {group.get('id')}")


def texts(group: ET.Element) -> str:
    return "".join(t.text or "" for t in group.iter(f"{SVG}text"))


def squash(text: str) -> str:
    return "".join(text.split())
