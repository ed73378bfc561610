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

from spx_python.config import max_rejections
from spx_python.hooks.answer import SILENT, STOP, HookEnv, HookResult, block
from spx_python.hooks.payload import project_dirs, session_of
from spx_python.hooks.record import make_event
from spx_python.names import TYPE_CHECKING
from spx_python.refusal_rules import RULE_KEY, Refused, refused
from spx_python.workflow.fold_cache import folded
from spx_python.workflow.journal import append_events_holding_lock, locked, read_events
from spx_python.workflow.machine import BLOCK, SOURCE_MODEL, STOP_STEP, StoryProgress, mid_sequence, next_action

if TYPE_CHECKING:  # the Stop hook runs at the end of every turn: a session that orchestrates nothing pays for no more
    from typing import Any

MAX_STOP_REMINDERS = 3  # blocks without progress before an ending turn is let go (never trap the user)


def unfinished(root: str, candidates: list[StoryProgress]) -> StoryProgress | None:
    """The story that must go on before an orchestrating session's turn may end, if any, of the stories the
    journal shows mid-sequence (`candidates`, most recently touched first): its evidence may have moved on."""
    if not candidates:
        return None
    from pathlib import Path  # noqa: PLC0415 - the tree, only for a session that orchestrates a story mid-sequence

    from spx_python.evidence.state import state_on_disk  # noqa: PLC0415
    from spx_python.spec.tree import scan  # noqa: PLC0415
    from spx_python.workflow.gate import effective  # noqa: PLC0415

    tree = scan(Path(root))
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
    for root in project_dirs(payload, env.environ):
        result = _judge(root, payload)
        if result is not SILENT:
            return result
    return SILENT


def _judge(root: str, payload: dict[str, Any]) -> HookResult:
    with locked(root):
        journal = folded(root, max_rejections(root))  # remembered: a long journal is not read again on every Stop
        session = session_of(payload)
        orchestrating = session in journal.sessions if session is not None else bool(journal.sessions)
        if not orchestrating:  # this session runs no orchestration: nothing to hold
            return SILENT
        progress = unfinished(root, [p for p in mid_sequence(journal.progress) if not p.stopped])
        if progress is None:
            return SILENT
        from spx_python.workflow.orchestration import asked_since  # noqa: PLC0415 - its records need `typing`

        events, _ = read_events(root)
        if asked_since(events, session, progress.position):
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
