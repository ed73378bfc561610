"""PreToolUse (matcher `AskUserQuestion`): journal that the model asked the user, so the Stop hook lets the
turn end (asking the user is a legitimate end of a turn, even mid-story). Prints nothing: an explicit
`allow` would skip the user's own permission rules (facts §8)."""

from __future__ import annotations

from typing import Any

from spx_python.hooks.answer import SILENT, HookEnv, HookResult
from spx_python.hooks.payload import project_root
from spx_python.hooks.record import make_event
from spx_python.workflow.journal import append_event
from spx_python.workflow.machine import ASK_STEP, ASKED, SOURCE_MODEL

ASKED_REASON = "the model asked the user (AskUserQuestion)"


def handle(payload: dict[str, Any], env: HookEnv) -> HookResult:
    root = project_root(payload, env.environ)
    if root is not None:
        event = make_event(
            payload, story=None, step=ASK_STEP, decision=ASKED, reason=ASKED_REASON, source=SOURCE_MODEL,
            hook="PreToolUse",
        )
        append_event(root, event)
    return SILENT
