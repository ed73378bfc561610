"""Hooks fail closed on hostile payloads and broken state, and a failing Stop hook still never traps the user.

Real hook processes on real projects: a `.spx` that is a file, a journal that is a directory (appends
fail), a journal full of garbage, payloads that are huge, not UTF-8 or nested past Python's recursion limit.
"""

from __future__ import annotations

import fcntl
import time
from pathlib import Path
from typing import Any

import pytest
from hook_runner import FIRST, PLUGIN, SESSION, journal, run_hook, skill_payload, workflow_project

from spx_python.refusal_rules import INTERNAL_ERROR, SPX_ERROR
from spx_python.workflow.journal import journal_path

UNDERSTANDING = f"{PLUGIN}:understanding-specs"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return workflow_project(tmp_path / "project")


def stop_payload(project: Path, active: bool) -> dict[str, Any]:
    return {"session_id": SESSION, "cwd": str(project), "hook_event_name": "Stop", "stop_hook_active": active}


@pytest.mark.parametrize(
    "data",
    [
        b'{"tool_name": "Skill", "x": "' + b"a" * (33 * 1024 * 1024) + b'"}',
        b'{"tool_name": "Skill", "tool_input": {"skill": "\xff\xfe"}}',
        b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
    ],
    ids=["over-32MiB", "invalid-utf8", "nested-past-recursion-limit"],
)
@pytest.mark.parametrize("hook", ["skill_gate", "protect"])
def test_hostile_payloads_are_denied(hook: str, data: bytes) -> None:
    result = run_hook(hook, data, crash=True)
    assert (result.exit_code, result.decision, result.rule) == (0, "deny", INTERNAL_ERROR)


def test_a_state_dir_that_is_a_file_denies_the_gate_and_releases_a_repeated_stop(project: Path) -> None:
    (project / ".spx").write_text("not a directory\n")
    gate = run_hook("skill_gate", skill_payload(project, UNDERSTANDING, FIRST), crash=True)
    assert (gate.decision, gate.rule) == ("deny", INTERNAL_ERROR)
    stop = run_hook("stop", stop_payload(project, active=False), crash=True)
    assert (stop.decision, stop.rule) == ("block", INTERNAL_ERROR)
    released = run_hook("stop", stop_payload(project, active=True), crash=True)
    assert (released.exit_code, released.decision) == (0, None)
    assert "must not keep the session going" in released.json["systemMessage"]


def test_a_journal_that_cannot_be_appended_to_denies(project: Path) -> None:
    journal_path(project).mkdir(parents=True)  # a directory where the journal file should be
    result = run_hook("skill_gate", skill_payload(project, UNDERSTANDING, FIRST), crash=True)
    assert (result.exit_code, result.decision, result.rule) == (0, "deny", INTERNAL_ERROR)


def test_garbage_journal_lines_are_skipped_not_fatal(project: Path) -> None:
    path = journal_path(project)
    path.parent.mkdir()
    path.write_bytes(b'garbage\n\xff\xfe\n[1]\n1e999\n{"story": ["x"], "step": {}}\n' + b"[" * 100_000 + b"\n")
    result = run_hook("skill_gate", skill_payload(project, UNDERSTANDING, FIRST))
    assert result.decision == "allow"
    assert journal(project)[-1]["decision"] == "allow"
    assert run_hook("stop", stop_payload(project, active=True)).exit_code == 0


def test_a_process_squatting_on_the_journal_lock_gets_refusals_not_timeouts(project: Path) -> None:
    """Claude Code lets a timed-out hook's action through; the wait for the lock is bounded below the timeout."""
    lock = journal_path(project).parent / "workflow.lock"
    lock.parent.mkdir()
    with lock.open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        started = time.monotonic()
        gate = run_hook("skill_gate", skill_payload(project, UNDERSTANDING, FIRST))
        elapsed = time.monotonic() - started
    assert (gate.exit_code, gate.decision, gate.rule) == (0, "deny", SPX_ERROR)  # spx's own refusal, not a crash
    assert "held by another process" in gate.reason
    assert elapsed < 25  # hooks/hooks.json gives each hook 30 s
