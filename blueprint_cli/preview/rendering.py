"""One rendering pass: the files loaded through the pipeline, drawn, and every problem located."""

from __future__ import annotations

from dataclasses import dataclass

from blueprint_cli.pipeline import Loaded


@dataclass(frozen=True, slots=True)
class Problem:
    where: str  # path:line:column (or the path, for a file-level problem)
    message: str
    hint: str | None = None


@dataclass(frozen=True, slots=True)
class Rendered:
    """What a pass gave: the picture (SVG of one file, HTML report of two) or the problems."""

    kind: str  # diagram | report
    body: str | None  # None when this pass failed: the page keeps the last good picture
    problems: tuple[Problem, ...]
    watched: tuple[str, ...]  # the files read: the inputs and their includes


def render(paths: list[str], *, timeout: float = 60.0) -> Rendered:
    """Load, then draw one blueprint or report on two (intended, observed); never raises for bad input."""
    from blueprint_cli import pipeline
    from blueprint_cli.render.graphviz import GraphvizError

    kind = "diagram" if len(paths) == 1 else "report"
    loaded = [pipeline.try_load(path) for path in paths]
    watched = _watched(paths, loaded)
    problems = tuple(
        Problem(_where(d.span.path, d.span.line, d.span.column), d.message, d.hint)
        for one in loaded
        for d in one.diagnostics
    )
    blueprints = [one.blueprint for one in loaded if one.blueprint is not None]
    if problems or len(blueprints) != len(paths):
        return Rendered(kind, None, problems, watched)
    try:
        if kind == "diagram":
            body = pipeline.draw(blueprints[0], "svg", timeout=timeout).data.decode("utf-8")
        else:
            body = pipeline.compare_report(pipeline.compare(blueprints[0], blueprints[1]))
    except GraphvizError as error:
        return Rendered(kind, None, (Problem(paths[0], str(error)),), watched)
    return Rendered(kind, body, (), watched)


def _where(path: str, line: int, column: int) -> str:
    return f"{path}:{line}:{column}" if line else path


def _watched(paths: list[str], loaded: list[Loaded]) -> tuple[str, ...]:
    """The inputs, then every file they include (as read in this pass), each once."""
    found: list[str] = list(paths)
    for one in loaded:
        found += list(one.blueprint.includes) if one.blueprint is not None else list(one.sources)
    return tuple(dict.fromkeys(found))
