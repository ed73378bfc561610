"""`spx review PATH --reject FINDING`: the manual checklist can reject what the tools approved."""

from __future__ import annotations

from pathlib import Path

from cli_runner import run_spx
from spec_builders import container, new_project

from spx_python.evidence.review_verdicts import latest_verdict
from spx_python.workflow.machine import REJECTED

STORY = "21-app.capability/21-core.feature/21-first.story"


def test_manual_rejection_is_recorded_and_blocks_the_stamp(tmp_path: Path) -> None:
    new_project(tmp_path, git=True)
    container(tmp_path, "21-app.capability")
    container(tmp_path, "21-app.capability/21-core.feature")
    container(tmp_path, STORY, tests=("a.unit.test.py",))

    result = run_spx("review", STORY, "--reject", "src/app.py:3 — scenario 2 untested — add a test", cwd=tmp_path)

    assert result.returncode == 1
    assert result.stdout.startswith(f"REJECTED: {STORY}")
    verdict = latest_verdict(tmp_path, STORY)
    assert verdict is not None
    assert verdict.decision == REJECTED
    report = (tmp_path / verdict.report).read_text()
    assert "scenario 2 untested" in report
    stamp = run_spx("spec", "test", "--stamp", STORY, cwd=tmp_path)
    assert stamp.returncode == 1
    assert not (tmp_path / "spx" / STORY / "pass.csv").exists()


def test_bare_name_is_refused_before_anything_is_recorded(tmp_path: Path) -> None:
    new_project(tmp_path)
    container(tmp_path, "21-app.capability")
    container(tmp_path, "21-app.capability/21-core.feature")
    container(tmp_path, STORY)
    result = run_spx("review", "21-first.story", "--reject", "x", cwd=tmp_path)
    assert result.returncode == 1
    assert "did you mean" in result.stderr
    assert not (tmp_path / ".spx").exists()
