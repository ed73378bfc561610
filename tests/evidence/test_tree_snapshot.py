"""The remembered tree (.spx/cache/tree.marshal): reused only while every input is unchanged; never a stale Passing.

Every change below happens within the same timestamp tick as far as mtimes can tell (the mtime is put back
with os.utime, the size kept): what must give it away is the identity the snapshot recorded.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_runner import run_spx, spx_json
from hook_runner import FIRST, SECOND, gate, make_passing, workflow_project
from same_tick import SAME_SIZE_FAILING, keep_mtime, settle
from spec_builders import PASSING_TEST, container, new_project, write_ledger

from spx_python.cli.status_memo import memo_file
from spx_python.evidence import tree_snapshot
from spx_python.evidence.cache_frame import CHECK_LENGTH
from spx_python.evidence.order_index import index_file
from spx_python.evidence.tree_snapshot import MAGIC, cache_file, load

FEATURE = "21-app.capability/21-core.feature"
STORY = f"{FEATURE}/21-first.story"
LATER = f"{FEATURE}/32-later.story"
TEST_FILE = f"spx/{STORY}/tests/first.unit.test.py"
SPEC_FILE = f"spx/{STORY}/first.story.md"
HOUR_NS = 3600 * 10**9



@pytest.fixture
def project(tmp_path: Path) -> Path:
    """21-first stamped and Passing (with its feature); 32-later has a test file but no ledger."""
    new_project(tmp_path)
    write_ledger(container(tmp_path, STORY, tests=("first.unit.test.py",)))
    container(tmp_path, LATER, tests=("later.unit.test.py",))
    settle()
    return tmp_path


def _status(root: Path) -> dict[str, object]:
    return spx_json("spec", "status", "--format", "json", cwd=root)


def _next(root: Path) -> dict[str, object]:
    return spx_json("spec", "next", "--format", "json", cwd=root)


def _remembered(root: Path) -> dict[str, object]:
    """Status with the snapshot in place (taken by a first run, then reused)."""
    first = _status(root)
    assert load(root) is not None, "a settled whole-tree run remembers the tree"
    assert _status(root) == first
    return first



def test_a_remembered_tree_answers_as_a_fresh_scan(project: Path) -> None:
    remembered = _remembered(project)
    os.unlink(cache_file(project))
    assert _status(project) == remembered
    assert _next(project) == {"next": LATER, "all_passing": False, "kind": "story", "state": "Pending"}


def test_a_test_file_rewritten_in_the_same_tick_is_stale(project: Path) -> None:
    _remembered(project)
    test_file = project / TEST_FILE
    keep_mtime(test_file, lambda: test_file.write_text(SAME_SIZE_FAILING))
    assert _next(project) == {"next": STORY, "all_passing": False, "kind": "story", "state": "Stale"}


def test_a_spec_rewritten_in_the_same_tick_is_stale(project: Path) -> None:
    _remembered(project)
    spec = project / SPEC_FILE
    size = spec.stat().st_size
    keep_mtime(spec, lambda: spec.write_text("#" * (size - 1) + "\n"))
    assert spec.stat().st_size == size
    assert _next(project) == {"next": STORY, "all_passing": False, "kind": "story", "state": "Stale"}


def test_a_test_file_added_in_the_same_tick_is_pending(project: Path) -> None:
    _remembered(project)
    tests = project / "spx" / STORY / "tests"
    keep_mtime(tests, lambda: (tests / "extra.unit.test.py").write_text(PASSING_TEST))
    assert _next(project) == {"next": STORY, "all_passing": False, "kind": "story", "state": "Pending"}


def test_a_story_added_renamed_or_removed_in_the_same_tick_shows(project: Path) -> None:
    feature = project / "spx" / FEATURE
    shown = json.dumps(_remembered(project))
    assert "21-first.story" in shown
    assert "15-early.story" not in shown
    keep_mtime(feature, lambda: container(project, f"{FEATURE}/15-early.story"))
    assert "15-early.story" in json.dumps(_status(project))
    settle()
    _remembered(project)
    keep_mtime(feature, lambda: (feature / "21-first.story").rename(feature / "22-first.story"))
    shown = json.dumps(_status(project))
    assert "22-first.story" in shown
    assert "21-first.story" not in shown
    settle()
    _remembered(project)
    keep_mtime(feature, lambda: shutil.rmtree(feature / "22-first.story"))
    assert "22-first.story" not in json.dumps(_status(project))


def _flip_a_byte(data: bytes) -> bytes:
    index = data.index(b"Passing")
    return data[:index] + b"Pending" + data[index + len(b"Passing") :]


@pytest.mark.parametrize(
    "damage",
    [
        lambda _: b"",
        lambda _: b"\x00\xff not a snapshot",
        lambda data: data[: len(data) // 2],
        lambda data: MAGIC + b"0" * CHECK_LENGTH + data[len(MAGIC) + CHECK_LENGTH :],
        _flip_a_byte,  # hand-edited: the checksum no longer matches
    ],
    ids=["empty", "garbage", "truncated", "wrong-checksum", "hand-edited"],
)
def test_a_damaged_snapshot_is_ignored_and_rebuilt(project: Path, damage: Callable[[bytes], bytes]) -> None:
    remembered = _remembered(project)
    for answered_without_the_snapshot in (index_file(project), memo_file(str(project))):  # this test is the snapshot's
        os.unlink(answered_without_the_snapshot)
    file = Path(cache_file(project))
    file.write_bytes(damage(file.read_bytes()))
    os.utime(file, ns=(time.time_ns(), time.time_ns()))
    assert load(project) is None
    assert _status(project) == remembered
    assert load(project) is not None


def test_a_tree_with_a_symbolic_link_is_not_remembered(project: Path) -> None:
    """A link's target can change without touching any directory the snapshot would record."""
    target = project / "outside.unit.test.py"
    target.write_text(PASSING_TEST)
    (project / "spx" / LATER / "tests" / "linked.unit.test.py").symlink_to(target)
    settle()
    first = _status(project)
    assert load(project) is None
    assert not os.path.exists(cache_file(project))
    assert _status(project) == first


def test_a_tree_with_an_unsettled_input_is_not_remembered(project: Path) -> None:
    """An input changed at or after the run's start (here: an hour ahead, whatever the machine's load) may still
    change within its tick: the run answers from it but does not remember it."""
    test_file = project / TEST_FILE
    test_file.write_text(SAME_SIZE_FAILING)
    future = time.time_ns() + HOUR_NS
    os.utime(test_file, ns=(future, future))
    assert _next(project)["state"] == "Stale"
    assert not os.path.exists(cache_file(project))


def test_a_scoped_status_works_the_whole_tree_out_remembers_it_and_reads_it_again(project: Path) -> None:
    """A scoped status's `next` follows the one order rule over the whole tree, so its run is a whole-tree run."""
    result = run_spx("spec", "status", FEATURE, "--format", "json", cwd=project)
    assert result.returncode == 0, result.stderr
    assert load(project) is not None, "a settled whole-tree run remembers the tree"
    scoped = run_spx("spec", "status", FEATURE, "--format", "json", cwd=project)
    assert scoped.returncode == 0, scoped.stderr
    assert json.loads(scoped.stdout) == json.loads(result.stdout)
    assert json.loads(scoped.stdout) != _remembered(project)  # the scope's view, not the whole tree's
    assert "21-first.story" in scoped.stdout


def test_the_skill_gate_sees_an_earlier_story_rewritten_in_the_same_tick(tmp_path: Path) -> None:
    project = workflow_project(tmp_path)
    make_passing(project, FIRST)
    settle()
    assert gate(project, "understanding-specs", SECOND).decision == "allow"
    assert load(project) is not None, "the gate remembers the whole tree it worked out"
    test_file = project / "spx" / FIRST / "tests" / "behaviour.unit.test.py"
    keep_mtime(test_file, lambda: test_file.write_text(SAME_SIZE_FAILING))
    refused = gate(project, "understanding-specs", SECOND)
    assert refused.decision == "deny"
    assert FIRST in refused.reason


def test_an_edit_to_the_code_that_derives_states_retires_every_snapshot(tmp_path: Path) -> None:
    """A plugin update or a development edit changes the rules: a snapshot written by the old code is not read."""
    package = tmp_path / "spx_python"
    shutil.copytree(Path(tree_snapshot.__file__).parents[1], package, ignore=shutil.ignore_patterns("__pycache__"))
    probe = [sys.executable, "-c", "import spx_python.evidence.tree_snapshot as t; print(t.MAGIC)"]
    environment = {**os.environ, "PYTHONPATH": str(tmp_path), "PYTHONDONTWRITEBYTECODE": "1"}

    def magic() -> str:
        return subprocess.run(probe, env=environment, capture_output=True, text=True, check=True).stdout

    before = magic()
    state_module = package / "evidence" / "state.py"
    stat = state_module.stat()
    os.utime(state_module, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert magic() != before
