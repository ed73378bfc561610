"""SessionStart: put `spx` on the model's PATH, and tell a new, resumed or compacted session where the work stands.

PATH: appends `export PATH=<plugin>/scripts:"$PATH"` to `$CLAUDE_ENV_FILE` (once), so the model's Bash
calls find the `scripts/spx` launcher (facts §8). Context: for each story mid-sequence, its phase and
the exact next step, as `additionalContext` (present in the very first model request).
"""

from __future__ import annotations

import os
import shlex
from typing import Any

from spx_python.config import max_rejections
from spx_python.hooks.io import SESSION_START, SILENT, HookEnv, HookResult, additional_context
from spx_python.hooks.record import project_root
from spx_python.journal import read_events
from spx_python.workflow import fold, mid_sequence, next_action

ENV_FILE_VARIABLE = "CLAUDE_ENV_FILE"
SCRIPTS_DIR_NAME = "scripts"


def path_line(plugin_root: str) -> str:
    return f'export PATH={shlex.quote(os.path.join(plugin_root, SCRIPTS_DIR_NAME))}:"$PATH"\n'


def export_scripts(env: HookEnv) -> None:
    env_file = env.environ.get(ENV_FILE_VARIABLE)
    if not env_file:
        return
    line = path_line(env.plugin_root)
    try:
        with open(env_file, encoding="utf-8") as existing:
            if line in existing.read():
                return
    except FileNotFoundError:
        pass
    with open(env_file, "a", encoding="utf-8") as target:
        target.write(line)


def handle(payload: dict[str, Any], env: HookEnv) -> HookResult:
    export_scripts(env)
    root = project_root(payload, env.environ)
    if root is None:
        return SILENT
    events, _ = read_events(root)
    current = mid_sequence(fold(events, max_rejections(root)))
    if not current:
        return SILENT
    lines = [
        f"- {p.story}: at {p.phase} (last step {p.last_step}, {p.rejections} review rejection(s)); "
        f"next step: {next_action(p)}"
        for p in current
    ]
    text = "\n".join(
        [
            "spx-python workflow: a story is in the middle of its sequence. Continue it before starting anything else:",
            *lines,
            "`spx workflow status` shows the journal's view; the hooks refuse any other order.",
        ]
    )
    return additional_context(SESSION_START, text)
