"""The command line: the Typer app, its commands, and the error boundary around them.

Only this layer knows about exit codes, files and the terminal. Each command lives in
`commands/` and imports what it needs when it runs, so `blueprint --version` stays fast.
"""

from __future__ import annotations

import sys

from blueprint_cli import __version__


def _version_fast_path(argv: list[str]) -> bool:
    if argv in (["--version"], ["-V"]):
        sys.stdout.write(f"blueprint {__version__}\n")
        return True
    return False


def build_app():
    import typer

    from blueprint_cli.commands import check, diff, export, fmt, import_, render, report

    app = typer.Typer(
        name="blueprint",
        help="Service blueprints as code: check, format, render and compare intended and observed services.",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        rich_markup_mode="rich",
        context_settings={"help_option_names": ["-h", "--help"]},
    )

    def version_callback(value: bool):
        if value:
            typer.echo(f"blueprint {__version__}")
            raise typer.Exit()

    @app.callback()
    def root(
        version: bool = typer.Option(
            False, "--version", "-V", help="Show the version and exit.", callback=version_callback, is_eager=True
        ),
        debug: bool = typer.Option(False, "--debug", help="Show the full traceback of an internal error."),
    ):
        """Service blueprints as code."""

    for module in (check, fmt, export, import_, render, diff, report):
        module.register(app)
    for info in app.registered_commands:
        info.callback = _exit_with_result(info.callback)
    return app


def _exit_with_result(func):
    """Let a command return its exit code: Typer's standalone mode would drop it."""
    import functools

    import typer

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        result = func(*args, **kwargs)
        if isinstance(result, int) and result != 0:
            raise typer.Exit(result)
        return result

    return wrapper


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; the one place exceptions become messages and exit codes."""
    args = list(sys.argv[1:] if argv is None else argv)
    if _version_fast_path(args):
        return
    import gc

    from blueprint_cli import exit_codes
    from blueprint_cli.atomic import WriteError

    # A command is a short run that builds many small, mostly acyclic objects (a 10,000-step
    # blueprint is ~300,000); the default thresholds rescan them all again and again.
    gc.set_threshold(100_000, 50, 100)
    # --debug is accepted anywhere on the line (`blueprint render --debug x`), not only first.
    debug = "--debug" in args
    if debug:
        args = [a for a in args if a != "--debug"]
    try:
        app = build_app()
        # Standalone mode: Typer prints usage errors and exits 2; every exit is a SystemExit.
        app(args=args, prog_name="blueprint")
        code = exit_codes.OK
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else exit_codes.INVALID)
    except WriteError as exc:  # a folder we may not write to, a full disk: say which file
        sys.stderr.write(f"blueprint: error: {exc}\n")
        code = exit_codes.INVALID
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        code = exit_codes.INTERRUPTED
    except BrokenPipeError:
        code = exit_codes.OK
    except Exception as exc:
        if debug:
            raise
        sys.stderr.write(
            f"blueprint: internal error: {type(exc).__name__}: {exc} "
            "(this is a bug; add --debug to the command for the traceback, and please report it)\n"
        )
        code = exit_codes.INTERNAL
    sys.exit(code)
