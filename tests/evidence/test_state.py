"""Cached state derivation and the worst-of rollup (catalogue K8, K9, K11, K12 and the Merkle rule)."""

from __future__ import annotations

from pathlib import Path

from spec_builders import container, new_project, write_ledger

from spx_python.evidence.state import State, derive_tree
from spx_python.spec.tree import scan

CAP = "21-app.capability"
FEAT = f"{CAP}/21-core.feature"
STORY_A = f"{FEAT}/21-first.story"
STORY_B = f"{FEAT}/32-second.story"


def states(root: Path) -> dict[str, State]:
    return derive_tree(scan(root)).shown


def build(root: Path) -> None:
    new_project(root)
    container(root, CAP)
    container(root, FEAT)
    container(root, STORY_A, tests=("a.unit.test.py",))
    container(root, STORY_B, tests=("b.unit.test.py",))


def test_k8_no_tests_and_no_ledger_is_unknown(tmp_path: Path) -> None:
    new_project(tmp_path)
    container(tmp_path, CAP)
    assert states(tmp_path)[CAP] is State.UNKNOWN


def test_tests_without_ledger_are_pending(tmp_path: Path) -> None:
    build(tmp_path)
    assert states(tmp_path)[STORY_A] is State.PENDING


def test_k12_matching_ledger_is_passing(tmp_path: Path) -> None:
    build(tmp_path)
    write_ledger(tmp_path / "spx" / STORY_A)
    assert states(tmp_path)[STORY_A] is State.PASSING


def test_k9_changed_spec_is_stale(tmp_path: Path) -> None:
    build(tmp_path)
    story = tmp_path / "spx" / STORY_A
    write_ledger(story)
    (story / "first.story.md").write_text("# first\n\nChanged requirements.\n")
    derived = derive_tree(scan(tmp_path))
    assert derived.shown[STORY_A] is State.STALE
    assert derived.own[STORY_A].reasons == ("the spec changed since the stamp",)


def test_changed_test_and_phantom_are_stale(tmp_path: Path) -> None:
    build(tmp_path)
    story = tmp_path / "spx" / STORY_A
    (story / "tests/extra.unit.test.py").write_text("def test_x() -> None:\n    pass\n")
    write_ledger(story)
    (story / "tests/a.unit.test.py").write_text("def test_changed() -> None:\n    pass\n")
    (story / "tests/extra.unit.test.py").unlink()
    reasons = derive_tree(scan(tmp_path)).own[STORY_A].reasons
    assert reasons == ("a.unit.test.py changed since the stamp", "phantom: extra.unit.test.py is listed but missing")


def test_unlisted_test_file_is_pending_work_in_progress(tmp_path: Path) -> None:
    build(tmp_path)
    story = tmp_path / "spx" / STORY_A
    write_ledger(story)
    (story / "tests/new.unit.test.py").write_text("def test_new() -> None:\n    pass\n")
    assert states(tmp_path)[STORY_A] is State.PENDING


def test_k11_feature_takes_the_worst_child_state(tmp_path: Path) -> None:
    build(tmp_path)
    write_ledger(tmp_path / "spx" / STORY_A)
    shown = states(tmp_path)
    assert shown[STORY_A] is State.PASSING
    assert shown[STORY_B] is State.PENDING
    assert shown[FEAT] is State.PENDING
    assert shown[CAP] is State.PENDING


def test_parent_without_tests_passes_only_when_stamped(tmp_path: Path) -> None:
    build(tmp_path)
    write_ledger(tmp_path / "spx" / STORY_A)
    write_ledger(tmp_path / "spx" / STORY_B)
    assert states(tmp_path)[FEAT] is State.UNKNOWN
    write_ledger(tmp_path / "spx" / FEAT)
    assert states(tmp_path)[FEAT] is State.PASSING


def test_k15_child_ledger_change_makes_the_parent_stale(tmp_path: Path) -> None:
    build(tmp_path)
    for story in (STORY_A, STORY_B):
        write_ledger(tmp_path / "spx" / story)
    write_ledger(tmp_path / "spx" / FEAT)
    story_a = tmp_path / "spx" / STORY_A
    (story_a / "tests/a.unit.test.py").write_text("def test_v2() -> None:\n    pass\n")
    write_ledger(story_a)  # the child was re-stamped; the feature's `# child` line is now out of date
    derived = derive_tree(scan(tmp_path))
    assert derived.shown[STORY_A] is State.PASSING
    assert derived.shown[FEAT] is State.STALE
    assert derived.own[FEAT].reasons == ("child 21-first.story's ledger changed since the stamp",)


def test_worst_of_order() -> None:
    from spx_python.evidence.state import worst

    assert worst([State.PASSING, State.UNKNOWN]) is State.UNKNOWN
    assert worst([State.UNKNOWN, State.PENDING]) is State.PENDING
    assert worst([State.PENDING, State.STALE]) is State.STALE
    assert worst([State.STALE, State.REGRESSED]) is State.REGRESSED
    assert worst([]) is State.PASSING
