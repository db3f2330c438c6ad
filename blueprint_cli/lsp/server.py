"""The server: pygls with the features of `handlers`, over standard input and output."""

from __future__ import annotations

import logging
import os
import sys

from pygls.exceptions import JsonRpcException

from blueprint_cli.lsp.documents import BlueprintServer
from blueprint_cli.lsp.handlers import FEATURES


def create() -> BlueprintServer:
    server = BlueprintServer()
    for method, options, handler in FEATURES:
        server.feature(method, options)(handler)
    return server


def _not_a_refusal(record: logging.LogRecord) -> bool:
    """pygls logs every error answer with a traceback; a refused rename is an answer, not a fault."""
    return not (record.exc_info and isinstance(record.exc_info[1], JsonRpcException))


def main() -> None:
    """Serve over standard input and output until the client says exit."""
    logging.basicConfig(level=logging.WARNING, format="blueprint lsp: %(levelname)s: %(message)s")
    for handler in logging.getLogger().handlers:
        handler.addFilter(_not_a_refusal)
    # The real standard output: the CLI's pipe guard is for text commands, not for a JSON-RPC stream.
    real = sys.__stdout__ if sys.__stdout__ is not None else sys.stdout
    create().start_io(sys.stdin.buffer, real.buffer)
    if sys.stdout.closed:  # pygls closes standard output on exit; the CLI flushes it once more
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - open until the process ends
