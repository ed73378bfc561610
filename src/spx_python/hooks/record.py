"""The record stage of the workflow hooks: a decision, or any other workflow event, as a journal line.

Standard library only. `decision` appends what `workflow.gate.decide` answered while the snapshot's
journal lock is still held (`hooks.project_snapshot`), then lets the lock go: the line is on disk before the
hook prints the decision. `make_event` is the one shape of a hook's event (`workflow.events`).
"""

from __future__ import annotations

from spx_python.hooks.payload import session_of
from spx_python.names import TYPE_CHECKING
from spx_python.refusal_rules import RULE_KEY
from spx_python.workflow.events import journal_event
from spx_python.workflow.journal import append_events_holding_lock
from spx_python.workflow.machine import ALLOW, DENY, LAUNCHED, SOURCE_USER

if TYPE_CHECKING:  # the Skill hook imports this module on every call: no `typing` at run time
    from collections.abc import Mapping
    from typing import Any

    from spx_python.hooks.project_snapshot import ProjectSnapshot
    from spx_python.workflow.gate import Decision


def make_event(
    payload: Mapping[str, Any], *, story: str | None, step: str, decision: str, reason: str, source: str, hook: str
) -> dict[str, Any]:
    return journal_event(story, step, decision, session=session_of(payload), reason=reason, source=source, hook=hook)


def decision(
    snapshot: ProjectSnapshot, payload: Mapping[str, Any], step: str, decided: Decision, *, source: str, hook: str
) -> None:
    """Journal the decision (plus `launched` for an allowed typed command), then release the snapshot's lock.

    Without a project nothing can be journaled: scope skills are then allowed (managing-specs may be
    what creates `spx/`), story steps are refused by `decide`.
    """
    if snapshot.root is None:
        return
    try:
        verdict = ALLOW if decided.allowed else DENY
        event = make_event(
            payload, story=decided.story, step=step, decision=verdict, reason=decided.reason, source=source, hook=hook
        )
        if decided.rule is not None:
            event[RULE_KEY] = decided.rule
        records: list[Mapping[str, Any]] = [event]
        if decided.allowed and source == SOURCE_USER:  # a typed command gets no PostToolUse: it launches now
            records.append({**event, "decision": LAUNCHED, "reason": "typed by the user"})
        append_events_holding_lock(snapshot.root, records)
    finally:
        if snapshot.lock is not None:
            snapshot.lock.release()
