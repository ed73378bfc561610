"""`spx spec test --stamp STORY` from the model is allowed only at the end of the story's sequence.

Without this, a model could write tests and code without any workflow skill, run `spx review` and stamp
the ledger: the story would be Passing and the next one could start, every step skipped. Real hook
processes on a real git project; the sequence is driven through the real Skill gate and record hooks.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hook_runner import FEATURE, FIRST, SESSION, launch, record_verdict, run_hook, workflow_project

STEPS = ("understanding-specs", "testing-python", "coding-python", "reviewing-python")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return workflow_project(tmp_path / "project")


def bash(project: Path, command: str) -> tuple[str | None, str]:
    payload = {
        "session_id": SESSION,
        "cwd": str(project),
        "hook_event_name": "PreToolUse",
        "tool_name": "Bash",
        "tool_input": {"command": command},
    }
    result = run_hook("protect", payload)
    assert result.exit_code == 0
    return result.decision, (result.reason if result.stdout else "")


@pytest.mark.parametrize(
    "command",
    [
        f"spx spec test {FIRST} --stamp",
        f"spx spec test --st spx/{FIRST}",
        f"uv run spx spec test {FIRST} --stamp",
        f"bash -c 'spx spec test {FIRST} --stamp --force'",
        f"X=--stamp; spx spec test {FIRST} $X",
        f'cd "$PROJECT" && spx spec test {FIRST} --stamp',
    ],
)
def test_stamping_a_story_that_skipped_its_sequence_is_refused(project: Path, command: str) -> None:
    decision, reason = bash(project, command)
    assert decision == "deny", command
    assert reason.startswith("spx-python: ")


def test_the_refusal_names_the_next_step(project: Path) -> None:
    for step in STEPS[:3]:
        assert launch(project, step, FIRST).decision == "allow"
    decision, reason = bash(project, f"spx spec test {FIRST} --stamp")
    assert decision == "deny"
    assert "is at 'implemented'" in reason
    assert '"spx-python:reviewing-python"' in reason


def test_a_rejected_review_is_not_enough(project: Path) -> None:
    for step in STEPS:
        assert launch(project, step, FIRST).decision == "allow"
    record_verdict(project, FIRST, "REJECTED")
    assert bash(project, f"spx spec test {FIRST} --stamp")[0] == "deny"


def test_an_approved_story_in_review_may_be_stamped(project: Path) -> None:
    for step in STEPS:
        assert launch(project, step, FIRST).decision == "allow"
    record_verdict(project, FIRST, "APPROVED")
    assert bash(project, f"spx spec test {FIRST} --stamp") == (None, "")


@pytest.mark.parametrize("command", [f"spx spec test {FIRST}", "spx spec status"])
def test_plain_test_runs_are_not_gated(project: Path, command: str) -> None:
    assert bash(project, command) == (None, "")


def test_a_feature_stamp_is_gated_like_a_story_stamp(project: Path) -> None:
    decision, reason = bash(project, f"spx spec test {FEATURE} --stamp")
    assert decision == "deny"
    assert f"{FEATURE}: a feature's ledger is stamped at the end of its sequence (in review, APPROVED)" in reason
    assert f'args "{FEATURE}"' in reason
