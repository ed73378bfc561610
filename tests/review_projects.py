"""Real projects for the review-gate tests: the clean fixture copied into a temp dir, a git repo, overlays.

The baseline commit holds the project skeleton (pyproject, specs, package `__init__`); the story's
work (its implementation and tests) stays uncommitted, as it is when a story is reviewed.

A project starts with the mypy cache a first `spx review` of the clean project leaves in `.spx/cache/mypy`
(built once per test run), as a project reviewed before has it: mypy then re-checks only what changed
instead of all of typeshed's builtins (about a second of CPU per review). mypy validates every cached
module against its source and its options, so the findings are the same; `cold=True` starts without it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

from cli_runner import run_spx
from worker_shared import built_once_in, run_directory_of

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "review"
CLEAN = FIXTURES / "clean"
CASES = FIXTURES / "cases"
STORY = "21-math.capability/21-arith.feature/21-add.story"
STORY_DIR = f"spx/{STORY}"
TEST_FILE = f"{STORY_DIR}/tests/add.unit.test.py"
IMPLEMENTATION = "src/calc/arith.py"
MYPY_CACHE = Path(".spx") / "cache" / "mypy"
BASELINE = [".gitignore", "pyproject.toml", "spx/CLAUDE.md", "spx/21-math.capability", "src/calc/__init__.py"]


def git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True, timeout=60)
    return done.stdout


def overlay(root: Path, case: str) -> None:
    source = CASES / case
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        target = root / path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)


def make_project(tmp_path: Path, case: str | None = None, *, cold: bool = False) -> Path:
    """The clean project under `tmp_path/project`, baseline committed, `case` overlaid (uncommitted).

    `tmp_path` is the test's own; unless `cold`, the project gets the run's warm mypy cache.
    """
    root = _committed_clean_project(tmp_path / "project")
    if not cold:
        warm = built_once_in(run_directory_of(tmp_path), "review-mypy-cache", _reviewed_clean_project)
        shutil.copytree(warm / "project" / MYPY_CACHE, root / MYPY_CACHE)
    if case is not None:
        overlay(root, case)
    return root


def _reviewed_clean_project(directory: Path) -> None:
    root = _committed_clean_project(directory / "project")
    code, result = review_json(root)
    assert (code, result["verdict"]) == (0, "APPROVED"), result["reason"]


def _committed_clean_project(root: Path) -> Path:
    shutil.copytree(CLEAN, root)
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.email", "reviewer@example.com")
    git(root, "config", "user.name", "Reviewer")
    git(root, "add", "--", *BASELINE)
    git(root, "reset", "-q", "--", f"{STORY_DIR}/tests")
    git(root, "commit", "-q", "-m", "chore: baseline")
    return root


def review_json(root: Path, path: str = STORY) -> tuple[int, dict[str, Any]]:
    done = run_spx("review", path, "--format", "json", cwd=root)
    assert done.stdout.strip(), done.stderr
    return done.returncode, json.loads(done.stdout)


def blocking(result: dict[str, Any]) -> set[tuple[str, str, int]]:
    return {(f["rule"], f["file"], f["line"]) for f in result["findings"] if f["blocking"]}
