"""Which files no hand may write: every `pass.csv` (the ledgers) and everything under a `.spx/` directory.

Standard library only, pure apart from resolving symbolic links. A path is judged both as written
and as resolved, so a link pointing at a ledger is protected too. Names are compared case-insensitively
(a case-insensitive file system would write the ledger for `PASS.CSV`).
"""

from __future__ import annotations

import fnmatch
import os

from spx_python.hooks.guard.bounded_glob import expand, spend
from spx_python.names import LEDGER_NAME, PATH_SEPARATOR, SPEC_ROOT_NAME, STATE_DIR_NAME
from spx_python.refusal_rules import Refused, refused
from spx_python.spec.bsp import parse_container_name
from spx_python.walk_up import directories_up, nearest_holding

MAX_GLOB_MATCHES = 5000
MAX_WALK_ENTRIES = 50_000
LEDGER_REASON = (
    "{path}: pass.csv is a test-evidence ledger that only `spx spec test --stamp` writes — make the tests pass, "
    "then run `spx spec test {container} --stamp`; never edit, move or delete a ledger by hand"
)
UNKNOWN_CONTAINER = "<full path of its container>"
TOO_WIDE_REASON = (
    "{path}: this glob expands to more than {limit} names and could include a pass.csv ledger or .spx/ state — "
    "name the files explicitly (ledgers and .spx/ are written only by `spx`)"
)
PACKAGE_DIRS = frozenset({"site-packages", "dist-packages"})
PACKAGE_NAME = "spx_python"  # the package and its dist-info (spx_python_workflow-…)
CODE_REASON = (
    "{path}: this is the code the workflow's hooks and `spx` run (the plugin or an installed spx_python) — "
    "changing it would change what is enforced; leave it alone and report a problem with it to the user"
)
GIT_DIR, GIT_HOOKS_DIR, GIT_CONFIG = ".git", "hooks", "config"
GIT_HOOKS_PATH_REASON = (
    "{path}: git's hooks and config decide which checks run before a commit (such as `spx spec verify`) — "
    "leave them to the user"
)
STATE_REASON = (
    "{path}: .spx/ holds the workflow journal that only the hooks and `spx` write — never edit, move or delete it; "
    "read it with `spx workflow status` / `spx workflow log`"
)


def _container_of(components: list[str]) -> str:
    """The full path of the container holding a ledger (`…/spx/21-a.capability/pass.csv` → `21-a.capability`)."""
    if SPEC_ROOT_NAME in components[:-2]:
        last_root = len(components) - 1 - components[::-1].index(SPEC_ROOT_NAME)
        return PATH_SEPARATOR.join(components[last_root + 1 : -1])
    return UNKNOWN_CONTAINER


class _Guarded:
    """Directories that hold the code the hooks and `spx` run (the plugin root, its data dir): set per process."""

    roots: tuple[str, ...] = ()


def guard_roots(roots: list[str]) -> None:
    """Protect everything under `roots` too (`protect.handle` passes the plugin root and `$CLAUDE_PLUGIN_DATA`)."""
    _Guarded.roots = tuple(os.path.realpath(r) for r in roots if r and os.path.isabs(r))


def _runs_spx(components: list[str], candidate: str) -> bool:
    installed = any(
        part in PACKAGE_DIRS and components[i + 1 : i + 2] and components[i + 1].startswith(PACKAGE_NAME)
        for i, part in enumerate(components)
    )
    return installed or any(candidate == root or candidate.startswith(root + os.sep) for root in _Guarded.roots)


def _judge(components: list[str], shown: str, candidate: str = "") -> Refused | None:
    if components and components[-1].casefold() == LEDGER_NAME:
        return refused("protect.ledger-write", LEDGER_REASON.format(path=shown, container=_container_of(components)))
    if any(part.casefold() == STATE_DIR_NAME for part in components):
        return refused("protect.state-write", STATE_REASON.format(path=shown))
    if _runs_spx(components, candidate):
        return refused("protect.plugin-code", CODE_REASON.format(path=shown))
    git = len(components) - 1 - components[::-1].index(GIT_DIR) if GIT_DIR in components else -1
    if git >= 0 and (components[git + 1 : git + 2] == [GIT_HOOKS_DIR] or components[git + 1 :] == [GIT_CONFIG]):
        return refused("protect.git-hooks-file", GIT_HOOKS_PATH_REASON.format(path=shown))
    return None


def protected_reason(path: str, cwd: str) -> Refused | None:
    """Why writing `path` (relative to `cwd`) is refused, or None when it may be written."""
    if not path or "\0" in path:
        return None
    absolute = os.path.normpath(os.path.join(cwd, os.path.expanduser(path)))
    try:
        resolved = os.path.realpath(absolute)
    except (OSError, ValueError):  # an unreadable /proc link, a NUL byte: judge the path as written
        resolved = absolute
    for candidate in dict.fromkeys((absolute, resolved)):
        reason = _judge(candidate.split(os.sep), path, candidate)
        if reason is not None:
            return reason
    return None


def _could_match(pattern: str) -> Refused | None:
    """Judged by the pattern alone: could its last part name a ledger, or any part name `.spx`?"""
    parts = [part.casefold() for part in pattern.split("/") if part]
    if (parts and fnmatch.fnmatchcase(LEDGER_NAME, parts[-1])) or any(
        fnmatch.fnmatchcase(STATE_DIR_NAME, part) for part in parts
    ):
        return refused("protect.glob-too-wide", TOO_WIDE_REASON.format(path=pattern, limit=MAX_GLOB_MATCHES))
    return None


def glob_reason(pattern: str, cwd: str) -> Refused | None:
    """Why a shell glob expands onto a protected file in `cwd` (`spx/*/*/*/pass*`, `.sp?/*`), or None.

    Expansion looks at a bounded number of directory entries (a hook must answer quickly, `bounded_glob`);
    a pattern too wide for that, or matching over MAX_GLOB_MATCHES names, is judged by its shape alone.
    """
    matches = expand(pattern, cwd)
    if matches is None or len(matches) > MAX_GLOB_MATCHES:
        return _could_match(pattern)
    for match in matches:
        reason = protected_reason(match, cwd)
        if reason is not None:
            return reason.reworded(reason.replace(match, pattern, 1))
    return None


def glob_matches(pattern: str, cwd: str) -> list[str] | None:
    """What a shell glob names in `cwd`, or None when it is too wide to expand."""
    matches = expand(pattern, cwd)
    return None if matches is None or len(matches) > MAX_GLOB_MATCHES else matches


def carries_protected(path: str, cwd: str) -> bool:
    """Does directory `path` hold a pass.csv or a `.spx` anywhere below it? (Too large to look through: yes.)"""
    top = os.path.join(cwd, os.path.expanduser(path))
    if not os.path.isdir(top):
        return False
    seen = 0
    for _, directories, files in os.walk(top):
        seen += len(directories) + len(files)
        if seen > MAX_WALK_ENTRIES or not spend(len(directories) + len(files)):
            return True
        if any(name.casefold() == LEDGER_NAME for name in files) or any(
            name.casefold() == STATE_DIR_NAME for name in directories
        ):
            return True
    return False


def holds_state(path: str, cwd: str) -> bool:
    """Is `path` a directory holding a `.spx/` journal: the project root of `cwd`, or one of its ancestors?"""
    target = os.path.realpath(os.path.join(cwd, os.path.expanduser(path)))
    if os.path.isdir(os.path.join(target, STATE_DIR_NAME)):
        return True
    project = nearest_holding(cwd, STATE_DIR_NAME)
    return project is not None and os.path.join(project, STATE_DIR_NAME).startswith(target.rstrip(os.sep) + os.sep)


def in_a_project(path: str, cwd: str) -> bool:
    """Is `path` (a copy's destination) inside a project, i.e. does it or an ancestor hold `spx/` or `.spx/`?"""
    markers = (SPEC_ROOT_NAME, STATE_DIR_NAME)
    return any(
        os.path.basename(directory) in markers or any(os.path.isdir(os.path.join(directory, m)) for m in markers)
        for directory in directories_up(os.path.join(cwd, os.path.expanduser(path)))
    )


def holds_spec(path: str, cwd: str) -> bool:
    """Is `path` a directory of the spec tree's order: a container in `spx/`, `spx/` itself, or a project root?"""
    target = os.path.realpath(os.path.join(cwd, os.path.expanduser(path)))
    if not os.path.isdir(target):
        return False
    if os.path.basename(target) == SPEC_ROOT_NAME or os.path.isdir(os.path.join(target, SPEC_ROOT_NAME)):
        return True
    return parse_container_name(os.path.basename(target)) is not None and SPEC_ROOT_NAME in target.split(os.sep)
