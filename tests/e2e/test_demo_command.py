"""`spx demo` as a user runs it: the real `spx` console script, the real Claude Code CLI, printed live.

The demo's model runs on the plugin's runtime with only system directories on PATH; these tests hand
it the runtime provisioned once per session (`SPX_PLUGIN_DATA`, or linked into the real mode's HOME).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

import pytest

from spx_python.demo.agent import scenario
from spx_python.demo.project import create_project
from spx_python.demo.runner import DATA_ENV, SCRIPTED
from spx_python.demo.transcript import REFUSED
from spx_python.harness.claude_cli import CLAUDE_BIN_ENV, isolated_environment
from spx_python.harness.plugin_install import INLINE_ID, plugin_data_dir, share_runtime
from spx_python.harness.refusing_proxy import RefusingProxy
from spx_python.harness.scripted_model import ScriptedModel
from spx_python.spec.tree import LEDGER_NAME

pytestmark = pytest.mark.e2e

SPX = str(Path(sys.executable).parent / "spx")
DEMO_TIMEOUT = 300.0
FIRST_STEP = "#  1 Bash   spx spec status"


def run_demo(
    directory: Path, claude_binary: Path, model: str = SCRIPTED, base: Mapping[str, str] = os.environ,
    plugin_data: Path | None = None,
) -> tuple[int, list[tuple[float, str]]]:
    """`spx demo --keep DIR --model MODEL`, each stdout line with the second it arrived."""
    environment = {**base, CLAUDE_BIN_ENV: str(claude_binary), "NO_COLOR": "1"}
    if plugin_data is not None:
        environment[DATA_ENV] = str(plugin_data)
    started = time.monotonic()
    lines: list[tuple[float, str]] = []
    with subprocess.Popen(
        [SPX, "demo", "--keep", str(directory), "--model", model], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, env=environment, cwd=directory.parent,
    ) as process:
        watchdog = threading.Timer(DEMO_TIMEOUT, process.kill)
        watchdog.start()
        try:
            for line in process.stdout or ():
                lines.append((time.monotonic() - started, line.rstrip("\n")))
            returncode = process.wait()
        finally:
            watchdog.cancel()
    return returncode, lines


def test_spx_demo_prints_the_run_live_then_the_status_ledgers_and_location(
    claude_binary: Path, tmp_path: Path, plugin_runtime: Path
) -> None:
    directory = tmp_path / "demo"
    returncode, timed = run_demo(directory, claude_binary, plugin_data=plugin_runtime)
    lines = [line for _, line in timed]
    output = "\n".join(lines)
    assert returncode == 0, output[-3000:]
    assert lines[0] == f"==> creating the example project in {directory} (git init, spx init, spx spec create)"
    assert "started; plugins: spx-python" in output
    refused = [line for line in lines if line.strip().startswith(REFUSED)]
    assert len(refused) == 3, output
    assert "Run finished: 53 tool calls, 3 refused by the hooks." in output
    ledgers = [line for line in lines if line.startswith("==> spx/") and line.endswith(LEDGER_NAME)]
    assert len(ledgers) == 4
    assert "==> outbound network attempts during the run: 0" in lines
    assert lines[-1].startswith(f"==> the project is kept in {directory} ")
    first_step = next(second for second, line in timed if line.startswith(FIRST_STEP))
    assert timed[-1][0] - first_step > 3.0, "the transcript arrived only at the end, not live"


def test_the_real_model_mode_runs_the_same_command_with_the_callers_environment(
    claude_binary: Path, tmp_path: Path, plugin_runtime: Path
) -> None:
    """`--model real` passes the caller's environment through; pointed at a scripted model it runs offline.

    The real service cannot be reached here, so the caller's environment names the scripted model
    (`ANTHROPIC_BASE_URL` on 127.0.0.1) and the refusing proxy, as a user's would name the real API.
    """
    directory = tmp_path / "demo"
    layout = create_project(tmp_path / "layout")  # same names spx spec create gives in `directory`
    project = replace(layout, root=directory)
    share_runtime(plugin_runtime, plugin_data_dir(tmp_path / "home", INLINE_ID))
    with ScriptedModel(scenario(project)) as model, RefusingProxy() as proxy:
        environment = isolated_environment(tmp_path / "home", model.base_url, proxy.url, os.environ)
        returncode, timed = run_demo(directory, claude_binary, "real", environment)
        attempts = proxy.attempts
    output = "\n".join(line for _, line in timed)
    assert returncode == 0, output[-3000:]
    assert "[model: the real model (your credentials)]" in output
    assert "Run finished: 53 tool calls, 3 refused by the hooks." in output
    assert "outbound network attempts" not in output
    assert attempts == ()
