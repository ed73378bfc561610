"""Finding the project (the directory holding `spx/`) and loading its spec tree.

Standard library only (hooks import it).
"""

from __future__ import annotations

import os
from pathlib import Path

from spx_python.errors import SpxError
from spx_python.evidence.blob_cache import BlobCache
from spx_python.evidence.state import TreeStates, derive_states, roll_up
from spx_python.evidence.tree_snapshot import TreeSnapshot, load, save, scan_recorded
from spx_python.spec.fullpath import resolve
from spx_python.spec.tree import SPEC_ROOT_NAME, Container, SpecTree, scan
from spx_python.walk_up import directories_up, nearest_holding

SPEC_ROOT_NOT_A_DIRECTORY = "is not a directory, so it cannot hold the spec tree — rename or move it, then `spx init`"
SEARCH_DEPTH = 2
MAX_PROJECTS_SHOWN = 3
SKIPPED_DIRS = frozenset({"node_modules", "__pycache__", "venv", SPEC_ROOT_NAME})
NO_SPEC_ROOT = "no spx/ directory here or in any parent — run `spx init` in the project root, or cd into it"


def find_project_root(start: Path) -> Path:
    """The nearest directory at or above `start` that holds a `spx/` directory."""
    found = nearest_holding(str(start), SPEC_ROOT_NAME)
    if found is not None:
        return Path(found)
    start = start.resolve()
    spec_roots = (os.path.join(directory, SPEC_ROOT_NAME) for directory in directories_up(str(start)))
    blocker = next((spec_root for spec_root in spec_roots if os.path.exists(spec_root)), None)
    if blocker is not None:
        raise SpxError(f"{blocker}: {SPEC_ROOT_NOT_A_DIRECTORY}")
    below = _spec_roots_below(start)
    if below:
        shown = " or ".join(f"`cd {path}`" for path in below)
        raise SpxError(f"{start}: no spx/ directory here or in any parent — the project is below: {shown}")
    raise SpxError(f"{start}: {NO_SPEC_ROOT}")


def _subdirectories(directory: Path) -> list[Path]:
    try:
        with os.scandir(directory) as entries:
            found = [Path(e.path) for e in entries if not e.name.startswith(".") and e.name not in SKIPPED_DIRS]
    except OSError:
        return []
    return sorted(path for path in found if path.is_dir())


def _spec_roots_below(start: Path) -> list[str]:
    """Projects (directories holding spx/) up to two levels below `start`, e.g. in a monorepo; error path only."""
    found: list[str] = []
    level = [start]
    for _ in range(SEARCH_DEPTH):
        level = [child for directory in level for child in _subdirectories(directory)]
        found += [str(d.relative_to(start)) for d in level if (d / SPEC_ROOT_NAME).is_dir()]
    return found[:MAX_PROJECTS_SHOWN]


def load_tree(start: Path) -> SpecTree:
    root = find_project_root(start)
    try:
        return scan(root)
    except PermissionError as error:
        raise _unreadable(error) from None


def _unreadable(error: PermissionError) -> SpxError:
    return SpxError(f"{error.filename}: cannot read this directory — fix its permissions")


def load_with_states(start: Path, path: str | None) -> tuple[SpecTree, tuple[Container, ...], TreeStates]:
    """The project's tree, the scope `path` names (None: every capability) and the states of that scope, as
    a scan and `derive_states` give them; a whole-tree run remembers them (`evidence.tree_snapshot`) and
    any run reuses them while nothing they were derived from has changed."""
    root = find_project_root(start)
    snapshot = load(root)
    if snapshot is not None:
        scope = (resolve(snapshot.tree, path),) if path else snapshot.tree.capabilities
        return snapshot.tree, scope, roll_up(scope, snapshot.own)
    try:
        tree, recorder = scan_recorded(root)
    except PermissionError as error:
        raise _unreadable(error) from None
    scope = (resolve(tree, path),) if path else tree.capabilities
    cache = BlobCache(str(root))
    states = derive_states(scope, recorder.sha(cache.sha))
    cache.save()
    if path is None:
        save(TreeSnapshot(tree, states.own), recorder)
    return tree, scope, states


def resolve_full_path(project_root: Path, text: str) -> Container:
    """The container named by a full path in the project at `project_root` (SpxError when refused)."""
    return resolve(scan(project_root), text)
