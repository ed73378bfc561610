"""A readable, live account of a Claude Code run: each step, whether a hook allowed or refused it, and why.

Feed it the CLI's stream-json events one by one (it is an `EventSink` for `claude_live`); it prints
as they arrive and keeps the finished `Step`s for a summary or a test:

    #  3 Skill  spx-python:understanding-specs 21-count-words.story
         REFUSED  '21-count-words.story': a bare story name is ambiguous … did you mean …?

A tool result counts as REFUSED when a PreToolUse hook denied that call: its text is a deny reason
the transcript saw in a `system/hook_response` event (JSON deny or exit-2 stderr). The other
outcomes: ALLOWED (a workflow skill launched, with the gate's reason), ok (a tool ran), FAILED.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spx_python.harness.scripted_turns import (
    ASSISTANT_ROLE,
    BASH_TOOL,
    SKILL_TOOL,
    TEXT_TYPE,
    TOOL_RESULT_TYPE,
    TOOL_USE_TYPE,
    USER_ROLE,
    WRITE_TOOL,
    message_blocks,
    tool_result_from_block,
)
from spx_python.harness.stream_json import HOOK_RESPONSE_SUBTYPE, INIT_SUBTYPE, RESULT_TYPE, SYSTEM_TYPE

REFUSED = "REFUSED"
ALLOWED = "ALLOWED"
OK = "ok"
FAILED = "FAILED"
WRITTEN = "written"
WIDTH = 110
STEP_INDENT = " " * 9
HEADLINE_PREFIXES = ("APPROVED", "REJECTED", "stamped", "committed", "All containers", "refused", "# read these")
HOOK_ERROR_MARK = "hook error"
SKILL_BODY_MARK = "Base directory for this skill:"
SPECIFIC = "hookSpecificOutput"
PRE_TOOL_USE = "PreToolUse"
USER_PROMPT_EXPANSION = "UserPromptExpansion"
TYPED_COMMAND_PASSED = "the typed command passed the UserPromptExpansion gate (journaled as launched)"


@dataclass(frozen=True)
class Step:
    """One finished tool call: its number, tool, what it did, the outcome and the reason or output."""

    number: int
    tool: str
    summary: str
    outcome: str
    detail: str
    tool_input: Mapping[str, Any] = field(default_factory=dict)


def _hook_output(stdout: str) -> Mapping[str, Any]:
    try:
        parsed = json.loads(stdout) if stdout.strip().startswith("{") else {}
    except json.JSONDecodeError:
        return {}
    return parsed if isinstance(parsed, Mapping) else {}


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def headline(output: str) -> str:
    """The telling line of a command's output: a verdict/stamp/commit line, else the last non-empty line."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    marked = [line for line in lines if line.startswith(HEADLINE_PREFIXES)]
    return (marked or lines or [""])[0 if marked else -1]


class Transcript:
    """The live transcript. Call it with each event; read `steps` and `refusals` afterwards."""

    def __init__(self, emit: Callable[[str], None], project_root: Path | None = None) -> None:
        self._emit = emit
        self._root = project_root
        self._pending: dict[str, tuple[int, str, str, Mapping[str, Any]]] = {}
        self._denials: list[str] = []
        self._allowances: list[str] = []
        self.steps: list[Step] = []
        self.result_text: str | None = None

    @property
    def refusals(self) -> list[Step]:
        return [step for step in self.steps if step.outcome == REFUSED]

    def __call__(self, event: Mapping[str, Any]) -> None:
        kind = event.get("type")
        if kind == SYSTEM_TYPE and event.get("subtype") == INIT_SUBTYPE:
            self._init(event)
        elif kind == SYSTEM_TYPE and event.get("subtype") == HOOK_RESPONSE_SUBTYPE:
            self._hook(event)
        elif kind in (ASSISTANT_ROLE, USER_ROLE) and isinstance(event.get("message"), Mapping):
            for block in message_blocks(event["message"]):
                self._block(block, kind == ASSISTANT_ROLE)
        elif kind == RESULT_TYPE:
            self._result(event)

    def _say(self, text: str, indent: str = "") -> None:
        self._emit(textwrap.fill(
            text, WIDTH, initial_indent=indent, subsequent_indent=indent + "  ",
            break_long_words=False, break_on_hyphens=False,
        ))

    def _init(self, event: Mapping[str, Any]) -> None:
        plugins = ", ".join(str(p.get("name")) for p in event.get("plugins", []) if isinstance(p, Mapping))
        errors = event.get("plugin_errors") or []
        self._say(f"Claude Code {event.get('claude_code_version', '?')} started; plugins: {plugins or 'none'}"
                  + (f"; PLUGIN ERRORS: {errors}" if errors else ""))

    def _hook(self, event: Mapping[str, Any]) -> None:
        name, stderr = str(event.get("hook_name", "")), str(event.get("stderr") or "").strip()
        output = _hook_output(str(event.get("stdout") or ""))
        specific = _mapping(output.get(SPECIFIC))
        reason = str(specific.get("permissionDecisionReason") or output.get("reason") or "") or stderr
        exit_2 = event.get("exit_code") == 2
        hook_event = event.get("hook_event")
        if hook_event == PRE_TOOL_USE and (specific.get("permissionDecision") == "deny" or exit_2):
            self._denials.append(reason)
        elif specific.get("permissionDecision") == "allow":
            self._allowances.append(reason)
        elif output.get("decision") == "block" or exit_2:
            self._say(f"{name} hook {REFUSED}: {reason}", "  ")
        elif hook_event == USER_PROMPT_EXPANSION:
            self._say(TYPED_COMMAND_PASSED, "  ")
        if output.get("systemMessage"):
            self._say(f"{name} hook says: {output['systemMessage']}", "  ")

    def _block(self, block: Mapping[str, Any], from_model: bool) -> None:
        kind = block.get("type")
        if kind == TEXT_TYPE and isinstance(block.get("text"), str) and block["text"].strip():
            self._text(block["text"].strip(), from_model)
        elif kind == TOOL_USE_TYPE:
            self._call(block)
        elif kind == TOOL_RESULT_TYPE:
            self._finish(block)

    def _text(self, text: str, from_model: bool) -> None:
        if from_model:
            self._say(f"agent: {text}", "  ")
        elif text.startswith(SKILL_BODY_MARK):
            lines = text.splitlines()
            where = lines[0][len(SKILL_BODY_MARK):].strip()
            self._say(f"(the skill's instructions reached the model: {len(lines)} lines from {where})", STEP_INDENT)
        else:
            self._say(f"(to the model: {text.splitlines()[0][:WIDTH]})", STEP_INDENT)

    def _call(self, block: Mapping[str, Any]) -> None:
        tool = str(block.get("name", "?"))
        tool_input = _mapping(block.get("input"))
        number = len(self.steps) + len(self._pending) + 1
        summary = self._summary(tool, tool_input)
        self._pending[str(block.get("id", ""))] = (number, tool, summary, tool_input)
        self._emit(f"#{number:>3} {tool:<6} {summary}")

    def _summary(self, tool: str, tool_input: Mapping[str, Any]) -> str:
        if tool == SKILL_TOOL:
            return f"{tool_input.get('skill', '')} {tool_input.get('args', '')}".strip()
        if tool == BASH_TOOL:
            return str(tool_input.get("command", ""))
        path = str(tool_input.get("file_path") or tool_input.get("notebook_path") or "")
        if self._root is not None and path.startswith(f"{self._root}/"):
            return path[len(str(self._root)) + 1:]
        return path

    def _finish(self, block: Mapping[str, Any]) -> None:
        result = tool_result_from_block(block)
        number, tool, summary, tool_input = self._pending.pop(result.tool_use_id, (0, "?", "?", {}))
        outcome, detail = self._outcome(tool, tool_input, result.content, result.is_error)
        self.steps.append(Step(number, tool, summary, outcome, detail, tool_input))
        self._say(f"{outcome:<8} {detail}", STEP_INDENT)

    def _outcome(self, tool: str, tool_input: Mapping[str, Any], content: str, is_error: bool) -> tuple[str, str]:
        text = content.strip()
        if is_error and (text in self._denials or HOOK_ERROR_MARK in text.split("\n", 1)[0]):
            return REFUSED, text
        if is_error:
            return FAILED, headline(text)
        if tool == SKILL_TOOL:
            wanted = f"{tool_input.get('args', '')}: {tool_input.get('skill', '')}"
            reason = next((r for r in reversed(self._allowances) if r.startswith(wanted)), text)
            return ALLOWED, reason
        return OK, WRITTEN if tool == WRITE_TOOL else headline(text)

    def _result(self, event: Mapping[str, Any]) -> None:
        self.result_text = event.get("result") if isinstance(event.get("result"), str) else None
        self._emit("")
        self._say(f"Run finished: {len(self.steps)} tool calls, {len(self.refusals)} refused by the hooks"
                  f"{', with an error' if event.get('is_error') else ''}.")
