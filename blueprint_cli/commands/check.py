"""`blueprint check FILE...`: parse and resolve blueprints, report every problem, then run the rules."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from blueprint_cli.console import RICH_CHANGES, safe
from blueprint_cli.console import esc as _esc
from blueprint_cli.exit_codes import Outcome
from blueprint_cli.formats import FailOn, OutputFormat
from blueprint_cli.words import plural

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from blueprint_cli.checks import Finding
    from blueprint_cli.formats.items import Item
    from blueprint_cli.formats.json_out import CheckDocument
    from blueprint_cli.language.model import Blueprint
    from blueprint_cli.pipeline import Accepted, Checked


def register(app: typer.Typer) -> None:
    app.command("check")(check)


def check(
    files: Annotated[
        list[str],
        typer.Argument(
            help="Blueprint files to check ('-' reads standard input).", show_default=False, metavar="FILE..."
        ),
    ],
    format: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = OutputFormat.text,
    select: Annotated[
        list[str] | None,
        typer.Option(
            "--select",
            help="Run only these rules (codes, names or code prefixes; repeat or comma-separate).",
            show_default=False,
        ),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option("--ignore", help="Skip these rules (codes, names or code prefixes).", show_default=False),
    ] = None,
    fail_on: Annotated[
        FailOn, typer.Option("--fail-on", help="Exit 1 when a (new) finding is at least this severe.")
    ] = FailOn.error,
    exit_zero: Annotated[
        bool, typer.Option("--exit-zero", help="Exit 0 on valid input whatever the findings.")
    ] = False,
    max_assumed: Annotated[
        float,
        typer.Option(
            "--max-assumed",
            help="BP109: largest acceptable share (0..1) of assumed steps in an observed blueprint.",
            min=0.0,
            max=1.0,
        ),
    ] = 0.5,
    baseline: Annotated[
        str | None,
        typer.Option(
            "--baseline", help="Accepted findings (from --write-baseline): only new findings fail.", show_default=False
        ),
    ] = None,
    write_baseline: Annotated[
        str | None,
        typer.Option("--write-baseline", help="Write every finding into this baseline file.", show_default=False),
    ] = None,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="Write the output (any --format) to this file instead of standard output.",
            show_default=False,
        ),
    ] = None,
) -> Outcome:
    """Check blueprints: syntax, references and structure, then the rules (BP101...); every problem in one run."""
    from blueprint_cli import pipeline
    from blueprint_cli.commands.common import check_number, read_stdin_once, refuse_overwriting_inputs
    from blueprint_cli.console import print_invalid

    read_stdin_once(files)
    check_number(max_assumed, option="--max-assumed", low=0.0, high=1.0)
    refuse_overwriting_inputs([output], files)
    refuse_overwriting_inputs([write_baseline], files, option="--write-baseline")
    results = pipeline.check_files(files, select=select or (), ignore=ignore or (), max_assumed=max_assumed)
    if format is OutputFormat.text:
        for result in results:
            if not result.valid:
                print_invalid(result.loaded.path, result.loaded.diagnostics, result.loaded.sources)
    all_valid = all(r.valid for r in results)
    from blueprint_cli.formats.items import finding_item

    findings = [finding_item(f, path=r.path) for r in results for f in r.findings]
    accepted = pipeline.accept(
        findings, command="check", baseline=baseline, write_baseline=write_baseline if all_valid else None
    )
    _write(results, accepted, format=format, fail_on=fail_on.value, output=output)
    return Outcome(
        invalid=not all_valid,
        severities=tuple(i.severity for i in accepted.new),
        fail_on=fail_on.value,
        exit_zero=exit_zero,
    )


def _write(
    results: list[Checked], accepted: Accepted, *, format: OutputFormat, fail_on: str, output: str | None
) -> None:
    """Write the findings (and the diagnostics of invalid files) in the chosen format."""
    from blueprint_cli.formats.dispatch import Report, write_format
    from blueprint_cli.formats.items import check_rules, count_phrase, diagnostic_item

    items, resolved = accepted.items, accepted.resolved
    invalid = [diagnostic_item(d, path=r.path) for r in results for d in r.diagnostics]
    new = accepted.new
    files = plural(len(results), "file")
    chosen = Report(
        command="check",
        rules=check_rules,
        title="Blueprint check",
        summary=lambda: f"{files}, {sum(not r.valid for r in results)} invalid: {count_phrase(new)}",
        group_word="File",
        what="findings",
        write_text=lambda console=None: _text(results, items, resolved, console=console),
        json_document=lambda: _json_document(results, items, resolved if accepted.with_baseline else None),
        text_width=200,
    )
    write_format(
        chosen,
        invalid + items,
        format=format,
        output=output,
        resolved=resolved,
        with_baseline=accepted.with_baseline,
        fail_on=fail_on,
    )


def _json_document(results: list[Checked], items: list[Item], resolved: list[Item] | None) -> CheckDocument:
    """The JSON document (its writer, which knows the diff's types too, is imported only for JSON)."""
    from blueprint_cli.formats import json_out

    return json_out.check_document(results, items, resolved=resolved)


def _text(results: list[Checked], items: list[Item], resolved: list[Item], *, console: Console | None = None) -> None:
    """Per valid file a ✓ line, then each new finding like a diagnostic; accepted and resolved after.

    Piped or redirected, the text is written as plain strings without importing Rich (the same
    characters Rich would write there); in a terminal, or with text Rich would change, Rich writes it.
    """
    from blueprint_cli.console import plain_stdout

    if console is None and plain_stdout():
        plain = _plain_text(results, items, resolved)
        if plain is not None:
            sys.stdout.write(plain)
            return
    _rich_text(results, items, resolved, console=console)


def _new_findings(result: Checked, status: dict[tuple[str | None, str, str], str]) -> tuple[list[Finding], str]:
    """The findings of a file not accepted in the baseline, and the tail of its ✓ line."""
    from blueprint_cli.formats.items import baseline_scope, count_phrase

    scope = baseline_scope(result.path)
    found = [f for f in result.findings if status.get((scope, f.code, f.id), "new") == "new"]
    return found, f" — {count_phrase(_as_items(found))}" if found else ""


def _rich_text(
    results: list[Checked], items: list[Item], resolved: list[Item], *, console: Console | None = None
) -> None:
    from rich.text import Text

    from blueprint_cli.console import out

    console = console or out()
    status = {(i.scope, i.rule, i.ident): i.status for i in items}
    texts: dict[str, list[str] | None] = {}
    for result in results:
        if result.blueprint is None:
            continue
        found, tail = _new_findings(result, status)
        console.print(f"[bold green]✓[/] {_esc(result.path)}: {_esc(summary(result.blueprint))}{_esc(tail)}")
        # One print for all findings of a file: Rich's per-call overhead dominates with thousands.
        block = [_finding_text(f, _source_text(f.span.path, texts)) for f in found]
        if block:
            joined = Text("\n").join(block)
            if console.color_system is None:  # piped or a file: the same text, without Rich's layout pass
                console.file.write(joined.plain + "\n")
            else:
                console.print(joined)
    accepted = [i for i in items if i.status == "accepted"]
    if accepted or resolved:
        console.print(f"[bold]accepted (in the baseline): {len(accepted)}[/]")
        for item in accepted:
            console.print(f"  {_esc(item.scope or '')}: {item.rule} {_esc(item.ident)}: {_esc(item.message)}")
        console.print(f"[bold]resolved (in the baseline, no longer found): {len(resolved)}[/]")
        for item in resolved:
            console.print(f"  {item.rule} {_esc(item.ident)}: {_esc(item.message)}")


def _plain_text(results: list[Checked], items: list[Item], resolved: list[Item]) -> str | None:
    """What `_rich_text` writes to a file or a pipe, as one string; None if Rich would change a line."""
    status = {(i.scope, i.rule, i.ident): i.status for i in items}
    texts: dict[str, list[str] | None] = {}
    lines: list[str] = []
    out: list[str] = []
    for result in results:
        if result.blueprint is None:
            continue
        found, tail = _new_findings(result, status)
        lines.append(f"✓ {safe(result.path)}: {safe(summary(result.blueprint))}{safe(tail)}")
        out.append(lines[-1] + "\n")
        for finding in found:  # written as Rich's Text.plain: control codes stripped, nothing else
            parts = _finding_parts(finding, _source_text(finding.span.path, texts))
            out.append("".join(text for text, _ in parts).translate(_STRIP) + "\n")
    accepted = [i for i in items if i.status == "accepted"]
    if accepted or resolved:
        lines.append(f"accepted (in the baseline): {len(accepted)}")
        lines += [f"  {safe(i.scope or '')}: {i.rule} {safe(i.ident)}: {safe(i.message)}" for i in accepted]
        lines.append(f"resolved (in the baseline, no longer found): {len(resolved)}")
        lines += [f"  {i.rule} {safe(i.ident)}: {safe(i.message)}" for i in resolved]
        out += [line + "\n" for line in lines[-(len(accepted) + len(resolved) + 2) :]]
    if any(RICH_CHANGES.search(line) for line in lines):  # left to Rich
        return None
    return "".join(out)


# The control codes Rich's Text strips (rich.control.STRIP_CONTROL_CODES).
_STRIP = {code: None for code in (7, 8, 11, 12, 13)}


def _finding_parts(finding: Finding, source: list[str] | None) -> list[tuple[str, str | None]]:
    """A finding as the diagnostics look, as (text, Rich style) pieces:
    `path:line:col: warning: message [code name]`, excerpt, hint."""
    from blueprint_cli.console import SEVERITY_STYLE
    from blueprint_cli.language.errors import excerpt_lines

    style = SEVERITY_STYLE[finding.severity]
    parts: list[tuple[str, str | None]] = [
        (safe(str(finding.span)), "bold"),
        (": ", None),
        (finding.severity, style),
        (f": {safe(finding.message)}", None),
        (f" [{finding.code} {finding.name}]", "dim"),
    ]
    shown = excerpt_lines(source, finding.span) if source else None  # lines split once per file
    if shown:
        parts += [("\n" + shown[0], "dim"), ("\n" + shown[1], style)]
    if finding.hint:
        parts += [("\n     = hint: ", "bold cyan"), (finding.hint, None)]
    return parts


def _finding_text(finding: Finding, source: list[str] | None) -> Text:
    from rich.text import Text

    text = Text()
    for piece, style in _finding_parts(finding, source):
        if style is None:
            text.append(piece)
        else:
            text.append(piece, style=style)
    return text


def _as_items(findings: list[Finding]) -> list[Item]:
    from blueprint_cli.formats.items import finding_item

    return [finding_item(f, path="") for f in findings]


def _source_text(path: str, cache: dict[str, list[str] | None]) -> list[str] | None:
    """The lines of a file, read once (for the excerpts under findings)."""
    if path not in cache:
        try:
            from blueprint_cli.language.source import read_source

            cache[path] = read_source(path).text.split("\n")
        except Exception:
            cache[path] = None
    return cache[path]


def summary(blueprint: Blueprint) -> str:
    """One line: how big the blueprint is and how many joins are unowned."""
    from blueprint_cli.words import plural

    unowned = sum(1 for h in blueprint.handoffs if not h.owned)
    parts = [
        plural(len(blueprint.steps), "step"),
        plural(len(blueprint.stages), "stage"),
        plural(len(blueprint.orgs), "org"),
        plural(len(blueprint.handoffs), "handoff") + (f" ({unowned} unowned)" if unowned else ""),
    ]
    return f"valid {blueprint.variant.value} blueprint — " + ", ".join(parts)
