"""`spx review PATH --reject FINDING`: the manual checklist can reject what the tools approved."""

from __future__ import annotations

from pathlib import Path

from cli_runner import run_spx
from spec_builders import container, new_project

from spx_python.evidence.review_verdicts import latest_verdict
from spx_python.review.report import reserve_report
from spx_python.workflow.journal import append_event, read_events
from spx_python.workflow.machine import LAUNCHED, REJECTED, fold

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


def test_several_rejections_in_one_round_keep_every_report_and_count_once(tmp_path: Path) -> None:
    new_project(tmp_path, git=True)
    for path in ("21-app.capability", "21-app.capability/21-core.feature"):
        container(tmp_path, path)
    container(tmp_path, STORY, tests=("a.unit.test.py",))
    steps = ("understanding-specs", "testing-python", "coding-python", "reviewing-python")
    events = [{"story": STORY, "step": step, "decision": LAUNCHED, "session": "s", "time": "t"} for step in steps]
    for event in events:
        append_event(tmp_path, event)
    findings = ("src/app.py:3 — scenario 2 untested — add a test", "src/app.py:9 — magic number — name it")
    for finding in findings:
        assert run_spx("review", STORY, "--reject", finding, cwd=tmp_path).returncode == 1
    reports = [e["report"] for e in read_events(tmp_path)[0] if e.get("step") == "review"]
    assert len(set(reports)) == 2
    texts = [(tmp_path / report).read_text() for report in reports]
    assert ["scenario 2 untested" in texts[0], "magic number" in texts[1]] == [True, True]
    assert fold(read_events(tmp_path)[0])[STORY].rejections == 1


def test_two_reports_of_the_same_second_never_share_a_name(tmp_path: Path) -> None:
    first = reserve_report(tmp_path, STORY, "2026-11-28T00:30:00Z")
    second = reserve_report(tmp_path, STORY, "2026-11-28T00:30:00Z")
    assert first != second
    assert (tmp_path / first).exists() and (tmp_path / second).exists()
