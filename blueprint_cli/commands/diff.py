"""`blueprint diff INTENDED OBSERVED` (or `--rev REV FILE`): every drift between two versions of a service."""

from __future__ import annotations

from typing import Annotated

import typer

from blueprint_cli.console import esc as _esc
from blueprint_cli.formats import FailOn, OutputFormat


def register(app: typer.Typer) -> None:
    app.command("diff")(diff)


def diff(
    files: Annotated[
        list[str],
        typer.Argument(
            help="INTENDED OBSERVED blueprint files, or one FILE with --rev.",
            show_default=False,
            metavar="INTENDED OBSERVED",
        ),
    ],
    format: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = OutputFormat.text,
    fail_on: Annotated[
        FailOn, typer.Option("--fail-on", help="Exit 1 when a (new) change is at least this severe.")
    ] = FailOn.error,
    exit_zero: Annotated[bool, typer.Option("--exit-zero", help="Exit 0 on valid input whatever the drift.")] = False,
    rev: Annotated[
        str | None,
        typer.Option(
            "--rev",
            help="Compare FILE as it was at this git revision (intended) with FILE now (observed).",
            show_default=False,
        ),
    ] = None,
    baseline: Annotated[
        str | None,
        typer.Option(
            "--baseline", help="Accepted drift (from --write-baseline): only new drift fails.", show_default=False
        ),
    ] = None,
    write_baseline: Annotated[
        str | None,
        typer.Option("--write-baseline", help="Write every change found into this baseline file.", show_default=False),
    ] = None,
    output: Annotated[
        str | None,
        typer.Option(
            "--output", "-o", help="Write the output to this file instead of standard output.", show_default=False
        ),
    ] = None,
    mermaid: Annotated[
        bool,
        typer.Option(
            "--mermaid",
            help="With --format markdown: add the Mermaid diagram of the changed stages (within a comment's 65,536 characters).",
        ),
    ] = False,
) -> int:
    """Compare an intended (to-be) and an observed (as-is) blueprint and report every drift."""
    from blueprint_cli import exit_codes
    from blueprint_cli.commands.common import load_or_report
    from blueprint_cli.console import err

    if rev is not None:
        if len(files) != 1:
            err().print("[bold red]error[/]: with --rev give exactly one FILE (it is compared with its version at REV)")
            return exit_codes.INVALID
        from blueprint_cli.language.gitrev import GitError, load_at_revision

        try:
            intended = load_at_revision(files[0], rev)
        except GitError as error:
            err().print(f"[bold red]error[/]: {_esc(str(error))}")
            return exit_codes.INVALID
        if intended is None:
            return exit_codes.INVALID
        observed = load_or_report(files[0])
    else:
        if len(files) != 2:
            err().print("[bold red]error[/]: give two files, INTENDED and OBSERVED (or one FILE with --rev REV)")
            return exit_codes.INVALID
        if files[0] == files[1] == "-":
            err().print(
                "[bold red]error[/]: standard input ('-') can be read only once; give at most one of INTENDED and OBSERVED as '-'"
            )
            return exit_codes.INVALID
        intended, observed = load_or_report(files[0]), load_or_report(files[1])
    if intended is None or observed is None:
        return exit_codes.INVALID
    if intended.variant.value == "observed" and observed.variant.value == "intended":
        err().print(
            "[bold yellow]warning[/]: the first file says 'variant observed' and the second 'variant intended'; "
            "the order is INTENDED OBSERVED — did you swap them?"
        )
    for rename in observed.renames:
        if rename.old not in intended.steps:
            from blueprint_cli.language.errors import did_you_mean

            guess = did_you_mean(rename.old, list(intended.steps))
            err().print(
                f"[bold]{_esc(str(rename.span))}[/]: [bold yellow]warning[/]: 'renamed {_esc(rename.old)} -> {_esc(rename.new)}' "
                f"names a step the intended version does not have"
                + (f"; did you mean '{_esc(guess)}'?" if guess else "")
            )
    try:
        return report(
            intended,
            observed,
            format=format,
            fail_on=fail_on.value,
            exit_zero=exit_zero,
            baseline_path=baseline,
            write_baseline_path=write_baseline,
            output=output,
            mermaid=mermaid,
        )
    except OSError as error:  # --output or --write-baseline cannot be written: a usage problem, not a bug
        from blueprint_cli.console import err

        err().print(
            f"[bold red]error[/]: cannot write {_esc(str(error.filename or ''))}: {_esc(error.strerror or str(error))}"
        )
        return exit_codes.INVALID


def report(
    intended,
    observed,
    *,
    format: OutputFormat,
    fail_on: str,
    exit_zero: bool,
    baseline_path: str | None,
    write_baseline_path: str | None,
    output: str | None,
    mermaid: bool = False,
) -> int:
    """Compare, write the chosen format, and decide the exit code."""
    from blueprint_cli import exit_codes

    if mermaid and format is not OutputFormat.markdown:
        from blueprint_cli.console import err

        err().print("[bold red]error[/]: --mermaid adds a diagram to Markdown; use it with --format markdown")
        return exit_codes.INVALID
    from blueprint_cli.compare import compare
    from blueprint_cli.formats import json_out
    from blueprint_cli.formats.dispatch import Report, apply_baseline, new_items_exit, write_format
    from blueprint_cli.formats.items import change_items, kind_rules
    from blueprint_cli.formats.text import diff_summary, write_diff

    comparison = compare(intended, observed)
    marked = apply_baseline(
        change_items(comparison), command="diff", baseline_path=baseline_path, write_baseline_path=write_baseline_path
    )
    if marked is None:
        return exit_codes.INVALID
    items, resolved = marked

    def write_text(console=None) -> None:
        if console is None:
            from blueprint_cli.console import out

            console = out()
        write_diff(comparison, items, console=console, resolved=resolved)

    def json_document() -> dict:
        statuses = {i.key: i.status for i in items} if baseline_path else None
        return json_out.diff_document(comparison, statuses=statuses, resolved=resolved)

    chosen = Report(
        command="diff",
        rules=kind_rules,
        title=f"Blueprint drift: {intended.title}",
        summary=lambda: diff_summary(comparison, [i for i in items if i.status == "new"]),
        write_text=write_text,
        json_document=json_document,
        markdown_appendix=_mermaid_section(comparison) if mermaid else None,
    )
    write_format(
        chosen,
        items,
        format=format,
        output=output,
        resolved=resolved,
        with_baseline=bool(baseline_path),
        fail_on=fail_on,
    )
    return new_items_exit(items, fail_on=fail_on, exit_zero=exit_zero)


def _mermaid_section(comparison):
    """`budget -> Markdown`: the diagram of the changed stages, as much of it as the comment has room for."""

    def appendix(budget: int) -> str:
        from blueprint_cli.interop.diff_mermaid import section

        return section(comparison, budget=budget)

    return appendix
