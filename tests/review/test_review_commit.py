"""`spx commit`: only after a current APPROVED review, only the reviewed files, never unrelated ones."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from cli_runner import run_spx
from review_projects import CLEAN, IMPLEMENTATION, STORY, STORY_DIR, TEST_FILE, git, make_project, review_json

LEDGER = f"{STORY_DIR}/pass.csv"


def test_commit_is_refused_for_a_container_never_reviewed(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    done = run_spx("commit", STORY, cwd=root)
    assert done.returncode == 1
    assert f"never reviewed — run `spx review {STORY}`" in done.stderr
    assert git(root, "rev-list", "--count", "HEAD").strip() == "1"


def test_commit_is_refused_for_a_bare_name_with_a_suggestion(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    done = run_spx("commit", "21-add.story", cwd=root)
    assert done.returncode == 1 and f"did you mean {STORY}" in done.stderr


@pytest.mark.slow
def test_commit_is_refused_after_a_rejected_review(tmp_path: Path) -> None:
    root = make_project(tmp_path, "mocking")
    assert review_json(root)[0] == 1
    done = run_spx("commit", STORY, cwd=root)
    assert done.returncode == 1 and "is REJECTED — fix the findings in .spx/reviews/" in done.stderr


@pytest.mark.slow
def test_commit_after_approval_stages_only_the_reviewed_work(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    assert review_json(root)[0] == 0
    (root / LEDGER).write_text("# ledger stand-in written by the stamp\n")
    (root / "notes.txt").write_text("an unrelated file\n")

    original = (root / IMPLEMENTATION).read_text()
    (root / IMPLEMENTATION).write_text(original + "\n")
    stale = run_spx("commit", STORY, cwd=root)
    assert stale.returncode == 1 and "files changed since the APPROVED review" in stale.stderr
    (root / IMPLEMENTATION).write_text(original)

    unreviewed = root / Path(TEST_FILE).with_name("test_later.unit.test.py")
    unreviewed.write_text("def test_later() -> None:\n    assert 1 + 1 == 2\n")
    late = run_spx("commit", STORY, cwd=root)  # the stamp's rule: the verdict must cover every test file
    assert late.returncode == 1 and "test files were added since the APPROVED review" in late.stderr
    unreviewed.unlink()

    git(root, "add", "notes.txt")
    unrelated = run_spx("commit", STORY, cwd=root)
    assert unrelated.returncode == 1 and "other files are already staged: notes.txt" in unrelated.stderr
    git(root, "restore", "--staged", "notes.txt")

    done = run_spx("commit", STORY, cwd=root)
    assert done.returncode == 0, done.stderr
    committed = set(git(root, "show", "--name-only", "--format=", "HEAD").split())
    assert committed == {TEST_FILE, LEDGER, IMPLEMENTATION}  # the spec is unchanged since the baseline
    message = git(root, "log", "-1", "--format=%B")
    assert message.startswith("feat(arith): implement add story\n")
    assert f"Refs: {STORY}" in message.splitlines()
    assert git(root, "status", "--porcelain").strip() == "?? notes.txt"

    again = run_spx("commit", STORY, cwd=root)
    assert again.returncode == 1 and "nothing to commit" in again.stderr


@pytest.mark.slow
def test_a_story_commit_carries_the_set_up_its_context_needs(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(CLEAN, root)
    (root / "spx" / "CLAUDE.md").unlink()
    (root / ".gitignore").write_text("__pycache__/\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.email", "reviewer@example.com")
    git(root, "config", "user.name", "Reviewer")
    git(root, "add", "--", ".gitignore", "pyproject.toml", "src/calc/__init__.py")
    git(root, "commit", "-q", "-m", "chore: the project before spx")
    assert run_spx("init", "--allow-spx", cwd=root).returncode == 0
    (root / "notes.txt").write_text("not the story's\n")
    assert review_json(root)[0] == 0

    done = run_spx("commit", STORY, cwd=root)
    assert done.returncode == 0, done.stderr
    committed = set(git(root, "show", "--name-only", "--format=", "HEAD").split())
    specs = {f"{STORY_DIR}/add.story.md", "spx/21-math.capability/math.capability.md"}
    specs.add("spx/21-math.capability/21-arith.feature/arith.feature.md")
    setup = {"spx/CLAUDE.md", "pyproject.toml", ".gitignore", ".claude/settings.json"}
    assert committed == {TEST_FILE, IMPLEMENTATION, *setup, *specs}
    assert git(root, "status", "--porcelain").strip() == "?? notes.txt"

    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(root), str(clone))
    context = run_spx("spec", "context", STORY, cwd=clone)
    assert context.returncode == 0, context.stdout + context.stderr
    assert "spx/CLAUDE.md" in context.stdout
