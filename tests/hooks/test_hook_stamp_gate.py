"""`spx spec test --stamp STORY` from the model is allowed only at the end of the story's sequence.

Without this, a model could write tests and code without any workflow skill, run `spx review` and stamp
the ledger: the story would be Passing and the next one could start, every step skipped. Real hook
processes on a real git project; the sequence is driven through the real Skill gate and record hooks.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hook_runner import FEATURE, FIRST, SESSION, launch, record_verdict, run_hook, workflow_project

OUT_OF_SEQUENCE = "stamp.out-of-sequence"
UNCHECKED = "shell.unchecked-operand"
STEPS = ("understanding-specs", "testing-python", "coding-python", "reviewing-python")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return workflow_project(tmp_path / "project")


def bash_payload(project: Path, command: str) -> dict[str, Any]:
    return {
        "session_id": SESSION,
        "cwd": str(project),
        "hook_event_name": "PreToolUse",
        "tool_name": "Bash",
        "tool_input": {"command": command},
    }


def bash(project: Path, command: str) -> tuple[str | None, str | None]:
    """The decision and the rule id that decided it (both None when the hook printed nothing)."""
    result = run_hook("protect", bash_payload(project, command))
    assert result.exit_code == 0
    return result.decision, result.rule


@pytest.mark.parametrize(
    ("command", "rule"),
    [
        (f"spx spec test {FIRST} --stamp", OUT_OF_SEQUENCE),
        (f"spx spec test --st spx/{FIRST}", OUT_OF_SEQUENCE),
        (f"uv run spx spec test {FIRST} --stamp", OUT_OF_SEQUENCE),
        (f"bash -c 'spx spec test {FIRST} --stamp --force'", OUT_OF_SEQUENCE),
        (f"X=--stamp; spx spec test {FIRST} $X", UNCHECKED),
        (f'cd "$PROJECT" && spx spec test {FIRST} --stamp', UNCHECKED),
    ],
)
def test_stamping_a_story_that_skipped_its_sequence_is_refused(project: Path, command: str, rule: str) -> None:
    assert bash(project, command) == ("deny", rule), command


def test_the_refusal_names_the_next_step(project: Path) -> None:
    for step in STEPS[:3]:
        assert launch(project, step, FIRST).decision == "allow"
    refused = run_hook("protect", bash_payload(project, f"spx spec test {FIRST} --stamp"))
    assert (refused.decision, refused.rule) == ("deny", OUT_OF_SEQUENCE)
    reason = refused.reason
    assert "is at 'implemented'" in reason
    assert '"spx-python:reviewing-python"' in reason


def test_a_rejected_review_is_not_enough(project: Path) -> None:
    for step in STEPS:
        assert launch(project, step, FIRST).decision == "allow"
    record_verdict(project, FIRST, "REJECTED")
    assert bash(project, f"spx spec test {FIRST} --stamp") == ("deny", OUT_OF_SEQUENCE)


def test_an_approved_story_in_review_may_be_stamped(project: Path) -> None:
    for step in STEPS:
        assert launch(project, step, FIRST).decision == "allow"
    record_verdict(project, FIRST, "APPROVED")
    assert bash(project, f"spx spec test {FIRST} --stamp") == (None, None)


@pytest.mark.parametrize("command", [f"spx spec test {FIRST}", "spx spec status"])
def test_plain_test_runs_are_not_gated(project: Path, command: str) -> None:
    assert bash(project, command) == (None, None)


def test_a_feature_stamp_is_gated_like_a_story_stamp(project: Path) -> None:
    refused = run_hook("protect", bash_payload(project, f"spx spec test {FEATURE} --stamp"))
    assert (refused.decision, refused.rule) == ("deny", OUT_OF_SEQUENCE)
    reason = refused.reason
    assert f"{FEATURE}: a feature's ledger is stamped at the end of its sequence (in review, APPROVED)" in reason
    assert f'args "{FEATURE}"' in reason
