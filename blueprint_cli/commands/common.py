"""What several commands share: loading blueprints and reporting invalid input."""

from __future__ import annotations

from blueprint_cli.console import esc as _escape
from blueprint_cli.language.errors import BlueprintError


def load_or_report(path: str):
    """Load a blueprint; on invalid input print every diagnostic and return None."""
    from blueprint_cli.console import err, print_error
    from blueprint_cli.language.resolve import load
    from blueprint_cli.language.source import SourceError

    try:
        return load(path)
    except BlueprintError as error:
        print_error(error)
        count = len(error.diagnostics)
        err().print(f"[bold red]✗[/] {_escape(path)}: {count} error{'s' if count != 1 else ''}")
    except SourceError as error:
        err().print(f"[bold]{_escape(error.location)}[/]: [bold red]error[/]: {_escape(error.message)}")
    return None
