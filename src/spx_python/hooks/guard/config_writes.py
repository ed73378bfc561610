"""File-tool writes that would switch the workflow off: `[tool.spx]` settings and Claude Code's hook switches.

Standard library only. `[tool.spx]` in pyproject.toml holds the rejection cap and the review
requirement the hooks and the stamp enforce; a Write, Edit or MultiEdit is simulated on the current
file and refused when the table `spx` would read afterwards differs from the one it reads now. A write
of a Claude Code settings file that mentions `disableAllHooks` or `enabledPlugins` is refused too.
"""

from __future__ import annotations

import os

from spx_python.config import PYPROJECT_NAME, settings_from_bytes
from spx_python.errors import SpxError
from spx_python.hooks.guard.shell_rules import HOOK_SWITCH_RE, HOOK_SWITCH_REASON
from spx_python.names import TYPE_CHECKING
from spx_python.refusal_rules import Refused, refused

if TYPE_CHECKING:  # annotations only: this gate runs before every tool call
    from typing import Any

SETTINGS_REASON = (
    "{path}: this changes [tool.spx] (the rejection cap, the review requirement, coverage) — those settings are "
    "the user's; leave the table as it is and ask the user if it must change"
)
CLAUDE_DIR = ".claude"
NEW_TEXT_KEYS = ("content", "new_string", "new_source")


def _settings(data: bytes) -> dict[str, Any] | None:
    try:
        return settings_from_bytes(data)
    except SpxError:  # not valid TOML: spx refuses to run on it, which is stricter, not a way round
        return None


def _after(tool: str, tool_input: dict[str, Any], current: str) -> str | None:
    """The file's text after the call, or None when the call cannot apply (the tool itself will fail)."""
    if tool == "Write":
        content = tool_input.get("content")
        return content if isinstance(content, str) else None
    edits = tool_input.get("edits") if tool == "MultiEdit" else [tool_input]
    text = current
    for edit in edits if isinstance(edits, list) else []:
        old, new = (edit.get("old_string"), edit.get("new_string")) if isinstance(edit, dict) else (None, None)
        if not isinstance(old, str) or not isinstance(new, str):
            return None
        text = text.replace(old, new) if edit.get("replace_all") is True else text.replace(old, new, 1)
    return text


def _settings_reason(tool: str, tool_input: dict[str, Any], absolute: str, shown: str) -> Refused | None:
    try:
        with open(absolute, "rb") as stream:
            current = stream.read()
    except FileNotFoundError:
        current = b""
    after = _after(tool, tool_input, current.decode("utf-8", "replace"))
    if after is None or _settings(current) == _settings(after.encode()):
        return None
    return refused("config.spx-settings", SETTINGS_REASON.format(path=shown))


def _new_texts(tool_input: dict[str, Any]) -> list[str]:
    edits = tool_input.get("edits")
    sources = [tool_input, *(edits if isinstance(edits, list) else [])]
    return [s[k] for s in sources if isinstance(s, dict) for k in NEW_TEXT_KEYS if isinstance(s.get(k), str)]


def guard_reason(tool: str, tool_input: dict[str, Any], path: str, cwd: str) -> Refused | None:
    """Why this file-tool call would change the workflow's settings or switch hooks off, or None."""
    absolute = os.path.realpath(os.path.join(cwd, os.path.expanduser(path)))
    parts = absolute.split(os.sep)
    if parts[-1].casefold() == PYPROJECT_NAME:
        return _settings_reason(tool, tool_input, absolute, path)
    if (CLAUDE_DIR in parts or parts[-1].startswith("settings")) and any(
        HOOK_SWITCH_RE.search(text) for text in _new_texts(tool_input)
    ):
        return refused("config.hook-switch", HOOK_SWITCH_REASON.format(what=path))
    return None
