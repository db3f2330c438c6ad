"""`blueprint report FOLDER` and `report --rev REV PATH...`: one page per blueprint.

Without --rev, every blueprint under the folder gets its own one-blueprint report; with --rev,
every blueprint under the paths that changed since REV (itself or an include) gets the report of
its drift. Pages go next to each blueprint (NAME.report.html), or under `-o FOLDER` keeping the
blueprints' relative paths. A blueprint that cannot be reported is said so, and the others go on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from blueprint_cli.exit_codes import Outcome


@dataclass(frozen=True)
class Page:
    """How one page is made and placed (commands.report's functions, handed over to avoid an import cycle)."""

    make: Callable[..., None]  # make([path], rev=..., target=...)
    beside: Callable[[str], Path]  # the default place next to a blueprint
    problem: Callable[..., str | None]  # why a target must not be written, or None


def reports(paths: list[str], *, rev: str | None, folder: str | None, force: bool, page: Page) -> Outcome:
    from blueprint_cli import pipeline
    from blueprint_cli.changed import touched
    from blueprint_cli.commands.common import found_files
    from blueprint_cli.console import print_failure, print_message
    from blueprint_cli.failures import AlreadyReported, Failure, UsageError
    from blueprint_cli.language.errors import BlueprintError
    from blueprint_cli.language.source import SourceError

    if "-" in paths:
        raise UsageError("standard input ('-') gives one blueprint; give it alone, with -o")
    found = found_files("report", paths)
    chosen = touched(rev, found) if rev is not None else [p for p in found if pipeline.try_load(p).blueprint]
    if not chosen:
        print_message(None, "no blueprint to report on" + (f" changed since {rev}" if rev else ""), severity="note")
    failed = False
    for path in chosen:
        target = _place(path, folder, page.beside(path))
        problem = page.problem(target, inputs=[path], force=force)
        try:
            if problem:
                raise UsageError(problem)
            target.parent.mkdir(parents=True, exist_ok=True)
            page.make([path], rev=rev, target=target)
        except (Failure, BlueprintError, SourceError, OSError) as error:
            if not isinstance(error, AlreadyReported):
                print_failure(error)
            failed = True
    return Outcome(invalid=failed)


def _place(path: str, folder: str | None, beside: Path) -> Path:
    """Beside the blueprint, or at its relative place under the output folder."""
    if folder is None:
        return beside
    relative = Path(path)
    parent = relative.parent if not relative.is_absolute() and ".." not in relative.parts else Path()
    return Path(folder) / parent / beside.name
