"""PostToolUse (matcher `Skill`): journal that a workflow skill really launched; this is what advances a story.

Recording here rather than in PreToolUse matters: another hook or a permission rule may still refuse
the call after our PreToolUse allowed it (facts §3). A launch counts only against an unused PreToolUse
allow for the same session, step and story: a skill that ran although the gate never allowed it (the
gate timed out, which Claude Code treats as "let it through") is not journaled and the model is told.
Prints nothing otherwise.
"""

from __future__ import annotations

from spx_python.hooks.answer import POST_TOOL_USE, PRE_TOOL_USE, SILENT, HookEnv, HookResult, block
from spx_python.hooks.payload import project_root, session_of
from spx_python.hooks.record import make_event
from spx_python.hooks.skill_gate import skill_and_args
from spx_python.names import TYPE_CHECKING
from spx_python.refusal_rules import refused
from spx_python.spec.fullpath import normalize
from spx_python.workflow.journal import append_events_holding_lock, latest_first, locked, read_journal
from spx_python.workflow.machine import ALLOW, LAUNCHED, SOURCE_MODEL, STORY_STEPS, is_ours, normalize_skill, skill_ref

if TYPE_CHECKING:  # hooks start fresh on every call: no `typing` at run time
    from collections.abc import Iterable
    from typing import Any

UNGATED = (
    "spx-python: {skill} for {story} ran without an allow from the workflow gate (a hook timed out or was "
    "bypassed), so it does not count as a step — call it again through the Skill tool; the gate decides"
)


def launched(payload: dict[str, Any]) -> bool:
    response = payload.get("tool_response")
    return not (isinstance(response, dict) and response.get("success") is False)


def gate_allowed(latest_events_first: Iterable[dict[str, Any]], session: str | None, step: str, story: str | None) -> (
    bool
):
    """Is there a PreToolUse allow for this call that no earlier launch has used up? (Read from the latest event
    back: the answer is in the last few lines, whatever the journal's length.)"""
    for event in latest_events_first:
        if (event.get("session"), event.get("step"), event.get("story")) != (session, step, story):
            continue
        if event.get("decision") == LAUNCHED:
            return False
        if event.get("hook") == PRE_TOOL_USE:
            return bool(event.get("decision") == ALLOW)
    return False


def handle(payload: dict[str, Any], env: HookEnv) -> HookResult:
    call = skill_and_args(payload)
    if call is None or not is_ours(call[0]) or not launched(payload):
        return SILENT
    root = project_root(payload, env.environ)
    if root is None:
        return SILENT
    skill, args = call
    step, story = normalize_skill(skill), normalize(args) or None
    event = make_event(
        payload,
        story=story,
        step=step,
        decision=LAUNCHED,
        reason="the skill launched",
        source=SOURCE_MODEL,
        hook=POST_TOOL_USE,
    )
    with locked(root):
        # Scope skills may run before spx/ exists (managing-specs creates it), when nothing is journaled;
        # recording their launch anyway only makes the Stop hook stricter.
        if step in STORY_STEPS and not gate_allowed(latest_first(read_journal(root)), session_of(payload), step, story):
            ungated = UNGATED.format(skill=skill_ref(step), story=story or "the whole tree")
            return block(refused("sequence.ungated-launch", ungated))
        append_events_holding_lock(root, [event])
    return SILENT
