"""`scripts/spx`, the launcher the plugin puts on the model's PATH: real processes, no installed package needed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from hook_runner import FIRST, workflow_project

LAUNCHER = Path(__file__).resolve().parents[1] / "scripts" / "spx"
BARE_PATH = "/usr/bin:/bin"
PYTHON = shutil.which("python3") or "python3"  # the user's python3 (a pyenv shim resolves through PATH below)


def launch(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the launcher with `python3 -S`: no site-packages, so neither jinja2 nor an installed spx_python."""
    environ = {"PATH": BARE_PATH, "HOME": str(cwd), **(env or {})}
    return subprocess.run(
        [PYTHON, "-S", str(LAUNCHER), *args], cwd=cwd, env=environ, capture_output=True, text=True, timeout=60,
        check=False,
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return workflow_project(tmp_path / "project")


def test_runs_the_package_from_the_plugin_source(project: Path) -> None:
    result = launch("spec", "next", cwd=project)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == FIRST


def test_a_command_needing_jinja2_says_what_to_install(tmp_path: Path) -> None:
    result = launch("init", cwd=tmp_path)
    assert result.returncode == 1
    assert "jinja2: this command needs jinja2, which is not installed" in result.stderr
    assert "pip install" in result.stderr


def test_prefers_the_plugin_data_venv(project: Path, tmp_path: Path) -> None:
    venv_spx = tmp_path / "data" / "venv" / "bin" / "spx"
    venv_spx.parent.mkdir(parents=True)
    venv_spx.write_text('#!/bin/sh\necho "venv spx: $*"\n')
    venv_spx.chmod(0o755)
    result = launch("spec", "next", cwd=project, env={"CLAUDE_PLUGIN_DATA": str(tmp_path / "data")})
    assert result.stdout == "venv spx: spec next\n"
