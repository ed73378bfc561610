"""Finding the project (the directory holding `spx/`) and loading its spec tree.

Standard library only (hooks import it).
"""

from __future__ import annotations

from pathlib import Path

from spx_python.errors import SpxError
from spx_python.fullpath import resolve
from spx_python.tree import SPEC_ROOT_NAME, Container, SpecTree, scan

SPEC_ROOT_NOT_A_DIRECTORY = "is not a directory, so it cannot hold the spec tree — rename or move it, then `spx init`"
NO_SPEC_ROOT = "no spx/ directory here or in any parent — run `spx init` in the project root, or cd into it"


def find_project_root(start: Path) -> Path:
    """The nearest directory at or above `start` that holds a `spx/` directory."""
    start = start.resolve()
    for candidate in (start, *start.parents):
        if (candidate / SPEC_ROOT_NAME).is_dir():
            return candidate
    blocker = next((c / SPEC_ROOT_NAME for c in (start, *start.parents) if (c / SPEC_ROOT_NAME).exists()), None)
    if blocker is not None:
        raise SpxError(f"{blocker}: {SPEC_ROOT_NOT_A_DIRECTORY}")
    raise SpxError(f"{start}: {NO_SPEC_ROOT}")


def load_tree(start: Path) -> SpecTree:
    root = find_project_root(start)
    try:
        return scan(root)
    except PermissionError as error:
        raise SpxError(f"{error.filename}: cannot read this directory — fix its permissions") from None


def resolve_full_path(project_root: Path, text: str) -> Container:
    """The container named by a full path in the project at `project_root` (SpxError when refused)."""
    return resolve(scan(project_root), text)
