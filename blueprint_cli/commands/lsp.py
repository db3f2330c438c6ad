"""`blueprint lsp`: the language server, over standard input and output."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    app.command("lsp")(lsp)


def lsp() -> None:
    """Run the language server (LSP over stdio) for editors: diagnostics, completion, go to definition, rename, formatting."""
    # pygls is imported here only: the other commands do not pay for loading it.
    from blueprint_cli.lsp.server import main

    main()
