"""The one way a hook runs: read the payload, call its handler, print its answer (`hooks.answer`), never fail open.

Standard library only. `main(name, plugin_root)` is what every `hooks/*.py` entry point calls. It
reads stdin (at most `MAX_INPUT_BYTES`), parses one JSON object, imports the handler module of
`name` lazily (so the Write/Edit gate never pays for the tree scan), and prints the handler's
JSON. Anything that goes wrong, an exception of any kind included, becomes a refusal: a JSON deny
(PreToolUse) or `decision: block` (other events), and exit 2 if even printing fails. The one
exception is a Stop hook that fails while Claude Code is already continuing because of a Stop block
(`stop_hook_active`): that turn may end, with the failure shown, so a broken journal cannot trap the user.
The exit code is always 0 or 2: Claude Code lets the action through on any other code (facts §2.3).
"""

from __future__ import annotations

import json
import os
import sys

from spx_python.errors import SpxError
from spx_python.hooks.answer import (
    EXIT_BLOCK,
    EXIT_OK,
    POST_TOOL_USE,
    PRE_TOOL_USE,
    SESSION_START,
    STOP,
    USER_PROMPT_EXPANSION,
    HookEnv,
    HookResult,
    pre_tool_decision,
)
from spx_python.names import TYPE_CHECKING
from spx_python.refusal_rules import INTERNAL_ERROR, SPX_ERROR, SUFFIX

if TYPE_CHECKING:  # typing costs every hook ~3 ms of start-up
    from collections.abc import Callable, Mapping
    from typing import Any, BinaryIO, TextIO

MAX_INPUT_BYTES = 32 * 1024 * 1024
STOP_RELEASED = " (the turn ends anyway: a failing Stop hook must not keep the session going forever)"

# entry-point name → (event, handler module); each module defines `handle(payload, env) -> HookResult`.
HANDLERS: Mapping[str, tuple[str, str]] = {
    "skill_gate": (PRE_TOOL_USE, "spx_python.hooks.skill_gate"),
    "skill_record": (POST_TOOL_USE, "spx_python.hooks.skill_record"),
    "ask_record": (PRE_TOOL_USE, "spx_python.hooks.ask_record"),
    "prompt_expansion": (USER_PROMPT_EXPANSION, "spx_python.hooks.prompt_expansion"),
    "protect": (PRE_TOOL_USE, "spx_python.hooks.protect"),
    "stop": (STOP, "spx_python.hooks.stop"),
    "session_start": (SESSION_START, "spx_python.hooks.session_start"),
}


class HookInputError(Exception):
    """The payload on stdin is not what Claude Code sends."""


if TYPE_CHECKING:
    Handler = Callable[[dict[str, Any], HookEnv], HookResult]


def crash_refusal(event: str, name: str, error: BaseException) -> HookResult:
    """The fail-closed answer for `event` after a crash: a deny, a block, or (where nothing can be blocked) exit 2."""
    reason = crash_text(name, error)
    if event == PRE_TOOL_USE:
        return pre_tool_decision("deny", reason)
    if event in (POST_TOOL_USE, USER_PROMPT_EXPANSION, STOP):
        return HookResult({"decision": "block", "reason": reason})
    return HookResult(stderr=reason + "\n", exit_code=EXIT_BLOCK)


def read_payload(stream: BinaryIO) -> dict[str, Any]:
    data = stream.read(MAX_INPUT_BYTES + 1)
    if len(data) > MAX_INPUT_BYTES:
        raise HookInputError(f"the hook payload exceeds {MAX_INPUT_BYTES} bytes")
    try:
        payload = json.loads(data)
    except ValueError as error:  # UnicodeDecodeError is a ValueError too
        raise HookInputError(f"the hook payload is not JSON ({error})") from None
    if not isinstance(payload, dict):
        raise HookInputError(f"the hook payload is a JSON {type(payload).__name__}, not an object")
    return payload


def describe_failure(name: str, error: BaseException) -> str:
    detail = getattr(error, "message", None) or f"{type(error).__name__}: {error}"
    return (
        f"spx-python {name} hook: {detail} — the action is refused to keep the workflow safe; "
        "check the plugin install (python3 >= 3.10), run `spx workflow status`, and report this if it persists"
    )


def crash_text(name: str, error: BaseException) -> str:
    """A crash's refusal text: never a rule's words, and ` [rule: internal-error]` at its end. spx's own error
    about the project (`SpxError`: its message says what to fix) is not a crash: it carries `project.spx-error`."""
    if isinstance(error, SpxError):
        return f"spx-python {name} hook: {error.message} — fix that, then retry" + SUFFIX.format(rule=SPX_ERROR)
    return describe_failure(name, error) + SUFFIX.format(rule=INTERNAL_ERROR)


def decide(name: str, payload_stream: BinaryIO, env: HookEnv) -> HookResult:
    """Run handler `name` on the payload; every failure becomes that event's refusal."""
    event, module_name = HANDLERS[name]
    payload: dict[str, Any] = {}
    try:
        payload = read_payload(payload_stream)
        __import__(module_name)  # not importlib: importing it costs every hook call start-up time
        handler: Handler = sys.modules[module_name].handle
        return handler(payload, env)
    except BaseException as error:  # fail closed on everything, KeyboardInterrupt and SystemExit included
        if event == STOP and payload.get("stop_hook_active") is True:  # already blocked once: never trap the user
            return HookResult({"systemMessage": describe_failure(name, error) + STOP_RELEASED})
        return crash_refusal(event, name, error)


def emit(result: HookResult, stdout: TextIO, stderr: TextIO) -> int:
    try:
        if result.output is not None:
            stdout.write(json.dumps(result.output))  # ASCII: safe whatever the locale
            stdout.flush()
        if result.stderr:
            stderr.write(result.stderr)
            stderr.flush()
    except BaseException:
        return EXIT_BLOCK
    return result.exit_code if result.exit_code in (EXIT_OK, EXIT_BLOCK) else EXIT_BLOCK


def main(name: str, plugin_root: str) -> int:
    """Entry point of `hooks/<name>.py`: returns the process exit code (0 or 2)."""
    try:
        result = decide(name, sys.stdin.buffer, HookEnv(plugin_root, dict(os.environ)))
    except BaseException as error:  # an unknown name, or a failure while building the refusal itself
        result = HookResult(stderr=crash_text(name, error) + "\n", exit_code=EXIT_BLOCK)
    return emit(result, sys.stdout, sys.stderr)
