"""`spx init` in projects that already have tests: the project's own tests are all still collected after it
(whatever file holds the pytest settings), spx's test files are collected too, and an init that would lose
tests, or that cannot render, leaves every file as it was."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cli_runner import REPO_ROOT, run_spx

from spx_python.setup.pytest_pyproject import MARKERS, TEST_PATTERNS, manual_lines
from spx_python.toml_read import parse_toml

SPX_TEST = "spx/21-a.capability/21-f.feature/21-s.story/tests/s.unit.test.py"
OWN_TESTS = "def test_one() -> None:\n    assert True\n\n\ndef test_two() -> None:\n    assert True\n"
PROJECTS: dict[str, dict[str, str]] = {
    "ini-options with its own python_files": {
        "pyproject.toml": '[project]\nname = "p"\n\n[tool.pytest.ini_options]\npython_files = ["check_*.py"]\n',
        "tests/check_things.py": OWN_TESTS,
        "tests/test_ignored.py": "def test_not_collected_by_this_project() -> None:\n    assert True\n",
    },
    "pytest 9 native table with testpaths": {
        "pyproject.toml": '[tool.pytest]\nminversion = "9.0"\ntestpaths = ["tests"]\n',
        "tests/test_things.py": OWN_TESTS,
    },
    "pytest.ini": {"pytest.ini": "[pytest]\ntestpaths = tests\n", "tests/test_things.py": OWN_TESTS},
    "tox.ini": {"tox.ini": "[tox]\nenvlist = py\n\n[pytest]\npython_files = t_*.py\n", "tests/t_things.py": OWN_TESTS},
    "setup.cfg": {"setup.cfg": "[metadata]\nname = p\n\n[tool:pytest]\npython_files = t_*.py\n", "t_x.py": OWN_TESTS},
    "no config at all": {"tests/test_things.py": OWN_TESTS, "test_top.py": OWN_TESTS},
}


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def collected(root: Path) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
        cwd=root, capture_output=True, text=True, timeout=120, check=False,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )  # fmt: skip
    assert done.returncode in (0, 5), done.stdout + done.stderr
    return sorted(line for line in done.stdout.splitlines() if "::" in line)


@pytest.mark.parametrize("project", sorted(PROJECTS))
def test_init_keeps_every_test_of_the_project_and_adds_spx_ones(tmp_path: Path, project: str) -> None:
    write(tmp_path, PROJECTS[project])
    before = collected(tmp_path)
    assert len(before) >= 2
    result = run_spx("init", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    write(tmp_path, {SPX_TEST: "def test_spx() -> None:\n    assert True\n"})
    after = collected(tmp_path)
    assert [t for t in after if not t.startswith("spx/")] == before
    assert f"{SPX_TEST}::test_spx" in after


def test_init_that_would_lose_tests_restores_every_file_and_names_them(tmp_path: Path) -> None:
    # tests/test_uses_helper.py imports a sibling module, which only the default import mode allows:
    # the --import-mode=importlib that spx adds would make its collection fail.
    write(tmp_path, {
        "pyproject.toml": '[project]\nname = "p"  # ours\n',
        ".gitignore": "*.pyc",
        "tests/helper.py": "VALUE = 1\n",
        "tests/test_uses_helper.py": "from helper import VALUE\n\n\ndef test_value() -> None:\n    assert VALUE == 1\n",
    })  # fmt: skip
    before = snapshot(tmp_path)
    result = run_spx("init", cwd=tmp_path)
    assert result.returncode == 1
    assert "pytest would no longer collect 1 of the project's tests: tests/test_uses_helper.py::test_value" in (
        result.stderr
    )
    assert "every file is back as it was" in result.stderr
    assert snapshot(tmp_path) == before
    assert not (tmp_path / "spx").exists()


def test_init_in_an_environment_without_pytest_still_checks_the_count_with_a_lent_pytest(tmp_path: Path) -> None:
    """The project's venv has no pytest: the check borrows spx's (the one environment rule), it is not skipped."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(tmp_path / ".venv")], check=True, timeout=120)
    write(tmp_path, {"tests/test_own.py": "def test_own() -> None:\n    assert 1 + 1 == 2\n"})
    result = run_spx("init", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "could not run" not in result.stderr
    assert (tmp_path / "spx" / "CLAUDE.md").is_file()


@pytest.mark.parametrize(
    ("command", "before_files"),
    [
        (("init",), {"pyproject.toml": '[project]\nname = "p"\n'}),
        (("spec", "create", "capability", "core"), {"spx/CLAUDE.md": "# P: product guide\n"}),
    ],
)
def test_a_command_that_cannot_render_leaves_no_trace(
    tmp_path: Path, command: tuple[str, ...], before_files: dict[str, str]
) -> None:
    """The system python3 has no jinja2 and the launcher is told to run from source (`SPX_RUNTIME=source`, no
    plugin runtime): nothing can render, and nothing is left behind."""
    system_python = Path("/usr/bin/python3")
    probe = subprocess.run([str(system_python), "-c", "import jinja2"], capture_output=True, check=False)
    assert probe.returncode != 0, "this test needs a python3 without jinja2 at /usr/bin/python3"
    write(tmp_path, before_files)
    (tmp_path / "data").mkdir()
    before = snapshot(tmp_path)
    directories = sorted(p for p in tmp_path.rglob("*") if p.is_dir())
    environment = {
        "PATH": "/usr/local/bin:/usr/bin:/bin", "CLAUDE_PLUGIN_DATA": str(tmp_path / "data"), "SPX_RUNTIME": "source"
    }
    done = subprocess.run(
        [str(system_python), str(REPO_ROOT / "scripts" / "spx"), *command],
        cwd=tmp_path, capture_output=True, text=True, env=environment, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode != 0
    assert "jinja2" in done.stderr
    assert snapshot(tmp_path) == before
    assert sorted(p for p in tmp_path.rglob("*") if p.is_dir()) == directories  # no empty spx/ nor container


def test_advice_for_a_table_spx_does_not_edit_is_toml_pytest_accepts(tmp_path: Path) -> None:
    text = '[tool]\npytest.ini_options.minversion = "8"\n'
    write(tmp_path, {"pyproject.toml": text, "tests/test_things.py": OWN_TESTS})
    result = run_spx("init", cwd=tmp_path)
    assert result.returncode == 0
    assert (tmp_path / "pyproject.toml").read_text() == text
    advice = result.stderr.split("(replacing a line of the same key):\n", 1)[1]
    advice = advice[: advice.index("\n]\n") + 3]  # through the markers list, the last key
    pasted = parse_toml(advice)
    assert pasted is not None
    assert pasted["python_files"] == ["test_*.py", "*_test.py", *TEST_PATTERNS]
    assert pasted["markers"] == list(MARKERS)
    (tmp_path / "pyproject.toml").write_text("[tool.pytest.ini_options]\n" + advice)
    write(tmp_path, {SPX_TEST: "def test_spx() -> None:\n    assert True\n"})
    assert len(collected(tmp_path)) == 3
    assert manual_lines({"testpaths": ["tests", "spx"]}) == 'testpaths = ["tests", "spx"]'
