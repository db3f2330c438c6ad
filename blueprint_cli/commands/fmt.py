"""`blueprint fmt FILE...`: rewrite blueprints in the canonical layout, or check that they are."""

from __future__ import annotations

from typing import Annotated

import typer

from blueprint_cli.console import esc as _esc
from blueprint_cli.exit_codes import Outcome


def register(app: typer.Typer) -> None:
    app.command("fmt")(fmt)


def fmt(
    files: Annotated[
        list[str],
        typer.Argument(
            help="Blueprint files, or folders to search for *.blueprint ('-' reads standard input and writes standard output).",
            show_default=False,
            metavar="PATH...",
        ),
    ],
    check: Annotated[
        bool, typer.Option("--check", help="Change nothing; exit 1 and name the files that would change.")
    ] = False,
    diff: Annotated[
        bool, typer.Option("--diff", help="Change nothing; print a unified diff of what would change.")
    ] = False,
) -> Outcome:
    """Format blueprints: declarations grouped, steps under their stage, comments kept."""
    from blueprint_cli.commands.common import found_files, read_stdin_once
    from blueprint_cli.console import err, quiet

    files = found_files("fmt", files)
    read_stdin_once(files)
    results = [_format_one(path, check=check, diff=diff) for path in files]
    invalid = any(r is None for r in results)
    changed = sum(1 for r in results if r)
    if check and not (quiet() and not changed):
        valid = sum(1 for r in results if r is not None)
        err().print(
            f"{changed} of {valid} file{'s' if valid != 1 else ''} would be reformatted"
            if changed
            else f"{valid} file{'s' if valid != 1 else ''} already formatted"
        )
    return Outcome(invalid=invalid, would_change=check and changed > 0)


def _format_one(path: str, *, check: bool, diff: bool) -> bool | None:
    """Format one file; True if it changed (or would), None if it could not be formatted."""
    import sys

    from blueprint_cli.atomic import write_atomic
    from blueprint_cli.console import err, print_error, print_failure, quiet
    from blueprint_cli.language.errors import BlueprintError
    from blueprint_cli.language.fastparse import parse_document
    from blueprint_cli.language.fmt import format_document
    from blueprint_cli.language.source import SourceError, decode, read_bytes

    try:
        data, shown = read_bytes(path)
        source = decode(data, shown)
        document = parse_document(source)
    except SourceError as error:
        print_failure(error)
        return None
    except BlueprintError as error:
        print_error(error)
        count = len(error.diagnostics)
        err().print(f"[bold red]✗[/] {_esc(shown)}: {count} syntax error{'s' if count != 1 else ''}; not formatted")
        return None

    formatted = format_document(document, source.text)
    new_data = _encode_like(formatted, data)
    if path == "-" and not (check or diff):
        sys.stdout.buffer.write(new_data)
        sys.stdout.flush()
        return new_data != data
    if new_data == data:
        return False
    if diff:
        _print_diff(source.text, formatted, shown)
    if check:
        err().print(f"would reformat {_esc(shown)}")
    if not (check or diff):
        from pathlib import Path

        write_atomic(
            Path(path).resolve(), new_data, blueprint_text=True
        )  # through a symlink: format the file it points to, keep the link
        if not quiet():
            err().print(f"reformatted {_esc(shown)}")
    return True


def _encode_like(text: str, original: bytes) -> bytes:
    """Keep the file's conventions: CRLF line ends and a BOM stay if the file had them."""
    if b"\r\n" in original:
        text = text.replace("\n", "\r\n")
    data = text.encode("utf-8")
    if original.startswith(b"\xef\xbb\xbf"):
        data = b"\xef\xbb\xbf" + data
    return data


def _print_diff(before: str, after: str, shown: str) -> None:
    import difflib

    from rich.text import Text

    from blueprint_cli.console import out

    lines = difflib.unified_diff(
        _lines(before), _lines(after), fromfile=f"{shown} (original)", tofile=f"{shown} (formatted)"
    )
    console = out()
    for line in lines:
        line = line.rstrip("\n")
        style = None
        if console.is_terminal:
            if line.startswith(("+++", "---")):
                style = "bold"
            elif line.startswith("@@"):
                style = "cyan"
            elif line.startswith("+"):
                style = "green"
            elif line.startswith("-"):
                style = "red"
        console.print(Text(line, style=style or ""), overflow="ignore", crop=False)


def _lines(text: str) -> list[str]:
    """Lines split at LF only, keeping it: U+2028, U+0085 and friends inside a label are not line ends."""
    lines = text.split("\n")
    kept = [line + "\n" for line in lines[:-1]]
    return kept + [lines[-1]] if lines[-1] else kept
