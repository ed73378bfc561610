"""SessionStart exports the data dir and starts provisioning in the background only when the runtime is not ready."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from runtime_plugin import SYSTEM_PATH, builds_logged, marker, runtimes, staged_plugin, user_env, uv_dir, wait_for


@pytest.fixture
def plugin(tmp_path: Path) -> Path:
    return staged_plugin(tmp_path)


def session_start(plugin: Path, tmp_path: Path, data: Path, env_file: Path) -> subprocess.CompletedProcess[str]:
    """The hook as hooks.json wires it, with the variables Claude Code gives a plugin's SessionStart hook."""
    env = user_env(data, f"{uv_dir(tmp_path)}:{SYSTEM_PATH}", CLAUDE_PLUGIN_DATA=str(data),
                   CLAUDE_PLUGIN_ROOT=str(plugin), CLAUDE_ENV_FILE=str(env_file))
    del env["SPX_PLUGIN_DATA"]
    payload = {"session_id": "s", "cwd": str(tmp_path), "hook_event_name": "SessionStart", "source": "startup"}
    return subprocess.run(
        ["/usr/bin/python3", "-I", "-S", str(plugin / "hooks" / "session_start.py")], input=json.dumps(payload),
        env=env, capture_output=True, text=True, timeout=30, check=False,
    )


def test_not_ready_starts_provisioning_in_the_background_and_says_so(plugin: Path, tmp_path: Path) -> None:
    data = tmp_path / "claude-data"
    env_file = tmp_path / "env.sh"
    result = session_start(plugin, tmp_path, data, env_file)
    assert result.returncode == 0, result.stderr
    context = json.loads(result.stdout)["hookSpecificOutput"]["additionalContext"]
    assert context.startswith(
        "spx-python: spx is setting up its runtime (pytest, mypy, ruff, jinja2) in the background"
    )
    assert f"export SPX_PLUGIN_DATA={data}\n" in env_file.read_text()
    assert wait_for(lambda: any((r / "spx-runtime.json").exists() for r in runtimes(data)), 120)
    [runtime] = runtimes(data)
    assert marker(runtime)["installer"] == "uv"


def test_ready_runtime_means_no_background_work_and_no_note(plugin: Path, tmp_path: Path) -> None:
    data = tmp_path / "claude-data"
    env_file = tmp_path / "env.sh"
    session_start(plugin, tmp_path, data, env_file)
    assert wait_for(lambda: any((r / "spx-runtime.json").exists() for r in runtimes(data)), 120)
    again = session_start(plugin, tmp_path, data, env_file)
    assert again.returncode == 0, again.stderr
    assert again.stdout == ""
    assert builds_logged(data) == 1
    assert env_file.read_text().count("export SPX_PLUGIN_DATA=") == 1


def test_the_exported_data_dir_leads_the_models_spx_to_the_same_runtime(plugin: Path, tmp_path: Path) -> None:
    data = tmp_path / "claude-data"
    env_file = tmp_path / "env.sh"
    session_start(plugin, tmp_path, data, env_file)
    assert wait_for(lambda: any((r / "spx-runtime.json").exists() for r in runtimes(data)), 120)
    shell = subprocess.run(
        ["bash", "-c", f"source {env_file} && spx runtime path"], capture_output=True, text=True,
        env={"PATH": SYSTEM_PATH, "HOME": str(tmp_path)}, timeout=60, check=False,
    )
    assert shell.returncode == 0, shell.stderr
    [runtime] = runtimes(data)
    assert shell.stdout.strip() == str(runtime / "bin")


def test_a_data_dir_that_cannot_be_created_is_said_and_the_session_goes_on(plugin: Path, tmp_path: Path) -> None:
    data = tmp_path / "a-file"
    data.write_text("not a directory")
    env_file = tmp_path / "env.sh"
    result = session_start(plugin, tmp_path, data, env_file)
    assert result.returncode == 0, result.stderr
    context = json.loads(result.stdout)["hookSpecificOutput"]["additionalContext"]
    assert context.startswith(f"spx-python: could not start setting up spx's runtime in {data} (")
    assert "ask the user to run `spx runtime install`" in context
    assert f"export PATH={plugin}/scripts:" in env_file.read_text()
    assert data.read_text() == "not a directory"
