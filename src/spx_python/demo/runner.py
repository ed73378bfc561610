"""`spx demo`: create the example project, run the real Claude Code CLI with this plugin on it, show the result.

`--model scripted` (default): the built-in disciplined agent (`agent`) answers as the model, from a
scripted Messages API on 127.0.0.1; the CLI runs with a private HOME, a refusing proxy and no
outbound traffic. `--model real`: the same project and command against the real service, with the
user's own Claude Code login or `ANTHROPIC_API_KEY` (nothing scripted, no proxy).

Either way the CLI is `claude -p "/spx-python:orchestrating-python <capability>" --plugin-dir <plugin>`
in the project, its events are printed live (`transcript`), then `spx spec status`, the ledgers and
the project's location.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from spx_python.claude_cli import CommandResult
from spx_python.claude_harness import STREAM_FLAGS, OfflineClaude
from spx_python.claude_live import run_live, stream_command
from spx_python.demo.agent import scenario
from spx_python.demo.installer import ensure_claude, plugin_root
from spx_python.demo.project import DemoProject, create_project, run_spx
from spx_python.demo.transcript import Transcript
from spx_python.state import State
from spx_python.tree import LEDGER_NAME

SCRIPTED = "scripted"
REAL = "real"
MODELS = (SCRIPTED, REAL)
ORCHESTRATOR_COMMAND = "/spx-python:orchestrating-python"
# What the run may do without asking (print mode cannot ask): the orchestrator skill's own `allowed-tools`.
ALLOWED_TOOLS = (
    "Skill", "Read", "Write", "Edit", "Glob", "Grep", "Bash(spx *)", "Bash(mypy *)", "Bash(ruff *)", "Bash(uv run *)",
)
SCRIPTED_TIMEOUT = 300.0
REAL_TIMEOUT = 3600.0
PROJECT_DIR_NAME = "textstats"

Emit = Callable[[str], None]


@dataclass(frozen=True)
class DemoOutcome:
    project: DemoProject
    cli_exit: int
    refusals: int
    all_passing: bool
    outbound_attempts: int  # scripted mode: requests the refusing proxy saw (0 expected)


def emit_line(text: str) -> None:
    print(text, flush=True)


def spx_directory() -> Path:
    """Where this environment's `spx` lives, put first on the model's PATH."""
    return Path(sys.executable).parent


def orchestrator_prompt(project: DemoProject) -> str:
    return f"{ORCHESTRATOR_COMMAND} {project.capability}"


def run_scripted(
    project: DemoProject, binary: Path, plugin: Path, transcript: Transcript
) -> tuple[CommandResult, int]:
    """The CLI against the scripted disciplined agent: (its outcome, outbound attempts)."""
    with tempfile.TemporaryDirectory(prefix="spx-demo-home-") as home, OfflineClaude(
        Path(home), scenario(project), binary=binary
    ) as claude:
        run = run_live(
            claude, orchestrator_prompt(project), project.root, transcript, plugin_dirs=[plugin],
            allowed_tools=ALLOWED_TOOLS, path_prepend=[spx_directory()], timeout=SCRIPTED_TIMEOUT,
        )
        return run.command, len(claude.proxy.attempts)


def real_argv(binary: Path, plugin: Path, prompt: str) -> list[str]:
    return [str(binary), "-p", prompt, "--plugin-dir", str(plugin), *STREAM_FLAGS, "--allowedTools", *ALLOWED_TOOLS]


def run_real(project: DemoProject, binary: Path, plugin: Path, transcript: Transcript) -> CommandResult:
    """The CLI against the real service, with the user's own environment and credentials."""
    environment = {**os.environ, "PATH": os.pathsep.join([str(spx_directory()), os.environ.get("PATH", "")])}
    argv = real_argv(binary, plugin, orchestrator_prompt(project))
    return stream_command(argv, project.root, environment, transcript, REAL_TIMEOUT)


def show_outcome(project: DemoProject, emit: Emit) -> bool:
    """Print `spx spec status` and every ledger; True when every container is Passing."""
    emit("\n==> spx spec status")
    emit(run_spx(project.root, "spec", "status", check=False).stdout.rstrip())
    for ledger in sorted(project.spec_root.rglob(LEDGER_NAME)):
        emit(f"\n==> {ledger.relative_to(project.root)}")
        emit(ledger.read_text(encoding="utf-8").rstrip())
    document = json.loads(run_spx(project.root, "spec", "status", "--format", "json").stdout)
    summary = document.get("summary", {})
    return bool(summary) and all(count == 0 for name, count in summary.items() if name != State.PASSING.value)


def demo_directory(keep: Path | None) -> Path:
    if keep is not None:
        return keep.resolve()
    return Path(tempfile.mkdtemp(prefix="spx-demo-")) / PROJECT_DIR_NAME


def run_demo(keep: Path | None, model: str, emit: Emit = emit_line) -> DemoOutcome:
    directory = demo_directory(keep)
    emit(f"==> creating the example project in {directory} (git init, spx init, spx spec create)")
    project = create_project(directory)
    binary = ensure_claude(emit)
    plugin = plugin_root()
    transcript = Transcript(emit, project.root)
    who = "the built-in scripted agent (offline)" if model == SCRIPTED else "the real model (your credentials)"
    emit(f"==> claude -p \"{orchestrator_prompt(project)}\" --plugin-dir {plugin}   [model: {who}]\n")
    outbound = 0
    if model == SCRIPTED:
        command, outbound = run_scripted(project, binary, plugin, transcript)
    else:
        command = run_real(project, binary, plugin, transcript)
    if not command.ok:
        emit(f"\n==> claude exited {command.returncode}: {command.stderr.strip()[-1500:] or '(no stderr)'}")
    passing = show_outcome(project, emit)
    if model == SCRIPTED:
        emit(f"\n==> outbound network attempts during the run: {outbound}")
    emit(f"==> the project is kept in {project.root} (cd there; `spx spec status`, `git log`, "
         "`spx workflow log`; delete it when done)")
    return DemoOutcome(project, command.returncode, len(transcript.refusals), passing, outbound)


def demo(keep: str | None, model: str) -> int:
    """The `spx demo` command: 0 when the run ended cleanly and every container is Passing."""
    outcome = run_demo(Path(keep) if keep else None, model)
    return 0 if outcome.cli_exit == 0 and outcome.all_passing else 1
