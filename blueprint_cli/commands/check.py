"""`blueprint check FILE...`: parse and resolve blueprints and report every problem."""

from __future__ import annotations

import json
from enum import Enum
from typing import Annotated

import typer

from blueprint_cli import exit_codes


class CheckFormat(str, Enum):
    text = "text"
    json = "json"


def register(app: typer.Typer) -> None:
    app.command("check")(check)


def check(
    files: Annotated[list[str], typer.Argument(help="Blueprint files to check ('-' reads standard input).", show_default=False)],
    format: Annotated[CheckFormat, typer.Option("--format", "-f", help="Output format.")] = CheckFormat.text,
) -> int:
    """Check blueprints: syntax, references and structure; every problem in one run."""
    from blueprint_cli.console import err, out, print_error
    from blueprint_cli.errors import BlueprintError
    from blueprint_cli.resolve import load
    from blueprint_cli.source import SourceError

    results = []
    invalid = False
    for path in files:
        try:
            blueprint = load(path)
        except BlueprintError as error:
            invalid = True
            results.append({"path": path, "valid": False, "diagnostics": [d.to_json() for d in error.diagnostics]})
            if format is CheckFormat.text:
                print_error(error)
                n = len(error.diagnostics)
                err().print(f"[bold red]✗[/] {_esc(path)}: {n} error{'s' if n != 1 else ''}")
            continue
        except SourceError as error:
            invalid = True
            diag = {"code": "input", "severity": "error", "message": error.message, "hint": None, "location": {"path": error.path, "line": error.line or 1, "column": error.column or 1, "end_line": error.line or 1, "end_column": (error.column or 1) + 1}}
            results.append({"path": path, "valid": False, "diagnostics": [diag]})
            if format is CheckFormat.text:
                err().print(f"[bold]{_esc(error.location)}[/]: [bold red]error[/]: {_esc(error.message)}")
            continue
        results.append({"path": path, "valid": True, "diagnostics": []})
        if format is CheckFormat.text:
            out().print(f"[bold green]✓[/] {_esc(path)}: {summary(blueprint)}")
    if format is CheckFormat.json:
        print(json.dumps({"version": 1, "files": results}, indent=2, ensure_ascii=False))
    return exit_codes.INVALID if invalid else exit_codes.OK


def summary(blueprint) -> str:
    """One line: how big the blueprint is and how many joins are unowned."""
    unowned = sum(1 for h in blueprint.handoffs if not h.owned)
    parts = [
        f"{len(blueprint.steps)} steps",
        f"{len(blueprint.stages)} stages",
        f"{len(blueprint.orgs)} orgs",
        f"{len(blueprint.handoffs)} handoff{'s' if len(blueprint.handoffs) != 1 else ''}" + (f" ({unowned} unowned)" if unowned else ""),
    ]
    return f"valid {blueprint.variant.value} blueprint — " + ", ".join(parts)


def _esc(text: str) -> str:
    from rich.markup import escape

    return escape(text)
