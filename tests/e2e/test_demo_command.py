"""`spx demo` as a user runs it: the real `spx` console script, the real Claude Code CLI, printed live."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from spx_python.claude_cli import CLAUDE_BIN_ENV
from spx_python.demo.transcript import REFUSED
from spx_python.tree import LEDGER_NAME

pytestmark = pytest.mark.e2e

SPX = str(Path(sys.executable).parent / "spx")
DEMO_TIMEOUT = 300.0
FIRST_STEP = "#  1 Bash   spx spec status"


def run_demo(directory: Path, claude_binary: Path) -> tuple[int, list[tuple[float, str]]]:
    """`spx demo --keep DIR`, each stdout line with the second it arrived."""
    environment = {**os.environ, CLAUDE_BIN_ENV: str(claude_binary), "NO_COLOR": "1"}
    started = time.monotonic()
    lines: list[tuple[float, str]] = []
    with subprocess.Popen(
        [SPX, "demo", "--keep", str(directory)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env=environment, cwd=directory.parent,
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
    claude_binary: Path, tmp_path: Path
) -> None:
    directory = tmp_path / "demo"
    returncode, timed = run_demo(directory, claude_binary)
    lines = [line for _, line in timed]
    output = "\n".join(lines)
    assert returncode == 0, output[-3000:]
    assert lines[0] == f"==> creating the example project in {directory} (git init, spx init, spx spec create)"
    assert "started; plugins: spx-python" in output
    refused = [line for line in lines if line.strip().startswith(REFUSED)]
    assert len(refused) == 3, output
    assert "Run finished: 45 tool calls, 3 refused by the hooks." in output
    ledgers = [line for line in lines if line.startswith("==> spx/") and line.endswith(LEDGER_NAME)]
    assert len(ledgers) == 4
    assert "==> outbound network attempts during the run: 0" in lines
    assert lines[-1].startswith(f"==> the project is kept in {directory} ")
    first_step = next(second for second, line in timed if line.startswith(FIRST_STEP))
    assert timed[-1][0] - first_step > 3.0, "the transcript arrived only at the end, not live"
