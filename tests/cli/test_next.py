"""`next`: depth-first in BSP order (catalogue K1 and the N-cases' ordering traps in CODE names)."""

from __future__ import annotations

import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spec_builders import container, new_project, write_ledger

from spx_python.evidence.state import State, derive_tree, next_container
from spx_python.spec.bsp import KINDS, format_bsp
from spx_python.spec.tree import scan


def next_path(root: Path) -> str | None:
    tree = scan(root)
    found = next_container(tree.capabilities, derive_tree(tree))
    return found.path if found else None


def passing(root: Path, path: str) -> None:
    write_ledger(container(root, path, tests=("t.unit.test.py",)))


def test_n1_earlier_story_wins_over_a_started_later_one(tmp_path: Path) -> None:
    new_project(tmp_path)
    container(tmp_path, "21-c.capability")
    container(tmp_path, "21-c.capability/21-f.feature")
    container(tmp_path, "21-c.capability/21-f.feature/32-later.story", tests=("x.unit.test.py",))
    container(tmp_path, "21-c.capability/21-f.feature/21-early.story")
    assert next_path(tmp_path) == "21-c.capability/21-f.feature/21-early.story"


def test_n7_hierarchy_beats_story_numbers(tmp_path: Path) -> None:
    new_project(tmp_path)
    for path in ["20-a.capability", "20-a.capability/21-f.feature", "21-b.capability", "21-b.capability/21-f.feature"]:
        container(tmp_path, path)
    container(tmp_path, "20-a.capability/21-f.feature/43-late.story")
    container(tmp_path, "21-b.capability/21-f.feature/21-early.story", tests=("x.unit.test.py",))
    assert next_path(tmp_path) == "20-a.capability/21-f.feature/43-late.story"


def test_n8_the_trap_at_every_level(tmp_path: Path) -> None:
    for level in range(3):
        root = new_project(tmp_path / f"level{level}")
        first = [("10" if d <= level else "99") for d in range(3)]
        second = [("10" if d < level else ("20" if d == level else "10")) for d in range(3)]
        for numbers, tag in ((first, "a"), (second, "b")):
            parts = [f"{n}-{tag}{d}.{KINDS[d]}" for d, n in enumerate(numbers)]
            for depth in range(1, 4):
                container(root, "/".join(parts[:depth]))
        found = next_path(root)
        assert found is not None
        assert found.endswith(".story")
        assert found.split("/")[level].endswith(f"a{level}.{KINDS[level]}")


def test_k1_next_is_one_full_path_and_parents_come_after_their_children(tmp_path: Path) -> None:
    new_project(tmp_path)
    container(tmp_path, "21-c.capability")
    container(tmp_path, "21-c.capability/21-f.feature")
    passing(tmp_path, "21-c.capability/21-f.feature/21-s.story")
    passing(tmp_path, "21-c.capability/21-f.feature/32-t.story")
    assert next_path(tmp_path) == "21-c.capability/21-f.feature"
    write_ledger(tmp_path / "spx/21-c.capability/21-f.feature")
    assert next_path(tmp_path) == "21-c.capability"
    write_ledger(tmp_path / "spx/21-c.capability")
    assert next_path(tmp_path) is None


def test_n5_empty_tree_has_no_next(tmp_path: Path) -> None:
    new_project(tmp_path)
    assert next_path(tmp_path) is None


def test_n10_duplicate_numbers_break_ties_by_slug(tmp_path: Path) -> None:
    new_project(tmp_path)
    container(tmp_path, "21-c.capability")
    container(tmp_path, "21-c.capability/21-f.feature")
    for slug in ["zeta", "alpha", "mid"]:
        container(tmp_path, f"21-c.capability/21-f.feature/21-{slug}.story")
    assert next_path(tmp_path) == "21-c.capability/21-f.feature/21-alpha.story"


# --- property: next never skips a non-Passing container ------------------------------------------

numbers = st.integers(10, 99).map(lambda n: (n,)) | st.tuples(st.integers(10, 99), st.integers(10, 99))
trees = st.recursive(
    st.just([]),
    lambda children: st.lists(st.tuples(numbers, st.booleans(), children), max_size=3),
    max_leaves=12,
)


def materialise(root: Path, nodes: list, parent: str, depth: int) -> None:  # type: ignore[type-arg]
    if depth >= len(KINDS):
        return
    for index, (bsp, stamped, children) in enumerate(nodes):
        path = f"{parent}/" if parent else ""
        path += f"{format_bsp(bsp)}-n{index}.{KINDS[depth]}"
        container(root, path, tests=("t.unit.test.py",) if stamped or depth == 2 else ())
        materialise(root, children, path, depth + 1)
        if stamped:
            write_ledger(root / "spx" / path)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(trees)
def test_next_never_comes_after_a_non_passing_container(tmp_path: Path, nodes: list) -> None:  # type: ignore[type-arg]
    root = tmp_path / "tree"
    shutil.rmtree(root, ignore_errors=True)
    new_project(root)
    materialise(root, nodes, "", 0)
    tree = scan(root)
    states = derive_tree(tree)
    found = next_container(tree.capabilities, states)
    order = [c.path for c in tree.walk()]
    if found is None:
        assert all(states.state(p) is State.PASSING for p in order)
        return
    assert states.state(found.path) is not State.PASSING
    assert all(states.state(c.path) is State.PASSING for c in found.children)
    for path in order[: order.index(found.path)]:
        if not found.path.startswith(path + "/"):  # ancestors precede in pre-order but are not "before" it
            assert states.state(path) is State.PASSING, f"{path} is not Passing but next returned {found.path}"
