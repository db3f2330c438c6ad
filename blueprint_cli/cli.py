"""The command line: the Typer app, its commands, and the error boundary around them.

Only this layer knows about exit codes, files and the terminal. Each command lives in
`commands/` and imports what it needs when it runs, so `blueprint --version` stays fast.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from blueprint_cli import __version__

if TYPE_CHECKING:
    import typer

    from blueprint_cli.exit_codes import Outcome


def _version_fast_path(argv: list[str]) -> bool:
    if argv in (["--version"], ["-V"]):
        sys.stdout.write(f"blueprint {__version__}\n")
        return True
    return False


# The commands (name -> module in blueprint_cli.commands), in the order `blueprint --help` lists them.
COMMANDS = {
    "check": "check",
    "fmt": "fmt",
    "export": "export",
    "import": "import_",
    "render": "render",
    "diff": "diff",
    "report": "report",
    "observe": "observe",
    "conform": "conform",
    "map": "map",
    "lsp": "lsp",
    "preview": "preview",
}


def invoked_command(args: list[str]) -> str | None:
    """The command a line runs when it names one first (`blueprint check x`), else None.

    Only then may the app register that command alone: `--help` of the whole app, an unknown
    command (with its suggestions) and shell completion need all of them.
    """
    import os

    if not args or args[0] not in COMMANDS or os.environ.get("_BLUEPRINT_COMPLETE"):
        return None
    return args[0]


def build_app(only: str | None = None) -> typer.Typer:
    """The Typer app with every command, or with just `only` (the command being run: its options,
    help and error messages are the same; the others' modules are then never imported)."""
    import importlib

    import typer

    app = typer.Typer(
        name="blueprint",
        help="Service blueprints as code: check, format, render and compare intended and observed services.",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        rich_markup_mode="rich",
        context_settings={"help_option_names": ["-h", "--help"]},
    )

    def version_callback(value: bool) -> None:
        if value:
            typer.echo(f"blueprint {__version__}")
            raise typer.Exit()

    @app.callback()
    def root(
        version: bool = typer.Option(
            False, "--version", "-V", help="Show the version and exit.", callback=version_callback, is_eager=True
        ),
        debug: bool = typer.Option(False, "--debug", help="Show the full traceback of an internal error."),
        config: str = typer.Option(
            None,
            "--config",
            help="Read this configuration file instead of the nearest blueprint.toml or pyproject.toml \\[tool.blueprint].",
            metavar="FILE",
            show_default=False,
        ),
        no_config: bool = typer.Option(False, "--no-config", help="Read no configuration file."),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="Print only problems."),
        verbose: bool = typer.Option(
            False, "--verbose", "-v", help="Also say which configuration and files were used."
        ),
    ) -> None:
        """Service blueprints as code."""

    for name in COMMANDS if only is None else (only,):
        importlib.import_module(f"blueprint_cli.commands.{COMMANDS[name]}").register(app)
    for info in app.registered_commands:
        if info.callback is not None:
            info.callback = _exit_with_result(info.callback)
    return app


def _exit_with_result(func: Callable[..., Outcome | None]) -> Callable[..., None]:
    """Turn the Outcome a command returns into its exit code (Typer's standalone mode would drop it)."""
    import functools

    import typer

    from blueprint_cli.exit_codes import code_for

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        outcome = func(*args, **kwargs)
        code = code_for(outcome) if outcome is not None else 0
        if code != 0:
            raise typer.Exit(code)

    return wrapper


def _user_errors() -> tuple[type[BaseException], ...]:
    """Every exception that means "the user can fix this": a message and exit 2, never a traceback."""
    from blueprint_cli.atomic import WriteError
    from blueprint_cli.failures import Failure
    from blueprint_cli.formats.baseline import BaselineError
    from blueprint_cli.language.errors import BlueprintError
    from blueprint_cli.language.source import SourceError
    from blueprint_cli.render.graphviz import GraphvizError

    return (Failure, BlueprintError, SourceError, BaselineError, GraphvizError, WriteError)


def main(argv: list[str] | None = None) -> None:
    """Run the CLI: the one place where exceptions become messages and exit codes."""
    args = list(sys.argv[1:] if argv is None else argv)
    if _version_fast_path(args):
        return
    import gc

    # A command is a short run that builds many small, mostly acyclic objects (a 10,000-step
    # blueprint is ~300,000; the imports alone ~100,000); the default thresholds rescan them all
    # again and again. Set first, before the imports.
    gc.set_threshold(100_000, 50, 100)
    from blueprint_cli import classcode

    classcode.install(invoked_command(args) or "other")  # before the first dataclass is made
    from blueprint_cli import exit_codes

    # --debug is accepted anywhere on the line (`blueprint render --debug x`), not only first.
    debug = "--debug" in args
    if debug:
        args = [a for a in args if a != "--debug"]
    _terminate_like_interrupt()
    from blueprint_cli.console import guarded_stdout

    try:
        args = _run_options(args)
        app = build_app(only=invoked_command(args))
        # Standalone mode: Typer prints usage errors and exits 2; every exit is a SystemExit.
        # A reader that goes away (`| head`) silences the rest of the output, not the exit code;
        # a full or closed standard output fails when the guard flushes, inside the boundary.
        with guarded_stdout():
            app(args=args, prog_name="blueprint")
        code = exit_codes.OK
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else exit_codes.INVALID)
        if code == exit_codes.INTERRUPTED and _interrupted(exc):  # Typer turns Ctrl-C into a silent exit 130
            sys.stderr.write("interrupted\n")
        if _click_saw_a_broken_pipe():  # Click turns EPIPE into exit 1, as if there were findings
            _silence_stdout()
            code = exit_codes.OK
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        code = exit_codes.INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`blueprint diff ... | head`): end quietly, and let nothing flush again.
        _silence_stdout()
        code = exit_codes.OK
    except Exception as exc:
        code = _failed(exc, debug=debug)
    classcode.save()
    if argv is None:  # the program itself, not a caller in this process (tests, an embedding program)
        _exit_now(code)
    sys.exit(code)


def _run_options(args: list[str]) -> list[str]:
    """Take the options about the whole run (`--config`, `--no-config`, `--quiet`, `--verbose`) from
    anywhere on the line, like --debug, and set them up; the rest goes to the command."""
    from blueprint_cli import config
    from blueprint_cli.console import set_verbosity
    from blueprint_cli.failures import UsageError

    rest: list[str] = []
    path: str | None = None
    flags: set[str] = set()
    words = iter(args)
    for word in words:
        if word == "--":
            rest.append(word)
            rest.extend(words)
        elif word == "--config":
            path = next(words, None)
            if path is None:
                raise UsageError("--config needs the path of a configuration file")
        elif word.startswith("--config="):
            path = word.partition("=")[2]
        elif word in ("--no-config", "--quiet", "-q", "--verbose", "-v"):
            flags.add({"-q": "--quiet", "-v": "--verbose"}.get(word, word))
        else:
            rest.append(word)
    if path is not None and "--no-config" in flags:
        raise UsageError("--config and --no-config contradict each other; give one")
    if {"--quiet", "--verbose"} <= flags:
        raise UsageError("--quiet and --verbose contradict each other; give one")
    config.choose(config.Choice(path, disabled="--no-config" in flags))
    set_verbosity(-1 if "--quiet" in flags else 1 if "--verbose" in flags else 0)
    return rest


def _exit_now(code: int) -> None:
    """End the process without tearing the interpreter down, once everything is written.

    Freeing every module and object on the way out costs ~13 ms of CPU, 15 % of a small `check`.
    The exit functions still run first (they remove temporary files). With other threads still
    going, or when writing the output fails, this returns and the ordinary exit does the work.
    """
    import atexit
    import os
    import threading

    if threading.active_count() != 1:
        return
    try:
        atexit._run_exitfuncs()
        sys.stdout.flush()
        sys.stderr.flush()
    except Exception:  # e.g. the reader of a pipe went away: let the ordinary exit word it
        return
    os._exit(code)


def _terminate_like_interrupt() -> None:
    """SIGTERM unwinds like Ctrl-C: temporary files are removed and Graphviz is stopped on the way out.

    The exit code is the shells' 128 + 15.
    """
    import contextlib
    import signal

    def handler(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    # Not the main thread (a program embedding us): leave its signals alone.
    with contextlib.suppress(ValueError):
        signal.signal(signal.SIGTERM, handler)


def _interrupted(exc: BaseException) -> bool:
    """Whether an exit came from Ctrl-C (a KeyboardInterrupt among its causes)."""
    seen: BaseException | None = exc
    for _ in range(10):
        if seen is None:
            return False
        if isinstance(seen, KeyboardInterrupt):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _click_saw_a_broken_pipe() -> bool:
    """Click wraps standard output in a PacifyFlushWrapper when the reader of a pipe has gone."""
    return type(sys.stdout).__name__ == "PacifyFlushWrapper"


def _silence_stdout() -> None:
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _stream_error(exc: Exception) -> str | None:
    """A message when writing the output itself failed (a full disk, a closed standard output)."""
    import errno

    if isinstance(exc, OSError) and exc.filename is None and exc.errno in (errno.ENOSPC, errno.EBADF, errno.EIO):
        return f"cannot write the output: {exc.strerror}"
    if isinstance(exc, (AttributeError, ValueError)) and (sys.stdout is None or sys.stdout.closed):
        return "cannot write the output: standard output is closed"
    return None


def _failed(exc: Exception, *, debug: bool) -> int:
    """Print a failure the user can fix (exit 2), or an internal error (exit 3; re-raised with --debug)."""
    from blueprint_cli import exit_codes
    from blueprint_cli.console import print_failure

    if isinstance(exc, _user_errors()):
        print_failure(exc)
        return exit_codes.INVALID
    stream = _stream_error(exc)
    if stream is not None:
        _silence_stdout()
        sys.stderr.write(f"blueprint: error: {stream}\n")
        return exit_codes.INVALID
    if debug:
        raise exc
    sys.stderr.write(
        f"blueprint: internal error: {type(exc).__name__}: {exc} "
        "(this is a bug; add --debug to the command for the traceback, and please report it)\n"
    )
    return exit_codes.INTERNAL
