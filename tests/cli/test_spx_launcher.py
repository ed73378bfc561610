"""`scripts/spx`, the launcher the plugin puts on the model's PATH: real processes, no installed package needed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from hook_runner import FIRST, workflow_project

LAUNCHER = Path(__file__).resolve().parents[2] / "scripts" / "spx"
BARE_PATH = "/usr/bin:/bin"
PYTHON = shutil.which("python3") or "python3"  # the user's python3 (a pyenv shim resolves through PATH below)


def launch(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the launcher with `python3 -S` from source (no runtime: `tests/test_runtime_*.py` cover that)."""
    environ = {"PATH": BARE_PATH, "HOME": str(cwd), "SPX_RUNTIME": "source", **(env or {})}
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


def test_a_command_needing_jinja2_says_to_set_up_the_runtime(tmp_path: Path) -> None:
    result = launch("init", cwd=tmp_path)
    assert result.returncode == 1
    assert "jinja2: this command needs jinja2 from spx's runtime, which is not set up" in result.stderr
    assert "run `spx runtime install`" in result.stderr
    assert "pip install" not in result.stderr
    assert not (tmp_path / "spx").exists()


def test_another_spx_on_path_does_not_shadow_the_plugin(project: Path, tmp_path: Path) -> None:
    stale = tmp_path / "stale-bin" / "spx"
    stale.parent.mkdir()
    stale.write_text('#!/bin/sh\necho "stale spx: $*"\n')
    stale.chmod(0o755)
    result = launch("spec", "next", cwd=project, env={"PATH": f"{stale.parent}:{BARE_PATH}"})
    assert result.stdout.strip() == FIRST
