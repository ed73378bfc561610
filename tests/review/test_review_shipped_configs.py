"""The review gate's fallback configs really load and really apply (upstream's were silently ignored or broken).

Runs the real mypy and ruff of this environment, the way the gate does, on tiny files in a temp dir.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from spx_python.review.settings import SHIPPED_MYPY_CONFIG, SHIPPED_RUFF_CONFIG, load_settings
from spx_python.review.tools import ruff_command
from spx_python.toolchain.resolve import MYPY, RUFF

pytestmark = pytest.mark.slow

UNTYPED = "def identity(x):\n    return x\n"
SUBPROCESS_TEST = (
    "import subprocess\n\n\ndef test_version() -> None:\n"
    '    done = subprocess.run(["git", "--version"], capture_output=True, check=False)\n'
    "    assert done.returncode == 0\n"
)
MUTABLE_DEFAULT = "def collect(item: int, into: list[int] = []) -> list[int]:\n    into.append(item)\n    return into\n"


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=300, check=False)


def tool(name: str) -> str:
    """The dev environment's own tool (spx's runtime in development)."""
    found = Path(sys.executable).parent / name
    assert found.is_file(), f"{name} must be installed in the dev environment"
    return str(found)


def test_shipped_mypy_config_loads_cleanly_and_reports_an_untyped_def(tmp_path: Path) -> None:
    (tmp_path / "sample.py").write_text(UNTYPED)
    done = run([tool(MYPY), "--config-file", str(SHIPPED_MYPY_CONFIG), "sample.py"], tmp_path)
    assert done.returncode == 1
    assert "sample.py:1: error: Function is missing a type annotation  [no-untyped-def]" in done.stdout
    assert done.stderr == ""  # an unknown or misspelt option would be warned about here


def test_a_mypy_section_in_a_toml_file_is_silently_ignored_which_is_why_we_ship_ini(tmp_path: Path) -> None:
    (tmp_path / "sample.py").write_text(UNTYPED)
    (tmp_path / "upstream.toml").write_text(SHIPPED_MYPY_CONFIG.read_text())
    done = run([tool(MYPY), "--config-file", "upstream.toml", "sample.py"], tmp_path)
    assert done.returncode == 0 and "no-untyped-def" not in done.stdout


def test_shipped_ruff_config_loads_and_reports_bugbear(tmp_path: Path) -> None:
    (tmp_path / "sample.py").write_text(MUTABLE_DEFAULT)
    args = [tool(RUFF), "check", "--config", str(SHIPPED_RUFF_CONFIG), "--output-format", "json"]
    done = run([*args, "--no-cache", "sample.py"], tmp_path)
    assert done.returncode == 1, done.stderr  # 2 would mean the configuration was rejected
    assert [item["code"] for item in json.loads(done.stdout)] == ["B006"]


def test_shipped_ruff_config_lets_tests_assert_and_run_subprocesses(tmp_path: Path) -> None:
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "cli.unit.test.py").write_text(SUBPROCESS_TEST)
    command = ruff_command(load_settings(tmp_path), [tool(RUFF)], [tests / "cli.unit.test.py"])
    assert command[command.index("--config") + 1] == str(SHIPPED_RUFF_CONFIG)
    done = run(command, tmp_path)
    assert (done.returncode, done.stdout.strip()) == (0, "[]")


def test_ruff_rejects_line_length_under_format_the_upstream_defect(tmp_path: Path) -> None:
    (tmp_path / "sample.py").write_text("x = 1\n")
    (tmp_path / "broken.toml").write_text("[format]\nline-length = 88\n")
    done = run([tool(RUFF), "check", "--config", "broken.toml", "--no-cache", "sample.py"], tmp_path)
    assert done.returncode == 2 and "line-length" in done.stderr
