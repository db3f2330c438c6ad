"""`blueprint diff INTENDED OBSERVED` (or `--rev REV FILE`): every drift between two versions of a service."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Annotated, Any

import typer

from blueprint_cli.commands.options import (
    DriftBaselineOption,
    DriftExitZeroOption,
    DriftOutputOption,
    FormatOption,
    LinkBaseOption,
    RevOption,
    WriteDriftBaselineOption,
)
from blueprint_cli.exit_codes import Outcome
from blueprint_cli.formats import FailOn, OutputFormat

if TYPE_CHECKING:
    from collections.abc import Callable

    from rich.console import Console

    from blueprint_cli.compare.result import Comparison
    from blueprint_cli.language.model import Blueprint
    from blueprint_cli.pipeline import Accepted


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
    format: FormatOption = None,
    fail_on: Annotated[
        FailOn | None,
        typer.Option(
            "--fail-on",
            help="Exit 1 when a (new) change is at least this severe [default: error, or the configuration's].",
            show_default=False,
        ),
    ] = None,
    exit_zero: DriftExitZeroOption = False,
    rev: RevOption = None,
    baseline: DriftBaselineOption = None,
    write_baseline: WriteDriftBaselineOption = None,
    link_base: LinkBaseOption = None,
    output: DriftOutputOption = None,
    mermaid: Annotated[
        bool,
        typer.Option(
            "--mermaid",
            help="With --format markdown: add the Mermaid diagram of the changed stages (within a comment's 65,536 characters).",
        ),
    ] = False,
) -> Outcome:
    """Compare an intended (to-be) and an observed (as-is) blueprint and report every drift."""
    from blueprint_cli import pipeline
    from blueprint_cli.commands.common import configured, refuse_overwriting_inputs
    from blueprint_cli.failures import UsageError
    from blueprint_cli.formats.items import change_items

    format = OutputFormat(configured("diff", "format", format, OutputFormat.text))
    fail_on = FailOn(configured("diff", "fail-on", fail_on, FailOn.error))
    if write_baseline is None:  # adopting a new baseline does not need the configured one to exist
        baseline = configured("diff", "baseline", baseline, None)
    if mermaid and format is not OutputFormat.markdown:
        raise UsageError("--mermaid adds a diagram to Markdown; use it with --format markdown")
    refuse_overwriting_inputs([output], files)
    refuse_overwriting_inputs([write_baseline], files, option="--write-baseline")
    link_base = configured("diff", "link-base", link_base, None)
    if rev is not None and (len(files) > 1 or os.path.isdir(files[0])):
        return _since(
            files,
            rev=rev,
            format=format,
            fail_on=fail_on.value,
            exit_zero=exit_zero,
            output=output,
            link_base=link_base,
            baselines=(baseline, write_baseline),
        )
    intended, observed = _load_pair(files, rev=rev)
    _warn_about_order(intended, observed)
    comparison = pipeline.compare(intended, observed)
    accepted = pipeline.accept(
        change_items(comparison, revision=rev), command="diff", baseline=baseline, write_baseline=write_baseline
    )
    write(
        comparison, accepted, format=format, fail_on=fail_on.value, output=output, link_base=link_base, mermaid=mermaid
    )
    # Writing a baseline adopts today's drift: the step that does it succeeds.
    return Outcome(
        severities=tuple(i.severity for i in accepted.new),
        fail_on=fail_on.value,
        exit_zero=exit_zero or write_baseline is not None,
    )


def _since(files: list[str], *, rev: str, baselines: tuple[str | None, str | None], **options: Any) -> Outcome:
    """Several blueprints, or folders, at a revision and now (commands/diff_many.py)."""
    from blueprint_cli.commands.diff_many import diff_since
    from blueprint_cli.failures import UsageError

    if any(baselines):
        raise UsageError("a baseline holds the drift of one comparison; give one FILE with --rev and --baseline")
    return diff_since(files, rev=rev, **options)


def _load_pair(files: list[str], *, rev: str | None) -> tuple[Blueprint, Blueprint]:
    """INTENDED and OBSERVED: two files, or one file at a revision and now."""
    from blueprint_cli import pipeline
    from blueprint_cli.commands.common import load_all
    from blueprint_cli.failures import UsageError

    if rev is not None:
        if len(files) != 1:
            raise UsageError("with --rev give exactly one FILE (it is compared with its version at REV)")
        return pipeline.load(files[0], rev=rev), pipeline.load(files[0])
    if any(os.path.isdir(f) for f in files):
        raise UsageError(
            "folders are compared with --rev REV (each blueprint in them with itself at REV); give two files"
        )
    if len(files) != 2:
        raise UsageError("give two files, INTENDED and OBSERVED (or one FILE with --rev REV)")
    if files[0] == files[1] == "-":
        raise UsageError("standard input ('-') can be read only once; give at most one of INTENDED and OBSERVED as '-'")
    intended, observed = load_all(files)
    return intended, observed


def _warn_about_order(intended: Blueprint, observed: Blueprint) -> None:
    """Warnings that do not stop the comparison: swapped files, `renamed` lines naming unknown steps."""
    from blueprint_cli.console import print_message

    if intended.variant.value == "observed" and observed.variant.value == "intended":
        print_message(
            None,
            "the first file says 'variant observed' and the second 'variant intended'; "
            "the order is INTENDED OBSERVED — did you swap them?",
            severity="warning",
        )
    for rename in observed.renames:
        if rename.old not in intended.steps:
            from blueprint_cli.language.errors import did_you_mean

            guess = did_you_mean(rename.old, list(intended.steps))
            print_message(
                str(rename.span),
                f"'renamed {rename.old} -> {rename.new}' names a step the intended version does not have"
                + (f"; did you mean '{guess}'?" if guess else ""),
                severity="warning",
            )


def write(
    comparison: Comparison,
    accepted: Accepted,
    *,
    format: OutputFormat,
    fail_on: str,
    output: str | None,
    mermaid: bool = False,
    link_base: str | None = None,
) -> None:
    """Write the changes in the chosen format."""
    from blueprint_cli.formats import json_out
    from blueprint_cli.formats.dispatch import Report, write_format
    from blueprint_cli.formats.items import baseline_scope, kind_rules
    from blueprint_cli.formats.text import diff_summary, write_diff

    items, resolved = accepted.items, accepted.resolved

    def write_text(console: Console | None = None) -> None:
        if console is None:
            from blueprint_cli.console import out

            console = out()
        write_diff(comparison, items, console=console, resolved=resolved, with_baseline=accepted.with_baseline)

    def json_document() -> json_out.DiffDocument:
        statuses = {i.key: i.status for i in items} if accepted.with_baseline else None
        return json_out.diff_document(comparison, statuses=statuses, resolved=resolved)

    chosen = Report(
        command="diff",
        rules=kind_rules,
        title=f"Blueprint drift: {comparison.intended.title}",
        summary=lambda: diff_summary(
            comparison,
            accepted.new,
            baseline=(len(items) - len(accepted.new), len(resolved)) if accepted.with_baseline else None,
        ),
        write_text=write_text,
        json_document=json_document,
        markdown_appendix=_mermaid_section(comparison) if mermaid else None,
        automation_id=f"blueprint/diff/{baseline_scope(comparison.observed.path or 'observed')}/",
        link_base=link_base,
    )
    write_format(
        chosen,
        items,
        format=format,
        output=output,
        resolved=resolved,
        with_baseline=accepted.with_baseline,
        fail_on=fail_on,
    )


def _mermaid_section(comparison: Comparison) -> Callable[[int], str]:
    """`budget -> Markdown`: the diagram of the changed stages, as much of it as the comment has room for."""

    def appendix(budget: int) -> str:
        from blueprint_cli.interop.diff_mermaid import section

        return section(comparison, budget=budget)

    return appendix
