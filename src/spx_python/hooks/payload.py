"""What a hook payload says about where the call happens: its project(s) and its session.

Standard library only. The project is the nearest directory holding `spx/`, searched upward from the
payload's `cwd` (Claude's current directory), else from `$CLAUDE_PROJECT_DIR`.
"""

from __future__ import annotations

import os

from spx_python.names import SPEC_ROOT_NAME, TYPE_CHECKING
from spx_python.walk_up import nearest_holding

if TYPE_CHECKING:  # the Skill hook imports this module on every call: no `typing` or `pathlib` at run time
    from collections.abc import Mapping
    from pathlib import Path
    from typing import Any

PROJECT_DIR_ENV = "CLAUDE_PROJECT_DIR"


def project_dirs(payload: Mapping[str, Any], environ: Mapping[str, str]) -> list[str]:
    """Every project this hook call may concern: from the payload's `cwd`, then from `$CLAUDE_PROJECT_DIR`."""
    roots: list[str] = []
    for start in (payload.get("cwd"), environ.get(PROJECT_DIR_ENV)):
        if isinstance(start, str) and start and "\0" not in start and os.path.isdir(start):
            found = nearest_holding(start, SPEC_ROOT_NAME)
            if found is not None and found not in roots:
                roots.append(found)
    return roots


def project_root(payload: Mapping[str, Any], environ: Mapping[str, str]) -> Path | None:
    """The project of this hook call (the first of `project_dirs`), or None when no `spx/` is found."""
    roots = project_dirs(payload, environ)
    if not roots:
        return None
    from pathlib import Path  # noqa: PLC0415 - the Skill gate and the Stop hook work with the strings

    return Path(roots[0])


def session_of(payload: Mapping[str, Any]) -> str | None:
    session = payload.get("session_id")
    return session if isinstance(session, str) else None
