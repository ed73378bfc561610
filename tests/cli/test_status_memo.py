"""`spx spec status` printed again from `.spx/cache/status.marshal` only while the tree it came from is unchanged.

Each change is made within the same timestamp tick as far as mtimes can tell (the mtime put back with
os.utime): the identities the order index recorded must give it away. What status prints from memory is
compared with what it works out with every cache removed.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from cli_runner import run_spx
from same_tick import SAME_SIZE_FAILING, forget_tree, keep_mtime, settle
from spec_builders import PASSING_TEST, container, new_project, write_ledger

from spx_python.cli.status_memo import memo_file

FEATURE = "21-app.capability/21-core.feature"
STORY = f"{FEATURE}/21-first.story"
LATER = f"{FEATURE}/32-later.story"
VIEWS = [("--format", fmt) for fmt in ("text", "table", "json", "markdown", "mermaid")] + [(FEATURE,)]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    new_project(tmp_path)
    write_ledger(container(tmp_path, STORY, tests=("first.unit.test.py",)))
    container(tmp_path, LATER, tests=("later.unit.test.py",))
    settle()  # only settled inputs are remembered
    return tmp_path


def _status(project: Path, *args: str) -> str:
    result = run_spx("spec", "status", *args, cwd=project)
    assert result.returncode == 0, result.stderr
    return result.stdout




@pytest.mark.parametrize("args", VIEWS, ids="-".join)
def test_a_remembered_view_is_what_the_tree_gives(project: Path, args: tuple[str, ...]) -> None:
    _status(project)  # a whole-tree run remembers the tree (a scoped one only reads it)
    worked_out = _status(project, *args)
    assert os.path.exists(memo_file(str(project)))
    assert _status(project, *args) == worked_out
    forget_tree(project)
    assert _status(project, *args) == worked_out


def test_a_test_file_rewritten_in_the_same_tick_shows_stale(project: Path) -> None:
    _status(project)
    assert "[Passing]" in _status(project).splitlines()[2]
    test_file = project / "spx" / STORY / "tests" / "first.unit.test.py"
    keep_mtime(test_file, lambda: test_file.write_text(SAME_SIZE_FAILING))
    assert "21-first.story [Stale]" in _status(project)


def test_a_story_added_in_the_same_tick_shows(project: Path) -> None:
    _status(project)
    _status(project)
    feature = project / "spx" / FEATURE
    keep_mtime(feature, lambda: container(project, f"{FEATURE}/43-newest.story", tests=("new.unit.test.py",)))
    (feature / "43-newest.story" / "tests" / "new.unit.test.py").write_text(PASSING_TEST)
    assert "43-newest.story [Pending]" in _status(project)


def test_a_damaged_memo_is_ignored(project: Path) -> None:
    _status(project)
    worked_out = _status(project)
    memo = Path(memo_file(str(project)))
    memo.write_bytes(memo.read_bytes().replace(b"Passing", b"Pending"))
    assert _status(project) == worked_out
