"""The project-wide stamp lock: an exclusive `flock` on `<project>/.spx/stamp.lock`.

Kept apart from `evidence.stamp_write` so `spx spec test --stamp` can take it (and start pytest) before it
imports the rest of the stamp machinery. The kernel releases the lock when its holder dies.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from spx_python.workflow.journal import exclusive

STAMP_LOCK_NAME = "stamp.lock"


def stamp_lock(project_root: Path) -> contextlib.AbstractContextManager[None]:
    """Hold the project's exclusive stamp lock (blocking) for the duration of the block."""
    return exclusive(project_root, STAMP_LOCK_NAME)
