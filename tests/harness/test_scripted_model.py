"""The scripted Messages API, exercised over real loopback HTTP (urllib), as the Claude CLI would call it."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Sequence
from typing import Any

import pytest

from spx_python.harness.refusing_proxy import RefusingProxy
from spx_python.harness.scripted_model import (
    Block,
    ModelRequest,
    ScriptedModel,
    bash,
    say,
    skill_call,
)

USER_PROMPT = {"role": "user", "content": "hi"}


def post(model: ScriptedModel, body: dict[str, Any], path: str = "/v1/messages?beta=true") -> tuple[int, str]:
    request = urllib.request.Request(  # noqa: S310 - base_url is always http://127.0.0.1
        model.base_url + path, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback http only
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.read().decode()


def sse(text: str) -> list[tuple[str, dict[str, Any]]]:
    """Parse an SSE body into (event, data) pairs, checking each event name matches its data type."""
    pairs = []
    for chunk in text.strip().split("\n\n"):
        name_line, data_line = chunk.split("\n")
        name, data = name_line.removeprefix("event: "), json.loads(data_line.removeprefix("data: "))
        assert data["type"] == name
        pairs.append((name, data))
    return pairs


def conversation(assistant_turns: int, tool_result: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = [USER_PROMPT]
    for _ in range(assistant_turns):
        messages.append({"role": "assistant", "content": [{"type": "text", "text": "…"}]})
        messages.append({"role": "user", "content": [tool_result] if tool_result else "go on"})
    return messages


def test_first_turn_streams_text_and_tool_use_with_tool_use_stop_reason() -> None:
    with ScriptedModel([[say("Checking."), bash("echo hi")]]) as model:
        status, body = post(model, {"stream": True, "messages": [USER_PROMPT]})
    events = sse(body)
    assert status == 200
    assert [name for name, _ in events] == [
        "message_start",
        *["content_block_start", "content_block_delta", "content_block_stop"] * 2,
        "message_delta",
        "message_stop",
    ]
    text_start, tool_start = events[1][1], events[4][1]
    assert text_start["content_block"]["type"] == "text"
    assert events[2][1]["delta"] == {"type": "text_delta", "text": "Checking."}
    assert tool_start["content_block"]["name"] == "Bash"
    assert tool_start["content_block"]["id"].startswith("toolu_")
    assert json.loads(events[5][1]["delta"]["partial_json"]) == {"command": "echo hi", "description": "run a command"}
    assert events[7][1]["delta"]["stop_reason"] == "tool_use"


def test_turn_is_picked_by_the_number_of_assistant_messages_already_sent() -> None:
    with ScriptedModel([[say("zero")], [say("one")], [say("two")]]) as model:
        _, body = post(model, {"stream": True, "messages": conversation(2)})
    events = sse(body)
    assert events[2][1]["delta"]["text"] == "two"
    assert events[-2][1]["delta"]["stop_reason"] == "end_turn"


def test_past_the_scenario_the_model_ends_the_turn_with_final_text() -> None:
    with ScriptedModel([[bash("true")]], final_text="All done here.") as model:
        _, body = post(model, {"stream": True, "messages": conversation(5)})
    events = sse(body)
    assert events[2][1]["delta"] == {"type": "text_delta", "text": "All done here."}
    assert events[-2][1]["delta"]["stop_reason"] == "end_turn"


def test_a_callable_turn_reads_the_tool_result_that_came_back() -> None:
    def react(request: ModelRequest) -> Sequence[Block]:
        (result,) = request.last_tool_results()
        return [say(f"denied: {result.content}" if result.is_error else "ran")]

    denied = {"type": "tool_result", "tool_use_id": "toolu_1", "is_error": True,
              "content": [{"type": "text", "text": "story not next"}]}
    with ScriptedModel([[skill_call("spx-python:testing", "54-run")], react]) as model:
        _, body = post(model, {"stream": True, "messages": conversation(1, denied)})
    assert sse(body)[2][1]["delta"]["text"] == "denied: story not next"


def test_every_request_is_recorded_with_headers_and_body_readers() -> None:
    hook_output = "ok\n<system-reminder>\nhook said hi\n</system-reminder>"
    reminder = {"type": "tool_result", "tool_use_id": "toolu_9", "content": hook_output}
    with ScriptedModel([]) as model:
        post(model, {"stream": True, "messages": conversation(1, reminder)})
        post(model, {"stream": True, "messages": [USER_PROMPT]})
    first, second = model.requests
    assert first.path == "/v1/messages"
    assert first.headers["content-type"] == "application/json"
    assert first.tool_results()[0].tool_use_id == "toolu_9"
    assert first.system_reminders() == ["hook said hi"]
    assert second.assistant_turns == 0


def test_a_non_streaming_request_gets_one_json_message() -> None:
    with ScriptedModel([[skill_call("x", "y")]]) as model:
        status, body = post(model, {"stream": False, "messages": [USER_PROMPT]})
    message = json.loads(body)
    assert status == 200
    assert message["stop_reason"] == "tool_use"
    assert message["content"][0]["input"] == {"skill": "x", "args": "y"}


@pytest.mark.parametrize("path", ["/v1/complete", "/v1/messages/count_tokens", "/"])
def test_unknown_paths_get_a_404_json_error(path: str) -> None:
    with ScriptedModel([]) as model:
        status, body = post(model, {}, path)
    assert status == 404
    assert json.loads(body)["error"]["type"] == "not_found_error"
    assert model.requests == ()


def test_a_raising_turn_answers_400_and_keeps_the_traceback() -> None:
    def broken(request: ModelRequest) -> Sequence[Block]:
        raise ValueError(f"scenario bug at turn {request.assistant_turns}")

    with ScriptedModel([broken]) as model:
        status, body = post(model, {"stream": True, "messages": [USER_PROMPT]})
    assert status == 400
    assert json.loads(body)["error"]["type"] == "invalid_request_error"
    assert "ValueError: scenario bug at turn 0" in model.errors[0]


def test_concurrent_requests_are_all_recorded() -> None:
    with ScriptedModel([[say("hi")]]) as model:
        threads = [threading.Thread(target=post, args=(model, {"stream": True, "messages": [USER_PROMPT]}))
                   for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert len(model.requests) == 8


def test_refusing_proxy_refuses_and_counts_each_attempt() -> None:
    with RefusingProxy() as proxy:
        handler = urllib.request.ProxyHandler({"http": proxy.url})
        opener = urllib.request.build_opener(handler)
        with pytest.raises(urllib.error.HTTPError) as refused:
            opener.open("http://example.invalid/telemetry", timeout=10)
    refused.value.close()
    assert refused.value.code == 403
    assert [(a.method, a.target) for a in proxy.attempts] == [("GET", "http://example.invalid/telemetry")]
