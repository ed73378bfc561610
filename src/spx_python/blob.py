"""Git blob SHA-1 in pure Python, byte-for-byte what `git hash-object --no-filters` prints.

Standard library only. No clean/CRLF filters are applied: the ledger records the bytes on disk.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

BLOB_SHA_LENGTH = 40


def blob_sha(data: bytes) -> str:
    header = b"blob %d\0" % len(data)
    return hashlib.sha1(header + data, usedforsecurity=False).hexdigest()


def file_blob_sha(path: Path | str) -> str:
    """The blob SHA of a file's raw bytes (raises OSError when it cannot be read)."""
    with open(path, "rb") as handle:
        return blob_sha(handle.read())


def is_blob_sha(text: str) -> bool:
    return len(text) == BLOB_SHA_LENGTH and all(c in "0123456789abcdef" for c in text)
