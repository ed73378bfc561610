"""`spx spec test PATH`: a real pytest run of the container's own tests, a per-file table and a diagnosis.

Every test drives the real `spx` console script on a real git repository; pytest really runs.
"""

from __future__ import annotations

import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from cli_runner import run_spx
from ledger_builders import (
    ADD_STORY,
    FAILING_TEST,
    FEATURE,
    PASSING_TEST,
    SUB_STORY,
    break_add,
    container_dir,
    git,
    make_project,
    stamp,
    write_test,
)

pytestmark = pytest.mark.slow


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "calc")


def test_unstamped_story_runs_its_tests_and_shows_them_in_progress(project: Path) -> None:
    result = run_spx("spec", "test", ADD_STORY, cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout  # pytest's own progress reached the terminal
    assert f"spx/{ADD_STORY}" in result.stdout
    for name in ("add.unit.test.py", "edge.unit.test.py"):
        assert any(name in line and "passed" in line and "in progress" in line for line in result.stdout.splitlines())


def test_k3_regression_named_and_exit_nonzero(project: Path) -> None:
    stamp(project, ADD_STORY)
    break_add(project)
    result = run_spx("spec", "test", ADD_STORY, cwd=project)
    assert result.returncode == 1
    assert f"regression: spx/{ADD_STORY}/tests/add.unit.test.py" in result.stdout
    assert "edge.unit.test.py" not in [line.split(":")[0] for line in result.stdout.splitlines()]
    assert any("edge.unit.test.py" in line and "current" in line for line in result.stdout.splitlines())


def test_k4_stale_spec_suggests_restamp(project: Path) -> None:
    stamp(project, ADD_STORY)
    spec = container_dir(project, ADD_STORY) / "add.story.md"
    spec.write_text(spec.read_text() + "\nA new acceptance criterion.\n")
    result = run_spx("spec", "test", ADD_STORY, cwd=project)
    assert result.returncode == 0, result.stdout
    assert f"stale spec: spx/{ADD_STORY}/tests/add.unit.test.py" in result.stdout
    assert f"spx spec test --stamp {ADD_STORY}" in result.stdout


def test_stale_test_and_stale_both_are_told_apart(project: Path) -> None:
    stamp(project, ADD_STORY)
    write_test(project, ADD_STORY, "edge.unit.test.py", FAILING_TEST)
    result = run_spx("spec", "test", ADD_STORY, cwd=project)
    assert result.returncode == 0, "a changed test that fails is stale, not a regression"
    assert f"stale test: spx/{ADD_STORY}/tests/edge.unit.test.py" in result.stdout
    spec = container_dir(project, ADD_STORY) / "add.story.md"
    spec.write_text("# add\n\nChanged.\n")
    result = run_spx("spec", "test", ADD_STORY, cwd=project)
    assert f"stale both: spx/{ADD_STORY}/tests/edge.unit.test.py" in result.stdout
    assert f"stale spec: spx/{ADD_STORY}/tests/add.unit.test.py" in result.stdout


def test_k6_phantom_listed_file_missing(project: Path) -> None:
    stamp(project, ADD_STORY)
    git(project, "rm", "-q", f"spx/{ADD_STORY}/tests/edge.unit.test.py")
    result = run_spx("spec", "test", ADD_STORY, cwd=project)
    assert result.returncode == 1
    assert f"phantom: spx/{ADD_STORY}/tests/edge.unit.test.py" in result.stdout
    assert any("edge.unit.test.py" in line and "missing" in line for line in result.stdout.splitlines())


def test_failing_work_in_progress_is_not_an_error(project: Path) -> None:
    stamp(project, ADD_STORY)
    write_test(project, ADD_STORY, "next.unit.test.py", FAILING_TEST)
    result = run_spx("spec", "test", ADD_STORY, cwd=project)
    assert result.returncode == 0, result.stdout
    assert any(
        "next.unit.test.py" in line and "failed" in line and "in progress" in line
        for line in result.stdout.splitlines()
    )


def test_same_named_test_files_in_different_containers_both_run(project: Path) -> None:
    write_test(project, SUB_STORY, "add.unit.test.py", PASSING_TEST)  # same name as in ADD_STORY
    for path in (ADD_STORY, SUB_STORY):
        result = run_spx("spec", "test", path, cwd=project)
        assert result.returncode == 0, result.stdout + result.stderr
        assert any("add.unit.test.py" in line and "passed" in line for line in result.stdout.splitlines())


def test_a_file_that_cannot_be_imported_is_reported_failed(project: Path) -> None:
    write_test(project, FEATURE, "broken.integration.test.py", "import no_such_module_here\n")
    result = run_spx("spec", "test", FEATURE, cwd=project)
    assert any("broken.integration.test.py" in line and "failed" in line for line in result.stdout.splitlines())
    assert any("arith.integration.test.py" in line and "passed" in line for line in result.stdout.splitlines())


def test_bare_name_is_refused_with_the_full_path(project: Path) -> None:
    result = run_spx("spec", "test", "21-add.story", cwd=project)
    assert result.returncode != 0
    assert ADD_STORY in result.stderr
    assert "Traceback" not in result.stderr


def test_force_without_stamp_is_a_usage_error(project: Path) -> None:
    result = run_spx("spec", "test", "--force", ADD_STORY, cwd=project)
    assert result.returncode == 2
    assert "--stamp" in result.stderr


VENV_PROBE = """\
import sys
from pathlib import Path


def test_runs_in_the_project_venv() -> None:
    project = Path(__file__).resolve().parents[5]
    assert Path(sys.prefix).resolve() == (project / ".venv").resolve()
"""


def test_tests_run_with_the_projects_own_venv_when_it_has_one(project: Path) -> None:
    write_test(project, ADD_STORY, "venv.unit.test.py", VENV_PROBE)
    without = run_spx("spec", "test", ADD_STORY, cwd=project)
    assert any("venv.unit.test.py" in line and "failed" in line for line in without.stdout.splitlines())

    venv = project / ".venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    # the project's venv sees this environment's packages (pytest) through a .pth file, as a dev install would
    site = next(venv.glob("lib/python*/site-packages"))
    (site / "dev-tools.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    with_venv = run_spx("spec", "test", ADD_STORY, cwd=project)
    assert with_venv.returncode == 0, with_venv.stdout + with_venv.stderr
    assert any("venv.unit.test.py" in line and "passed" in line for line in with_venv.stdout.splitlines())
