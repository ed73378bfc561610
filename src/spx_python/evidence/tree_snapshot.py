"""The scanned tree and every container's own evidence, remembered between runs (`.spx/cache/tree.marshal`).

Standard library only (hooks use it). The snapshot is taken by a whole-tree run and names every input
it was derived from with its identity (size, mtime_ns, ctime_ns, inode), each stat'ed BEFORE it was
read: every directory the scan listed (a directory's mtime moves when an entry is added, removed or
renamed — that covers new, removed and renamed containers and test files) and every file whose bytes the
evidence used (ledgers, and the spec and listed test files of a stamped container). A later run reuses
it only when every input still has its identity (one `os.stat` each, far cheaper than scanning and
parsing), under git's racy rule as `blob_cache` applies it: a snapshot is saved only when every input had
settled before the run began, and trusted only when every input is strictly older than the snapshot file.
Anything else — a changed, added or vanished input, a symbolic link or an unreadable entry anywhere
(their targets change unseen), another interpreter, a corrupt or hand-edited file (a SHA-1 over the body
must match) — means the tree is scanned and derived again, exactly as without the cache.
"""

from __future__ import annotations

import contextlib
import gc
import marshal
import os
import time
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from spx_python.errors import SpxError
from spx_python.evidence.blob_cache import BlobCache, Identity, identity, settled, write_best_effort
from spx_python.evidence.cache_frame import UNUSABLE, cache_path, frame, header, read_settled
from spx_python.evidence.order_index import encode as encode_index
from spx_python.evidence.order_index import index_file
from spx_python.evidence.state import STATES, Evidence, State, derive_states
from spx_python.spec.tree import LEDGER_NAME, SPEC_ROOT_NAME, Container, Problem, SpecTree, scan_watched

if TYPE_CHECKING:
    from spx_python.evidence.state import Sha

CACHE_NAME = "tree.marshal"
CACHE_KIND = "tree"
FORMAT_VERSION = 2
MAGIC = header(CACHE_KIND, FORMAT_VERSION)  # what a usable snapshot file starts with


class TreeSnapshot:
    """The tree and every container's own evidence (children not rolled up), by full path. A plain class:
    a NamedTuple's class creation costs a fresh process more than everything this one does."""

    __slots__ = ("own", "tree")

    def __init__(self, tree: SpecTree, own: Mapping[str, Evidence]) -> None:
        self.tree = tree
        self.own = own

    def state_of(self, container: Container) -> State:
        return self.own[container.path].state


def cache_file(project_root: Path) -> str:
    return cache_path(project_root, CACHE_NAME)


class Recorder:
    """The identity of each input, taken before it is read; `plain` turns False at anything that cannot be cached."""

    def __init__(self) -> None:
        self.started_ns = time.time_ns()
        self.inputs: dict[str, Identity] = {}
        self.plain = True

    def __call__(self, path: str) -> None:
        if path in self.inputs:
            return
        try:
            self.inputs[path] = identity(os.stat(path))
        except (FileNotFoundError, NotADirectoryError):  # absent: the listed directory above it covers its arrival
            pass
        except OSError:
            self.plain = False

    def sha(self, inner: Sha) -> Sha:
        def recorded(path: str) -> str:
            self(path)
            return inner(path)

        return recorded

    def savable(self) -> bool:
        return self.plain and all(settled(ident, self.started_ns) for ident in self.inputs.values())


def scan_recorded(project_root: Path) -> tuple[SpecTree, Recorder]:
    """The whole tree, every directory it listed recorded; its ledgers are recorded too, before anything reads them."""
    recorder = Recorder()
    tree, plain = scan_watched(project_root, recorder)
    recorder.plain = recorder.plain and plain
    for container in tree.walk():
        if container.has_ledger:
            recorder(os.path.join(container.location, LEDGER_NAME))
    return tree, recorder


def _row(container: Container) -> tuple[Any, ...]:
    """The container's fields but its location (the spec root joined with its path), its children as rows."""
    return (*container[:4], *container[5:9], tuple(_row(child) for child in container.children))


def _container(row: tuple[Any, ...], spec_root: str) -> Container:
    """A container from its row (a malformed row raises, and the snapshot counts as missing)."""
    path = row[0]
    children = tuple(_container(child, spec_root) for child in row[8])
    return Container._make((path, row[1], row[2], row[3], spec_root + path, *row[4:8], children))


def _spec_root(project_root: Path) -> str:
    return os.path.join(project_root, SPEC_ROOT_NAME, "")


def save(snapshot: TreeSnapshot, recorder: Recorder) -> None:
    """Remember a whole-tree scan and its evidence, when every input had settled; best-effort, like `blob_cache`."""
    tree = snapshot.tree
    prefix = os.path.join(tree.project_root, "")
    spec_root = _spec_root(tree.project_root)
    inside = all(path.startswith(prefix) for path in recorder.inputs) and all(
        container.location == spec_root + container.path for container in tree.walk()
    )
    if not inside or not recorder.savable():
        return
    paths = tuple(path[len(prefix) :] for path in recorder.inputs)
    identities = tuple(recorder.inputs.values())
    newest = max((max(ident[1], ident[2]) for ident in identities), default=0)
    own = {path: (evidence.state.value, evidence.reasons) for path, evidence in snapshot.own.items()}
    capabilities = tuple(_row(capability) for capability in tree.capabilities)
    problems = tuple(tuple(problem) for problem in tree.problems)
    body = (str(tree.project_root), newest, paths, identities, tree.has_product_guide, tree.adr_names)
    document: tuple[Any, ...] = (*body, capabilities, problems, own)
    write_best_effort(cache_file(tree.project_root), frame(CACHE_KIND, FORMAT_VERSION, marshal.dumps(document)))
    inputs = dict(zip(paths, identities, strict=True))
    write_best_effort(index_file(tree.project_root), encode_index(tree, snapshot.own, inputs, newest))


def _unchanged(project_root: Path, paths: tuple[str, ...], identities: tuple[Identity, ...]) -> bool:
    """Every input still has its identity (paths below the project root, stat'ed relative to its descriptor)."""
    stat = os.stat
    try:
        root = os.open(project_root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except (OSError, AttributeError):
        return False
    try:
        for path, ident in zip(paths, identities, strict=True):
            current = stat(path, dir_fd=root)
            if (current.st_size, current.st_mtime_ns, current.st_ctime_ns, current.st_ino) != ident:
                return False
    except (OSError, NotImplementedError):
        return False
    finally:
        os.close(root)
    return True


def load(project_root: Path) -> TreeSnapshot | None:
    """The remembered snapshot when every input it was derived from is unchanged, else None."""
    collecting = gc.isenabled()
    gc.disable()  # tens of thousands of small tuples, none of them cyclic: collecting them is wasted time
    try:
        return _load(project_root)
    finally:
        if collecting:
            gc.enable()


def _load(project_root: Path) -> TreeSnapshot | None:
    file = cache_file(project_root)
    try:
        fields = read_settled(file, CACHE_KIND, FORMAT_VERSION, project_root)
        if fields is None:
            return None
        paths, identities, has_guide, adrs, capabilities, problems, own = fields
        if not _unchanged(project_root, paths, identities):
            return None
        spec_root = _spec_root(project_root)
        tree = SpecTree(
            project_root=project_root,
            has_product_guide=has_guide,
            adr_names=adrs,
            capabilities=tuple(_container(row, spec_root) for row in capabilities),
            problems=tuple(Problem(path, message) for path, message in problems),
        )
        evidence = {path: Evidence(STATES[value], reasons) for path, (value, reasons) in own.items()}
    except UNUSABLE:
        return None
    return TreeSnapshot(tree, evidence)


def whole_tree(project_root: Path, cache: BlobCache) -> TreeSnapshot | None:
    """The whole tree with every container's own evidence: remembered, else worked out (and remembered).
    None when the tree cannot be worked out whole (a malformed ledger, an unreadable directory): the
    caller then reads only what it needs, as without the cache."""
    found = load(project_root)
    if found is not None:
        return found
    with contextlib.suppress(SpxError, OSError):
        tree, recorder = scan_recorded(project_root)
        snapshot = TreeSnapshot(tree, derive_states(tree.capabilities, recorder.sha(cache.sha)).own)
        save(snapshot, recorder)
        return snapshot
    return None
