"""The `spx-verify` pre-commit hook of this repository, run by the real `pre-commit` tool.

pre-commit builds its own virtualenv and pip-installs this repository into it (dependencies from
PyPI), exactly as for a user who lists the repository in `.pre-commit-config.yaml`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cli_runner import REPO_ROOT
from ledger_builders import ADD_STORY, GIT_IDENTITY, break_add, commit_all, git, make_project, stamp_tree

pytestmark = pytest.mark.slow
PRE_COMMIT = str(Path(sys.executable).parent / "pre-commit")
HOOK_ID = "spx-verify"


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = make_project(tmp_path / "calc", require_review=False)
    stamp_tree(root)
    commit_all(root, "stamped")
    return root


def run(argv: list[str], cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}
    env.pop("VIRTUAL_ENV", None)
    return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False)


def test_try_repo_passes_on_a_verified_tree_and_fails_on_a_regression(project: Path, pre_commit_home: Path) -> None:
    argv = [PRE_COMMIT, "try-repo", str(REPO_ROOT), HOOK_ID, "--all-files"]
    passed = run(argv, project, pre_commit_home)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout

    break_add(project)
    failed = run(argv, project, pre_commit_home)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "Failed" in failed.stdout
    assert f"regression: spx/{ADD_STORY}/tests/add.unit.test.py" in failed.stdout
    assert "2 passed, 2 failed" in failed.stdout


def test_installed_hook_blocks_a_commit_that_breaks_stamped_code(project: Path, pre_commit_home: Path) -> None:
    rev = git(REPO_ROOT, "rev-parse", "HEAD").strip()
    config = f"repos:\n-   repo: {REPO_ROOT}\n    rev: {rev}\n    hooks:\n    -   id: {HOOK_ID}\n"
    (project / ".pre-commit-config.yaml").write_text(config)
    commit_all(project, "add the pre-commit config")
    installed = run([PRE_COMMIT, "install"], project, pre_commit_home)
    assert installed.returncode == 0, installed.stdout + installed.stderr

    break_add(project)
    git(project, "add", "-A")
    refused = run(["git", *GIT_IDENTITY, "commit", "-q", "-m", "break add"], project, pre_commit_home)
    assert refused.returncode != 0
    assert "regression" in refused.stdout + refused.stderr
    assert git(project, "status", "--porcelain").strip(), "the broken change must still be uncommitted"
