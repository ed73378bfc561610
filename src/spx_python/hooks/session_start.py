"""SessionStart: put `spx` on the model's PATH, start its runtime, tell the session where the work stands.

PATH: appends `export PATH=<plugin>/scripts:"$PATH"` to `$CLAUDE_ENV_FILE` (once), so the model's Bash
calls find the `scripts/spx` launcher (facts §8). Runtime (only when Claude Code gives the hook
`$CLAUDE_PLUGIN_DATA`): also exports `SPX_PLUGIN_DATA` there, so the model's `spx` uses the same data
dir, and when the runtime is not ready starts `scripts/spx runtime install` detached (never waited on;
output to the provisioning log) and says so in one line of context. Context, as `additionalContext` (in
the very first model request): the orchestration under way (its scope, `/spx-python:orchestrating-python
SCOPE` to resume it, the exact next step — mid-story, between stories and in Parts B and C), and for each
story mid-sequence its phase and next step.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

from spx_python.config import max_rejections
from spx_python.evidence.blob_cache import BlobCache
from spx_python.evidence.state import derive_states
from spx_python.hooks.answer import SESSION_START, SILENT, HookEnv, HookResult, additional_context
from spx_python.hooks.payload import project_root
from spx_python.runtime.location import (
    CLAUDE_DATA_VARIABLE,
    SPX_DATA_VARIABLE,
    data_dir,
    log_path,
    ready_runtime,
    runtimes_dir,
)
from spx_python.spec.tree import scan
from spx_python.workflow.journal import read_events
from spx_python.workflow.machine import (
    UNDERSTANDING,
    StoryProgress,
    fold,
    mid_sequence,
    next_action,
    skill_instruction,
)
from spx_python.workflow.orchestration import Orchestration, latest
from spx_python.workflow.order import next_work

ENV_FILE_VARIABLE = "CLAUDE_ENV_FILE"
SCRIPTS_DIR_NAME = "scripts"
LAUNCHER_NAME = "spx"
SKIP_RUNTIME = ("SPX_RUNTIME", "source")  # the launcher's own switch: run from source, no runtime
RUNTIME_NOTE = (
    "spx-python: spx is setting up its runtime (pytest, mypy, ruff, jinja2) in the background; the first "
    "`spx` command waits for it to finish (progress: {log})."
)
RUNTIME_FAILED_NOTE = (
    "spx-python: could not start setting up spx's runtime in {data} ({error}); the first `spx` command tries "
    "again and says what is missing — if it fails, ask the user to run `spx runtime install`."
)


def path_line(plugin_root: str) -> str:
    return f'export PATH={shlex.quote(os.path.join(plugin_root, SCRIPTS_DIR_NAME))}:"$PATH"\n'


def data_line(env: HookEnv) -> str:
    return f"export {SPX_DATA_VARIABLE}={shlex.quote(str(data_dir(env.environ)))}\n"


def manages_runtime(env: HookEnv) -> bool:
    """Claude Code runs this hook as an installed plugin (it then always sets `$CLAUDE_PLUGIN_DATA`)."""
    skipped = env.environ.get(SKIP_RUNTIME[0]) == SKIP_RUNTIME[1]
    return bool(env.environ.get(CLAUDE_DATA_VARIABLE)) and not skipped


def export_environment(env: HookEnv) -> None:
    env_file = env.environ.get(ENV_FILE_VARIABLE)
    if not env_file:
        return
    lines = [path_line(env.plugin_root), *([data_line(env)] if manages_runtime(env) else [])]
    try:
        with open(env_file, encoding="utf-8") as existing:
            present = existing.read()
    except FileNotFoundError:
        present = ""
    missing = "".join(line for line in lines if line not in present)
    if missing:
        with open(env_file, "a", encoding="utf-8") as target:
            target.write(missing)


def start_runtime(env: HookEnv) -> str | None:
    """Start provisioning in the background when the runtime is not ready; the context line saying so."""
    if not manages_runtime(env) or ready_runtime(env.environ) is not None:
        return None
    data = data_dir(env.environ)
    launcher = os.path.join(env.plugin_root, SCRIPTS_DIR_NAME, LAUNCHER_NAME)
    try:
        runtimes_dir(data).mkdir(parents=True, exist_ok=True)
        with open(log_path(data), "a", encoding="utf-8") as log:
            subprocess.Popen(  # never waited on: the hook returns at once
                [sys.executable, "-I", "-S", launcher, "runtime", "install"],
                stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True, close_fds=True,
                env={**env.environ, SPX_DATA_VARIABLE: str(data)},
            )
    except OSError as error:  # the session goes on; the first `spx` call tries again and says why it fails
        return RUNTIME_FAILED_NOTE.format(data=data, error=error.strerror or error)
    return RUNTIME_NOTE.format(log=log_path(data))


def _between_stories(root: Path, run: Orchestration) -> str | None:
    """The next step of an orchestration with nothing mid-sequence (None: everything in its scope passes)."""
    tree = scan(root)
    scope = tree.find(run.scope) if run.scope else None
    if run.scope and scope is None:
        return None
    cache = BlobCache(str(root))
    found = next_work(tree.capabilities, derive_states(tree.capabilities, cache.sha), scope).container
    cache.save()
    return None if found is None else skill_instruction(UNDERSTANDING, found.path)


def orchestration_lines(root: Path, events: list[dict[str, Any]], current: list[StoryProgress]) -> list[str]:
    """After a resume or a compaction: the orchestration under way, how to resume it, and its next step."""
    run = latest(events)
    if run is None:
        return []
    step = next_action(current[0]) if current else _between_stories(root, run)
    if step is None:
        return []
    return [
        f"spx-python orchestration under way: {run.shown_scope} (started {run.time}). Resume it with "
        f"{run.resume_command} and go on until every container in it passes. Exact next step: {step}"
    ]


def story_lines(payload: dict[str, Any], env: HookEnv) -> list[str]:
    root = project_root(payload, env.environ)
    if root is None:
        return []
    events, _ = read_events(root)
    current = mid_sequence(fold(events, max_rejections(root)))
    lines = orchestration_lines(root, events, current)
    if not current:
        return lines
    return [*lines,
        "spx-python workflow: a story is in the middle of its sequence. Continue it before starting anything else:",
        *(
            f"- {p.story}: at {p.phase} (last step {p.last_step}, {p.rejections} review rejection(s)); "
            f"next step: {next_action(p)}"
            for p in current
        ),
        "`spx workflow status` shows the journal's view; the hooks refuse any other order.",
    ]


def handle(payload: dict[str, Any], env: HookEnv) -> HookResult:
    export_environment(env)
    runtime_note = start_runtime(env)
    lines = [*([runtime_note] if runtime_note else []), *story_lines(payload, env)]
    if not lines:
        return SILENT
    return additional_context(SESSION_START, "\n".join(lines))
