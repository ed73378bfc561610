"""Shell-glob expansion and directory walks that look at a bounded number of directory entries.

Standard library only. `glob.iglob('/*/*/*/*/*/*/*/x*')` can scan a whole file system for minutes,
and a hook that Claude Code times out fails open, so the Bash judge must never wait on one. Every
expansion and walk here spends from one budget per judged command (`reset_budget`); when it runs out
the caller gets None (expansion) or False from `spend` and must fail closed.
"""

from __future__ import annotations

import fnmatch
import os

MAX_SCANNED = 200_000  # directory entries per judged command (about a second of scandir)
GLOB_CHARS = frozenset("*?[")


class _Budget:
    left = MAX_SCANNED


def reset_budget(entries: int = MAX_SCANNED) -> None:
    _Budget.left = entries


def spend(entries: int) -> bool:
    """Take `entries` from the budget; False once it is exhausted."""
    _Budget.left -= entries
    return _Budget.left >= 0


def has_glob(text: str) -> bool:
    return not GLOB_CHARS.isdisjoint(text)


def _matching(base: str, part: str) -> list[str] | None:
    try:
        entries = os.scandir(base or os.curdir)
    except OSError:
        return []
    found: list[str] = []
    with entries:
        try:
            for entry in entries:
                if not spend(1):
                    return None
                hidden = entry.name.startswith(".") and not part.startswith(".")
                if not hidden and fnmatch.fnmatchcase(entry.name, part):
                    found.append(os.path.join(base, entry.name))
        except OSError:  # an unreadable directory (e.g. /proc/1/map_files) matches nothing, as in a shell
            return found
    return found


def expand(pattern: str, cwd: str) -> list[str] | None:
    """The existing paths a shell glob names (relative to `cwd`), or None when the budget runs out."""
    absolute = os.path.join(cwd, os.path.expanduser(pattern))
    current = [os.sep] if absolute.startswith(os.sep) else [""]
    for part in (p for p in absolute.split(os.sep) if p):
        following: list[str] = []
        for base in current:
            if has_glob(part):
                found = _matching(base, part)
                if found is None:
                    return None
                following.extend(found)
            elif os.path.lexists(os.path.join(base, part)):
                following.append(os.path.join(base, part))
        if not following or not spend(len(following)):
            return [] if not following else None
        current = following
    return current
