"""Stop: do not let a session running an orchestration end its turn while a story is mid-sequence.

Only a session that launched (or, typed by the user, resumed) orchestrating-python is held: manual
skill chaining stops wherever the user likes, and a story an earlier session left mid-sequence is shown
at SessionStart, not enforced on a session that never orchestrated. A story that is done, BLOCKED (by the
rejection cap, or reported with `spx workflow block`), or about which the model has since asked the user
(AskUserQuestion) lets the turn end. The block's reason names the exact next step.
`stop_hook_active` is honoured: when Claude Code is already continuing because of earlier blocks and
the journal shows no progress after MAX_STOP_REMINDERS of them, the turn may end (with a warning to the
user) instead of looping; one ignored reminder is not enough, and any progress starts the count again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from spx_python.config import max_rejections
from spx_python.evidence.state import state_on_disk
from spx_python.hooks.answer import SILENT, STOP, HookEnv, HookResult, block
from spx_python.hooks.payload import project_roots, session_of
from spx_python.hooks.record import make_event
from spx_python.refusal_rules import RULE_KEY, Refused, refused
from spx_python.spec.tree import scan
from spx_python.workflow.gate import effective
from spx_python.workflow.journal import append_events_holding_lock, locked, read_events
from spx_python.workflow.machine import BLOCK, SOURCE_MODEL, STOP_STEP, StoryProgress, fold, mid_sequence, next_action
from spx_python.workflow.orchestration import asked_since, latest

MAX_STOP_REMINDERS = 3  # blocks without progress before an ending turn is let go (never trap the user)


def unfinished(root: Path, events: list[dict[str, Any]]) -> StoryProgress | None:
    """The story that must go on before an orchestrating session's turn may end, if any."""
    candidates = [p for p in mid_sequence(fold(events, max_rejections(root))) if not p.stopped]
    if not candidates:
        return None
    tree = scan(root)
    for progress in candidates:
        container = tree.find(progress.story)
        if container is not None and effective(progress, container, state_on_disk).mid_sequence:
            return progress
    return None


def reminders_without_progress(events: list[dict[str, Any]], session: str | None, progress: StoryProgress) -> int:
    """How many Stop blocks this session got since the story last moved."""
    return sum(
        1
        for event in events[progress.position + 1 :]
        if event.get("step") == STOP_STEP and event.get("decision") == BLOCK and event.get("session") == session
    )


def reason_for(progress: StoryProgress) -> Refused:
    return refused(
        "stop.mid-sequence",
        f"spx-python: {progress.story} is in the middle of its sequence (at {progress.phase}) — do not end the "
        f"turn yet. Next step: {next_action(progress)}. If you need the user's decision, ask with AskUserQuestion; "
        f'if you truly cannot go on, record it: `spx workflow block {progress.story} --reason "why"`, then stop. '
        "`spx workflow status` shows where the run stands.",
    )


def handle(payload: dict[str, Any], env: HookEnv) -> HookResult:
    """Judge every project the session may concern: a `cd` elsewhere must not let an unfinished story go."""
    for root in project_roots(payload, env.environ):
        result = _judge(root, payload)
        if result is not SILENT:
            return result
    return SILENT


def _judge(root: Path, payload: dict[str, Any]) -> HookResult:
    with locked(root):
        events, _ = read_events(root)
        session = session_of(payload)
        if latest(events, session) is None:  # this session runs no orchestration: nothing to hold
            return SILENT
        progress = unfinished(root, events)
        if progress is None or asked_since(events, session, progress.position):
            return SILENT
        reason = reason_for(progress)
        reminders = reminders_without_progress(events, session, progress)
        if payload.get("stop_hook_active") is True and reminders >= MAX_STOP_REMINDERS:
            return HookResult({"systemMessage": f"{reason} (no progress after {reminders} reminders: stopping anyway)"})
        event = make_event(
            payload, story=progress.story, step=STOP_STEP, decision=BLOCK, reason=reason, source=SOURCE_MODEL, hook=STOP
        )
        event[RULE_KEY] = reason.rule
        append_events_holding_lock(root, [event])
    return block(reason)
