"""What a new user trips over on the command line: odd files on disk, and the next step named in every output.

Real subprocesses of `spx` in real temp directories; each error is one line naming the path and what to do.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from cli_runner import run_spx
from spec_builders import container, new_project

STORY = "21-app.capability/21-core.feature/21-first.story"
INTERNAL_ERROR = "internal error"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    new_project(tmp_path)
    container(tmp_path, "21-app.capability")
    container(tmp_path, "21-app.capability/21-core.feature")
    container(tmp_path, STORY, tests=("a.unit.test.py",))
    return tmp_path


def one_line_error(result: subprocess.CompletedProcess[str], *words: str) -> str:
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert INTERNAL_ERROR not in lines[0]
    for word in words:
        assert word in lines[0]
    return lines[0]


@pytest.mark.parametrize("kind", ["directory", "looping link"])
def test_a_test_file_that_is_no_file_is_a_problem_not_a_crash(project: Path, kind: str) -> None:
    odd = project / "spx" / STORY / "tests" / "odd.unit.test.py"
    if kind == "directory":
        odd.mkdir()
    else:
        odd.symlink_to(odd.name)
    for command in (("spec", "status"), ("spec", "test", STORY), ("spec", "verify", "--cached")):
        result = run_spx(*command, cwd=project)
        assert result.returncode == 0, result.stderr
        assert f"spx/{STORY}/tests/odd.unit.test.py: named like a test file but not a readable" in result.stdout
    tested = run_spx("spec", "test", STORY, cwd=project)
    assert "a.unit.test.py" in tested.stdout


def test_a_spx_file_instead_of_a_directory_is_named(tmp_path: Path) -> None:
    (tmp_path / "spx").write_text("#!/bin/sh\n")
    (tmp_path / "sub").mkdir()
    for command in (("spec", "status"), ("spec", "next"), ("init",)):
        line = one_line_error(run_spx(*command, cwd=tmp_path / "sub" if command[0] == "spec" else tmp_path))
        assert "spx: is not a directory" in line
        assert "rename or move it" in line
    assert (tmp_path / "spx").read_text() == "#!/bin/sh\n"
