"""Changes a cache must notice although no timestamp tells: made within the same tick, the mtime put back.

Shared by the tests of everything spx remembers about a tree (the snapshot, the order index, status views,
the blob cache): what must give a change away is the identity (size, mtime, ctime, inode) recorded.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

from cli_runner import run_spx

from spx_python.cli.status_memo import memo_file
from spx_python.evidence.blob_cache import SETTLED_NS
from spx_python.evidence.order_index import index_file, load
from spx_python.evidence.tree_snapshot import cache_file

SAME_SIZE_FAILING = "def test_ok() -> None:\n    assert Fals\n"  # as long as spec_builders.PASSING_TEST


def settle() -> None:
    """ctime cannot be set back: wait until everything written so far counts as settled (only settled inputs
    are remembered)."""
    time.sleep(3 * SETTLED_NS / 10**9)


def remember_tree(project: Path) -> None:
    """A whole-tree run (`spx spec status`) over inputs already settled: it writes the snapshot and the order index."""
    result = run_spx("spec", "status", cwd=project)
    assert result.returncode == 0, result.stderr
    assert load(project) is not None, "a settled whole-tree run writes the order index"


def keep_mtime(path: Path, change: Callable[[], object]) -> None:
    """Make `change`, then put `path`'s mtime back: only its ctime (and maybe size or inode) still tell."""
    before = path.stat()
    change()
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def forget_tree(project: Path) -> None:
    """Nothing remembered about the tree (snapshot, order index, status views): the next answer is worked out."""
    for file in (cache_file(project), index_file(project), memo_file(str(project))):
        if os.path.exists(file):
            os.unlink(file)
