"""`spx workflow status|log|reset` on a real project whose journal the real hooks wrote."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_runner import run_spx
from hook_runner import FEATURE, FIRST, gate, journal, launch, make_passing, phase, record_verdict, workflow_project

from spx_python.workflow.machine import NONE, TESTING, UNDERSTANDING


@pytest.fixture
def project(tmp_path: Path) -> Path:
    project = workflow_project(tmp_path / "project")
    assert launch(project, UNDERSTANDING, FIRST).decision == "allow"
    assert gate(project, "coding-python", FIRST).rule == "sequence.out-of-order"
    return project


def test_status_shows_the_phase_and_next_step(project: Path) -> None:
    result = run_spx("workflow", "status", cwd=project)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == f"{FIRST}: context"
    assert f'"spx-python:{TESTING}" and args "{FIRST}"' in result.stdout


def test_status_of_one_story_as_json(project: Path) -> None:
    result = run_spx("workflow", "status", f"spx/{FIRST}/", "--format", "json", cwd=project)
    document = json.loads(result.stdout)
    assert (document["story"], document["phase"], document["mid_sequence"]) == (FIRST, "context", True)


def test_status_refuses_a_bare_name_and_shows_a_feature_which_has_its_own_sequence(project: Path) -> None:
    bare = run_spx("workflow", "status", "21-first.story", cwd=project)
    assert bare.returncode == 1
    assert f"did you mean {FIRST}" in bare.stderr
    feature = run_spx("workflow", "status", FEATURE, cwd=project)
    assert feature.returncode == 0
    assert feature.stdout.startswith(f"{FEATURE}: none\n  next: invoke the Skill tool")


def test_log_lists_every_decision_and_filters_by_time(project: Path) -> None:
    text = run_spx("workflow", "log", cwd=project).stdout.splitlines()
    assert [line.split()[4] for line in text] == ["allow", "launched", "deny"]
    as_json = json.loads(run_spx("workflow", "log", "--format", "json", cwd=project).stdout)
    assert as_json == journal(project)
    assert json.loads(run_spx("workflow", "log", "--since", "2999-01-01", "--format", "json", cwd=project).stdout) == []
    assert run_spx("workflow", "log", "--since", "yesterday", cwd=project).returncode == 2


def test_reset_needs_yes_off_a_terminal_and_keeps_history(project: Path) -> None:
    before = journal(project)
    refused = run_spx("workflow", "reset", FIRST, cwd=project)
    assert refused.returncode == 2
    assert "--yes" in refused.stderr
    assert journal(project) == before
    done = run_spx("workflow", "reset", FIRST, "--yes", cwd=project)
    assert done.returncode == 0, done.stderr
    assert journal(project)[: len(before)] == before
    assert journal(project)[-1]["step"] == "reset"
    assert phase(project, FIRST) == NONE
    assert gate(project, UNDERSTANDING, FIRST).decision == "allow"


def test_status_without_any_journal_says_how_to_begin(tmp_path: Path) -> None:
    project = workflow_project(tmp_path / "fresh")
    result = run_spx("workflow", "status", cwd=project)
    assert result.returncode == 0
    assert "spx spec next" in result.stdout


def test_a_finished_story_says_it_is_done(project: Path) -> None:
    for step in ("testing-python", "coding-python", "reviewing-python"):
        assert launch(project, step, FIRST).decision == "allow"
    record_verdict(project, FIRST, "APPROVED")
    make_passing(project, FIRST)
    status = run_spx("workflow", "status", FIRST, cwd=project).stdout
    assert status.startswith(f"{FIRST}: done")
    assert f"next: nothing — {FIRST} is done (approved and stamped); `spx spec next` names what comes next" in status
