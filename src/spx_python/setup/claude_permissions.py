"""The Claude Code permission rule that lets the model call `spx` without asking, merged into the project's
`.claude/settings.json` (`permissions.allow`). Pure: text in, text out; never drops what is there."""

from __future__ import annotations

import json
from typing import Any

from spx_python.errors import SpxError

SETTINGS_PATH = ".claude/settings.json"
SPX_RULE = "Bash(spx *)"
RULES_ALLOWING_SPX = (SPX_RULE, "Bash(spx:*)", "Bash(spx*)", "Bash(*)", "Bash")  # spx's rule, or broader
BYPASS_MODE = "bypassPermissions"  # permissions.defaultMode that asks for nothing
PERMISSIONS, ALLOW = "permissions", "allow"
INDENT = 2


def _refuse(why: str) -> SpxError:
    return SpxError(f'{SETTINGS_PATH}: {why} — left alone; fix it, or add "{SPX_RULE}" to {PERMISSIONS}.{ALLOW}')


def with_spx_rule(text: str | None) -> str | None:
    """The settings text with the spx rule in `permissions.allow`, or None when it is already allowed."""
    try:
        settings: Any = {} if text is None or not text.strip() else json.loads(text)
    except ValueError as error:
        raise _refuse(f"not valid JSON ({error})") from None
    if not isinstance(settings, dict):
        raise _refuse("not a JSON object")
    permissions = settings.setdefault(PERMISSIONS, {})
    if not isinstance(permissions, dict):
        raise _refuse(f"{PERMISSIONS} is not an object")
    allow = permissions.setdefault(ALLOW, [])
    if not isinstance(allow, list):
        raise _refuse(f"{PERMISSIONS}.{ALLOW} is not a list")
    if SPX_RULE in allow:
        return None
    allow.append(SPX_RULE)
    newline = "\r\n" if text and "\r\n" in text else "\n"
    return json.dumps(settings, indent=INDENT, ensure_ascii=False).replace("\n", newline) + newline
