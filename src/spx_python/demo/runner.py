"""`spx demo`: create the example project, run the real Claude Code CLI with this plugin on it, show the result.

`--model scripted` (default): the built-in disciplined agent (`agent`) answers as the model, from a
scripted Messages API on 127.0.0.1; the CLI runs with a private HOME, a refusing proxy, no outbound
traffic and only the system directories on PATH, so the model's `spx` is the plugin's own launcher on
the plugin's own runtime — as for a user who installed nothing but the plugin. That runtime is
provisioned once (package registries reachable) into `$SPX_PLUGIN_DATA`, else
`${XDG_CACHE_HOME:-~/.cache}/spx-python/demo-plugin-data`, and linked in as the plugin's data directory.
`--model real`: the same project and command against the real service, with the user's own Claude
Code login or `ANTHROPIC_API_KEY` and environment (nothing scripted, no proxy); the plugin provisions
its runtime on the first `spx` call there.

Either way the CLI is `claude -p "/spx-python:orchestrating-python <capability>" --plugin-dir <plugin>`
in the project, its events are printed live (`transcript`), then `spx spec status`, the ledgers and
the project's location.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from spx_python.demo.agent import scenario
from spx_python.demo.installer import ensure_claude, plugin_root
from spx_python.demo.project import DemoProject, create_project, run_spx
from spx_python.demo.transcript import Transcript
from spx_python.errors import SpxError
from spx_python.evidence.state import State
from spx_python.harness.claude_cli import CommandResult
from spx_python.harness.claude_live import run_live, stream_command
from spx_python.harness.claude_offline import STREAM_FLAGS, OfflineClaude
from spx_python.harness.plugin_install import INLINE_ID, plugin_data_dir, provision_runtime, share_runtime
from spx_python.spec.tree import LEDGER_NAME

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
DATA_ENV = "SPX_PLUGIN_DATA"
DEMO_DATA_SUBDIR = Path("spx-python") / "demo-plugin-data"

Emit = Callable[[str], None]


@dataclass(frozen=True)
class DemoOutcome:
    project: DemoProject
    cli_exit: int
    refusals: int
    all_passing: bool
    outbound_attempts: int  # scripted mode: requests the refusing proxy saw (0 expected)


def demo_data_directory(environ: Mapping[str, str]) -> Path:
    """Where the demo keeps the plugin's provisioned runtime between runs."""
    if environ.get(DATA_ENV):
        return Path(environ[DATA_ENV])
    base = environ.get("XDG_CACHE_HOME") or str(Path(environ.get("HOME") or Path.home()) / ".cache")
    return Path(base) / DEMO_DATA_SUBDIR


def ensure_runtime(plugin: Path, data: Path, home: Path, emit: Emit) -> None:
    """The plugin's runtime in `data`, provisioned by the plugin's launcher (fast when it is already there)."""
    emit(f"==> the plugin's runtime in {data} (spx runtime install: set up once, from the package registries)")
    done = provision_runtime(plugin, data, home)
    if not done.ok:
        raise SpxError(
            f"{data}: the plugin's runtime could not be set up (`scripts/spx runtime install` exit "
            f"{done.returncode}): {(done.stderr or done.stdout).strip()[-1200:]} — fix that, then run `spx demo` again"
        )
    for line in done.stderr.strip().splitlines()[-1:]:
        emit(f"    {line}")  # the launcher's last word on a fresh set-up ("runtime ready in … s")


def orchestrator_prompt(project: DemoProject) -> str:
    return f"{ORCHESTRATOR_COMMAND} {project.capability}"


SCRIPTED_WHO = "the built-in scripted agent (offline)"
REAL_WHO = "the real model (your credentials)"


def announce(project: DemoProject, plugin: Path, who: str, emit: Emit) -> None:
    emit(f"==> claude -p \"{orchestrator_prompt(project)}\" --plugin-dir {plugin}   [model: {who}]\n")


def run_scripted(
    project: DemoProject, binary: Path, plugin: Path, transcript: Transcript, emit: Emit
) -> tuple[CommandResult, int]:
    """The CLI against the scripted disciplined agent, on the plugin's runtime: (its outcome, outbound attempts)."""
    with tempfile.TemporaryDirectory(prefix="spx-demo-home-") as home:
        data = demo_data_directory(os.environ)
        ensure_runtime(plugin, data, Path(home) / "provisioning", emit)
        share_runtime(data, plugin_data_dir(Path(home), INLINE_ID))
        announce(project, plugin, SCRIPTED_WHO, emit)
        with OfflineClaude(Path(home), scenario(project), binary=binary) as claude:
            run = run_live(
                claude, orchestrator_prompt(project), project.root, transcript, plugin_dirs=[plugin],
                allowed_tools=ALLOWED_TOOLS, timeout=SCRIPTED_TIMEOUT,
            )
            return run.command, len(claude.proxy.attempts)


def real_argv(binary: Path, plugin: Path, prompt: str) -> list[str]:
    return [str(binary), "-p", prompt, "--plugin-dir", str(plugin), *STREAM_FLAGS, "--allowedTools", *ALLOWED_TOOLS]


def run_real(
    project: DemoProject, binary: Path, plugin: Path, transcript: Transcript, emit: Emit
) -> CommandResult:
    """The CLI against the real service, with the user's own environment and credentials (PATH untouched)."""
    announce(project, plugin, REAL_WHO, emit)
    argv = real_argv(binary, plugin, orchestrator_prompt(project))
    return stream_command(argv, project.root, dict(os.environ), transcript, REAL_TIMEOUT)


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


def run_demo(keep: Path | None, model: str, emit: Emit) -> DemoOutcome:
    directory = demo_directory(keep)
    emit(f"==> creating the example project in {directory} (git init, spx init, spx spec create)")
    project = create_project(directory)
    binary = ensure_claude(emit)
    plugin = plugin_root()
    transcript = Transcript(emit, project.root)
    outbound = 0
    if model == SCRIPTED:
        command, outbound = run_scripted(project, binary, plugin, transcript, emit)
    else:
        command = run_real(project, binary, plugin, transcript, emit)
    if not command.ok:
        emit(f"\n==> claude exited {command.returncode}: {command.stderr.strip()[-1500:] or '(no stderr)'}")
    passing = show_outcome(project, emit)
    if model == SCRIPTED:
        emit(f"\n==> outbound network attempts during the run: {outbound}")
    emit(f"==> the project is kept in {project.root} (cd there; `spx spec status`, `git log`, "
         "`spx workflow log`; delete it when done)")
    return DemoOutcome(project, command.returncode, len(transcript.refusals), passing, outbound)


def demo(keep: str | None, model: str, emit: Emit) -> int:
    """The `spx demo` command: 0 when the run ended cleanly and every container is Passing; each line of the
    run goes to `emit` as soon as it is known."""
    outcome = run_demo(Path(keep) if keep else None, model, emit)
    return 0 if outcome.cli_exit == 0 and outcome.all_passing else 1
