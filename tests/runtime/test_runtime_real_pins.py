"""The real pins, provisioned as on a user's machine: Debian's PEP 668 python3, no uv, only system directories."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from cli_runner import REPO_ROOT
from runtime_plugin import PINS, marker, run_launcher, runtimes, staged_plugin, uncompiled_modules, user_env

USER_PATH = "/usr/local/bin:/usr/bin:/bin"


@pytest.mark.slow
def test_real_pins_with_venv_and_pip_then_init_and_spec_create(tmp_path: Path) -> None:
    plugin = staged_plugin(tmp_path, (REPO_ROOT / PINS).read_text(encoding="utf-8"))
    data = tmp_path / "data"
    env = user_env(data, USER_PATH, HOME=str(tmp_path))
    project = tmp_path / "project"
    project.mkdir()
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    init = run_launcher(plugin, "init", env=env, cwd=project, timeout=900)
    assert init.returncode == 0, init.stderr
    assert "with python3 -m venv + pip" in init.stderr
    create = run_launcher(plugin, "spec", "create", "capability", "x", env=env, cwd=project)
    assert create.returncode == 0, create.stderr
    assert (project / "spx" / "CLAUDE.md").is_file()
    assert list((project / "spx").glob("*-x.capability/x.capability.md"))
    [runtime] = runtimes(data)
    tools = marker(runtime)["tools"]
    assert isinstance(tools, dict)
    assert sorted(tools) == ["coverage", "jinja2", "mypy", "pytest", "pytest-cov", "ruff", "uv"]
    assert (runtime / "bin" / "uv").is_file()
    assert uncompiled_modules(runtime, "jinja2") == []  # pip compiles what it installs
