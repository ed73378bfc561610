"""A scripted stand-in for the Anthropic Messages API on 127.0.0.1, for driving the real Claude Code CLI.

Standard library only. It answers `POST /v1/messages` (any query such as `?beta=true`) with the
server-sent-event stream the CLI expects (facts §5): `message_start`, then per block
`content_block_start` / `content_block_delta` (`text_delta` or `input_json_delta`) /
`content_block_stop`, then `message_delta` (`stop_reason` `tool_use` when the turn calls a tool,
else `end_turn`) and `message_stop`. Other paths get a 404 JSON error.

Writing a scenario: a scenario is a list of assistant turns. The turn served is chosen by the
number of assistant messages already in the request, so turn 0 answers the prompt, turn 1 answers
the tool results of turn 0, and so on; a `--resume`d session continues where it stopped because its
first request carries the earlier conversation (facts §8). Past the last turn the model answers a
plain `end_turn` text (`final_text`). A turn is a list of blocks, or a callable that receives the
`ModelRequest` and returns blocks, so it can react to what came back::

    def after_deny(request: ModelRequest) -> list[Block]:
        (result,) = request.last_tool_results()
        return [say("denied as expected" if result.is_error else "ran")]

    scenario = [
        [say("Listing."), bash("echo hello")],          # turn 0: text + a Bash call
        after_deny,                                     # turn 1: sees the Bash tool_result
        [skill_call("spx-python:testing", "54-run")],   # turn 2: a Skill call
    ]
    with ScriptedModel(scenario) as model:
        ...  # point ANTHROPIC_BASE_URL at model.base_url, run the CLI
        model.requests[-1].last_tool_results()  # what the model saw

Every request is recorded (thread-safe) as a `ModelRequest`. A turn callable that raises is
answered with a 400 `invalid_request_error` (the CLI does not retry those) and the exception text
is kept in `errors`, so a test can fail with the real cause.
"""

from __future__ import annotations

import json
import threading
import traceback
from collections.abc import Mapping, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from spx_python.harness.loopback import LOOPBACK, LoopbackServer
from spx_python.harness.scripted_turns import (
    Block,
    ModelRequest,
    TextBlock,
    ToolUseBlock,
    Turn,
    bash,
    read_file,
    say,
    skill_call,
    tool_use,
    write_file,
)

__all__ = [
    "DEFAULT_FINAL_TEXT",
    "Block",
    "ModelRequest",
    "ScriptedModel",
    "TextBlock",
    "ToolUseBlock",
    "Turn",
    "bash",
    "read_file",
    "say",
    "skill_call",
    "tool_use",
    "write_file",
]

MESSAGES_PATH = "/v1/messages"
DEFAULT_FINAL_TEXT = "Done."
MODEL_NAME = "claude-scripted"


class ScriptedModel(LoopbackServer):
    """The fake API server. Use as a context manager; `base_url` is valid while it runs."""

    def __init__(self, scenario: Sequence[Turn], final_text: str = DEFAULT_FINAL_TEXT) -> None:
        self._scenario = list(scenario)
        self._final_text = final_text
        self._lock = threading.Lock()
        self._requests: list[ModelRequest] = []
        self._errors: list[str] = []
        super().__init__(ThreadingHTTPServer((LOOPBACK, 0), _handler_class(self)), "scripted-model")  # daemon threads

    @property
    def base_url(self) -> str:
        return self.url

    @property
    def requests(self) -> tuple[ModelRequest, ...]:
        with self._lock:
            return tuple(self._requests)

    @property
    def errors(self) -> tuple[str, ...]:
        with self._lock:
            return tuple(self._errors)

    def answer(self, request: ModelRequest) -> tuple[int, list[Block]]:
        """Record `request` and pick its turn: (turn index, blocks). Raises what a turn callable raised."""
        with self._lock:
            self._requests.append(request)
        index = request.assistant_turns
        if index >= len(self._scenario):
            return index, [TextBlock(self._final_text)]
        turn = self._scenario[index]
        return index, list(turn(request) if callable(turn) else turn)

    def record_error(self, message: str) -> None:
        with self._lock:
            self._errors.append(message)


def sse_events(turn_index: int, blocks: Sequence[Block]) -> list[tuple[str, dict[str, Any]]]:
    """The (event name, data) pairs that stream one assistant message made of `blocks`."""
    events: list[tuple[str, dict[str, Any]]] = [("message_start", {"message": _message(turn_index, [])})]
    for index, block in enumerate(blocks):
        start = block.stream_start(_tool_id(turn_index, index))
        events.append(("content_block_start", {"index": index, "content_block": start}))
        events.append(("content_block_delta", {"index": index, "delta": block.stream_delta()}))
        events.append(("content_block_stop", {"index": index}))
    delta_data = {"delta": {"stop_reason": _stop_reason(blocks), "stop_sequence": None}, "usage": {"output_tokens": 1}}
    events.append(("message_delta", delta_data))
    events.append(("message_stop", {}))
    return [(name, {"type": name, **data}) for name, data in events]


def full_message(turn_index: int, blocks: Sequence[Block]) -> dict[str, Any]:
    """The same assistant message as one JSON object (for a request with `"stream": false`)."""
    content = [block.content(_tool_id(turn_index, index)) for index, block in enumerate(blocks)]
    message = _message(turn_index, content)
    message["stop_reason"] = _stop_reason(blocks)
    return message


def _message(turn_index: int, content: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": f"msg_spx_{turn_index:04d}", "type": "message", "role": "assistant", "model": MODEL_NAME,
        "content": content, "stop_reason": None, "stop_sequence": None,
        "usage": {"input_tokens": 1, "output_tokens": 1, "cache_creation_input_tokens": 0,
                  "cache_read_input_tokens": 0},
    }


def _tool_id(turn_index: int, block_index: int) -> str:
    return f"toolu_spx_{turn_index:04d}_{block_index:02d}"


def _stop_reason(blocks: Sequence[Block]) -> str:
    return "tool_use" if any(block.calls_tool for block in blocks) else "end_turn"


def _handler_class(model: ScriptedModel) -> type[BaseHTTPRequestHandler]:
    class Handler(_MessagesHandler):
        scripted = model

    return Handler


class _MessagesHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    scripted: ScriptedModel

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the per-request stderr log."""

    def do_GET(self) -> None:
        self._read_body()
        self._send_json(404, _error("not_found_error", f"{self.path}: not served by the scripted model"))

    def do_POST(self) -> None:
        raw = self._read_body()
        if urlsplit(self.path).path != MESSAGES_PATH:
            self._send_json(404, _error("not_found_error", f"{self.path}: not served by the scripted model"))
            return
        try:
            body = json.loads(raw or b"{}")
            request = ModelRequest(MESSAGES_PATH, {k.lower(): v for k, v in self.headers.items()}, body)
            turn_index, blocks = self.scripted.answer(request)
        except Exception:  # a broken scenario must surface, not hang the CLI in retries
            message = traceback.format_exc()
            self.scripted.record_error(message)
            self._send_json(400, _error("invalid_request_error", f"scripted model failed: {message}"))
            return
        if body.get("stream", False):
            self._send_stream(sse_events(turn_index, blocks))
        else:
            self._send_json(200, full_message(turn_index, blocks))

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send_stream(self, events: list[tuple[str, dict[str, Any]]]) -> None:
        payload = "".join(f"event: {name}\ndata: {json.dumps(data)}\n\n" for name, data in events).encode()
        self._send(200, "text/event-stream", payload, {"Cache-Control": "no-cache"})

    def _send_json(self, status: int, data: Mapping[str, Any]) -> None:
        self._send(status, "application/json", json.dumps(data).encode(), {})

    def _send(self, status: int, content_type: str, payload: bytes, extra: Mapping[str, str]) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("request-id", "req_spx_scripted")
        for name, value in extra.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)


def _error(kind: str, message: str) -> dict[str, Any]:
    return {"type": "error", "error": {"type": kind, "message": message}}
