"""Continuation: the Stop hook keeps an orchestrated story going; SessionStart tells a new session where it stands."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from hook_runner import (
    FIRST,
    PLUGIN,
    SESSION,
    journal,
    launch,
    make_passing,
    record_verdict,
    run_hook,
    workflow_project,
)

from spx_python.workflow.machine import APPROVED, CODING, MAX_REJECTIONS, REJECTED, REVIEWING, TESTING, UNDERSTANDING

ORCHESTRATOR = "orchestrating-python"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return workflow_project(tmp_path / "project")


def stop(project: Path, active: bool = False, session: str = SESSION) -> Any:
    payload = {"session_id": session, "cwd": str(project), "hook_event_name": "Stop", "stop_hook_active": active,
               "last_assistant_message": "All done."}
    return run_hook("stop", payload)


def orchestrate(project: Path, *steps: str) -> None:
    assert launch(project, ORCHESTRATOR, None).decision == "allow"
    for step in steps:
        assert launch(project, step, FIRST).decision == "allow"


def test_stopping_is_free_when_nothing_is_orchestrated(project: Path) -> None:
    assert launch(project, UNDERSTANDING, FIRST).decision == "allow"  # manual skill chaining
    result = stop(project)
    assert (result.exit_code, result.stdout) == (0, "")


def test_stopping_mid_story_is_blocked_with_the_next_step(project: Path) -> None:
    orchestrate(project, UNDERSTANDING, TESTING)
    result = stop(project)
    assert result.decision == "block"
    assert f'"{PLUGIN}:{CODING}" and args "{FIRST}"' in result.reason
    assert journal(project)[-1]["step"] == "stop"


def test_stop_hook_active_without_progress_lets_the_turn_end_after_three_reminders(project: Path) -> None:
    """Ignoring one reminder is not enough to skip the rest of the story, and the user is never trapped."""
    orchestrate(project, UNDERSTANDING)
    assert stop(project).decision == "block"
    assert [stop(project, active=True).decision for _ in range(2)] == ["block", "block"]
    again = stop(project, active=True)
    assert again.decision is None
    assert "no progress after 3 reminders" in again.json["systemMessage"]


def test_stop_hook_active_after_progress_blocks_again(project: Path) -> None:
    orchestrate(project, UNDERSTANDING)
    assert stop(project).decision == "block"
    assert launch(project, TESTING, FIRST).decision == "allow"
    assert stop(project, active=True).decision == "block"


def test_stopping_is_allowed_once_the_story_is_done(project: Path) -> None:
    orchestrate(project, UNDERSTANDING, TESTING, CODING, REVIEWING)
    assert stop(project).decision == "block"
    record_verdict(project, FIRST, APPROVED)
    blocked = stop(project)
    assert "--stamp" in blocked.reason
    make_passing(project, FIRST)
    assert stop(project).stdout == ""


def test_a_blocked_story_lets_the_model_stop_and_report(project: Path) -> None:
    orchestrate(project, UNDERSTANDING, TESTING, CODING, REVIEWING)
    for round_number in range(MAX_REJECTIONS):
        record_verdict(project, FIRST, REJECTED)
        if round_number < MAX_REJECTIONS - 1:
            assert launch(project, CODING, FIRST).decision == "allow"
            assert launch(project, REVIEWING, FIRST).decision == "allow"
    assert stop(project).stdout == ""


def session_start(project: Path, env_file: Path, source: str = "startup") -> Any:
    payload = {"session_id": "new-session", "cwd": str(project), "hook_event_name": "SessionStart", "source": source}
    return run_hook("session_start", payload, env={"CLAUDE_ENV_FILE": str(env_file)})


def test_session_start_injects_the_current_story_and_step(project: Path, tmp_path: Path) -> None:
    orchestrate(project, UNDERSTANDING)
    result = session_start(project, tmp_path / "env.sh", source="resume")
    context = result.json["hookSpecificOutput"]["additionalContext"]
    assert result.json["hookSpecificOutput"]["hookEventName"] == "SessionStart"
    assert f"{FIRST}: at context" in context
    assert f'"{PLUGIN}:{TESTING}" and args "{FIRST}"' in context


def test_session_start_is_silent_without_a_story_in_progress(project: Path, tmp_path: Path) -> None:
    assert session_start(project, tmp_path / "env.sh").stdout == ""


def test_session_start_puts_the_spx_launcher_on_path_once(project: Path, tmp_path: Path, repo_root: Path) -> None:
    env_file = tmp_path / "env.sh"
    session_start(project, env_file)
    session_start(project, env_file, source="resume")
    assert env_file.read_text().count("export PATH=") == 1
    found = subprocess.run(
        ["bash", "-c", f"source {env_file} && command -v spx && spx spec next"],
        cwd=project, capture_output=True, text=True, check=False,
        env={"PATH": "/usr/bin:/bin", "SPX_RUNTIME": "source"},  # the launcher from source: no runtime set-up here
    )
    assert found.returncode == 0, found.stderr
    assert found.stdout.splitlines() == [str(repo_root / "scripts" / "spx"), FIRST]


def test_a_cd_into_another_project_does_not_escape_the_stop_block(project: Path, tmp_path: Path) -> None:
    """The model moves its shell into a project of its own making; the session's project still holds the turn."""
    orchestrate(project, UNDERSTANDING)
    elsewhere = workflow_project(tmp_path / "elsewhere")
    payload = {"session_id": SESSION, "cwd": str(elsewhere), "hook_event_name": "Stop", "stop_hook_active": False}
    result = run_hook("stop", payload, env={"CLAUDE_PROJECT_DIR": str(project)})
    assert result.decision == "block"
    assert FIRST in result.reason
