"""Continuation: the Stop hook keeps an orchestrating session's story going (asking the user or a recorded
BLOCKED end the turn); SessionStart tells a resumed or compacted session where the orchestration stands."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from cli_runner import run_spx
from hook_runner import (
    FEATURE,
    FIRST,
    PLUGIN,
    SECOND,
    SESSION,
    journal,
    launch,
    make_passing,
    record_verdict,
    run_hook,
    workflow_project,
)
from spec_builders import write_ledger

from spx_python.workflow.machine import APPROVED, CODING, MAX_REJECTIONS, REJECTED, REVIEWING, TESTING, UNDERSTANDING

ORCHESTRATOR = "orchestrating-python"
MID_SEQUENCE = "stop.mid-sequence"  # the Stop hook's one rule; only a block's reason carries it


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
    assert (result.decision, result.rule) == ("block", MID_SEQUENCE)
    assert f'"{PLUGIN}:{CODING}" and args "{FIRST}"' in result.reason
    assert (journal(project)[-1]["step"], journal(project)[-1]["rule"]) == ("stop", MID_SEQUENCE)


def test_stop_hook_active_without_progress_lets_the_turn_end_after_three_reminders(project: Path) -> None:
    """Ignoring one reminder is not enough to skip the rest of the story, and the user is never trapped."""
    orchestrate(project, UNDERSTANDING)
    assert stop(project).rule == MID_SEQUENCE
    assert [stop(project, active=True).rule for _ in range(2)] == [MID_SEQUENCE, MID_SEQUENCE]
    again = stop(project, active=True)
    assert again.decision is None
    assert "no progress after 3 reminders" in again.json["systemMessage"]


def test_stop_hook_active_after_progress_blocks_again(project: Path) -> None:
    orchestrate(project, UNDERSTANDING)
    assert stop(project).rule == MID_SEQUENCE
    assert launch(project, TESTING, FIRST).decision == "allow"
    assert stop(project, active=True).rule == MID_SEQUENCE


def test_stopping_is_allowed_once_the_story_is_done(project: Path) -> None:
    orchestrate(project, UNDERSTANDING, TESTING, CODING, REVIEWING)
    assert stop(project).rule == MID_SEQUENCE
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
    assert (result.decision, result.rule) == ("block", MID_SEQUENCE)
    assert FIRST in result.reason


def ask(project: Path, session: str = SESSION) -> Any:
    payload = {"session_id": session, "cwd": str(project), "hook_event_name": "PreToolUse",
               "tool_name": "AskUserQuestion", "tool_input": {"questions": [{"question": "Which format?"}]}}
    return run_hook("ask_record", payload)


def test_a_new_session_is_not_held_by_a_story_an_earlier_session_abandoned(project: Path) -> None:
    orchestrate(project, UNDERSTANDING)
    assert stop(project, session="a-new-session").stdout == ""
    assert launch(project, ORCHESTRATOR, None, session="a-new-session").decision == "allow"  # it resumes
    resumed = stop(project, session="a-new-session")
    assert (resumed.decision, resumed.rule) == ("block", MID_SEQUENCE)
    assert f"{FIRST} is in the middle of its sequence" in resumed.reason


def test_asking_the_user_ends_the_turn_until_the_story_moves_again(project: Path) -> None:
    orchestrate(project, UNDERSTANDING)
    asked = ask(project)
    assert (asked.exit_code, asked.stdout) == (0, "")  # no decision: the user's permission rules still apply
    assert stop(project).stdout == ""
    assert launch(project, TESTING, FIRST).decision == "allow"
    assert stop(project).rule == MID_SEQUENCE


def test_a_recorded_blocked_ends_the_turn_and_status_shows_it(project: Path) -> None:
    orchestrate(project, UNDERSTANDING, TESTING)
    refused_stop = stop(project)
    assert f'`spx workflow block {FIRST} --reason "why"`' in refused_stop.reason
    recorded = run_spx("workflow", "block", FIRST, "--reason", "the spec contradicts itself", cwd=project)
    assert recorded.returncode == 0, recorded.stderr
    assert stop(project).stdout == ""
    status = run_spx("workflow", "status", FIRST, cwd=project).stdout
    assert "BLOCKED: the spec contradicts itself" in status
    assert "wait for the user's decision; then carry on" in status
    assert launch(project, CODING, FIRST).decision == "allow"  # the user answered: the next step clears it
    assert stop(project).rule == MID_SEQUENCE


def test_blocking_a_story_that_is_not_in_its_sequence_is_refused(project: Path) -> None:
    refused = run_spx("workflow", "block", FIRST, "--reason", "why", cwd=project)
    assert refused.returncode != 0
    assert f"{FIRST}: is not in the middle of its sequence (at none) — there is nothing to block" in refused.stderr


def orchestration_context(project: Path, tmp_path: Path) -> str:
    result = session_start(project, tmp_path / "env.sh", source="compact")
    return str(result.json["hookSpecificOutput"]["additionalContext"])


def test_session_start_names_the_orchestration_mid_story(project: Path, tmp_path: Path) -> None:
    assert launch(project, ORCHESTRATOR, FEATURE).decision == "allow"
    assert launch(project, UNDERSTANDING, FIRST).decision == "allow"
    context = orchestration_context(project, tmp_path)
    assert f"orchestration under way: {FEATURE}" in context
    assert f"Resume it with /{PLUGIN}:{ORCHESTRATOR} {FEATURE} and go on" in context
    assert f'Exact next step: invoke the Skill tool with skill "{PLUGIN}:{TESTING}" and args "{FIRST}"' in context


def test_session_start_names_the_next_story_between_stories(project: Path, tmp_path: Path) -> None:
    assert launch(project, ORCHESTRATOR, None).decision == "allow"
    make_passing(project, FIRST)
    context = orchestration_context(project, tmp_path)
    assert "orchestration under way: the whole spec tree" in context
    assert f"Resume it with /{PLUGIN}:{ORCHESTRATOR} and go on" in context
    assert f'"{PLUGIN}:{UNDERSTANDING}" and args "{SECOND}"' in context


def test_session_start_names_the_feature_in_part_b(project: Path, tmp_path: Path) -> None:
    assert launch(project, ORCHESTRATOR, FEATURE).decision == "allow"
    make_passing(project, FIRST)
    make_passing(project, SECOND)
    context = orchestration_context(project, tmp_path)
    assert f'Exact next step: invoke the Skill tool with skill "{PLUGIN}:{UNDERSTANDING}" and args "{FEATURE}"' in (
        context
    )


def test_session_start_is_silent_once_the_orchestrated_scope_passes(project: Path, tmp_path: Path) -> None:
    assert launch(project, ORCHESTRATOR, FEATURE).decision == "allow"
    make_passing(project, FIRST)
    make_passing(project, SECOND)
    write_ledger(project / "spx" / FEATURE)
    assert session_start(project, tmp_path / "env.sh").stdout == ""
