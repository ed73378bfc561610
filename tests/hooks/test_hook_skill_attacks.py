"""Adversarial Skill calls: near-miss skill names, odd arguments, and launches the gate never allowed.

Real hook processes (`skill_gate`, `skill_record`, `prompt_expansion`) on a real git project.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hook_runner import (
    FIRST,
    PLUGIN,
    SESSION,
    journal,
    launch,
    launched_steps,
    phase,
    rule_in,
    run_hook,
    skill_payload,
    workflow_project,
)

UNDERSTANDING = "understanding-specs"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return workflow_project(tmp_path / "project")


UNGATED = "sequence.ungated-launch"
NEAR_MISSES = [
    "Spx-Python:Understanding-Specs",
    "SPX-PYTHON:UNDERSTANDING-SPECS",
    "spx-python:understanding-specs\u200b",
    "\uff53px-python:understanding-specs",
    "spx-python:understanding\u2010specs",
    "spx-python : understanding-specs",
    "Understanding-Specs",
]


@pytest.mark.parametrize("skill", NEAR_MISSES)
def test_a_near_miss_of_a_workflow_skill_name_is_denied(project: Path, skill: str) -> None:
    result = run_hook("skill_gate", skill_payload(project, skill, FIRST))
    assert (result.exit_code, result.decision, result.rule) == (0, "deny", "skill.inexact-name")
    assert f'"{PLUGIN}:{UNDERSTANDING}"' in result.reason
    assert journal(project) == []


@pytest.mark.parametrize("skill", NEAR_MISSES[:2])
def test_a_typed_near_miss_is_blocked(project: Path, skill: str) -> None:
    payload = {
        "session_id": SESSION,
        "cwd": str(project),
        "hook_event_name": "UserPromptExpansion",
        "command_name": skill,
        "command_args": FIRST,
        "command_source": "plugin",
    }
    result = run_hook("prompt_expansion", payload)
    assert (result.decision, result.rule) == ("block", "skill.inexact-name")


@pytest.mark.parametrize("skill", ["other:understanding-specs", "other-plugin:testing-python", "simplify"])
def test_other_plugins_skills_get_no_decision(project: Path, skill: str) -> None:
    result = run_hook("skill_gate", skill_payload(project, skill, FIRST))
    assert (result.exit_code, result.stdout) == (0, "")


@pytest.mark.parametrize("args", [f"  spx/{FIRST}/\n", f"\t{FIRST}  "])
def test_padded_arguments_advance_the_canonical_story(project: Path, args: str) -> None:
    assert launch(project, UNDERSTANDING, args).decision == "allow"
    assert phase(project, FIRST) == "context"


def post_tool_use(project: Path, step: str, args: str) -> tuple[str | None, str]:
    """The decision and the reason (with its rule id), or (None, "") when the hook printed nothing."""
    payload = skill_payload(project, f"{PLUGIN}:{step}", args)
    payload.update(hook_event_name="PostToolUse", tool_response={"success": True, "commandName": step})
    result = run_hook("skill_record", payload)
    assert result.exit_code == 0
    return result.decision, (result.reason if result.stdout else "")


def test_a_launch_without_a_gate_allow_does_not_count(project: Path) -> None:
    """A gate that timed out lets the skill run (Claude Code fails open); the launch must not advance the story."""
    decision, reason = post_tool_use(project, UNDERSTANDING, FIRST)
    assert (decision, rule_in(reason)) == ("block", UNGATED)
    assert "without an allow from the workflow gate" in reason
    assert phase(project, FIRST) == "none"
    assert launched_steps(project) == []


def test_one_allow_counts_for_one_launch_only(project: Path) -> None:
    assert launch(project, UNDERSTANDING, FIRST).decision == "allow"
    assert launched_steps(project) == [(FIRST, UNDERSTANDING)]
    assert rule_in(post_tool_use(project, "testing-python", FIRST)[1]) == UNGATED  # never allowed: out of order
    assert rule_in(post_tool_use(project, UNDERSTANDING, FIRST)[1]) == UNGATED  # its allow was used up
    assert launched_steps(project) == [(FIRST, UNDERSTANDING)]
    assert phase(project, FIRST) == "context"


def test_managing_specs_that_created_the_tree_is_recorded_without_a_refusal(tmp_path: Path) -> None:
    """Before spx/ exists the gate allows managing-specs without journaling; the launch must not be scolded."""
    project = tmp_path / "fresh"
    project.mkdir()
    gate = run_hook("skill_gate", skill_payload(project, f"{PLUGIN}:managing-specs", ""))
    assert gate.decision == "allow"
    workflow_project(project)  # what the skill did: the spec tree now exists
    assert post_tool_use(project, "managing-specs", "") == (None, "")
    assert launched_steps(project) == [(None, "managing-specs")]
