"""PreToolUse (matcher `Skill`): allow or refuse a workflow skill the model calls, and journal the decision.

Skills of other plugins get no decision at all (nothing printed). A workflow skill gets an explicit
`allow` (so `-p` runs need no permission rule for it) or a `deny` whose reason names the next step.

`gate_call` is the path of every workflow skill call, the model's here and the user's typed command
(`hooks.prompt_expansion`): one project snapshot (`hooks.project_snapshot`) → a pure decision
(`workflow.gate.decide`) → its journal line (`hooks.record`); `hooks.io` read the payload and prints the answer.
"""

from __future__ import annotations

from spx_python.hooks import record
from spx_python.hooks.answer import PRE_TOOL_USE, SILENT, HookEnv, HookResult, deny, pre_tool_decision
from spx_python.hooks.project_snapshot import take
from spx_python.names import TYPE_CHECKING
from spx_python.refusal_rules import INEXACT_NAME, MALFORMED_INPUT, refused
from spx_python.workflow.gate import Decision, Unsure, decide
from spx_python.workflow.machine import SOURCE_MODEL, exact_name_instruction, looks_like_ours, workflow_step

if TYPE_CHECKING:  # imported on every Skill call: no `typing` at run time
    from collections.abc import Mapping
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


def gate_call(
    payload: Mapping[str, Any], environ: Mapping[str, str], step: str, args: str, *, source: str, hook: str
) -> Decision:
    """Decide a workflow `step` with `args` and journal the decision, under the journal's lock from the
    snapshot to the record."""
    snapshot = take(payload, environ, args)
    try:
        try:
            decided = decide(step, args, snapshot.index, snapshot.progress)
        except Unsure:  # the order index cannot answer this one: the tree can (the slow path)
            decided = snapshot.from_tree(step, args)
    except BaseException:
        snapshot.release()
        raise
    record.decision(snapshot, payload, step, decided, source=source, hook=hook)
    return decided


def handle(payload: dict[str, Any], env: HookEnv) -> HookResult:
    call = skill_and_args(payload)
    if call is None:
        return deny(refused(MALFORMED_INPUT, f"spx-python: {MALFORMED}"))
    skill, args = call
    step = workflow_step(skill)
    if step is None:
        inexact = refused(INEXACT_NAME, f"spx-python: {exact_name_instruction(skill)}")
        return deny(inexact) if looks_like_ours(skill) else SILENT
    decided = gate_call(payload, env.environ, step, args, source=SOURCE_MODEL, hook=PRE_TOOL_USE)
    return pre_tool_decision("allow", decided.reason) if decided.allowed else deny(decided.refusal())
