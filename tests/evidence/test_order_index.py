"""The order index (.spx/cache/order.marshal): what the Skill gate and `spx spec next` read instead of the tree.

It answers exactly as the tree does or not at all: every change below is made within the same timestamp
tick as far as mtimes can tell (the mtime put back with os.utime), and what must give it away is the
identity the index recorded. The gate's answers are compared with the tree's by removing the cache.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_runner import run_spx
from hook_runner import FEATURE, FIRST, OTHER_FEATURE, SECOND, THIRD, gate, make_passing, rule_in, workflow_project
from same_tick import SAME_SIZE_FAILING, forget_tree, keep_mtime, remember_tree, settle
from spec_builders import PASSING_TEST, container

from spx_python.evidence.order_index import index_file, load

STEP = "understanding-specs"





@pytest.fixture
def project(tmp_path: Path) -> Path:
    """21-first Passing; 32-second (its sibling, next) and the later feature's 21-third have no tests yet."""
    root = workflow_project(tmp_path)
    make_passing(root, FIRST)
    settle()
    return root


def test_the_gate_allows_from_the_index_what_the_tree_allows(project: Path) -> None:
    remember_tree(project)
    assert load(project, [SECOND]) is not None
    allowed = gate(project, STEP, SECOND)
    assert allowed.decision == "allow", allowed
    forget_tree(project)
    assert gate(project, STEP, SECOND).reason == allowed.reason


def test_the_gate_refuses_from_the_index_what_the_tree_refuses(project: Path) -> None:
    """A later story may not start before the earlier unfinished one: the index names the same blocker."""
    remember_tree(project)
    refused = gate(project, STEP, THIRD)
    assert (refused.decision, rule_in(refused.reason)) == ("deny", "order.earlier-unfinished"), refused
    assert SECOND in refused.reason
    forget_tree(project)
    assert gate(project, STEP, THIRD).reason == refused.reason


def test_an_earlier_test_file_rewritten_in_the_same_tick_is_not_passing_to_the_gate(project: Path) -> None:
    remember_tree(project)
    test_file = project / "spx" / FIRST / "tests" / "behaviour.unit.test.py"
    keep_mtime(test_file, lambda: test_file.write_text(SAME_SIZE_FAILING))
    assert load(project, [SECOND]) is None, "the rewritten file is among the inputs the decision reads"
    refused = gate(project, STEP, SECOND)
    assert (refused.decision, rule_in(refused.reason)) == ("deny", "order.earlier-unfinished"), refused
    assert f"{FIRST} is not Passing (Stale)" in refused.reason


def test_a_story_added_before_the_target_in_the_same_tick_blocks_it(project: Path) -> None:
    remember_tree(project)
    feature = project / "spx" / FEATURE
    keep_mtime(feature, lambda: container(project, f"{FEATURE}/15-early.story", tests=("early.unit.test.py",)))
    refused = gate(project, STEP, SECOND)
    assert (refused.decision, rule_in(refused.reason)) == ("deny", "order.earlier-unfinished"), refused
    assert "15-early.story" in refused.reason


def test_a_change_after_the_target_leaves_its_part_of_the_index_usable(project: Path) -> None:
    """Only what a decision reads is checked: a later feature's new test file retires the index for it, not
    for the story before it — and `spx spec next`, which names every problem, checks everything."""
    remember_tree(project)
    tests = project / "spx" / THIRD / "tests"
    keep_mtime(tests.parent, tests.mkdir)
    (tests / "third.unit.test.py").write_text(PASSING_TEST)
    assert load(project, [SECOND]) is not None
    assert load(project, [THIRD]) is None
    assert load(project) is None


@pytest.mark.parametrize(
    "damage",
    [
        lambda _: b"",
        lambda data: data[: len(data) // 2],
        lambda data: data.replace(b"Unknown", b"Passing", 1),  # hand-edited: the check no longer matches
    ],
    ids=["empty", "truncated", "hand-edited"],
)
def test_a_damaged_index_is_ignored(project: Path, damage: Callable[[bytes], bytes]) -> None:
    remember_tree(project)
    file = Path(index_file(project))
    file.write_bytes(damage(file.read_bytes()))
    os.utime(file, ns=(time.time_ns(), time.time_ns()))
    assert load(project, [SECOND]) is None
    refused = gate(project, STEP, THIRD)
    assert (refused.decision, rule_in(refused.reason)) == ("deny", "order.earlier-unfinished"), refused


def test_an_index_of_another_place_is_not_used(project: Path, tmp_path: Path) -> None:
    """A project copied or moved elsewhere carries its `.spx/`: the index names the root it was taken in."""
    remember_tree(project)
    moved = tmp_path / "moved"
    shutil.copytree(project, moved, symlinks=True)
    assert load(moved, [SECOND]) is None


def _next(project: Path, *args: str) -> tuple[int, str, str]:
    result = run_spx("spec", "next", *args, cwd=project)
    return result.returncode, result.stdout, result.stderr


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_next_from_the_index_answers_as_the_tree(project: Path, fmt: str) -> None:
    (project / "spx" / OTHER_FEATURE / "7-bad name.story").mkdir()  # a problem elsewhere: named in a note
    settle()
    remember_tree(project)
    from_index = _next(project, "--format", fmt)
    assert load(project) is not None
    forget_tree(project)
    assert _next(project, "--format", fmt) == from_index
    if fmt == "json":
        assert json.loads(from_index[1]) == {"next": SECOND, "all_passing": False, "kind": "story", "state": "Unknown"}
    else:
        assert from_index[1] == f"{SECOND}\n"
        assert "1 other problem(s) in spx/" in from_index[2]


def test_next_names_the_feature_whose_stories_all_pass_from_the_index(tmp_path: Path) -> None:
    project = workflow_project(tmp_path)
    for story in (FIRST, SECOND, THIRD):
        make_passing(project, story)
    settle()
    remember_tree(project)
    assert _next(project) == (0, f"{FEATURE}\n", "")
