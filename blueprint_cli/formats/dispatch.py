"""What `diff` and `check` share once they have their items: the baseline, the chosen format, the exit code."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from blueprint_cli.formats import OutputFormat, emit
from blueprint_cli.formats.items import Item, Rule


@dataclass(frozen=True, kw_only=True)
class Report:
    """How one command words and writes its items; the text and JSON writers stay the command's own."""

    command: str  # "diff" | "check": names the baseline and the JUnit suite
    rules: Callable[[], dict[str, Rule]]  # the SARIF rule table (built only when SARIF is asked for)
    title: str  # Markdown heading
    summary: Callable[[], str]  # Markdown summary line (built only when Markdown is asked for)
    group_word: str = "Stage"  # Markdown column heading: "Stage" (diff) or "File" (check)
    what: str = "changes"  # GitHub's "and N more <what>" line
    write_text: Callable[..., None]  # write_text(console=None) prints to the terminal, or to the console given
    json_document: Callable[[], dict]
    text_width: int | None = None  # width of the plain text written to a file (None: Rich's default)
    # Markdown only: more to append (e.g. a diagram), given how many characters the comment has left.
    markdown_appendix: Callable[[int], str] | None = None


def apply_baseline(
    items: list[Item], *, command: str, baseline_path: str | None, write_baseline_path: str | None
) -> tuple[list[Item], list[Item]] | None:
    """Mark accepted items and list resolved entries; write the new baseline when asked.

    Returns (items, resolved), or None after printing the error when the baseline cannot be read.
    """
    from blueprint_cli.formats import baseline

    resolved: list[Item] = []
    if baseline_path:
        try:
            accepted = baseline.load(baseline_path, command=command)
        except baseline.BaselineError as error:
            from rich.markup import escape

            from blueprint_cli.console import err

            err().print(f"[bold red]error[/]: {escape(str(error))}")
            return None
        items, resolved = baseline.apply(items, accepted)
    if write_baseline_path:
        baseline.write(write_baseline_path, items, command=command)
    return items, resolved


def write_format(
    report: Report,
    items: list[Item],
    *,
    format: OutputFormat,
    output: str | None,
    resolved: list[Item],
    with_baseline: bool,
    fail_on: str,
) -> None:
    """Write `items` (with baseline status) in the chosen format to standard output or `--output`."""
    from blueprint_cli.formats import github, json_out, junit, markdown, sarif

    if format is OutputFormat.text:
        if output and output != "-":
            import io

            from rich.console import Console

            buffer = io.StringIO()  # plain text without colour, written atomically
            report.write_text(
                console=Console(
                    file=buffer,
                    color_system=None,
                    no_color=True,
                    soft_wrap=True,
                    highlight=False,
                    width=report.text_width,
                )
            )
            emit(buffer.getvalue(), output=output)
        else:
            report.write_text()
    elif format is OutputFormat.json:
        emit(json_out.dumps(report.json_document()), output=output)
    elif format is OutputFormat.sarif:
        from blueprint_cli import __version__

        emit(
            json_out.dumps(
                sarif.document(items, report.rules(), tool_version=__version__, with_baseline=with_baseline)
            ),
            output=output,
        )
    elif format is OutputFormat.junit:
        emit(junit.document(items, suite=f"blueprint {report.command}", fail_on=fail_on), output=output)
    elif format is OutputFormat.github:
        emit("".join(line + "\n" for line in github.lines(items, what=report.what)), output=output)
    elif format is OutputFormat.markdown:
        document = markdown.document(
            items, title=report.title, summary=report.summary(), group_word=report.group_word, resolved=resolved
        )
        if report.markdown_appendix is not None:
            document += report.markdown_appendix(markdown.COMMENT_LIMIT - markdown.size(document))
        emit(document, output=output)


def new_items_exit(items: list[Item], *, fail_on: str, exit_zero: bool) -> int:
    """The exit code from the items not accepted by the baseline."""
    from blueprint_cli import exit_codes

    return exit_codes.for_findings(
        [i.severity for i in items if i.status == "new"], fail_on=fail_on, exit_zero=exit_zero
    )
