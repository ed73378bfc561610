"""`spx spec test --stamp`: when the ledger is written, what it holds, and refusals that leave it intact."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from cli_runner import run_spx
from ledger_builders import (
    ADD_STORY,
    CAPABILITY,
    FAILING_TEST,
    FEATURE,
    PASSING_TEST,
    SUB_STORY,
    break_add,
    container_dir,
    git,
    ledger_bytes,
    make_project,
    read_ledger,
    record_verdict,
    stamp,
    stamp_tree,
    write_test,
)

from spx_python.evidence.ledger import TIMESTAMP_RE
from spx_python.workflow.journal import read_events

pytestmark = pytest.mark.slow


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "calc")


def stamp_events(project: Path) -> list[dict[str, object]]:
    events, skipped = read_events(project)
    assert skipped == 0
    return [e for e in events if e.get("step") == "stamp"]


def test_k5_stamp_records_spec_and_test_blobs_as_git_computes_them(project: Path) -> None:
    out = stamp(project, ADD_STORY)
    assert f"stamped spx/{ADD_STORY}/pass.csv: 2 test file(s)" in out
    ledger = read_ledger(project, ADD_STORY)
    assert ledger.spec_blob == git(project, "hash-object", f"spx/{ADD_STORY}/add.story.md").strip()
    assert [row.test_file for row in ledger.rows] == ["add.unit.test.py", "edge.unit.test.py"]
    for row in ledger.rows:
        assert row.test_blob == git(project, "hash-object", f"spx/{ADD_STORY}/tests/{row.test_file}").strip()
        assert TIMESTAMP_RE.match(row.pass_time)
    assert TIMESTAMP_RE.match(ledger.run)
    assert ledger.children == ()
    status = run_spx("spec", "status", ADD_STORY, cwd=project)
    assert "[Passing]" in status.stdout
    assert stamp_events(project)[-1]["decision"] == "STAMPED"


def test_k7_failing_test_refuses_and_leaves_the_old_ledger_byte_for_byte(project: Path) -> None:
    stamp(project, ADD_STORY)
    before = ledger_bytes(project, ADD_STORY)
    write_test(project, ADD_STORY, "more.unit.test.py", FAILING_TEST)
    record_verdict(project, ADD_STORY)
    result = run_spx("spec", "test", "--stamp", ADD_STORY, cwd=project)
    assert result.returncode == 1
    assert "stamp refused" in result.stdout
    assert "more.unit.test.py (failed)" in result.stdout
    assert "--force" in result.stdout
    assert ledger_bytes(project, ADD_STORY) == before
    event = stamp_events(project)[-1]
    assert event["decision"] == "REFUSED"
    assert event["story"] == ADD_STORY
    assert event["session"] is None
    assert "more.unit.test.py" in str(event["reason"])


def test_k7_force_writes_a_partial_ledger_of_the_passing_files_and_says_so(project: Path) -> None:
    write_test(project, ADD_STORY, "more.unit.test.py", FAILING_TEST)
    out = stamp(project, ADD_STORY, "--force")
    assert "PARTIAL" in out
    assert [row.test_file for row in read_ledger(project, ADD_STORY).rows] == ["add.unit.test.py", "edge.unit.test.py"]
    status = run_spx("spec", "status", ADD_STORY, cwd=project)
    assert "[Pending]" in status.stdout  # the failing file is still work in progress


SKIPPING_TEST = """\
import pytest

from calc import add


def test_add() -> None:
    assert add(2, 3) == 5


@pytest.mark.skip(reason="later")
def test_add_negative() -> None:
    assert add(-2, -3) == -5


@pytest.mark.xfail(reason="later")
def test_add_large() -> None:
    assert add(10**6, 1) == 0
"""


def test_a_file_with_skipped_or_xfailed_tests_is_no_evidence(project: Path) -> None:
    write_test(project, ADD_STORY, "more.unit.test.py", SKIPPING_TEST)
    record_verdict(project, ADD_STORY)
    result = run_spx("spec", "test", "--stamp", ADD_STORY, cwd=project)
    assert result.returncode == 1
    assert not (container_dir(project, ADD_STORY) / "pass.csv").exists()
    assert "more.unit.test.py (2 skipped)" in result.stdout
    assert "a skipped or xfailed test is no evidence" in result.stdout
    out = stamp(project, ADD_STORY, "--force")
    assert [row.test_file for row in read_ledger(project, ADD_STORY).rows] == ["add.unit.test.py", "edge.unit.test.py"]
    assert "PARTIAL" in out


TWO_TESTS = "from calc import add\n\n\ndef test_add() -> None:\n    assert add(2, 3) == 5\n\n\n" + (
    "def test_add_again() -> None:\n    assert add(2, 3) == 6\n"
)
OUTCOME_HOOK = """\
import pytest


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport():
    report = yield
    report.outcome = "passed"
    return report
"""


def test_a_test_the_file_defines_that_did_not_run_keeps_its_file_out_of_the_ledger(project: Path) -> None:
    write_test(project, ADD_STORY, "more.unit.test.py", TWO_TESTS)
    with (project / "pyproject.toml").open("a") as handle:  # [tool.pytest.ini_options] is the last table
        handle.write("addopts = \"-k 'not again'\"\n")
    record_verdict(project, ADD_STORY)
    result = run_spx("spec", "test", "--stamp", ADD_STORY, cwd=project)
    assert result.returncode == 1
    assert "more.unit.test.py (1 not run)" in result.stdout
    assert f"spx/{ADD_STORY}/tests/more.unit.test.py:8: test_add_again did not run" in result.stdout
    stamp(project, ADD_STORY, "--force")
    assert [row.test_file for row in read_ledger(project, ADD_STORY).rows] == ["add.unit.test.py", "edge.unit.test.py"]


def test_a_conftest_hook_that_can_rewrite_outcomes_refuses_the_stamp_even_with_force(project: Path) -> None:
    write_test(project, ADD_STORY, "more.unit.test.py", FAILING_TEST)
    (project / "spx" / "conftest.py").write_text(OUTCOME_HOOK)
    record_verdict(project, ADD_STORY)
    result = run_spx("spec", "test", "--stamp", "--force", ADD_STORY, cwd=project)
    assert result.returncode == 1
    assert "spx/conftest.py:5: the hook `pytest_runtest_makereport` can change test outcomes" in result.stdout
    assert not (container_dir(project, ADD_STORY) / "pass.csv").exists()


def test_restamp_keeps_pass_time_of_unchanged_files(project: Path) -> None:
    stamp(project, ADD_STORY)
    first = read_ledger(project, ADD_STORY)
    time.sleep(1.1)
    write_test(project, ADD_STORY, "edge.unit.test.py", "def test_changed() -> None:\n    assert 2 == 2\n")
    stamp(project, ADD_STORY)
    second = read_ledger(project, ADD_STORY)
    assert second.row("add.unit.test.py") == first.row("add.unit.test.py")
    edge_before, edge_after = first.row("edge.unit.test.py"), second.row("edge.unit.test.py")
    assert edge_before is not None and edge_after is not None
    assert edge_after.pass_time > edge_before.pass_time
    assert edge_after.test_blob != edge_before.test_blob
    assert second.run > first.run


def test_story_stamp_needs_an_approved_review(project: Path) -> None:
    result = run_spx("spec", "test", "--stamp", ADD_STORY, cwd=project)
    assert result.returncode == 1
    assert f"never reviewed — run `spx review {ADD_STORY}`" in result.stdout
    assert not (container_dir(project, ADD_STORY) / "pass.csv").exists()
    record_verdict(project, ADD_STORY, "APPROVED")
    record_verdict(project, ADD_STORY, "REJECTED")
    result = run_spx("spec", "test", "--stamp", ADD_STORY, cwd=project)
    assert result.returncode == 1
    assert "latest review verdict is REJECTED" in result.stdout
    record_verdict(project, ADD_STORY, "APPROVED")
    assert run_spx("spec", "test", "--stamp", ADD_STORY, cwd=project).returncode == 0


def test_an_approval_goes_stale_when_reviewed_code_changes(project: Path) -> None:
    record_verdict(project, ADD_STORY)
    module = project / "src" / "calc" / "__init__.py"
    module.write_text(module.read_text() + "\n\ndef mul(a: int, b: int) -> int:\n    return a * b\n")
    result = run_spx("spec", "test", "--stamp", ADD_STORY, cwd=project)
    assert result.returncode == 1
    assert f"files changed since the APPROVED review — re-run `spx review {ADD_STORY}`" in result.stdout
    assert not (container_dir(project, ADD_STORY) / "pass.csv").exists()


def test_the_callers_pytest_environment_cannot_load_a_plugin_that_rewrites_outcomes(project: Path) -> None:
    write_test(project, ADD_STORY, "more.unit.test.py", FAILING_TEST)
    (project / "rewrite_plugin.py").write_text(OUTCOME_HOOK)
    record_verdict(project, ADD_STORY)
    env = {"PYTHONPATH": str(project), "PYTEST_PLUGINS": "rewrite_plugin", "PYTEST_ADDOPTS": "-p rewrite_plugin"}
    result = run_spx("spec", "test", "--stamp", ADD_STORY, cwd=project, env=env)
    assert result.returncode == 1
    assert "more.unit.test.py (failed)" in result.stdout
    assert not (container_dir(project, ADD_STORY) / "pass.csv").exists()


def test_a_plugin_loaded_by_the_projects_addopts_refuses_the_stamp(project: Path) -> None:
    (project / "rewrite_plugin.py").write_text(OUTCOME_HOOK)
    with (project / "pyproject.toml").open("a") as handle:  # [tool.pytest.ini_options] is the last table
        handle.write('addopts = ["-p", "rewrite_plugin"]\n')
    text = (project / "pyproject.toml").read_text().replace('pythonpath = ["src"]', 'pythonpath = ["src", "."]')
    (project / "pyproject.toml").write_text(text)
    record_verdict(project, ADD_STORY)
    result = run_spx("spec", "test", "--stamp", ADD_STORY, cwd=project)
    assert result.returncode == 1
    assert (
        "pyproject.toml:7: `-p rewrite_plugin` in addopts (loading a plugin) can change test outcomes" in result.stdout
    )


def test_a_test_file_added_after_the_approval_was_never_reviewed(project: Path) -> None:
    record_verdict(project, ADD_STORY)
    write_test(project, ADD_STORY, "later.unit.test.py", PASSING_TEST)
    result = run_spx("spec", "test", "--stamp", ADD_STORY, cwd=project)
    assert result.returncode == 1
    assert f"files changed since the APPROVED review — re-run `spx review {ADD_STORY}`" in result.stdout
    assert not (container_dir(project, ADD_STORY) / "pass.csv").exists()


def test_require_review_false_in_pyproject_lifts_the_review_rule(tmp_path: Path) -> None:
    project = make_project(tmp_path / "calc", require_review=False)
    result = run_spx("spec", "test", "--stamp", ADD_STORY, cwd=project)
    assert result.returncode == 0, result.stdout


def test_parent_stamp_refused_until_every_child_passes(project: Path) -> None:
    stamp(project, ADD_STORY)
    result = run_spx("spec", "test", "--stamp", FEATURE, cwd=project)
    assert result.returncode == 1
    assert f"child 32-sub.story is Pending, not Passing — stamp it first: `spx spec test --stamp {SUB_STORY}`" in (
        result.stdout
    )
    assert not (container_dir(project, FEATURE) / "pass.csv").exists()


def test_k15_parent_records_child_lines_and_goes_stale_when_a_child_is_restamped(project: Path) -> None:
    stamp_tree(project)
    feature = read_ledger(project, FEATURE)
    assert [c.name for c in feature.children] == ["21-add.story", "32-sub.story"]
    assert feature.children[0].ledger_blob == git(project, "hash-object", f"spx/{ADD_STORY}/pass.csv").strip()
    capability = read_ledger(project, CAPABILITY)
    assert [c.name for c in capability.children] == ["21-arith.feature"]
    assert capability.rows == ()  # a test-less capability: complete when its own ledger is stamped
    assert "next" not in run_spx("spec", "status", cwd=project).stdout.split("All containers")[0].split("\n\n")[-1]

    write_test(project, ADD_STORY, "edge.unit.test.py", "def test_changed() -> None:\n    assert 3 == 3\n")
    stamp(project, ADD_STORY)  # the child's ledger blob changes
    status = run_spx("spec", "status", cwd=project)
    assert re.search(r"21-arith.feature \[Stale\]", status.stdout)
    assert re.search(r"21-math.capability \[Stale\]", status.stdout)
    stamp(project, FEATURE)
    stamp(project, CAPABILITY)
    status = run_spx("spec", "status", cwd=project)
    assert "[Stale]" not in status.stdout
    assert "All containers are Passing" in status.stdout


def test_regressed_child_blocks_the_parent_stamp(project: Path) -> None:
    stamp(project, ADD_STORY)
    stamp(project, SUB_STORY)
    break_add(project)
    result = run_spx("spec", "test", "--stamp", FEATURE, cwd=project)
    assert result.returncode == 1  # the feature's own round-trip test fails with the broken add
    assert "stamp refused" in result.stdout
    assert not (container_dir(project, FEATURE) / "pass.csv").exists()


@pytest.mark.parametrize(
    ("content", "line", "problem"),
    [
        (b"", 1, "empty"),
        (b"\xef\xbb\xbf# spec_blob,", 1, "byte-order mark"),
        (b"# spec_blob,abc\r\n# run,2026-01-01T00:00:00Z\r\n", 1, "CRLF"),
        (b"# spec_blob," + b"a" * 40 + b"\n# run,2026-01-01T00:00:00Z\nfile,blob,time\n", 3, "header"),
        (b"# spec_blob,XYZ\n# run,2026-01-01T00:00:00Z\ntest_file,test_blob,pass_time\n", 1, "SHA"),
        (
            b"# spec_blob,"
            + b"a" * 40
            + b"\n# run,2026-01-01T00:00:00Z\ntest_file,test_blob,pass_time\n"
            + b"add.unit.test.py,"
            + b"b" * 40
            + b",2026-01-01T00:00:00Z\n"
            + b"add.unit.test.py,"
            + b"b" * 40
            + b",2026-01-01T00:00:00Z\n",
            5,
            "duplicate",
        ),
    ],
    ids=["empty", "bom", "crlf", "wrong-header", "bad-sha", "duplicate-rows"],
)
def test_malformed_ledger_is_reported_with_its_line_and_replaced_only_by_a_valid_stamp(
    project: Path, content: bytes, line: int, problem: str
) -> None:
    ledger = container_dir(project, ADD_STORY) / "pass.csv"
    ledger.write_bytes(content)
    result = run_spx("spec", "test", ADD_STORY, cwd=project)
    assert result.returncode == 1
    assert f"spx/{ADD_STORY}/pass.csv:{line}: malformed ledger" in result.stdout
    assert problem in result.stdout
    assert "Traceback" not in result.stdout + result.stderr

    write_test(project, ADD_STORY, "more.unit.test.py", FAILING_TEST)
    record_verdict(project, ADD_STORY)
    refused = run_spx("spec", "test", "--stamp", ADD_STORY, cwd=project)
    assert refused.returncode == 1
    assert ledger.read_bytes() == content

    (container_dir(project, ADD_STORY) / "tests" / "more.unit.test.py").unlink()
    record_verdict(project, ADD_STORY)  # the reviewed files changed: a new review
    stamped = run_spx("spec", "test", "--stamp", ADD_STORY, cwd=project)
    assert stamped.returncode == 0, stamped.stdout
    assert len(read_ledger(project, ADD_STORY).rows) == 2
