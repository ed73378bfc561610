"""One order rule: over generated spec trees, what `spx spec next [SCOPE]` answers is what the Skill gate
lets start, and a blocked scope is answered with the container the gate's refusal names."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from cli_runner import run_spx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spec_builders import container, new_project, write_ledger

from spx_python.evidence.blob import file_blob_sha
from spx_python.evidence.order_index import encode, index_file, load
from spx_python.evidence.state import derive_states, derive_tree, own_state_of
from spx_python.evidence.tree_snapshot import scan_recorded
from spx_python.spec.tree import SPEC_ROOT_NAME, scan
from spx_python.workflow.gate import IndexView, decide, evaluate
from spx_python.workflow.machine import UNDERSTANDING
from spx_python.workflow.order import first_unfinished, next_work

NUMBERS = (21, 32, 43)
TEST_FILE = "behaviour.unit.test.py"

# A tree shape: capabilities → features → stories, each story/feature/capability passing or not.
stories = st.lists(st.booleans(), min_size=1, max_size=3)
features = st.lists(st.tuples(st.booleans(), stories), min_size=1, max_size=2)
capabilities = st.lists(st.tuples(st.booleans(), features), min_size=1, max_size=2)

Shape = list[tuple[bool, list[tuple[bool, list[bool]]]]]


def build(root: Path, shape: Shape) -> None:
    """Stamp bottom-up what the shape marks passing (a parent's ledger records its children's ledgers)."""
    new_project(root)
    for c_index, (c_pass, feature_shapes) in enumerate(shape):
        capability = f"{NUMBERS[c_index]}-cap{c_index}.capability"
        container(root, capability)
        for f_index, (f_pass, story_shapes) in enumerate(feature_shapes):
            feature = f"{capability}/{NUMBERS[f_index]}-feat{f_index}.feature"
            container(root, feature)
            for s_index, s_pass in enumerate(story_shapes):
                story = container(root, f"{feature}/{NUMBERS[s_index]}-story{s_index}.story", tests=(TEST_FILE,))
                if s_pass:
                    write_ledger(story)
            if f_pass:
                write_ledger(root / SPEC_ROOT_NAME / feature)
        if c_pass:
            write_ledger(root / SPEC_ROOT_NAME / capability)


def allowed(root: Path, path: str) -> tuple[bool, str]:
    decision = evaluate(UNDERSTANDING, path, scan(root), {}, own_state_of(file_blob_sha))
    return decision.allowed, decision.reason


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(capabilities)
def test_next_is_exactly_what_the_gate_lets_start(shape: Shape) -> None:
    root = Path(tempfile.mkdtemp(prefix="spx-order-"))
    try:
        build(root, shape)
        tree = scan(root)
        states = derive_tree(tree)
        whole = next_work(tree.capabilities, states).container
        for item in tree.walk():
            may_start, reason = allowed(root, item.path)
            if states.state(item.path).value != "Passing":
                assert may_start == (whole is not None and item.path == whole.path), (item.path, reason)
            if not may_start:
                assert whole is not None and f'args "{whole.path}"' in reason, reason
            if item.kind != "story":
                work = next_work(tree.capabilities, states, item)
                answer, blocked = work.container, work.blocked
                if blocked:
                    assert answer == whole
                    assert not may_start and f"{answer.path} is not Passing" in reason
    finally:
        shutil.rmtree(root)


def test_a_blocked_scope_is_answered_with_the_blocking_story_the_gate_names(tmp_path: Path) -> None:
    build(tmp_path, [(False, [(False, [True, False]), (False, [False])])])
    blocker = "21-cap0.capability/21-feat0.feature/32-story1.story"
    scope = "21-cap0.capability/32-feat1.feature"
    answer = run_spx("spec", "next", scope, cwd=tmp_path)
    assert (answer.returncode, answer.stdout.strip()) == (0, blocker)
    assert f"{scope} waits for earlier work — {blocker} is not Passing" in answer.stderr
    may_start, reason = allowed(tmp_path, f"{scope}/21-story0.story")
    assert not may_start
    assert f"the earlier story {blocker} is not Passing (Pending)" in reason
    status = run_spx("spec", "status", scope, cwd=tmp_path).stdout  # the scoped view's `next`: the same one rule
    assert f"next: {blocker}\n  ({scope} waits for earlier work: {blocker} is not Passing and comes first)" in status
    document = json.loads(run_spx("spec", "status", scope, "--format", "json", cwd=tmp_path).stdout)
    assert (document["next"], document["blocks"]) == (blocker, scope)
    assert f"**Next:** `{blocker}`" in run_spx("spec", "status", scope, "--format", "markdown", cwd=tmp_path).stdout


def test_a_scope_whose_earlier_work_passes_shows_its_own_next_and_blocks_nothing(tmp_path: Path) -> None:
    build(tmp_path, [(False, [(True, [True, True]), (False, [False, False])])])  # the earlier feature stamped too
    scope = "21-cap0.capability/32-feat1.feature"
    inside = f"{scope}/21-story0.story"
    assert run_spx("spec", "next", scope, cwd=tmp_path).stdout.strip() == inside
    document = json.loads(run_spx("spec", "status", scope, "--format", "json", cwd=tmp_path).stdout)
    assert document["next"] == inside
    assert "blocks" not in document
    assert "waits for earlier work" not in run_spx("spec", "status", scope, cwd=tmp_path).stdout


def test_after_the_last_story_next_names_the_feature_and_the_gate_takes_it(tmp_path: Path) -> None:
    build(tmp_path, [(False, [(False, [True, True])])])
    feature = "21-cap0.capability/21-feat0.feature"
    answer = run_spx("spec", "next", feature, cwd=tmp_path)
    assert answer.stdout.strip() == feature
    assert allowed(tmp_path, feature) == (True, f"{feature}: spx-python:understanding-specs allowed (none → context)")


def write_index(root: Path) -> None:
    """The order index of the tree as it is now (written directly: the files are too new for a run to remember)."""
    tree, recorder = scan_recorded(root)
    own = derive_states(tree.capabilities, recorder.sha(file_blob_sha)).own
    prefix = f"{root}/"
    inputs = {path.removeprefix(prefix): identity for path, identity in recorder.inputs.items()}
    newest = max(max(identity[1], identity[2]) for identity in inputs.values())
    Path(index_file(root)).parent.mkdir(parents=True, exist_ok=True)
    Path(index_file(root)).write_bytes(encode(tree, own, inputs, newest))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(capabilities)
def test_the_order_index_decides_and_names_next_exactly_as_the_tree(shape: Shape) -> None:
    root = Path(tempfile.mkdtemp(prefix="spx-index-"))
    try:
        build(root, shape)
        write_index(root)
        tree = scan(root)
        whole = next_work(tree.capabilities, derive_tree(tree)).container
        index = load(root)
        assert index is not None
        found = first_unfinished((entry, entry.state) for entry in index.entries)
        assert (found[0].path if found else None) == (whole.path if whole else None)
        for item in tree.walk():
            from_index = decide(UNDERSTANDING, item.path, IndexView(load(root, [item.path]) or index), {})
            assert (from_index.allowed, from_index.reason) == allowed(root, item.path), item.path
    finally:
        shutil.rmtree(root)
