"""A small LSP client for the tests: spawns `blueprint lsp` and speaks JSON-RPC over its stdio."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any


def blueprint_argv() -> list[str]:
    exe = Path(sys.executable).with_name("blueprint")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "blueprint_cli"]


class ServerError(Exception):
    def __init__(self, error: dict[str, Any]):
        super().__init__(error.get("message", ""))
        self.code = error.get("code")


class Client:
    """Requests wait for their answer; notifications from the server are kept in order."""

    def __init__(self, argv: list[str] | None = None):
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        self.process = subprocess.Popen(
            argv or blueprint_argv() + ["lsp"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        self.messages: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.notifications: list[dict[str, Any]] = []
        self.answers: dict[int, dict[str, Any]] = {}
        self.next_id = 0
        self.stderr = b""
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._drain_stderr, daemon=True).start()

    # -- wire
    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            length = None
            while True:
                header = stream.readline()
                if not header:
                    self.messages.put(None)
                    return
                header = header.strip()
                if not header:
                    break
                name, _, value = header.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            assert length is not None, "a message without Content-Length"
            self.messages.put(json.loads(stream.read(length)))

    def _drain_stderr(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.stderr += line

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def _pump(self, timeout: float) -> None:
        message = self.messages.get(timeout=timeout)
        if message is None:
            raise ConnectionError(f"the server stopped; stderr:\n{self.stderr.decode(errors='replace')}")
        if "id" in message and "method" in message:  # a request from the server: answer null
            self.send({"id": message["id"], "result": None})
        elif "id" in message:
            self.answers[message["id"]] = message
        else:
            self.notifications.append(message)

    # -- API
    def request(self, method: str, params: Any, *, timeout: float = 20) -> Any:
        self.next_id += 1
        ident = self.next_id
        self.send({"id": ident, "method": method, "params": params})
        deadline = time.monotonic() + timeout
        while ident not in self.answers:
            self._pump(max(deadline - time.monotonic(), 0.001))
        answer = self.answers.pop(ident)
        if "error" in answer:
            raise ServerError(answer["error"])
        return answer.get("result")

    def notify(self, method: str, params: Any) -> None:
        self.send({"method": method, "params": params})

    def wait_for(self, method: str, predicate: Any = None, *, timeout: float = 20) -> dict[str, Any]:
        """The first notification `method` (not yet taken) for which `predicate(params)` holds."""
        deadline = time.monotonic() + timeout
        while True:
            for index, message in enumerate(self.notifications):
                if message.get("method") == method and (predicate is None or predicate(message["params"])):
                    del self.notifications[: index + 1]
                    found: dict[str, Any] = message["params"]
                    return found
            self._pump(max(deadline - time.monotonic(), 0.001))

    def initialize(self, root: Path, *, encodings: list[str] | None = None) -> dict[str, Any]:
        capabilities: dict[str, Any] = {"textDocument": {"publishDiagnostics": {}}}
        if encodings is not None:
            capabilities["general"] = {"positionEncodings": encodings}
        result = self.request(
            "initialize",
            {"processId": os.getpid(), "rootUri": root.resolve().as_uri(), "capabilities": capabilities},
        )
        self.notify("initialized", {})
        answer: dict[str, Any] = result
        return answer

    def open(self, path: Path, text: str | None = None, version: int = 1) -> str:
        uri = path.resolve().as_uri()
        content = path.read_text(encoding="utf-8") if text is None else text
        self.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "blueprint", "version": version, "text": content}},
        )
        return uri

    def change(self, uri: str, text: str, version: int) -> None:
        self.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]},
        )

    def diagnostics(self, uri: str, *, timeout: float = 20) -> list[dict[str, Any]]:
        params = self.wait_for("textDocument/publishDiagnostics", lambda p: p["uri"] == uri, timeout=timeout)
        found: list[dict[str, Any]] = params["diagnostics"]
        return found

    def close(self) -> int:
        try:
            self.request("shutdown", None, timeout=10)
            self.notify("exit", None)
        except (ConnectionError, BrokenPipeError, queue.Empty):
            pass
        try:
            return self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()
