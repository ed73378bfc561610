"""`spx review` beyond single stories: feature scope, text output, the journal event, a missing plugin."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_runner import run_spx
from review_projects import IMPLEMENTATION, STORY, blocking, make_project, review_json

from spx_python.evidence.review_verdicts import files_digest, latest_verdict

pytestmark = pytest.mark.slow

FEATURE = "21-math.capability/21-arith.feature"


def test_a_feature_review_runs_its_stories_tests_and_records_the_verdict(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    done = run_spx("review", f"spx/{FEATURE}/", cwd=root)
    assert done.returncode == 0, done.stdout
    assert done.stdout.startswith(f"APPROVED: {FEATURE}\n")
    lines = (root / ".spx" / "workflow.jsonl").read_text().splitlines()
    event = json.loads(lines[-1])
    assert {k: event[k] for k in ("story", "step", "decision", "session", "findings")} == {
        "story": FEATURE,
        "step": "review",
        "decision": "APPROVED",
        "session": None,
        "findings": 0,
    }
    assert event["time"].endswith("Z") and (root / event["report"]).is_file()
    assert event["digest"] == files_digest(root, event["files"])
    verdict = latest_verdict(root, FEATURE)
    assert verdict is not None and verdict.approved and IMPLEMENTATION in verdict.files


def test_text_output_lists_each_blocking_finding_with_its_fix(tmp_path: Path) -> None:
    root = make_project(tmp_path, "bare-except")
    done = run_spx("review", STORY, cwd=root)
    assert done.returncode == 1
    assert done.stdout.startswith(f"REJECTED: {STORY}\n")
    assert f"  {IMPLEMENTATION}:19: [bare-except] bare `except:` — catch the specific exception types" in done.stdout


def test_a_container_without_tests_is_rejected_as_having_no_tests(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    story = root / "spx" / "21-math.capability" / "21-arith.feature" / "32-sub.story"
    story.mkdir()
    (story / "sub.story.md").write_text("# sub\n")
    code, result = review_json(root, "21-math.capability/21-arith.feature/32-sub.story")
    assert (code, result["verdict"], blocking(result)) == (1, "REJECTED", {("no-tests", "", 0)})


def test_a_feature_whose_stories_reuse_a_test_file_name_is_type_checked_without_clashes(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    first = root / "spx" / STORY
    second = first.parent / "32-again.story"
    (second / "tests").mkdir(parents=True)
    (second / "again.story.md").write_text("# again\n")
    (second / "tests" / "add.unit.test.py").write_text((first / "tests" / "add.unit.test.py").read_text())
    code, result = review_json(root, FEATURE)
    assert (code, result["verdict"], result["tests"]["tests"]) == (0, "APPROVED", 6)
