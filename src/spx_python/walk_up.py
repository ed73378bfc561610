"""The walk from a directory up to the filesystem root: the one place a project, its `spx/` or its `.spx/`
is searched for above a directory. Standard library only (every hook uses it).
"""

from __future__ import annotations

import os

from spx_python.names import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator


def directories_up(start: str) -> Iterator[str]:
    """`start` (symlinks resolved) and then each of its parents, up to and including the filesystem root."""
    directory = os.path.realpath(start)
    while True:
        yield directory
        parent = os.path.dirname(directory)
        if parent == directory:
            return
        directory = parent


def nearest_holding(start: str, name: str) -> str | None:
    """The nearest directory at or above `start` that holds a directory `name` (e.g. `spx`), or None."""
    return next((d for d in directories_up(start) if os.path.isdir(os.path.join(d, name))), None)
