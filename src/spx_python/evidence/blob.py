"""Git blob SHA-1 in pure Python, byte-for-byte what `git hash-object --no-filters` prints.

Standard library only. No clean/CRLF filters are applied: the ledger records the bytes on disk.
Files are read with raw `os.read` (no buffered file object): the status of a 1,000-container tree
reads a few thousand small files, and this halves the cost of each read.
"""

from __future__ import annotations

import os

from spx_python.names import TYPE_CHECKING

if TYPE_CHECKING:  # hooks import this module: no `typing`, `pathlib` or `re` at run time
    from collections.abc import Callable
    from pathlib import Path
    from typing import Protocol

    class _Digest(Protocol):
        def hexdigest(self) -> str: ...


def _sha1_constructor() -> Callable[[bytes], _Digest]:
    """CPython's built-in SHA-1 (no OpenSSL load: ~2 ms less start-up for every hook), else hashlib's."""
    try:
        import _sha1  # type: ignore[import-not-found]  # noqa: PLC0415 - private CPython module, checked below

        return _sha1.sha1  # type: ignore[no-any-return]
    except ImportError:  # another interpreter, or a build without it
        import hashlib  # noqa: PLC0415

        return lambda data: hashlib.sha1(data, usedforsecurity=False)


_sha1: Callable[[bytes], _Digest] | None = None  # made at the first hash: the order index hashes nothing

BLOB_SHA_LENGTH = 40
_HEX_DIGITS = "0123456789abcdef"
_CHUNK = 1 << 20


def blob_sha(data: bytes) -> str:
    global _sha1  # noqa: PLW0603 - one constructor per process, looked up on first use
    if _sha1 is None:
        _sha1 = _sha1_constructor()
    header = b"blob %d\0" % len(data)
    return _sha1(header + data).hexdigest()


def read_bytes(path: Path | str) -> bytes:
    """The whole file, read with unbuffered system calls (raises OSError like `open`)."""
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        chunks = []
        while chunk := os.read(fd, _CHUNK):
            chunks.append(chunk)
    finally:
        os.close(fd)
    return b"".join(chunks)


def file_blob_sha(path: Path | str) -> str:
    """The blob SHA of a file's raw bytes (raises OSError when it cannot be read)."""
    return blob_sha(read_bytes(path))


def is_blob_sha(text: str) -> bool:
    return len(text) == BLOB_SHA_LENGTH and not text.strip(_HEX_DIGITS)
