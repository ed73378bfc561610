"""The frame around every remembered derivation in `.spx/cache/` (the tree snapshot and the order index).

Lean and standard library only (the Skill hook loads a framed file on every call). A framed file is a
header line naming what it holds, the format, spx's version, the interpreter (marshal's format is the
interpreter's) and the identity of the code that derived it, then a CRC-32 of the body, then the body.
`unframe` gives the body back only when all of that matches: a file written by another spx, another
Python, code edited since (a plugin update, development), a torn write or a hand edit is not used. The
files live in `.spx/`, which the hooks keep from the model, so the check is against damage, not forgery:
a CRC-32 (~0.06 ms for a 1,000-container tree, where a SHA-1 takes ~1 ms), over the body in place.
"""

from __future__ import annotations

import binascii
import marshal
import os
import sys

from spx_python import __version__
from spx_python.names import STATE_DIR_NAME, TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

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


CACHE_DIR = os.path.join(STATE_DIR_NAME, "cache")  # everything spx can work out again, below the project root
Identity = tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode: a file unchanged keeps all four
MISSING: Identity = (-1, -1, -1, -1)
# Whatever reading a damaged, truncated or foreign cache file can raise: each such file is simply not used.
UNUSABLE = (OSError, ValueError, TypeError, EOFError, IndexError, KeyError)


def identity(stat: os.stat_result) -> Identity:
    return stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino


def code_key(module_file: str, names: tuple[str, ...]) -> tuple[Identity, ...]:
    """The identity of each module in `names`, relative to `module_file`'s directory (`MISSING` for one that is
    not there): kept with a remembered result, so the result is used only while the code that made it is the
    same — a plugin update or a development edit retires it."""
    here = os.path.dirname(os.path.abspath(module_file))
    key = []
    for name in names:
        try:
            key.append(identity(os.stat(os.path.join(here, name))))
        except OSError:
            key.append(MISSING)
    return tuple(key)


_CODE = ",".join(":".join(map(str, found)) for found in code_key(__file__, DERIVING_MODULES))
_KEY = f"{__version__} {sys.hexversion} {_CODE}"
CHECK_LENGTH = 8  # hex digits of the CRC-32


def _check(body: bytes | memoryview) -> bytes:
    return b"%08x" % binascii.crc32(body)


def cache_path(project_root: object, name: str) -> str:
    """`<project>/.spx/cache/<name>` (`project_root`: a str or a Path)."""
    return os.path.join(str(project_root), CACHE_DIR, name)


def header(kind: str, format_version: int) -> bytes:
    return f"spx-{kind} {format_version} {_KEY}\n".encode()


def frame(kind: str, format_version: int, body: bytes) -> bytes:
    return header(kind, format_version) + _check(body) + body


def read_framed(file: str, kind: str, format_version: int) -> memoryview | None:
    """The body of the framed file `file` (see `unframe`); raises what reading raises (an `UNUSABLE` error)."""
    with open(file, "rb") as stream:
        return unframe(kind, format_version, stream.read())


def read_settled(file: str, kind: str, format_version: int, project_root: object) -> list[Any] | None:
    """The fields of a whole-tree derivation (a marshal'd tuple: project root, newest input's mtime, then its
    own fields) when it was worked out for `project_root` and written strictly after its newest input changed
    (git's racy rule: an input as new as the file may have changed again unseen); None otherwise. Raises what
    reading raises (an `UNUSABLE` error); its inputs are the caller's to re-stat."""
    written_ns = os.stat(file).st_mtime_ns
    body = read_framed(file, kind, format_version)
    if body is None:
        return None
    root, newest, *fields = marshal.loads(body)  # noqa: S302 - spx's own file under .spx/ (guarded from the model), checked
    return fields if root == str(project_root) and newest < written_ns else None


def unframe(kind: str, format_version: int, data: bytes) -> memoryview | None:
    """The body of a framed file of `kind` (a view into `data`, not a copy), None when anything does not match."""
    magic = header(kind, format_version)
    if not data.startswith(magic):
        return None
    start = len(magic) + CHECK_LENGTH
    body = memoryview(data)[start:]
    return body if data[len(magic) : start] == _check(body) else None
