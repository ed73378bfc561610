"""Atomic file writes: readers see the old complete file or the new complete file, never a torn one.

The one place files are written whole: `write_atomic` replaces, `write_new` creates and never overwrites.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

_TEMP_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC
_FILE_MODE = 0o644


def _temp_file(path: Path) -> tuple[int, str]:
    """A new, exclusive temp file beside `path` (no `tempfile` import: it costs start-up time)."""
    while True:
        name = str(path.parent / f".{path.name}.{os.getpid()}.{os.urandom(6).hex()}.tmp")
        try:
            return os.open(name, _TEMP_FLAGS, 0o600), name
        except FileExistsError:
            continue


def _discard(temp_name: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(temp_name)


def _written_temp(path: Path, data: bytes) -> str:
    """A temp file beside `path` holding `data`, fsynced, mode 0644 (removed again if anything fails)."""
    fd, temp_name = _temp_file(path)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(temp_name, _FILE_MODE)
    except BaseException:
        _discard(temp_name)
        raise
    return temp_name


def _sync_directory(directory: Path) -> None:
    dir_fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to a temp file beside `path`, fsync it, rename it over `path`, fsync the directory."""
    temp_name = _written_temp(path, data)
    try:
        os.replace(temp_name, path)
    except BaseException:
        _discard(temp_name)
        raise
    _sync_directory(path.parent)


def write_new(path: Path, data: bytes) -> None:
    """Create `path` holding `data` atomically; refuse (FileExistsError) if anything is already at `path`."""
    temp_name = _written_temp(path, data)
    try:
        os.link(temp_name, path)
    finally:
        _discard(temp_name)
    _sync_directory(path.parent)
