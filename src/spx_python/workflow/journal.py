"""The workflow journal: `.spx/workflow.jsonl`, one JSON event per line, append-only.

Standard library only: hooks import this on every call. Appends take an exclusive `flock` on a
side lock file and write each event with one `os.write` of a complete line, so parallel hook
processes and sessions never lose or tear a line, and every process sees the line before the hook
prints its decision. The journal is not fsynced (an fsync cost the Skill hook 1 to 4 ms on every
call here): an operating-system crash may lose its last lines, which costs a repeated step (the gate
names it), never evidence — the ledgers are written atomically and fsynced (`atomic.write_atomic`).
Readers skip a torn or foreign line instead of crashing and report how many they skipped.
"""

from __future__ import annotations

import fcntl
import json
import os
import time

from spx_python.errors import SpxError
from spx_python.names import STATE_DIR_NAME, TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: hooks import this module on every call
    from collections.abc import Iterator, Mapping
    from pathlib import Path
    from typing import Any

JOURNAL_NAME = "workflow.jsonl"
LOCK_NAME = "workflow.lock"
JOURNAL_LOCK_TIMEOUT = 10.0  # seconds; well below the hooks' 30 s timeout in hooks/hooks.json
LOCK_POLL_SECONDS = 0.02


def state_dir(project_root: Path | str) -> Path:
    from pathlib import Path  # noqa: PLC0415 - the hooks work with plain strings (`pathlib` costs start-up)

    return Path(project_root, STATE_DIR_NAME)


def journal_path(project_root: Path | str) -> Path:
    return state_dir(project_root) / JOURNAL_NAME


def _journal_file(project_root: Path | str) -> str:
    return os.path.join(project_root, STATE_DIR_NAME, JOURNAL_NAME)


class LockTimeout(SpxError):
    """Another process held the lock for longer than a journal append can take."""


def _acquire(fd: int, timeout: float | None, path: str) -> None:
    if timeout is None:
        fcntl.flock(fd, fcntl.LOCK_EX)
        return
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise LockTimeout(
                    f"{path}: held by another process for over {timeout:g} s — a workflow decision needs it; "
                    "stop whatever holds it (a stuck spx or hook), then retry"
                ) from None
            time.sleep(LOCK_POLL_SECONDS)


class Exclusive:
    """Holds the exclusive `flock` on `.spx/<lock_name>` inside a `with` block; the kernel frees it if the holder
    dies. A plain class rather than `contextlib.contextmanager`: the Skill hook does not pay for `contextlib`."""

    __slots__ = ("_fd", "_file", "_timeout")

    def __init__(self, project_root: Path | str, lock_name: str, timeout: float | None) -> None:
        self._file = os.path.join(project_root, STATE_DIR_NAME, lock_name)
        self._timeout = timeout
        self._fd = -1

    def __enter__(self) -> None:
        os.makedirs(os.path.dirname(self._file), exist_ok=True)
        fd = os.open(self._file, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            _acquire(fd, self._timeout, self._file)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd

    def __exit__(self, *_: object) -> None:
        self.release()

    def release(self) -> None:
        """Let the lock go (closing the file does); again, or before it was taken, nothing happens."""
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


def exclusive(project_root: Path | str, lock_name: str, timeout: float | None = None) -> Exclusive:
    """The exclusive `flock` on `.spx/<lock_name>`, for a `with` block.

    `timeout` (seconds) bounds the wait, raising `LockTimeout`; None waits for as long as it takes.
    """
    return Exclusive(project_root, lock_name, timeout)


def locked(project_root: Path | str) -> Exclusive:
    """Hold the journal's exclusive lock for the duration of the block (waiting at most `JOURNAL_LOCK_TIMEOUT`).

    The wait is bounded because a hook that Claude Code times out fails open: a process squatting on the
    lock must turn every gated decision into a refusal, not into "let it through".
    """
    return exclusive(project_root, LOCK_NAME, JOURNAL_LOCK_TIMEOUT)


def encode_event(event: Mapping[str, Any]) -> bytes:
    """One event as one line of UTF-8 JSON (no embedded newlines: json escapes them)."""
    return (json.dumps(event, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n").encode()


def append_events(project_root: Path | str, events: list[Mapping[str, Any]]) -> None:
    """Append events under the lock; each line is written with a single write(2)."""
    if not events:
        return
    with locked(project_root):
        append_events_holding_lock(project_root, events)


def append_events_holding_lock(project_root: Path | str, events: list[Mapping[str, Any]]) -> None:
    """Append events while the caller already holds `locked(project_root)` (read-decide-append)."""
    data = b"".join(encode_event(event) for event in events)
    fd = os.open(_journal_file(project_root), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
    finally:
        os.close(fd)


def append_event(project_root: Path | str, event: Mapping[str, Any]) -> None:
    append_events(project_root, [event])


def read_journal(project_root: Path | str) -> bytes:
    """The journal's bytes (empty when there is none yet)."""
    try:
        with open(_journal_file(project_root), "rb") as stream:
            return stream.read()
    except FileNotFoundError:
        return b""


def read_events(project_root: Path | str) -> tuple[list[dict[str, Any]], int]:
    """All well-formed events in order, and the number of lines that were not (torn or foreign)."""
    return parse_events(read_journal(project_root))


def parse_events(raw: bytes | memoryview) -> tuple[list[dict[str, Any]], int]:
    """The well-formed events of journal lines, in order, and the number of lines that were not."""
    events: list[dict[str, Any]] = []
    skipped = 0
    for line in bytes(raw).split(b"\n"):
        if not line.strip():
            continue
        event = _event(line)
        if event is None:
            skipped += 1
        else:
            events.append(event)
    return events, skipped


def latest_first(raw: bytes) -> Iterator[dict[str, Any]]:
    """The well-formed events of journal lines, the latest first, each parsed only when it is reached."""
    for line in reversed(raw.split(b"\n")):
        event = _event(line) if line.strip() else None
        if event is not None:
            yield event


def _event(line: bytes) -> dict[str, Any] | None:
    """One journal line's event; None for a torn, foreign or absurdly nested line."""
    try:
        value = json.loads(line)
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


__all__ = ["STATE_DIR_NAME"]  # imported from spx_python.names and re-exported for the modules that import it here
