"""`blueprint diff --rev REV PATH...`: every blueprint under the paths that changed since REV.

A blueprint is compared when its own text or a file it includes differs from REV
(`changed.touched`); include fragments and files new since REV are not. The outputs are combined:
the text of each comparison in turn, one SARIF log with a run per blueprint, one set of GitHub
annotations within GitHub's limits, one Markdown document within a comment's size.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from blueprint_cli.exit_codes import Outcome
from blueprint_cli.formats import OutputFormat

if TYPE_CHECKING:
    from blueprint_cli.compare.result import Comparison
    from blueprint_cli.formats.items import Item

COMBINED = (OutputFormat.text, OutputFormat.sarif, OutputFormat.github, OutputFormat.markdown)


def diff_since(
    paths: list[str],
    *,
    rev: str,
    format: OutputFormat,
    fail_on: str,
    exit_zero: bool,
    output: str | None,
    link_base: str | None,
) -> Outcome:
    """Compare each touched blueprint with itself at REV and write the combined result."""
    from blueprint_cli import pipeline
    from blueprint_cli.changed import touched
    from blueprint_cli.commands.common import found_files
    from blueprint_cli.console import detail, print_failure, print_message, quiet
    from blueprint_cli.failures import UsageError
    from blueprint_cli.formats.items import change_items
    from blueprint_cli.language.errors import BlueprintError
    from blueprint_cli.language.source import SourceError

    if format not in COMBINED:
        raise UsageError(
            f"--format {format.value} describes one comparison; with several blueprints use text, sarif, github "
            "or markdown, or give one FILE"
        )
    compared: list[tuple[Comparison, list[Item]]] = []
    invalid = False
    for path in touched(rev, found_files("diff", paths)):
        detail(f"comparing {path} with {rev}")
        try:
            comparison = pipeline.compare(pipeline.load(path, rev=rev), pipeline.load(path))
        except (BlueprintError, SourceError) as error:
            print_failure(error)
            invalid = True
            continue
        compared.append((comparison, change_items(comparison, revision=rev)))
    if not compared and not invalid and not quiet():
        print_message(None, f"no blueprint under {' '.join(paths)} changed since {rev}", severity="note")
    _write(compared, format=format, output=output, link_base=link_base, rev=rev)
    severities = tuple(i.severity for _, items in compared for i in items)
    return Outcome(invalid=invalid, severities=severities, fail_on=fail_on, exit_zero=exit_zero)


def _write(
    compared: list[tuple[Comparison, list[Item]]],
    *,
    format: OutputFormat,
    output: str | None,
    link_base: str | None,
    rev: str,
) -> None:
    from blueprint_cli.formats import emit

    if format is OutputFormat.text:
        _text(compared, output)
    elif format is OutputFormat.github:
        from blueprint_cli.formats import github

        every = [i for _, items in compared for i in items]
        emit("".join(line + "\n" for line in github.lines(every)), output=output)
    elif format is OutputFormat.sarif:
        emit(_sarif(compared), output=output)
    else:
        emit(_markdown(compared, link_base=link_base, rev=rev), output=output)


def _text(compared: list[tuple[Comparison, list[Item]]], output: str | None) -> None:
    import io

    from rich.console import Console

    from blueprint_cli.console import out
    from blueprint_cli.formats import emit
    from blueprint_cli.formats.text import write_diff

    to_file = bool(output and output != "-")
    buffer = io.StringIO()
    console = Console(file=buffer, color_system=None, no_color=True, soft_wrap=True, emoji=False) if to_file else out()
    for n, (comparison, items) in enumerate(compared):
        if n:
            console.print()
        write_diff(comparison, items, console=console)
    if to_file:
        emit(buffer.getvalue(), output=output)


def _sarif(compared: list[tuple[Comparison, list[Item]]]) -> str:
    from blueprint_cli import __version__
    from blueprint_cli.formats import json_out, sarif
    from blueprint_cli.formats.items import baseline_scope, kind_rules

    rules = kind_rules()
    log = sarif.document([], rules, tool_version=__version__, automation_id="blueprint/diff/")
    runs: list[object] = []
    for comparison, items in compared:
        scope = baseline_scope(comparison.observed.path or "observed")
        one = sarif.document(items, rules, tool_version=__version__, automation_id=f"blueprint/diff/{scope}/")
        runs.extend(cast("list[object]", one["runs"]))
    log["runs"] = runs or log["runs"]
    return json_out.dumps(log)


def _markdown(compared: list[tuple[Comparison, list[Item]]], *, link_base: str | None, rev: str) -> str:
    from blueprint_cli.formats import markdown
    from blueprint_cli.formats.text import diff_summary

    if not compared:
        return f"## Blueprint drift since {markdown.escape(rev)}\n\nNo blueprint changed. ✅\n"
    link = markdown.linker(markdown.link_base(link_base))
    share = markdown.BUDGET // len(compared)  # each comparison fits its share of one comment
    parts = [
        markdown.document(
            items,
            title=f"Blueprint drift: {comparison.intended.title} ({comparison.observed.path} since {rev})",
            summary=diff_summary(comparison, items),
            link=link,
            limit=share,
        )
        for comparison, items in compared
    ]
    return "\n".join(parts)
