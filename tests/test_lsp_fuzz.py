"""The language server under mutated and random input: it never crashes and never stops answering."""

from __future__ import annotations

import random
from pathlib import Path

from lsp_client import Client, ServerError
from test_language_fuzz import SAMPLE_BYTES, mutate

REQUESTS = (
    "textDocument/completion",
    "textDocument/hover",
    "textDocument/definition",
    "textDocument/references",
    "textDocument/prepareRename",
    "textDocument/rename",
    "textDocument/documentSymbol",
    "textDocument/formatting",
    "textDocument/codeAction",
)
ODD = ["😀", "\u00e9", "\t", "\r", "\r\n", "\ufeff", "\x00", '"', "\\", "->", "[", "@", " by ", "\u2028"]


def random_position(text: str, rng: random.Random) -> dict[str, int]:
    lines = text.split("\n")
    line = rng.randrange(len(lines) + 2)
    width = len(lines[line]) if line < len(lines) else 0
    return {"line": line, "character": rng.randrange(width + 3)}


def params(method: str, uri: str, text: str, rng: random.Random) -> dict[str, object]:
    pos = random_position(text, rng)
    base: dict[str, object] = {"textDocument": {"uri": uri}, "position": pos}
    if method == "textDocument/references":
        base["context"] = {"includeDeclaration": rng.random() < 0.5}
    elif method == "textDocument/rename":
        base["newName"] = rng.choice(["x", "new_id", "Bad Name", "", "see_gp", "a" * 300])
    elif method in ("textDocument/documentSymbol", "textDocument/formatting"):
        base = {"textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": True}}
    elif method == "textDocument/codeAction":
        end = random_position(text, rng)
        fake = {"range": {"start": pos, "end": end}, "message": "x", "source": "blueprint",
                "data": rng.choice([None, {"replacement": "y"}, {"replacement": 3}, "junk"])}  # fmt: skip
        base = {"textDocument": {"uri": uri}, "range": {"start": pos, "end": end}, "context": {"diagnostics": [fake]}}
    return base


def test_mutated_files_never_crash_the_server(tmp_path: Path) -> None:
    client = Client()
    client.initialize(tmp_path)
    rng = random.Random(13)
    path = tmp_path / "fuzz.blueprint"
    uri = client.open(path, SAMPLE_BYTES[0].decode("utf-8"))
    text = ""
    try:
        for version in range(2, 122):
            data = mutate(SAMPLE_BYTES[rng.randrange(len(SAMPLE_BYTES))], rng)
            text = data.decode("utf-8", errors="replace")
            if rng.random() < 0.5:
                at = rng.randrange(len(text) + 1)
                text = text[:at] + rng.choice(ODD) + text[at:]
            if rng.random() < 0.3:  # an incremental edit, anywhere (even past the end)
                start, end = random_position(text, rng), random_position(text, rng)
                if (end["line"], end["character"]) < (start["line"], start["character"]):
                    start, end = end, start
                change = {"range": {"start": start, "end": end}, "text": rng.choice(ODD)}
                client.notify(
                    "textDocument/didChange",
                    {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]},
                )
            else:
                client.change(uri, text, version)
            for _ in range(3):
                method = rng.choice(REQUESTS)
                try:
                    client.request(method, params(method, uri, text, rng), timeout=30)
                except ServerError as error:
                    assert method == "textDocument/rename" and error.code == -32803, (method, error)
        # Still answering, and diagnostics arrive for the last text.
        client.change(uri, 'blueprint "After the storm"\nstage s "S"\n  customer a "A" by nobody\n', 500)
        expected = ["unknown actor 'nobody'"]
        messages: list[str] = []
        while messages != expected:  # skip publications of earlier texts; times out if it never comes
            messages = [d["message"].split("\n")[0] for d in client.diagnostics(uri, timeout=30)]
    finally:
        code = client.close()
    assert code == 0
    assert b"Traceback" not in client.stderr and b"ERROR" not in client.stderr, client.stderr.decode(errors="replace")
