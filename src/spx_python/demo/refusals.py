"""Reading a hook's refusal the way a disciplined agent does: find the next step it names, and take it.

Pure. The hooks' reasons end with an instruction (`workflow.skill_instruction`, `spec.fullpath`'s
"did you mean …", a backticked `spx …` command); `follow_refusal` turns that instruction into the one
tool call that carries it out, or returns None when the reason names nothing the agent can do itself.
"""

from __future__ import annotations

import re
import shlex

from spx_python.harness.scripted_turns import BASH_TOOL, SKILL_TOOL, Block, ToolUseBlock, bash, skill_call

SKILL_INSTRUCTION_RE = re.compile(r'skill "(?P<skill>[^"]+)" and args "(?P<args>[^"]*)"')
DID_YOU_MEAN_RE = re.compile(r"did you mean (?P<paths>[^?]+)\?")
COMMAND_RE = re.compile(r"`(?P<command>spx [^`]+)`")
PLACEHOLDER_RE = re.compile(r"<[^>]+>")
FULL_PATH_HINT_RE = re.compile(r"\.(capability|feature|story)\b")
EXIT_CODE_PREFIX = "Exit code"
FORBIDDEN_COMMANDS = ("spx workflow reset",)  # only the user may run it; an agent never does


def is_refusal(call: ToolUseBlock, content: str, is_error: bool) -> bool:
    """Whether the result of `call` is a refusal (a hook's deny), not a tool that ran and failed."""
    if not is_error:
        return False
    if call.name == BASH_TOOL:
        return not content.startswith(EXIT_CODE_PREFIX)  # a Bash that ran reports its exit code first
    return True


def _suggested_path(reason: str) -> str | None:
    match = DID_YOU_MEAN_RE.search(reason)
    if match is None:
        return None
    first = match.group("paths").split(" or ")[0].strip().strip("`'\"")
    return first or None


def _command(reason: str, container: str | None) -> str | None:
    """The backticked `spx` command the reason asks for, its `<placeholder>` filled with `container`."""
    for match in COMMAND_RE.finditer(reason):
        command = match.group("command").strip()
        if command.startswith(FORBIDDEN_COMMANDS):
            continue
        if PLACEHOLDER_RE.search(command):
            if container is None:
                continue
            return PLACEHOLDER_RE.sub(shlex.quote(container), command)
        if FULL_PATH_HINT_RE.search(command):
            return command
    return None


def follow_refusal(reason: str, refused: ToolUseBlock, container: str | None) -> Block | None:
    """The tool call that does what `reason` says; `container` fills a `<full path …>` placeholder."""
    named = SKILL_INSTRUCTION_RE.search(reason)
    if named is not None:
        return skill_call(named.group("skill"), named.group("args"))
    suggestion = _suggested_path(reason)
    if suggestion is not None and refused.name == SKILL_TOOL:
        return skill_call(str(refused.input.get("skill", "")), suggestion)
    command = _command(reason, container)
    if command is not None:
        return bash(command, "do what the refusal says")
    return None
