"""The workflow as data: skill-name normalisation, the transition table, and the fold over journal events."""

from __future__ import annotations

from typing import Any

import pytest

from spx_python.workflow.machine import (
    APPROVED,
    CODING,
    CONTEXT,
    DONE,
    IMPLEMENTED,
    IN_REVIEW,
    LAUNCHED,
    MAX_REJECTIONS,
    NONE,
    ORCHESTRATING,
    REJECTED,
    RESET,
    RESET_STEP,
    REVIEW_STEP,
    REVIEWING,
    STAMP_STEP,
    STAMPED,
    TESTING,
    TESTS_DESIGNED,
    UNDERSTANDING,
    fold,
    is_ours,
    mid_sequence,
    next_action,
    normalize_skill,
)

STORY = "21-a.capability/21-b.feature/21-c.story"
OTHER = "21-a.capability/21-b.feature/32-d.story"
SEQUENCE = (UNDERSTANDING, TESTING, CODING, REVIEWING)


def launched(step: str, story: str | None = STORY, session: str = "s1") -> dict[str, Any]:
    return {"story": story, "step": step, "decision": LAUNCHED, "session": session, "time": "t"}


def verdict(decision: str, story: str = STORY) -> dict[str, Any]:
    return {"story": story, "step": REVIEW_STEP, "decision": decision, "session": None}


@pytest.mark.parametrize(
    "name", ["spx-python:testing-python", "testing-python", "/spx-python:testing-python", " /testing-python "]
)
def test_every_spelling_normalises_to_the_skill(name: str) -> None:
    assert normalize_skill(name) == TESTING
    assert is_ours(name)


@pytest.mark.parametrize("name", ["other:testing-python", "spx-python:unknown", "commit", ""])
def test_other_plugins_and_unknown_skills_are_not_ours(name: str) -> None:
    assert not is_ours(name)


def test_the_sequence_moves_the_story_through_its_phases() -> None:
    events: list[dict[str, Any]] = []
    for step, expected in zip(SEQUENCE, (CONTEXT, TESTS_DESIGNED, IMPLEMENTED, IN_REVIEW), strict=True):
        events.append(launched(step))
        assert fold(events)[STORY].phase == expected


def test_events_that_do_not_follow_the_table_change_nothing() -> None:
    progress = fold([launched(CODING), launched(REVIEWING), {"story": STORY, "step": TESTING, "decision": "allow"}])
    assert progress == {}


def test_rejections_count_and_approval_then_stamp_make_it_done() -> None:
    events = [launched(step) for step in SEQUENCE]
    events += [verdict(REJECTED), launched(CODING), launched(REVIEWING), verdict(APPROVED)]
    progress = fold(events)[STORY]
    assert (progress.phase, progress.rejections, progress.verdict) == (IN_REVIEW, 1, APPROVED)
    stamped = fold([*events, {"story": STORY, "step": STAMP_STEP, "decision": STAMPED}])[STORY]
    assert stamped.phase == DONE
    assert not stamped.mid_sequence


def test_the_cap_marks_the_story_blocked() -> None:
    events = [launched(step) for step in SEQUENCE]
    for _ in range(MAX_REJECTIONS - 1):
        events += [verdict(REJECTED), launched(CODING), launched(REVIEWING)]
    events.append(verdict(REJECTED))
    progress = fold(events)[STORY]
    assert progress.blocked
    assert "BLOCKED" in next_action(progress)


def test_a_reset_starts_the_story_over_and_keeps_nothing() -> None:
    events = [launched(step) for step in SEQUENCE] + [{"story": STORY, "step": RESET_STEP, "decision": RESET}]
    progress = fold(events)[STORY]
    assert (progress.phase, progress.rejections, progress.verdict) == (NONE, 0, None)


def test_orchestration_follows_the_session_that_launched_the_orchestrator() -> None:
    events = [
        launched(ORCHESTRATING, None, "s1"),
        launched(UNDERSTANDING, STORY, "s1"),
        launched(UNDERSTANDING, OTHER, "s2"),
    ]
    progress = fold(events)
    assert progress[STORY].orchestrated
    assert not progress[OTHER].orchestrated
    assert [p.story for p in mid_sequence(progress)] == [OTHER, STORY]


@pytest.mark.parametrize(
    "event",
    [{"story": ["list"], "step": TESTING}, {"story": STORY, "step": None, "decision": LAUNCHED},
     {"story": STORY, "session": ["unhashable"], "step": UNDERSTANDING, "decision": LAUNCHED}, {}],
)
def test_foreign_events_never_break_the_fold(event: dict[str, Any]) -> None:
    fold([launched(ORCHESTRATING, None), event])


def test_one_review_round_counts_one_rejection_however_often_the_review_runs() -> None:
    events = [launched(step) for step in SEQUENCE]
    events += [verdict(REJECTED), verdict(REJECTED), launched(REVIEWING), verdict(REJECTED), verdict(APPROVED)]
    events.append(verdict(REJECTED))  # a manual finding after the tools approved: still the same round
    progress = fold(events)[STORY]
    assert (progress.rejections, progress.verdict, progress.blocked) == (1, REJECTED, False)
    events += [launched(CODING), launched(REVIEWING), verdict(REJECTED)]  # coding again: a new round
    assert fold(events)[STORY].rejections == 2
