"""The HTTP side: the page and its event stream on 127.0.0.1, and nothing else (never a file)."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from blueprint_cli.preview.live import Live

# The page loads nothing from anywhere: inline script and style, pictures as data, events from here.
POLICY = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; "
    "font-src data:; connect-src 'self'; frame-src 'self'; base-uri 'none'; form-action 'none'"
)
KEEPALIVE = 10.0  # seconds between comments on an idle event stream (a closed page is noticed then)


def page_html() -> bytes:
    from blueprint_cli.resources import templates_dir

    return (templates_dir() / "preview.html").read_bytes()


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, live: Live, port: int) -> None:
        self.live = live
        self.page = page_html()
        self.stopping = threading.Event()
        super().__init__(("127.0.0.1", port), Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"

    def stop(self) -> None:
        self.stopping.set()
        with self.live.changed:
            self.live.changed.notify_all()
        self.shutdown()
        self.server_close()


class Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # quiet: the terminal is the user's
        return

    def do_GET(self) -> None:
        if not self._our_host():
            self._plain(403, "this preview answers to 127.0.0.1 and localhost only")
        elif self.path in ("/", "/index.html"):
            self._send(200, "text/html; charset=utf-8", self.server.page)
        elif self.path == "/events":
            self._events()
        else:
            self._plain(404, "not found: this preview serves its page and its events, nothing else")

    def do_HEAD(self) -> None:
        self._plain(405, "")

    do_POST = do_PUT = do_DELETE = do_HEAD

    def _our_host(self) -> bool:
        """Refuse other Host names, so that a page elsewhere cannot reach this one by DNS rebinding."""
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0]
        return host in ("127.0.0.1", "localhost")

    def _plain(self, status: int, text: str) -> None:
        self._send(status, "text/plain; charset=utf-8", text.encode("utf-8"))

    def _send(self, status: int, kind: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Content-Security-Policy", POLICY)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _events(self) -> None:
        """Server-sent events: the state now, then again after every change, until the page goes."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        live, seen = self.server.live, 0  # version 0: nothing rendered yet
        try:
            while not self.server.stopping.is_set():
                version = live.wait(seen, KEEPALIVE)
                if version == seen:
                    self.wfile.write(b": still here\n\n")
                else:
                    seen = version
                    self.wfile.write(b"data: " + live.event().encode("utf-8") + b"\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            return
