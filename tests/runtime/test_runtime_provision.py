"""The plugin provisions its own runtime: real venvs, real uv and pip, a staged plugin copy with tiny pins."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from runtime_plugin import (
    PINS,
    SYSTEM_PATH,
    builds_logged,
    marker,
    offline_env,
    run_launcher,
    runtimes,
    spx_command,
    staged_plugin,
    uncompiled_modules,
    user_env,
    uv_dir,
    wait_for,
)

from spx_python.runtime.build import PIP, failure


@pytest.fixture
def plugin(tmp_path: Path) -> Path:
    return staged_plugin(tmp_path)


@pytest.fixture
def with_uv(tmp_path: Path) -> str:
    return f"{uv_dir(tmp_path)}:{SYSTEM_PATH}"


def git_project(path: Path) -> Path:
    path.mkdir()
    subprocess.run(["git", "init", "-q", str(path)], check=True)
    return path


def test_first_use_sets_up_the_runtime_with_uv_and_runs_the_command_in_it(
    plugin: Path, tmp_path: Path, with_uv: str
) -> None:
    data = tmp_path / "data"
    project = git_project(tmp_path / "project")
    # a user whose python writes no bytecode still gets a compiled runtime (uv --compile-bytecode)
    result = run_launcher(plugin, "init", env=user_env(data, with_uv, PYTHONDONTWRITEBYTECODE="1"), cwd=project)
    assert result.returncode == 0, result.stderr
    [runtime] = runtimes(data)
    assert f"spx: first use — setting up its runtime (pytest, mypy, ruff, jinja2) in {runtime} with uv …" in (
        result.stderr
    )
    assert "spx: runtime ready in " in result.stderr
    assert (project / "spx" / "CLAUDE.md").is_file()  # rendered with the runtime's jinja2
    assert marker(runtime)["installer"] == "uv"
    assert uncompiled_modules(runtime, "jinja2") == []
    assert marker(runtime)["tools"] == {"jinja2": "3.1.6"}


def test_a_ready_runtime_is_not_rebuilt_and_costs_little(plugin: Path, tmp_path: Path, with_uv: str) -> None:
    data = tmp_path / "data"
    env = user_env(data, with_uv)
    assert run_launcher(plugin, "runtime", "install", env=env).returncode == 0
    [runtime] = runtimes(data)
    before = (runtime / "spx-runtime.json").stat().st_mtime_ns
    started = time.monotonic()
    again = run_launcher(plugin, "runtime", "install", env=env)
    assert again.returncode == 0, again.stderr
    assert time.monotonic() - started < 2
    assert again.stderr == ""
    assert again.stdout.strip() == str(runtime)
    assert (runtime / "spx-runtime.json").stat().st_mtime_ns == before
    assert builds_logged(data) == 1


def test_status_and_path_report_the_ready_runtime(plugin: Path, tmp_path: Path, with_uv: str) -> None:
    data = tmp_path / "data"
    env = user_env(data, with_uv)
    before = json.loads(run_launcher(plugin, "runtime", "status", "--format", "json", env=env).stdout)
    assert before["ready"] is False
    missing = run_launcher(plugin, "runtime", "path", env=env)
    assert missing.returncode == 1
    assert "spx's runtime is not set up — run `spx runtime install`" in missing.stderr
    assert run_launcher(plugin, "runtime", "install", env=env).returncode == 0
    after = json.loads(run_launcher(plugin, "runtime", "status", "--format", "json", env=env).stdout)
    assert after["ready"] is True
    assert after["runtime"] == before["runtime"]
    assert after["tools"] == {"jinja2": "3.1.6"}
    assert run_launcher(plugin, "runtime", "path", env=env).stdout.strip() == f"{after['runtime']}/bin"


def test_two_parallel_first_uses_build_once_and_both_succeed(plugin: Path, tmp_path: Path) -> None:
    """Without uv (venv + pip takes seconds), so the second one really waits on the lock."""
    data = tmp_path / "data"
    env = user_env(data)
    runs = [
        subprocess.Popen(spx_command(plugin, "--version"), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True)
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert [out for out, _ in outputs] == ["spx 0.1.0\n", "spx 0.1.0\n"]
    assert builds_logged(data) == 1
    assert len(runtimes(data)) == 1
    assert any("another process is setting up spx's runtime" in err for _, err in outputs), outputs


def test_a_killed_provisioning_is_rebuilt_by_the_next_run(plugin: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = user_env(data)
    first = subprocess.Popen(spx_command(plugin, "runtime", "install"), env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, start_new_session=True)
    assert wait_for(lambda: any((r / "bin").is_dir() for r in runtimes(data)), 60)
    os.killpg(first.pid, signal.SIGKILL)
    first.wait(timeout=30)
    [half_built] = runtimes(data)
    assert not (half_built / "spx-runtime.json").exists()
    status = json.loads(run_launcher(plugin, "runtime", "status", "--format", "json", env=env).stdout)
    assert status["ready"] is False
    again = run_launcher(plugin, "runtime", "install", env=env)
    assert again.returncode == 0, again.stderr
    assert marker(half_built)["digest"] == half_built.name
    assert builds_logged(data) == 2


def test_changed_pins_get_a_new_runtime_and_the_old_one_goes(plugin: Path, tmp_path: Path, with_uv: str) -> None:
    data = tmp_path / "data"
    env = user_env(data, with_uv)
    assert run_launcher(plugin, "runtime", "install", env=env).returncode == 0
    [old] = runtimes(data)
    (plugin / PINS).write_text("markupsafe==3.0.4\njinja2==3.1.6\niniconfig==2.3.1\n", encoding="utf-8")
    result = run_launcher(plugin, "--version", env=env)
    assert result.returncode == 0, result.stderr
    assert "spx: its pinned tools or python changed — setting up its runtime" in result.stderr
    [new] = runtimes(data)
    assert new != old
    assert not old.exists()
    assert marker(new)["digest"] == new.name


@pytest.mark.parametrize("uv", [False, True], ids=["pip", "uv"])
def test_offline_with_no_runtime_says_in_one_line_what_to_run(
    plugin: Path, tmp_path: Path, with_uv: str, uv: bool
) -> None:
    data = tmp_path / "data"
    project = git_project(tmp_path / "project")
    env = offline_env(data, tmp_path, with_uv if uv else SYSTEM_PATH)
    result = run_launcher(plugin, "init", env=env, cwd=project, timeout=120)
    assert result.returncode == 1
    failures = [line for line in result.stderr.splitlines() if "spx runtime install" in line]
    assert len(failures) == 1, result.stderr
    assert "could not install spx's runtime" in failures[0]
    assert failures[0].endswith("then run `spx runtime install` once online")
    assert runtimes(data) == []  # nothing half-built, nothing marked ready
    assert not (project / "spx").exists()  # and the command left nothing behind
    assert "pip install" not in result.stderr.replace("pip install --", "")


def test_offline_commands_that_need_no_package_still_run(plugin: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    result = run_launcher(plugin, "--version", env=offline_env(data, tmp_path), timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "spx 0.1.0\n"
    assert "then run `spx runtime install` once online" in result.stderr


def test_offline_a_recent_failure_is_not_retried_by_every_call_but_by_runtime_install(
    plugin: Path, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    env = offline_env(data, tmp_path)
    first = run_launcher(plugin, "--version", env=env, timeout=120)
    again = run_launcher(plugin, "--version", env=env, timeout=120)
    assert again.returncode == 0
    assert "setting up its runtime" not in again.stderr
    assert again.stderr.splitlines() == first.stderr.splitlines()[-1:]
    assert builds_logged(data) == 1
    explicit = run_launcher(plugin, "runtime", "install", env=env, timeout=120)
    assert explicit.returncode == 1
    assert builds_logged(data) == 2


def test_the_source_switch_runs_without_a_runtime(plugin: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    result = run_launcher(plugin, "init", env=user_env(data, SPX_RUNTIME="source"), cwd=git_project(tmp_path / "p"))
    assert result.returncode == 1
    assert result.stderr == (
        "spx: jinja2: this command needs jinja2 from spx's runtime, which is not set up — run `spx runtime install` "
        "(once, online) to set up spx's runtime, then run this again\n"
    )
    assert not data.exists()


def test_force_rebuilds_a_ready_runtime(plugin: Path, tmp_path: Path, with_uv: str) -> None:
    data = tmp_path / "data"
    env = user_env(data, with_uv)
    assert run_launcher(plugin, "runtime", "install", env=env).returncode == 0
    forced = run_launcher(plugin, "runtime", "install", "--force", env=env)
    assert forced.returncode == 0, forced.stderr
    assert "spx: rebuilding as asked — setting up its runtime" in forced.stderr
    assert builds_logged(data) == 2
    [runtime] = runtimes(data)
    assert marker(runtime)["digest"] == runtime.name


def test_a_python_without_ensurepip_is_told_which_package_to_install(tmp_path: Path) -> None:
    """The message for Debian's python3 without python3-venv (this machine has it, so the text is checked here)."""
    output = "The virtual environment was not created successfully because ensurepip is not\navailable.\n"
    error = failure(tmp_path / "rt", tmp_path / "provision.log", output, PIP)
    assert error.message == (
        f"{tmp_path / 'rt'}: python3 -m venv cannot create the runtime because ensurepip is not available — "
        "install the python3-venv package (e.g. `sudo apt install python3-venv`) or uv, "
        "then run `spx runtime install`"
    )


def test_a_runtime_whose_python_was_removed_is_rebuilt(plugin: Path, tmp_path: Path, with_uv: str) -> None:
    data = tmp_path / "data"
    env = user_env(data, with_uv)
    assert run_launcher(plugin, "runtime", "install", env=env).returncode == 0
    [runtime] = runtimes(data)
    (runtime / "bin" / "python").unlink()
    result = run_launcher(plugin, "--version", env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "spx 0.1.0\n"
    assert (runtime / "bin" / "python").exists()
    assert builds_logged(data) == 2
