"""Something expensive built once per test run, even when pytest-xdist runs the suite in several workers.

Each xdist worker has its own base temp directory (`.../pytest-N/popen-gw0`); their parent is the run's
own directory, shared by the workers of this run only. Without xdist the run's base temp is used. The
first worker to take the lock builds; the others wait for it, then reuse what it built (a `.done` marker
says the build finished; a failed or interrupted build is started over by the next worker).
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

DONE_MARKER = ".done"
WORKER_ENV = "PYTEST_XDIST_WORKER"


def run_directory(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The directory this test run's workers share (the base temp itself without xdist)."""
    return shared_above(tmp_path_factory.getbasetemp())


def run_directory_of(tmp_path: Path) -> Path:
    """The same directory, from a test's own `tmp_path` (a numbered directory right under the base temp)."""
    return shared_above(tmp_path.parent)


def shared_above(base_temp: Path) -> Path:
    return base_temp.parent if os.environ.get(WORKER_ENV) else base_temp


def built_once(tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]) -> Path:
    """`<run directory>/<name>`, filled by `build(directory)` in exactly one worker; every worker gets it."""
    return built_once_in(run_directory(tmp_path_factory), name, build)


def built_once_in(root: Path, name: str, build: Callable[[Path], None]) -> Path:
    """`<root>/<name>`, filled by `build(directory)` by exactly one process; every other one waits, then reuses it."""
    directory = root / name
    with (root / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (directory / DONE_MARKER).is_file():
            shutil.rmtree(directory, ignore_errors=True)
            directory.mkdir()
            build(directory)
            (directory / DONE_MARKER).write_text("")
    return directory
