"""The files `spx init` writes: applied all together after everything is rendered, restored byte-for-byte
on failure, and recorded (path and hash of what was written) so `spx commit` can take exactly the set-up
a story's context needs into the story's commit.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from spx_python.atomic import write_atomic
from spx_python.errors import SpxError
from spx_python.workflow.journal import state_dir

RECORD_NAME = "init-files.json"


class FileChange(NamedTuple):
    path: str  # relative to the project root, POSIX
    old: str | None  # the text before (None: no file)
    new: str
    summary: str  # what the user is told


def read_text(path: Path) -> str | None:
    """The file's UTF-8 text, None when absent; OSError / UnicodeDecodeError when it cannot be read."""
    try:
        return path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return None


def unusable(name: str, error: OSError | UnicodeDecodeError, what: str) -> str:
    """The warning for a file spx cannot read: `name: why — left alone; what`."""
    why = "not UTF-8 text" if isinstance(error, UnicodeDecodeError) else f"cannot read it ({error.strerror})"
    return f"{name}: {why} — left alone; {what}"


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def restore(root: Path, changes: Sequence[FileChange], created: Sequence[Path] = ()) -> None:
    """Put every changed file back as it was (old bytes rewritten, new files removed), then remove the
    directories in `created` (made for the new files, deepest first)."""
    for change in changes:
        path = root / change.path
        if change.old is not None:
            write_atomic(path, change.old.encode("utf-8"))
            continue
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
    for directory in sorted(created, key=lambda p: len(p.parts), reverse=True):
        with contextlib.suppress(OSError):
            directory.rmdir()


def _missing_parents(path: Path) -> list[Path]:
    return [parent for parent in path.parents if not parent.exists()]


def apply_changes(root: Path, changes: Sequence[FileChange]) -> list[Path]:
    """Write every change and return the directories made for them; on any failure undo what was written
    (files and directories) and raise SpxError naming the file."""
    done: list[FileChange] = []
    created: list[Path] = []
    for change in changes:
        path = root / change.path
        try:
            missing = _missing_parents(path)
            path.parent.mkdir(parents=True, exist_ok=True)
            created += missing
            write_atomic(path, change.new.encode("utf-8"))
            done.append(change)
        except OSError as error:
            restore(root, done, created)
            raise SpxError(
                f"{error.filename or path}: cannot write it ({error.strerror}) — nothing was changed; "
                "fix that, then retry"
            ) from None
    return created


def record_written(root: Path, changes: Sequence[FileChange]) -> None:
    """Remember what init wrote (best effort: a missing record only means `spx commit` stages less)."""
    if not changes:
        return
    record_path = state_dir(root) / RECORD_NAME
    record = written_record(root)
    record.update({change.path: _digest(change.new.encode("utf-8")) for change in changes})
    with contextlib.suppress(OSError):
        os.makedirs(record_path.parent, exist_ok=True)
        write_atomic(record_path, (json.dumps(record, indent=2, sort_keys=True) + "\n").encode("utf-8"))


def written_record(root: Path) -> dict[str, str]:
    try:
        data = json.loads((state_dir(root) / RECORD_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def unchanged_since_init(root: Path) -> list[Path]:
    """The files init wrote that still hold exactly what it wrote."""
    found: list[Path] = []
    for name, digest in written_record(root).items():
        path = root / name
        with contextlib.suppress(OSError):
            if _digest(path.read_bytes()) == digest:
                found.append(path)
    return found
