"""Which sessions run an orchestration, of which scope, and whether the model asked the user. Pure, stdlib only.

A session *runs an orchestration* once orchestrating-python launched in it (the model called it, or the
user typed `/spx-python:orchestrating-python [SCOPE]`, which is also how a new session resumes one).
Only such a session is held by the Stop hook; a story left mid-sequence by another session is shown at
SessionStart, never enforced on a session that did not orchestrate. The journal event of the launch
carries the scope's full path as its `story` (None: the whole tree).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from spx_python.workflow.machine import ASK_STEP, ASKED, LAUNCHED, ORCHESTRATING, skill_ref


class Orchestration(NamedTuple):
    session: str
    scope: str | None  # full path of the capability/feature, None for the whole spec tree
    time: str
    position: int

    @property
    def shown_scope(self) -> str:
        return self.scope or "the whole spec tree"

    @property
    def resume_command(self) -> str:
        return f"/{skill_ref(ORCHESTRATING)}" + (f" {self.scope}" if self.scope else "")


def orchestrations(events: Iterable[Mapping[str, Any]]) -> list[Orchestration]:
    """Every launch of orchestrating-python, in journal order."""
    found: list[Orchestration] = []
    for position, event in enumerate(events):
        session, scope = event.get("session"), event.get("story")
        if event.get("step") == ORCHESTRATING and event.get("decision") == LAUNCHED and isinstance(session, str):
            found.append(Orchestration(session, scope if isinstance(scope, str) and scope else None,
                                       str(event.get("time", "")), position))
    return found


def latest(events: Iterable[Mapping[str, Any]], session: str | None = None) -> Orchestration | None:
    """The most recent orchestration (of `session`, when given)."""
    runs = [run for run in orchestrations(events) if session is None or run.session == session]
    return runs[-1] if runs else None


def asked_since(events: Sequence[Mapping[str, Any]], session: str | None, position: int) -> bool:
    """The session asked the user (AskUserQuestion) after journal position `position`."""
    return any(
        event.get("step") == ASK_STEP and event.get("decision") == ASKED and event.get("session") == session
        for event in events[position + 1 :]
    )
