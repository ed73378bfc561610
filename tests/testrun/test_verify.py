"""`spx spec verify` (pre-commit / CI) and `spx spec status [--fresh]` over real ledgers and real pytest runs."""

from __future__ import annotations

import json
import re
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
    add_container,
    break_add,
    container_dir,
    make_project,
    stamp,
    stamp_tree,
    write_test,
)

pytestmark = pytest.mark.slow
SUMMARY_RE = re.compile(r"^(\d+) passed, (\d+) failed$")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "calc")


def summary(stdout: str) -> tuple[int, int]:
    match = SUMMARY_RE.match(stdout.splitlines()[-1])
    assert match, stdout
    return int(match.group(1)), int(match.group(2))


def states(project: Path, *args: str) -> dict[str, dict[str, object]]:
    result = run_spx("spec", "status", "--format", "json", *args, cwd=project)
    assert result.returncode == 0, result.stderr
    found: dict[str, dict[str, object]] = {}

    def visit(node: dict[str, object]) -> None:
        found[str(node["path"])] = node
        for child in node["children"]:  # type: ignore[attr-defined]
            visit(child)

    for node in json.loads(result.stdout)["containers"]:
        visit(node)
    return found


def test_k12_all_stamped_and_passing_verifies(project: Path) -> None:
    stamp_tree(project)
    result = run_spx("spec", "verify", cwd=project)
    assert result.returncode == 0, result.stdout
    assert summary(result.stdout) == (4, 0)
    assert all(node["state"] == "Passing" for node in states(project, "--fresh").values())


def test_k13_regression_blocks_verify(project: Path) -> None:
    stamp_tree(project)
    break_add(project)
    result = run_spx("spec", "verify", cwd=project)
    assert result.returncode == 1
    assert f"regression: spx/{ADD_STORY}/tests/add.unit.test.py" in result.stdout
    assert f"regression: spx/{FEATURE}/tests/arith.integration.test.py" in result.stdout
    assert summary(result.stdout) == (2, 2)


def test_k14_verify_runs_only_the_listed_tests(project: Path) -> None:
    stamp(project, ADD_STORY)
    stamp(project, SUB_STORY)
    write_test(project, ADD_STORY, "wip.unit.test.py", FAILING_TEST)
    write_test(project, SUB_STORY, "wip.unit.test.py", FAILING_TEST)
    result = run_spx("spec", "verify", cwd=project)
    assert result.returncode == 0, result.stdout
    assert summary(result.stdout) == (3, 0)
    assert "wip.unit.test.py" not in result.stdout  # never run
    assert "3 passed" in result.stdout  # pytest's own line: 3 test cases in the 3 listed files
    assert "in progress: 3 test file(s)" in result.stdout  # 2 wip files + the unstamped feature's test


def test_k6_phantom_blocks_verify_even_cached(project: Path) -> None:
    stamp(project, ADD_STORY)
    (container_dir(project, ADD_STORY) / "tests" / "edge.unit.test.py").unlink()
    for args in ((), ("--cached",)):
        result = run_spx("spec", "verify", *args, cwd=project)
        assert result.returncode == 1
        assert f"phantom: spx/{ADD_STORY}/tests/edge.unit.test.py" in result.stdout


def test_cached_verify_runs_no_tests(project: Path) -> None:
    stamp(project, ADD_STORY)
    break_add(project)
    result = run_spx("spec", "verify", "--cached", cwd=project)
    assert result.returncode == 0, result.stdout
    assert "test session starts" not in result.stdout
    assert summary(result.stdout) == (0, 0)


def test_k4_k9_stale_spec_is_a_warning_in_verify_and_stale_in_status(project: Path) -> None:
    stamp(project, ADD_STORY)
    spec = container_dir(project, ADD_STORY) / "add.story.md"
    spec.write_text(spec.read_text() + "\nMore.\n")
    result = run_spx("spec", "verify", ADD_STORY, cwd=project)
    assert result.returncode == 0, result.stdout
    assert f"stale: spx/{ADD_STORY} — the spec changed since the stamp" in result.stdout
    assert f"spx spec test --stamp {ADD_STORY}" in result.stdout
    assert states(project)[ADD_STORY]["state"] == "Stale"


def test_k8_no_tests_no_ledger_is_unknown(project: Path) -> None:
    add_container(project, f"{FEATURE}/43-mul.story")
    assert states(project)[f"{FEATURE}/43-mul.story"]["state"] == "Unknown"


def test_k10_fresh_status_shows_regressed_and_names_the_test(project: Path) -> None:
    stamp(project, ADD_STORY)
    break_add(project)
    assert states(project)[ADD_STORY]["state"] == "Passing"  # cached: the ledger still matches
    result = run_spx("spec", "status", "--fresh", cwd=project)
    assert result.returncode == 0
    assert "21-add.story [Regressed]" in result.stdout
    assert f"regression: spx/{ADD_STORY}/tests/add.unit.test.py" in result.stderr
    fresh = states(project, "--fresh")
    assert fresh[ADD_STORY]["state"] == "Regressed"
    assert fresh[FEATURE]["state"] == "Regressed"  # worst of its children
    assert fresh[CAPABILITY]["state"] == "Regressed"


def test_k11_feature_is_the_worst_of_its_stories(project: Path) -> None:
    stamp(project, ADD_STORY)
    found = states(project)
    assert found[ADD_STORY]["state"] == "Passing"
    assert found[SUB_STORY]["state"] == "Pending"
    assert found[FEATURE]["state"] == "Pending"


def test_k15_verify_warns_when_a_child_ledger_changed_after_the_parent_stamp(project: Path) -> None:
    stamp_tree(project)
    write_test(project, SUB_STORY, "more.unit.test.py", PASSING_TEST)
    stamp(project, SUB_STORY)
    result = run_spx("spec", "verify", cwd=project)
    assert result.returncode == 0, result.stdout
    assert f"stale: spx/{FEATURE} — child 32-sub.story's ledger changed since the stamp" in result.stdout
    assert summary(result.stdout) == (5, 0)


def test_malformed_ledger_fails_verify_with_its_line(project: Path) -> None:
    (container_dir(project, SUB_STORY) / "pass.csv").write_bytes(b"# spec_blob,nope\n")
    result = run_spx("spec", "verify", cwd=project)
    assert result.returncode == 1
    assert f"spx/{SUB_STORY}/pass.csv:" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert summary(result.stdout) == (0, 0)
