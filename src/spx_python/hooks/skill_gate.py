"""PreToolUse (matcher `Skill`): allow or refuse a workflow skill the model calls, and journal the decision.

Skills of other plugins get no decision at all (nothing printed). A workflow skill gets an explicit
`allow` (so `-p` runs need no permission rule for it) or a `deny` whose reason names the next step.
"""

from __future__ import annotations

from spx_python.hooks.io import SILENT, HookEnv, HookResult, deny, pre_tool_decision
from spx_python.hooks.record import decide_and_record
from spx_python.names import TYPE_CHECKING
from spx_python.refusal_rules import INEXACT_NAME, MALFORMED_INPUT, refused
from spx_python.workflow.machine import SOURCE_MODEL, exact_name_instruction, is_ours, looks_like_ours

if TYPE_CHECKING:  # imported on every Skill call: no `typing` at run time
    from typing import Any

MALFORMED = "the Skill call has no usable input — call the Skill tool with `skill` and `args` (a full path) as strings"


def skill_and_args(payload: dict[str, Any]) -> tuple[str, str] | None:
    """`(skill, args)` from a Skill tool input, None when it is not shaped like one."""
    tool_input = payload.get("tool_input")
    if not isinstance(tool_input, dict):
        return None
    skill, args = tool_input.get("skill"), tool_input.get("args")
    if not isinstance(skill, str) or not isinstance(args, (str, type(None))):
        return None
    return skill, args or ""


def handle(payload: dict[str, Any], env: HookEnv) -> HookResult:
    call = skill_and_args(payload)
    if call is None:
        return deny(refused(MALFORMED_INPUT, f"spx-python: {MALFORMED}"))
    skill, args = call
    if not is_ours(skill):
        inexact = refused(INEXACT_NAME, f"spx-python: {exact_name_instruction(skill)}")
        return deny(inexact) if looks_like_ours(skill) else SILENT
    decision = decide_and_record(payload, env.environ, skill, args, source=SOURCE_MODEL, hook="PreToolUse")
    return pre_tool_decision("allow", decision.reason) if decision.allowed else deny(decision.refusal())
