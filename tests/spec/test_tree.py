"""Discovery of the spec tree: containers in BSP order, and every malformed entry reported as a problem."""

from __future__ import annotations

import os
from pathlib import Path

from spec_builders import container, new_project

from spx_python.spec.tree import scan


def problem_paths(root: Path) -> dict[str, str]:
    return {p.path: p.message for p in scan(root).problems}


def test_containers_are_discovered_in_bsp_order(tmp_path: Path) -> None:
    root = new_project(tmp_path)
    for path in ["32-b.capability", "21-a.capability", "20@54-c.capability", "21-a.capability/43-x.feature"]:
        container(root, path)
    container(root, "21-a.capability/21-y.feature")
    container(root, "21-a.capability/21-y.feature/10-s.story", tests=("s.unit.test.py",))
    tree = scan(root)
    assert [c.path for c in tree.walk()] == [
        "20@54-c.capability",
        "21-a.capability",
        "21-a.capability/21-y.feature",
        "21-a.capability/21-y.feature/10-s.story",
        "21-a.capability/43-x.feature",
        "32-b.capability",
    ]
    story = tree.find("21-a.capability/21-y.feature/10-s.story")
    assert story is not None
    assert story.test_names == ("s.unit.test.py",)
    assert tree.problems == ()


def test_ties_are_broken_by_slug_and_reported_as_duplicates(tmp_path: Path) -> None:
    root = new_project(tmp_path)
    for slug in ["zeta", "alpha", "mid"]:
        container(root, f"21-{slug}.capability")
    tree = scan(root)
    assert [c.slug for c in tree.capabilities] == ["alpha", "mid", "zeta"]
    assert sum("duplicate BSP 21" in p.message for p in tree.problems) == 2


def test_malformed_entries_are_problems_not_crashes(tmp_path: Path) -> None:
    root = new_project(tmp_path)
    container(root, "21-a.capability")
    (root / "spx/21-Bad.capability").mkdir()
    (root / "spx/100-high.capability").mkdir()
    container(root, "21-a.capability/32-s.story")  # a story directly in a capability
    two = container(root, "21-a.capability/21-f.feature")
    (two / "other.feature.md").write_text("x")
    container(root, "21-a.capability/21-f.feature/21-s.story", spec=False)
    story = container(root, "21-a.capability/21-f.feature/32-t.story")
    (story / "10-choice.adr.md").write_text("adr")
    renamed = container(root, "21-a.capability/43-g.feature", spec=False)
    (renamed / "wrong.feature.md").write_text("x")
    problems = problem_paths(root)
    assert "not a valid container name" in problems["spx/21-Bad.capability"]
    assert "10 to 99" in problems["spx/100-high.capability"]
    assert "cannot live in a capability" in problems["spx/21-a.capability/32-s.story"]
    assert "2 spec files" in problems["spx/21-a.capability/21-f.feature"]
    assert "no spec file" in problems["spx/21-a.capability/21-f.feature/21-s.story"]
    assert "stories hold no ADRs" in problems["spx/21-a.capability/21-f.feature/32-t.story"]
    assert "should be named g.feature.md" in problems["spx/21-a.capability/43-g.feature"]


def test_symlinked_directories_are_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    container(outside, "21-evil.capability")
    root = new_project(tmp_path / "project")
    os.symlink(outside / "spx/21-evil.capability", root / "spx/21-evil.capability")
    tree = scan(root)
    assert tree.capabilities == ()
    assert "not followed" in problem_paths(root)["spx/21-evil.capability"]
