"""What a hook answers Claude Code: the event names, the result record and its constructors.

Standard library only, no imports at run time: every hook builds its answer here, and `hooks.io` prints it.
A PreToolUse answer is a `permissionDecision` (allow or deny, with its reason); other events block with
`decision: block`; SessionStart adds context. A refusal's reason ends with ` [rule: <id>]` (`refusal_rules`).
"""

from __future__ import annotations

from spx_python.names import TYPE_CHECKING
from spx_python.refusal_rules import Refused, with_rule

if TYPE_CHECKING:  # typing costs every hook ~3 ms of start-up: the records below are plain classes
    from collections.abc import Mapping
    from typing import Any

EXIT_OK = 0
EXIT_BLOCK = 2
PRE_TOOL_USE = "PreToolUse"
POST_TOOL_USE = "PostToolUse"
USER_PROMPT_EXPANSION = "UserPromptExpansion"
STOP = "Stop"
SESSION_START = "SessionStart"
HOOK_SPECIFIC = "hookSpecificOutput"


class HookEnv:
    """Where the plugin is and the hook's environment. (Plain classes, not named tuples: a named tuple's class
    creation costs a fresh process ~0.1 ms, and a hook starts fresh on every tool call.)"""

    __slots__ = ("environ", "plugin_root")

    def __init__(self, plugin_root: str, environ: Mapping[str, str]) -> None:
        self.plugin_root = plugin_root
        self.environ = environ


class HookResult:
    """What to print (None: nothing at all), on which stream, and the exit code."""

    __slots__ = ("exit_code", "output", "stderr")

    def __init__(self, output: Mapping[str, Any] | None = None, stderr: str = "", exit_code: int = EXIT_OK) -> None:
        self.output = output
        self.stderr = stderr
        self.exit_code = exit_code


SILENT = HookResult()


def pre_tool_decision(decision: str, reason: str) -> HookResult:
    specific = {"hookEventName": PRE_TOOL_USE, "permissionDecision": decision, "permissionDecisionReason": reason}
    return HookResult({HOOK_SPECIFIC: specific})


def deny(reason: Refused) -> HookResult:
    """A PreToolUse refusal; its reason ends with ` [rule: <id>]`."""
    return pre_tool_decision("deny", with_rule(reason))


def block(reason: Refused) -> HookResult:
    """A refusal of any other event; its reason ends with ` [rule: <id>]`."""
    return HookResult({"decision": "block", "reason": with_rule(reason)})


def additional_context(event: str, text: str) -> HookResult:
    return HookResult({HOOK_SPECIFIC: {"hookEventName": event, "additionalContext": text}})
