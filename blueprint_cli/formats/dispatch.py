"""What `diff` and `check` share once they have their items: the baseline, the chosen format, the exit code."""

from __future__ import annotations

from collections.abc import Callable, Mapping
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
    json_document: Callable[[], Mapping[str, object]]  # a TypedDict of formats.json_out
    text_width: int | None = None  # width of the plain text written to a file (None: Rich's default)
    # Markdown only: more to append (e.g. a diagram), given how many characters the comment has left.
    markdown_appendix: Callable[[int], str] | None = None
    automation_id: str = "blueprint/"  # SARIF run category: several runs of one commit side by side
    link_base: str | None = None  # Markdown: where files are browsed (else from GITHUB_* when set)


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
    """Write `items` (with baseline status) in the chosen format to standard output or `--output`.

    Each writer is imported only when chosen: a text check needs no XML or SARIF code at start-up.
    """
    if format is OutputFormat.text:
        _write_text(report, output)
    elif format is OutputFormat.json:
        from blueprint_cli.formats import json_out

        emit(json_out.dumps(report.json_document()), output=output)
    elif format is OutputFormat.sarif:
        emit(_sarif(report, items, with_baseline=with_baseline), output=output)
    elif format is OutputFormat.junit:
        from blueprint_cli.formats import junit

        emit(junit.document(items, suite=f"blueprint {report.command}", fail_on=fail_on), output=output)
    elif format is OutputFormat.github:
        from blueprint_cli.formats import github

        emit("".join(line + "\n" for line in github.lines(items, what=report.what)), output=output)
    elif format is OutputFormat.markdown:
        from blueprint_cli.formats import markdown

        link = markdown.linker(markdown.link_base(report.link_base))
        text = markdown.document(
            items,
            title=report.title,
            summary=report.summary(),
            group_word=report.group_word,
            resolved=resolved,
            link=link,
        )
        if report.markdown_appendix is not None:
            text += report.markdown_appendix(markdown.COMMENT_LIMIT - markdown.size(text))
        emit(text, output=output)


def _write_text(report: Report, output: str | None) -> None:
    """To the terminal, or as plain text without colour into a file (written atomically)."""
    if not output or output == "-":
        report.write_text()
        return
    import io

    from rich.console import Console

    buffer = io.StringIO()
    plain = Console(
        file=buffer,
        color_system=None,
        no_color=True,
        soft_wrap=True,
        highlight=False,
        emoji=False,
        width=report.text_width,
    )
    report.write_text(console=plain)
    emit(buffer.getvalue(), output=output)


def _sarif(report: Report, items: list[Item], *, with_baseline: bool) -> str:
    from blueprint_cli import __version__
    from blueprint_cli.formats import json_out, sarif

    document = sarif.document(
        items, report.rules(), tool_version=__version__, with_baseline=with_baseline, automation_id=report.automation_id
    )
    return json_out.dumps(document)
