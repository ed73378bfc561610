"""Blob SHAs remembered between runs (`.spx/cache/blobs.json`), trusted only as git trusts its index.

Standard library only (hooks use it). An entry maps a file's path to its identity when it was hashed
(size, mtime_ns, ctime_ns, inode) and its blob SHA. A lookup stats the file and reuses the SHA only
when all four match AND the entry is not racy: its mtime and ctime are strictly older than the cache
file's own write time (git's racy-timestamp rule: a file changed in the same timestamp tick as the
cache was written may still look unchanged). Rewriting a file changes its ctime whatever `os.utime`
does to its mtime, and an entry is recorded only for a file untouched for a while before the run (`settled`),
so a file edited while it was being hashed is hashed again next time. Anything doubtful is re-hashed:
a stale file can never show as Passing because of this cache. A missing, unreadable or garbage cache
file is ignored and rebuilt; saving is best-effort (temp file + rename), never a reason to fail.
"""

from __future__ import annotations

import contextlib
import json
import os
import time

from spx_python.evidence.blob import file_blob_sha, read_bytes
from spx_python.evidence.cache_frame import Identity, cache_path, identity

CACHE_NAME = "blobs.json"
FORMAT_VERSION = 1
SETTLED_NS = 100_000_000  # 100 ms: many ticks of the kernel's coarse file-timestamp clock
COARSE_SETTLED_NS = 2_000_000_000  # 2 s: a file system with whole-second (FAT: 2 s) timestamps
SECOND_NS = 1_000_000_000
def trusted(cached: Identity, current: Identity, written_ns: int) -> bool:
    """Reuse a cached SHA only for an identical file whose timestamps are strictly older than the cache write."""
    return cached == current and current[1] < written_ns and current[2] < written_ns


def settled(current: Identity, started_ns: int) -> bool:
    """A file untouched for a while before the run started cannot change within its timestamp tick while it is
    hashed; the while is longer on a file system whose timestamps are whole seconds."""
    coarse = current[1] % SECOND_NS == 0 or current[2] % SECOND_NS == 0
    return max(current[1], current[2]) < started_ns - (COARSE_SETTLED_NS if coarse else SETTLED_NS)


def _parse(data: bytes) -> dict[str, tuple[Identity, str]]:
    document = json.loads(data)
    if not isinstance(document, dict) or document.get("version") != FORMAT_VERSION:
        return {}
    entries = document.get("entries")
    found: dict[str, tuple[Identity, str]] = {}
    if not isinstance(entries, dict):
        return found
    for path, row in entries.items():
        if isinstance(row, list) and len(row) == 5 and all(type(v) is int for v in row[:4]) and type(row[4]) is str:
            found[path] = ((row[0], row[1], row[2], row[3]), row[4])
    return found


class BlobCache:
    """The SHAs of one project's files; `sha(path)` behaves like `blob.file_blob_sha`, faster."""

    def __init__(self, project_root: str) -> None:
        self.file = cache_path(project_root, CACHE_NAME)
        self.prefix = os.path.join(project_root, "")  # entries are keyed by the path below the project root
        self.started_ns = time.time_ns()
        self.entries: dict[str, tuple[Identity, str]] = {}
        self.written_ns = 0
        self.changed = False
        self.loaded = False  # read at the first lookup: a run answered from elsewhere never parses it

    def load(self) -> None:
        self.loaded = True
        with contextlib.suppress(OSError, ValueError):  # absent, unreadable or garbage: start empty
            self.written_ns = os.stat(self.file).st_mtime_ns
            self.entries = _parse(read_bytes(self.file))

    def sha(self, path: str) -> str:
        """The blob SHA of the file at `path` (raises OSError when it cannot be read, like `file_blob_sha`)."""
        if not self.loaded:
            self.load()
        current = identity(os.stat(path))
        key = path[len(self.prefix) :] if path.startswith(self.prefix) else path
        entry = self.entries.get(key)
        if entry is not None and trusted(entry[0], current, self.written_ns):
            return entry[1]
        sha = file_blob_sha(path)
        if settled(current, self.started_ns):
            self.entries[key] = (current, sha)
            self.changed = True
        return sha

    def save(self) -> None:
        """Write the cache when this run hashed something new; a failure only means re-hashing next time."""
        if not self.changed:
            return
        rows = {path: [*ident, sha] for path, (ident, sha) in self.entries.items()}
        data = json.dumps({"version": FORMAT_VERSION, "entries": rows}, separators=(",", ":")).encode()
        if write_best_effort(self.file, data):
            self.changed = False


def write_best_effort(file: str, data: bytes) -> bool:
    """Replace `file` with `data` atomically (temp file + rename), creating its directory; False on any failure."""
    temp = f"{file}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(file), exist_ok=True)
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o644)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
        os.replace(temp, file)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        return False
    return True


__all__ = ["Identity", "identity"]  # defined with the other cache rules in cache_frame; re-exported for their users
