"""UserPromptExpansion: the same gate for a workflow command the user types (`/spx-python:testing-python PATH`).

A typed command never reaches PreToolUse (facts §0.2), so this is its only gate. A refusal blocks the
prompt before any model call; an allowed command is journaled as launched right away, because no
PostToolUse follows it.
"""

from __future__ import annotations

from typing import Any

from spx_python.hooks.answer import SILENT, USER_PROMPT_EXPANSION, HookEnv, HookResult, block
from spx_python.hooks.skill_gate import gate_call
from spx_python.refusal_rules import INEXACT_NAME, MALFORMED_INPUT, refused
from spx_python.workflow.machine import SOURCE_USER, exact_name_instruction, looks_like_ours, workflow_step

PLUGIN_SOURCE = "plugin"


def handle(payload: dict[str, Any], env: HookEnv) -> HookResult:
    name, args = payload.get("command_name"), payload.get("command_args")
    if not isinstance(name, str) or payload.get("command_source", PLUGIN_SOURCE) != PLUGIN_SOURCE:
        return SILENT
    step = workflow_step(name)
    if step is None:
        inexact = refused(INEXACT_NAME, f"/{name}: {exact_name_instruction(name)}")
        return block(inexact) if looks_like_ours(name) else SILENT
    if not isinstance(args, (str, type(None))):
        return block(
            refused(MALFORMED_INPUT, f"/{name}: the command arguments are not text — type the command with a full path")
        )
    decision = gate_call(payload, env.environ, step, args or "", source=SOURCE_USER, hook=USER_PROMPT_EXPANSION)
    return SILENT if decision.allowed else block(decision.refusal())
