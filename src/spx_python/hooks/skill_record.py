"""PostToolUse (matcher `Skill`): journal that a workflow skill really launched; this is what advances a story.

Recording here rather than in PreToolUse matters: another hook or a permission rule may still refuse
the call after our PreToolUse allowed it (facts §3). Prints nothing.
"""

from __future__ import annotations

from typing import Any

from spx_python.fullpath import normalize
from spx_python.hooks.io import POST_TOOL_USE, SILENT, HookEnv, HookResult
from spx_python.hooks.record import make_event, project_root
from spx_python.hooks.skill_gate import skill_and_args
from spx_python.journal import append_event
from spx_python.workflow import LAUNCHED, SOURCE_MODEL, is_ours, normalize_skill


def launched(payload: dict[str, Any]) -> bool:
    response = payload.get("tool_response")
    return not (isinstance(response, dict) and response.get("success") is False)


def handle(payload: dict[str, Any], env: HookEnv) -> HookResult:
    call = skill_and_args(payload)
    if call is None or not is_ours(call[0]) or not launched(payload):
        return SILENT
    root = project_root(payload, env.environ)
    if root is None:
        return SILENT
    skill, args = call
    event = make_event(
        payload,
        story=normalize(args) or None,
        step=normalize_skill(skill),
        decision=LAUNCHED,
        reason="the skill launched",
        source=SOURCE_MODEL,
        hook=POST_TOOL_USE,
    )
    append_event(root, event)
    return SILENT
