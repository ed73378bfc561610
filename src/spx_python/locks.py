"""The project-wide stamp lock: an exclusive `flock` on `<project>/.spx/stamp.lock`.

Kept apart from `stamping` so `spx spec test --stamp` can take it (and start pytest) before it
imports the rest of the stamp machinery. The kernel releases the lock when its holder dies.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from spx_python.journal import state_dir

STAMP_LOCK_NAME = "stamp.lock"


@contextmanager
def stamp_lock(project_root: Path) -> Iterator[None]:
    """Hold the project's exclusive stamp lock (blocking) for the duration of the block."""
    directory = state_dir(project_root)
    directory.mkdir(parents=True, exist_ok=True)
    fd = os.open(directory / STAMP_LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock
