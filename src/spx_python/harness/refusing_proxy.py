"""An HTTP(S) proxy on 127.0.0.1 that refuses everything and counts who tried.

Standard library only. The offline Claude Code harness points `HTTPS_PROXY`/`HTTP_PROXY` here, so
any outbound attempt the CLI makes (telemetry, update checks, `CONNECT api.anthropic.com:443`)
is answered `403` without touching the network, and recorded: a test asserts `attempts == ()`.
"""

from __future__ import annotations

import socketserver
import threading
from dataclasses import dataclass

from spx_python.harness.loopback import LOOPBACK, LoopbackServer

_REFUSAL_BODY = b"spx offline harness: no network here\r\n"
_REFUSAL = (
    b"HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nConnection: close\r\n"
    + f"Content-Length: {len(_REFUSAL_BODY)}\r\n\r\n".encode()
    + _REFUSAL_BODY
)
_MAX_HEADER_LINES = 100


@dataclass(frozen=True)
class ProxyAttempt:
    """One request the proxy refused: `CONNECT api.anthropic.com:443`, `GET http://…`."""

    method: str
    target: str


class _ProxyServer(socketserver.ThreadingTCPServer):
    daemon_threads = True  # a client that never finishes its headers must not block stop()


class RefusingProxy(LoopbackServer):
    """Context manager: while it runs, `url` refuses every request and `attempts` lists them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._attempts: list[ProxyAttempt] = []
        super().__init__(_ProxyServer((LOOPBACK, 0), _handler_class(self)), "refusing-proxy")

    @property
    def attempts(self) -> tuple[ProxyAttempt, ...]:
        with self._lock:
            return tuple(self._attempts)

    def record(self, attempt: ProxyAttempt) -> None:
        with self._lock:
            self._attempts.append(attempt)


def parse_request_line(line: bytes) -> ProxyAttempt:
    """`b"CONNECT host:443 HTTP/1.1"` → ProxyAttempt("CONNECT", "host:443"); junk is kept verbatim."""
    parts = line.decode("latin-1").strip().split()
    if len(parts) >= 2:
        return ProxyAttempt(parts[0], parts[1])
    return ProxyAttempt("?", " ".join(parts))


def _handler_class(proxy: RefusingProxy) -> type[socketserver.StreamRequestHandler]:
    class Handler(socketserver.StreamRequestHandler):
        timeout = 5

        def handle(self) -> None:
            first = self.rfile.readline(8192)
            if not first:
                return
            proxy.record(parse_request_line(first))
            for _ in range(_MAX_HEADER_LINES):  # drain the headers so the client reads our answer
                if self.rfile.readline(8192) in (b"\r\n", b"\n", b""):
                    break
            self.wfile.write(_REFUSAL)

    return Handler
