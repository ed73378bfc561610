"""PreToolUse for Write, Edit, MultiEdit, NotebookEdit, Bash and MCP tools: refuse hand edits of protected files.

Prints NOTHING when there is nothing to refuse: a PreToolUse `allow` would skip the user's own
permission rules for the call (facts §8). A refusal is a JSON deny naming the file and the right command.
"""

from __future__ import annotations

import os

from spx_python.hooks.answer import SILENT, HookEnv, HookResult, deny
from spx_python.hooks.guard.config_writes import guard_reason
from spx_python.hooks.guard.protected import guard_roots, protected_reason
from spx_python.hooks.guard.shell_writes import judge
from spx_python.names import TYPE_CHECKING
from spx_python.refusal_rules import MALFORMED_INPUT, Refused, refused

if TYPE_CHECKING:  # annotations only: this gate runs before every tool call
    from typing import Any

PATH_KEYS = {"Write": "file_path", "Edit": "file_path", "MultiEdit": "file_path", "NotebookEdit": "notebook_path"}
BASH = "Bash"
PLUGIN_DATA_ENV = "CLAUDE_PLUGIN_DATA"
MCP_PREFIX = "mcp__"
MCP_COMMAND_KEYS = frozenset({"command", "cmd", "script", "shell"})
MAX_MCP_DEPTH = 20
MAX_PATH_CHARS = 4096


def _cwd(payload: dict[str, Any], env: HookEnv) -> str:
    for candidate in (payload.get("cwd"), env.environ.get("CLAUDE_PROJECT_DIR")):
        if isinstance(candidate, str) and candidate and "\0" not in candidate:
            return candidate
    return os.getcwd()


def handle(payload: dict[str, Any], env: HookEnv) -> HookResult:
    tool, tool_input = payload.get("tool_name"), payload.get("tool_input")
    if not isinstance(tool_input, dict):
        return deny(
            refused(
                MALFORMED_INPUT, f"spx-python: the {tool} call has no usable input — retry it with its normal arguments"
            )
        )
    cwd = _cwd(payload, env)
    guard_roots([env.plugin_root, env.environ.get(PLUGIN_DATA_ENV, "")])
    if tool == BASH:
        command = tool_input.get("command")
        reason = (
            judge(command, cwd)
            if isinstance(command, str)
            else refused(MALFORMED_INPUT, "Bash: the command is not text")
        )
    elif isinstance(tool, str) and tool in PATH_KEYS:
        path = tool_input.get(PATH_KEYS[tool])
        if not isinstance(path, str):
            return deny(refused(MALFORMED_INPUT, f"spx-python: {tool}: the file path is not text"))
        reason = protected_reason(path, cwd) or (guard_reason(tool, tool_input, path, cwd) if path else None)
    elif isinstance(tool, str) and tool.startswith(MCP_PREFIX):
        reason = mcp_reason(tool, tool_input, cwd)
    else:
        return SILENT
    return SILENT if reason is None else deny(reason.reworded(f"spx-python: {reason}"))


def _strings(value: Any, key: str = "", depth: int = 0) -> list[tuple[str, str]]:
    """(key, text) of every string in an MCP tool's input (bounded depth: inputs are small JSON)."""
    if isinstance(value, str):
        return [(key, value)]
    if depth > MAX_MCP_DEPTH:
        return [(key, "\0unchecked")]
    if isinstance(value, dict):
        return [item for k, v in value.items() for item in _strings(v, str(k), depth + 1)]
    if isinstance(value, list):
        return [item for v in value for item in _strings(v, key, depth + 1)]
    return []


def mcp_reason(tool: str, tool_input: dict[str, Any], cwd: str) -> Refused | None:
    """An MCP tool (a file-system or shell server) gets the same protection: any path it names, any command it runs."""
    for key, text in _strings(tool_input):
        if text == "\0unchecked":
            return refused(
                "protect.mcp-too-deep", f"{tool}: its input is nested too deeply to check for protected files"
            )
        if key.casefold() in MCP_COMMAND_KEYS:
            reason = judge(text, cwd)
        elif len(text) <= MAX_PATH_CHARS and "\n" not in text:  # a path, not file content
            reason = protected_reason(text, cwd)
        else:
            continue
        if reason is not None:
            return reason.reworded(f"{tool}: {reason}")
    return None
