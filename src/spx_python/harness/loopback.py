"""A socketserver on 127.0.0.1 (port chosen by the OS) served from a daemon thread; start/stop or `with`.

Standard library only; the base of the scripted model and the refusing proxy of the offline harness.
"""

from __future__ import annotations

import socketserver
import threading
from types import TracebackType
from typing import TypeVar

LOOPBACK = "127.0.0.1"
_POLL_SECONDS = 0.02  # how fast stop() returns
_Self = TypeVar("_Self", bound="LoopbackServer")


class LoopbackServer:
    """Owns a server bound to 127.0.0.1:0 (a threading one with `daemon_threads`) and the thread serving it."""

    def __init__(self, server: socketserver.TCPServer, name: str) -> None:
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, args=(_POLL_SECONDS,), name=name, daemon=True)

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def start(self: _Self) -> _Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def __enter__(self: _Self) -> _Self:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()
