"""Typed reading of `claude -p --output-format stream-json --verbose --include-hook-events` output.

Standard library only, pure: `parse_stream(stdout)` turns the JSON lines into a `ClaudeStream`:
the `system/init` event (`InitEvent`: tools, skills, slash commands, plugins, plugin errors,
version), every `system/hook_response` (`HookResponse`), the tool calls the model made
(`ToolCall`), the tool results the CLI sent back (`ToolResult`), the final `result` event's text,
`permission_denials`, `session_id` and `is_error`. Observed on 2.1.197: SessionStart hook events
come *before* `system/init`; `plugin_errors` is absent when there are none.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from spx_python.harness.scripted_turns import (
    ASSISTANT_ROLE,
    TOOL_RESULT_TYPE,
    TOOL_USE_TYPE,
    USER_ROLE,
    ToolResult,
    message_blocks,
    tool_result_from_block,
)

SYSTEM_TYPE = "system"
RESULT_TYPE = "result"
INIT_SUBTYPE = "init"
HOOK_RESPONSE_SUBTYPE = "hook_response"

Event = Mapping[str, Any]
_Item = TypeVar("_Item")


@dataclass(frozen=True)
class PluginInfo:
    name: str
    path: str
    source: str

    @classmethod
    def from_event(cls, item: Mapping[str, Any]) -> PluginInfo:
        return cls(_text(item, "name"), _text(item, "path"), _text(item, "source"))


@dataclass(frozen=True)
class PluginError:
    plugin: str
    kind: str
    message: str

    @classmethod
    def from_event(cls, item: Mapping[str, Any]) -> PluginError:
        return cls(_text(item, "plugin"), _text(item, "type"), _text(item, "message"))


@dataclass(frozen=True)
class InitEvent:
    session_id: str
    claude_code_version: str
    cwd: str
    tools: tuple[str, ...]
    skills: tuple[str, ...]
    slash_commands: tuple[str, ...]
    agents: tuple[str, ...]
    plugins: tuple[PluginInfo, ...]
    plugin_errors: tuple[PluginError, ...]

    def plugin_names(self) -> tuple[str, ...]:
        return tuple(plugin.name for plugin in self.plugins)


@dataclass(frozen=True)
class HookResponse:
    """One hook handler's run: `hook_name` is `<Event>:<matcher or source>`, e.g. `PreToolUse:Skill`."""

    hook_event: str
    hook_name: str
    stdout: str
    stderr: str
    exit_code: int | None
    outcome: str


@dataclass(frozen=True)
class ToolCall:
    id: str
    name: str
    input: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PermissionDenial:
    tool_name: str
    tool_use_id: str
    tool_input: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ClaudeStream:
    events: tuple[Event, ...]
    unparsed_lines: tuple[str, ...]
    init: InitEvent | None
    hook_responses: tuple[HookResponse, ...]
    tool_calls: tuple[ToolCall, ...]
    tool_results: tuple[ToolResult, ...]
    permission_denials: tuple[PermissionDenial, ...]
    result_text: str | None
    session_id: str | None
    is_error: bool

    def hooks(self, hook_event: str) -> tuple[HookResponse, ...]:
        """The hook runs of one event (`"PreToolUse"`, `"SessionStart"`, …), in stream order."""
        return tuple(response for response in self.hook_responses if response.hook_event == hook_event)

    def result_of(self, call: ToolCall) -> ToolResult | None:
        """The tool_result the CLI sent back for `call`, if any."""
        return next((result for result in self.tool_results if result.tool_use_id == call.id), None)

    def calls_to(self, tool_name: str) -> tuple[ToolCall, ...]:
        return tuple(call for call in self.tool_calls if call.name == tool_name)


EventSink = Callable[[Mapping[str, Any]], None]


def event_of(line: str) -> Mapping[str, Any] | None:
    """One stream-json line as an event, or None when it is not a JSON object."""
    try:
        event = json.loads(line)
    except json.JSONDecodeError:
        return None
    return event if isinstance(event, Mapping) else None


def events_to(on_event: EventSink) -> Callable[[str], None]:
    """A stdout-line handler that hands every event of the stream to `on_event` as it arrives."""

    def on_line(line: str) -> None:
        event = event_of(line)
        if event is not None:
            on_event(event)

    return on_line


def parse_stream(stdout: str) -> ClaudeStream:
    events: list[Event] = []
    unparsed: list[str] = []
    for line in stdout.splitlines():
        if not line.strip():
            continue
        try:
            event = json.loads(line)
        except json.JSONDecodeError:
            unparsed.append(line)
            continue
        if isinstance(event, Mapping):
            events.append(event)
        else:
            unparsed.append(line)
    return _summarize(events, unparsed)


def _summarize(events: list[Event], unparsed: list[str]) -> ClaudeStream:
    init = next((_init(e) for e in events if _is_system(e, INIT_SUBTYPE)), None)
    result = next((e for e in reversed(events) if e.get("type") == RESULT_TYPE), None)
    return ClaudeStream(
        events=tuple(events),
        unparsed_lines=tuple(unparsed),
        init=init,
        hook_responses=tuple(_hook(e) for e in events if _is_system(e, HOOK_RESPONSE_SUBTYPE)),
        tool_calls=tuple(_blocks_of(events, ASSISTANT_ROLE, TOOL_USE_TYPE, _tool_call)),
        tool_results=tuple(_blocks_of(events, USER_ROLE, TOOL_RESULT_TYPE, tool_result_from_block)),
        permission_denials=tuple(_denial(d) for d in _list(result, "permission_denials")),
        result_text=_optional_str(result, "result"),
        session_id=_optional_str(result, "session_id") or (init.session_id if init else None),
        is_error=bool(result.get("is_error", True)) if result else True,
    )


def _is_system(event: Event, subtype: str) -> bool:
    return event.get("type") == SYSTEM_TYPE and event.get("subtype") == subtype


def _blocks_of(
    events: list[Event], role: str, block_type: str, build: Callable[[Mapping[str, Any]], _Item]
) -> list[_Item]:
    found: list[_Item] = []
    for event in events:
        message = event.get("message")
        if event.get("type") != role or not isinstance(message, Mapping):
            continue
        found.extend(build(block) for block in message_blocks(message) if block.get("type") == block_type)
    return found


def _init(event: Event) -> InitEvent:
    return InitEvent(
        session_id=str(event.get("session_id", "")),
        claude_code_version=str(event.get("claude_code_version", "")),
        cwd=str(event.get("cwd", "")),
        tools=_strings(event, "tools"),
        skills=_strings(event, "skills"),
        slash_commands=_strings(event, "slash_commands"),
        agents=_strings(event, "agents"),
        plugins=tuple(PluginInfo.from_event(item) for item in _list(event, "plugins")),
        plugin_errors=tuple(PluginError.from_event(item) for item in _list(event, "plugin_errors")),
    )


def _hook(event: Event) -> HookResponse:
    exit_code = event.get("exit_code")
    return HookResponse(
        hook_event=_text(event, "hook_event"),
        hook_name=_text(event, "hook_name"),
        stdout=_text(event, "stdout"),
        stderr=_text(event, "stderr"),
        exit_code=exit_code if isinstance(exit_code, int) else None,
        outcome=_text(event, "outcome"),
    )


def _tool_call(block: Mapping[str, Any]) -> ToolCall:
    return ToolCall(_text(block, "id"), _text(block, "name"), _mapping(block, "input"))


def _denial(item: Mapping[str, Any]) -> PermissionDenial:
    return PermissionDenial(_text(item, "tool_name"), _text(item, "tool_use_id"), _mapping(item, "tool_input"))


def _list(event: Event | None, key: str) -> list[Mapping[str, Any]]:
    value = event.get(key) if event else None
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []


def _strings(event: Event, key: str) -> tuple[str, ...]:
    value = event.get(key)
    return tuple(str(item) for item in value) if isinstance(value, list) else ()


def _mapping(mapping: Mapping[str, Any], key: str) -> dict[str, Any]:
    value = mapping.get(key)
    return dict(value) if isinstance(value, Mapping) else {}


def _text(mapping: Mapping[str, Any], key: str) -> str:
    value = mapping.get(key)
    return "" if value is None else str(value)


def _optional_str(event: Event | None, key: str) -> str | None:
    value = event.get(key) if event else None
    return value if isinstance(value, str) else None
