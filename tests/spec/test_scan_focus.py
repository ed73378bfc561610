"""A scan focused on one workflow decision: the target's chain, everything before it whole, later work skipped."""

from __future__ import annotations

from pathlib import Path

import pytest
from spec_builders import container, new_project

from spx_python.spec.scan_focus import Focus
from spx_python.spec.tree import scan

PATHS = (
    "21-a.capability/21-x.feature/21-s.story",
    "21-a.capability/21-x.feature/32-t.story",
    "21-a.capability/32-y.feature/21-u.story",
    "21-a.capability/32-y.feature/32-v.story",
    "21-a.capability/43-z.feature/21-w.story",
    "32-b.capability/21-q.feature/21-r.story",
    "43-c.capability/21-o.feature/21-p.story",
)
TARGET = "21-a.capability/32-y.feature/21-u.story"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    new_project(tmp_path)
    for path in PATHS:
        parts = path.split("/")
        for depth in range(1, len(parts) + 1):
            container(tmp_path, "/".join(parts[:depth]), tests=("a.unit.test.py",) if depth == 3 else ())
    return tmp_path


def test_the_chain_and_everything_before_it_are_read_whole_and_later_work_is_skipped(root: Path) -> None:
    walked = [c.path for c in scan(root, Focus(TARGET)).walk()]
    assert walked == [
        "21-a.capability",
        "21-a.capability/21-x.feature",
        "21-a.capability/21-x.feature/21-s.story",
        "21-a.capability/21-x.feature/32-t.story",
        "21-a.capability/32-y.feature",
        TARGET,
    ]
    whole = [c.path for c in scan(root).walk()]
    assert walked == whole[: whole.index(TARGET) + 1]


def test_a_story_the_journal_holds_mid_sequence_is_read_wherever_it_is(root: Path) -> None:
    other = "32-b.capability/21-q.feature/21-r.story"
    tree = scan(root, Focus(TARGET, (other,)))
    found = tree.find(other)
    assert found is not None
    assert found.test_names == ("a.unit.test.py",)
    assert tree.find("43-c.capability") is None
    assert tree.find("21-a.capability/43-z.feature") is None


def test_a_target_that_is_no_path_reads_the_whole_tree(root: Path) -> None:
    assert [c.path for c in scan(root, Focus("not a path")).walk()] == [c.path for c in scan(root).walk()]
