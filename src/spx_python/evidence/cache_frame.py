"""The frame around every remembered derivation in `.spx/cache/` (the tree snapshot and the order index).

Lean and standard library only (the Skill hook loads a framed file on every call). A framed file is a
header line naming what it holds, the format, spx's version, the interpreter (marshal's format is the
interpreter's) and the identity of the code that derived it, then a check of the body, then the body.
`unframe` gives the body back only when all of that matches: a file written by another spx, another
Python, code edited since (a plugin update, development), a torn write or a hand edit is not used. The
files live in `.spx/`, which the hooks keep from the model, so the check is against damage, not forgery:
the body read as one little-endian number modulo the Mersenne prime 2**61 - 1 (two C operations, ~0.1 ms
for a 1,000-container tree, and no module to import: a SHA-1 takes ~1 ms, `binascii`'s CRC-32 an import).
"""

from __future__ import annotations

import os
import sys

from spx_python import __version__

# The code whose edit makes every remembered derivation unusable, relative to this package's directory.
DERIVING_MODULES = (
    "cache_frame.py",
    "state.py",
    "ledger.py",
    "tree_snapshot.py",
    "order_index.py",
    "../spec/tree.py",
    "../spec/bsp.py",
    "../spec/test_files.py",
)


def code_identity() -> str:
    """(size, mtime) of each module that derives the cached states: one stat each."""
    here = os.path.dirname(os.path.abspath(__file__))
    parts = []
    for name in DERIVING_MODULES:
        try:
            found = os.stat(os.path.join(here, name))
        except OSError:
            parts.append("-")
        else:
            parts.append(f"{found.st_size}:{found.st_mtime_ns}")
    return ",".join(parts)


_KEY = f"{__version__} {sys.hexversion} {code_identity()}"
CHECK_LENGTH = 16  # hex digits of the check
_PRIME = (1 << 61) - 1


def _check(body: bytes) -> bytes:
    return b"%016x" % (int.from_bytes(body, "little") % _PRIME)


def header(kind: str, format_version: int) -> bytes:
    return f"spx-{kind} {format_version} {_KEY}\n".encode()


def frame(kind: str, format_version: int, body: bytes) -> bytes:
    return header(kind, format_version) + _check(body) + body


def unframe(kind: str, format_version: int, data: bytes) -> bytes | None:
    """The body of a framed file of `kind`, None when anything about it does not match."""
    magic = header(kind, format_version)
    if not data.startswith(magic):
        return None
    start = len(magic) + CHECK_LENGTH
    body = data[start:]
    return body if data[len(magic) : start] == _check(body) else None
