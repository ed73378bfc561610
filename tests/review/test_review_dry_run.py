"""`spx review PATH --dry-run`: the review's own checks, for the coding skill, recording nothing."""

from __future__ import annotations

import json
from pathlib import Path

from cli_runner import run_spx
from review_projects import STORY, make_project

from spx_python.review.report import REVIEWS_DIR
from spx_python.workflow.journal import read_events


def test_a_dry_run_gives_the_verdict_and_findings_but_records_nothing(tmp_path: Path) -> None:
    root = make_project(tmp_path, "repeated-literal")
    dry = run_spx("review", STORY, "--dry-run", "--format", "json", cwd=root)
    document = json.loads(dry.stdout)
    recorded = run_spx("review", STORY, "--format", "json", cwd=root)
    real = json.loads(recorded.stdout)
    assert (dry.returncode, document["verdict"]) == (recorded.returncode, real["verdict"])
    assert [f["rule"] for f in document["findings"]] == [f["rule"] for f in real["findings"]]
    assert (document["recorded"], document["report"]) == (False, None)
    reviews = [e for e in read_events(root)[0] if e.get("step") == "review"]
    assert len(reviews) == 1  # only the real review
    assert len(list((root / REVIEWS_DIR).iterdir())) == 1


def test_a_dry_run_in_text_says_nothing_was_recorded(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    dry = run_spx("review", STORY, "--dry-run", cwd=root)
    assert dry.stdout.splitlines()[-1] == (
        f"  dry run: no verdict recorded, no report written — the review step records one with `spx review {STORY}`"
    )
    assert read_events(root)[0] == []
