"""The vocabulary of a scripted model: assistant blocks, turns, and what a request carried.

Standard library only. `scripted_model.ScriptedModel` serves these; this module holds the values.

* A **block** is `TextBlock(text)` or `ToolUseBlock(name, input)`; build them with `say`, `tool_use`,
  `bash`, `skill_call`, `write_file`, `read_file`.
* A **turn** is one assistant message: a sequence of blocks, or a callable `ModelRequest -> blocks`
  that looks at what came back (tool results, deny reasons, system reminders) before it answers.
* A `ModelRequest` is one `POST /v1/messages` as the Claude Code CLI sent it, with readers for the
  parts a test asserts on: `tool_results()`, `last_tool_results()`, `texts()`, `system_reminders()`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

ASSISTANT_ROLE = "assistant"
USER_ROLE = "user"
TEXT_TYPE = "text"
TOOL_USE_TYPE = "tool_use"
TOOL_RESULT_TYPE = "tool_result"
BASH_TOOL = "Bash"
SKILL_TOOL = "Skill"
WRITE_TOOL = "Write"
READ_TOOL = "Read"
_REMINDER = re.compile(r"<system-reminder>(.*?)</system-reminder>", re.DOTALL)


@dataclass(frozen=True)
class Block:
    """One content block of an assistant message; `block_id` is given to tool calls only."""

    calls_tool = False

    def content(self, block_id: str) -> dict[str, Any]:
        """The finished block, as in a non-streamed message."""
        raise NotImplementedError

    def stream_start(self, block_id: str) -> dict[str, Any]:
        """The empty block `content_block_start` announces."""
        raise NotImplementedError

    def stream_delta(self) -> dict[str, Any]:
        """The one `content_block_delta` that fills it."""
        raise NotImplementedError


@dataclass(frozen=True)
class TextBlock(Block):
    """Assistant prose."""

    text: str

    def content(self, block_id: str) -> dict[str, Any]:  # noqa: ARG002 - text blocks carry no id
        return {"type": TEXT_TYPE, "text": self.text}

    def stream_start(self, block_id: str) -> dict[str, Any]:  # noqa: ARG002 - text blocks carry no id
        return {"type": TEXT_TYPE, "text": ""}

    def stream_delta(self) -> dict[str, Any]:
        return {"type": "text_delta", "text": self.text}


@dataclass(frozen=True)
class ToolUseBlock(Block):
    """A tool call; `input` is the tool's JSON input exactly as the model sends it."""

    name: str
    input: Mapping[str, Any] = field(default_factory=dict)
    calls_tool = True

    def content(self, block_id: str) -> dict[str, Any]:
        return {"type": TOOL_USE_TYPE, "id": block_id, "name": self.name, "input": dict(self.input)}

    def stream_start(self, block_id: str) -> dict[str, Any]:
        return {"type": TOOL_USE_TYPE, "id": block_id, "name": self.name, "input": {}}

    def stream_delta(self) -> dict[str, Any]:
        return {"type": "input_json_delta", "partial_json": json.dumps(dict(self.input))}


TurnFunction = Callable[["ModelRequest"], Sequence[Block]]
Turn = Sequence[Block] | TurnFunction


def say(text: str) -> Block:
    return TextBlock(text)


def tool_use(name: str, tool_input: Mapping[str, Any]) -> Block:
    return ToolUseBlock(name, dict(tool_input))


def bash(command: str, description: str = "run a command") -> Block:
    return tool_use(BASH_TOOL, {"command": command, "description": description})


def skill_call(name: str, args: str | None = None) -> Block:
    """A `Skill` tool call: `{"skill": name, "args": args}` (facts §2: the only skill/command entry)."""
    tool_input: dict[str, Any] = {"skill": name}
    if args is not None:
        tool_input["args"] = args
    return tool_use(SKILL_TOOL, tool_input)


def write_file(file_path: str, content: str) -> Block:
    return tool_use(WRITE_TOOL, {"file_path": file_path, "content": content})


def read_file(file_path: str) -> Block:
    return tool_use(READ_TOOL, {"file_path": file_path})


@dataclass(frozen=True)
class ToolResult:
    """A tool_result block the CLI sent back to the model."""

    tool_use_id: str
    content: str
    is_error: bool


@dataclass(frozen=True)
class ModelRequest:
    """One recorded request: its path (query dropped), lower-cased headers and JSON body."""

    path: str
    headers: Mapping[str, str]
    body: Mapping[str, Any]

    @property
    def messages(self) -> list[Mapping[str, Any]]:
        messages = self.body.get("messages", [])
        return [m for m in messages if isinstance(m, Mapping)] if isinstance(messages, list) else []

    @property
    def assistant_turns(self) -> int:
        """How many assistant messages the conversation already holds (= index of the turn to serve)."""
        return sum(1 for message in self.messages if message.get("role") == ASSISTANT_ROLE)

    def tool_results(self) -> list[ToolResult]:
        """Every tool_result in the conversation, oldest first."""
        return [result for message in self.messages for result in _results_in(message)]

    def last_tool_results(self) -> list[ToolResult]:
        """The tool_results of the newest user message (the answers to the previous turn's calls)."""
        users = [m for m in self.messages if m.get("role") == USER_ROLE]
        if not users:
            return []
        return _results_in(users[-1])

    def texts(self) -> list[str]:
        """All non-assistant text the model was shown in `messages` (prompts, reminders, tool output)."""
        found: list[str] = []
        for message in self.messages:
            if message.get("role") == ASSISTANT_ROLE:
                continue
            for block in message_blocks(message):
                if block.get("type") == TOOL_RESULT_TYPE:
                    found.append(tool_result_from_block(block).content)
                elif isinstance(block.get("text"), str):
                    found.append(block["text"])
        return found

    def system_reminders(self) -> list[str]:
        """The bodies of every `<system-reminder>` in the messages (hook context, skill listings)."""
        return [match.strip() for text in self.texts() for match in _REMINDER.findall(text)]

    def system_prompt(self) -> str:
        system = self.body.get("system", "")
        if isinstance(system, list):
            return "\n".join(b.get("text", "") for b in system if isinstance(b, Mapping))
        return str(system)


def message_blocks(message: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The content blocks of a message; a plain string content reads as one text block."""
    content = message.get("content")
    if isinstance(content, str):
        return [{"type": TEXT_TYPE, "text": content}]
    if isinstance(content, list):
        return [b for b in content if isinstance(b, Mapping)]
    return []


def _results_in(message: Mapping[str, Any]) -> list[ToolResult]:
    return [tool_result_from_block(b) for b in message_blocks(message) if b.get("type") == TOOL_RESULT_TYPE]


def tool_result_from_block(block: Mapping[str, Any]) -> ToolResult:
    content = block.get("content", "")
    if isinstance(content, list):
        content = "\n".join(b.get("text", "") for b in content if isinstance(b, Mapping))
    return ToolResult(str(block.get("tool_use_id", "")), str(content), bool(block.get("is_error", False)))
