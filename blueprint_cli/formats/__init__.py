"""Writers shared by `diff` and `check`: text, json, sarif, junit, github, markdown."""

from __future__ import annotations

from enum import Enum


class OutputFormat(str, Enum):
    text = "text"
    json = "json"
    sarif = "sarif"
    junit = "junit"
    github = "github"
    markdown = "markdown"


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    note = "note"
    never = "never"


def emit(text: str, *, output: str | None) -> None:
    """Print to standard output, or write the file atomically when `--output` names one."""
    import sys

    if output and output != "-":
        from blueprint_cli.atomic import write_atomic

        write_atomic(output, text.encode("utf-8"))
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
