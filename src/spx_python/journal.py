"""The workflow journal: `.spx/workflow.jsonl`, one JSON event per line, append-only.

Standard library only: hooks import this on every call. Appends take an exclusive `flock` on a
side lock file and write each event with one `os.write` of a complete line, so parallel hook
processes and sessions never lose or tear a line. Readers skip a torn or foreign line instead of
crashing and report how many they skipped.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

STATE_DIR_NAME = ".spx"
JOURNAL_NAME = "workflow.jsonl"
LOCK_NAME = "workflow.lock"


def state_dir(project_root: Path) -> Path:
    return project_root / STATE_DIR_NAME


def journal_path(project_root: Path) -> Path:
    return state_dir(project_root) / JOURNAL_NAME


@contextmanager
def exclusive(project_root: Path, lock_name: str) -> Iterator[None]:
    """Hold the exclusive `flock` on `.spx/<lock_name>` (blocking); the kernel frees it if the holder dies."""
    directory = state_dir(project_root)
    directory.mkdir(parents=True, exist_ok=True)
    fd = os.open(directory / lock_name, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def locked(project_root: Path) -> contextlib.AbstractContextManager[None]:
    """Hold the journal's exclusive lock for the duration of the block."""
    return exclusive(project_root, LOCK_NAME)


def encode_event(event: Mapping[str, Any]) -> bytes:
    """One event as one line of UTF-8 JSON (no embedded newlines: json escapes them)."""
    return (json.dumps(event, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n").encode()


def append_events(project_root: Path, events: list[Mapping[str, Any]]) -> None:
    """Append events under the lock; each line is written with a single write(2)."""
    if not events:
        return
    with locked(project_root):
        append_events_holding_lock(project_root, events)


def append_events_holding_lock(project_root: Path, events: list[Mapping[str, Any]]) -> None:
    """Append events while the caller already holds `locked(project_root)` (read-decide-append)."""
    data = b"".join(encode_event(event) for event in events)
    fd = os.open(journal_path(project_root), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    finally:
        os.close(fd)


def append_event(project_root: Path, event: Mapping[str, Any]) -> None:
    append_events(project_root, [event])


def read_events(project_root: Path) -> tuple[list[dict[str, Any]], int]:
    """All well-formed events in order, and the number of lines that were not (torn or foreign)."""
    try:
        raw = journal_path(project_root).read_bytes()
    except FileNotFoundError:
        return [], 0
    events: list[dict[str, Any]] = []
    skipped = 0
    for line in raw.split(b"\n"):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except (ValueError, RecursionError):  # a torn, foreign or absurdly nested line
            skipped += 1
            continue
        if isinstance(value, dict):
            events.append(value)
        else:
            skipped += 1
    return events, skipped
