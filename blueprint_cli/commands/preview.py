"""`blueprint preview FILE [OBSERVED] [--port N] [--no-browser]`: a live page that follows every save."""

from __future__ import annotations

from typing import Annotated

import typer

from blueprint_cli.commands.options import TimeoutOption
from blueprint_cli.exit_codes import Outcome


def register(app: typer.Typer) -> None:
    app.command("preview")(preview)


def preview(
    files: Annotated[
        list[str],
        typer.Argument(
            help="The blueprint to show, or INTENDED OBSERVED for the live report.",
            show_default=False,
            metavar="FILE [OBSERVED]",
        ),
    ],
    port: Annotated[
        int, typer.Option("--port", "-p", help="Port on 127.0.0.1 (0: any free port).", min=0, max=65535)
    ] = 0,
    no_browser: Annotated[
        bool, typer.Option("--no-browser", help="Do not open a browser; just print the address.")
    ] = False,
    timeout: TimeoutOption = 60.0,
) -> Outcome:
    """Show a blueprint in the browser and redraw it on every save (includes too); errors show with their line."""
    import threading

    from blueprint_cli.console import err, esc, out
    from blueprint_cli.failures import UsageError
    from blueprint_cli.preview.live import Live
    from blueprint_cli.preview.server import PreviewServer
    from blueprint_cli.preview.watch import watch

    if len(files) > 2:
        raise UsageError("preview takes one blueprint, or two (intended, observed) for the live report")
    if "-" in files:
        raise UsageError("preview watches files: standard input ('-') cannot be watched")
    title = files[0] if len(files) == 1 else f"{files[0]} → {files[1]}"
    live = Live(title)
    try:
        server = PreviewServer(live, port)
    except OSError as error:
        raise UsageError(f"cannot listen on 127.0.0.1:{port}: {error.strerror or error}") from None
    threading.Thread(target=server.serve_forever, name="preview-http", daemon=True).start()
    out().print(f"previewing {esc(title)} at {server.url}", soft_wrap=True)
    out().file.flush()
    err().print("[dim]watching for changes; Ctrl+C to stop[/]")
    if not no_browser:
        import webbrowser

        webbrowser.open(server.url)
    try:  # Ctrl+C ends the preview normally; SIGTERM unwinds the same way (cli.main gives it 143)
        watch(files, live, timeout=timeout)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return Outcome()
