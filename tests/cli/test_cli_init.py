"""`spx init` as a user runs it: a fresh project, an existing pyproject left intact, idempotence, real pytest."""

from __future__ import annotations

import difflib
import subprocess
import sys
from pathlib import Path

from cli_runner import run_spx

from spx_python.setup.project_init import STATE_DIR_ENTRY
from spx_python.setup.pytest_pyproject import MARKERS

PYTEST = str(Path(sys.executable).parent / "pytest")
EXISTING = """\
[project]
name = "Todo_App"
version = "1.0"

[tool.ruff]
line-length = 100   # keep this comment

[tool.pytest.ini_options]
minversion = "8.0"
addopts = "-ra --import-mode=importlib"
testpaths = ["tests"]

[tool.mypy]
strict = true
"""


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def only_insertions(old: str, new: str) -> list[str]:
    """The lines `new` adds to `old`; fails if any old line was changed, moved or removed."""
    new_lines = new.splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(a=old.splitlines(keepends=True), b=new_lines)
    added: list[str] = []
    for tag, _, _, j1, j2 in matcher.get_opcodes():
        assert tag in ("equal", "insert"), f"{tag}: existing text was changed"
        if tag == "insert":
            added += new_lines[j1:j2]
    return added


def test_fresh_directory_gets_guide_settings_and_gitignore(tmp_path: Path) -> None:
    result = run_spx("init", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "created spx/CLAUDE.md" in result.stdout
    guide = (tmp_path / "spx" / "CLAUDE.md").read_text()
    assert guide.startswith(f"# {tmp_path.name[:1].upper()}")
    assert "{{" not in guide
    pyproject = (tmp_path / "pyproject.toml").read_text()
    assert pyproject.startswith("[tool.pytest.ini_options]\n")
    assert '"*.unit.test.py", "*.integration.test.py", "*.e2e.test.py"' in pyproject
    assert (tmp_path / ".gitignore").read_text() == f"{STATE_DIR_ENTRY}\n"
    assert result.stderr == ""


def test_existing_pyproject_keeps_every_byte_and_gains_only_missing_keys(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(EXISTING)
    result = run_spx("init", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    new = (tmp_path / "pyproject.toml").read_text()
    added = only_insertions(
        EXISTING.replace('testpaths = ["tests"]\n', ""), new.replace('testpaths = ["tests", "spx"]\n', "")
    )
    assert (
        added[0]
        == 'python_files = ["test_*.py", "*_test.py", "*.unit.test.py", "*.integration.test.py", "*.e2e.test.py"]\n'
    )
    assert not any(line.startswith("addopts") for line in added)
    assert 'testpaths = ["tests", "spx"]\n' in new  # extended in place: the project's own path stays
    assert all(f'"{marker}"' in new for marker in MARKERS)
    assert "added python_files, markers and extended testpaths in [tool.pytest.ini_options]" in result.stdout
    assert "# Todo app: product guide" in (tmp_path / "spx" / "CLAUDE.md").read_text()


def test_an_existing_python_files_keeps_its_patterns_and_gains_spx_ones(tmp_path: Path) -> None:
    text = '[tool.pytest.ini_options]\npython_files = "check_*.py"  # ours\n'
    (tmp_path / "pyproject.toml").write_text(text)
    result = run_spx("init", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    pyproject = (tmp_path / "pyproject.toml").read_text()
    assert 'python_files = ["check_*.py", "*.unit.test.py", "*.integration.test.py", "*.e2e.test.py"]\n' in pyproject
    assert "extended python_files" in result.stdout


def test_second_run_changes_nothing_and_says_so(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(EXISTING)
    (tmp_path / ".gitignore").write_text("*.pyc")  # no trailing newline
    assert run_spx("init", cwd=tmp_path).returncode == 0
    first = snapshot(tmp_path)
    second = run_spx("init", cwd=tmp_path)
    assert second.returncode == 0
    assert snapshot(tmp_path) == first
    assert "nothing to change" in second.stdout
    assert first[".gitignore"] == b"*.pyc\n.spx/\n"


def test_existing_guide_and_ignored_state_dir_are_kept(tmp_path: Path) -> None:
    (tmp_path / "spx").mkdir()
    (tmp_path / "spx" / "CLAUDE.md").write_text("# ours\n")
    (tmp_path / ".gitignore").write_text("/.spx\n")
    result = run_spx("init", cwd=tmp_path)
    assert (tmp_path / "spx" / "CLAUDE.md").read_text() == "# ours\n"
    assert (tmp_path / ".gitignore").read_text() == "/.spx\n"
    assert result.stdout.splitlines() == [
        "created pyproject.toml: added python_files, addopts, markers in [tool.pytest.ini_options]"
    ]


def test_after_init_a_bare_pytest_run_collects_and_runs_spx_test_files(tmp_path: Path) -> None:
    assert run_spx("init", cwd=tmp_path).returncode == 0
    for story in ("21-a.capability/21-f.feature/21-s.story", "21-a.capability/21-f.feature/32-t.story"):
        tests = tmp_path / "spx" / story / "tests"
        tests.mkdir(parents=True)
        (tests / "x.unit.test.py").write_text("def test_x() -> None:\n    assert True\n")  # same name twice
    result = subprocess.run(
        [PYTEST, "-q", "-p", "no:cacheprovider"], cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout


def test_with_a_src_layout_the_tests_import_the_package_without_an_install(tmp_path: Path) -> None:
    (tmp_path / "src" / "textkit").mkdir(parents=True)
    (tmp_path / "src" / "textkit" / "__init__.py").write_text('GREETING = "hello"\n')
    assert run_spx("init", cwd=tmp_path).returncode == 0
    assert 'pythonpath = ["src"]' in (tmp_path / "pyproject.toml").read_text()
    tests = tmp_path / "spx" / "21-a.capability" / "21-f.feature" / "21-s.story" / "tests"
    tests.mkdir(parents=True)
    (tests / "greet.unit.test.py").write_text(
        "from textkit import GREETING\n\n\ndef test_greeting() -> None:\n    assert GREETING.startswith('h')\n"
    )
    result = subprocess.run(
        [PYTEST, "-q", "-p", "no:cacheprovider"], cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout
