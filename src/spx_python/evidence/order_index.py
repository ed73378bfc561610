"""The order index (`.spx/cache/order.marshal`): every container in post-order with its own state and the
inputs it was derived from — what the Skill gate and `spx spec next` read instead of the whole tree.

Lean, standard library only: the Skill hook loads it on every call. It is written beside the tree
snapshot (`tree_snapshot.save`), from the same whole-tree run, under the same rules: framed and
checked (`cache_frame`), saved only when every input had settled, trusted only when every input is
strictly older than the file (git's racy rule). Unlike the snapshot it is checked only as far as a
decision reads. Its inputs are stored in pre-order: first the spec root's own (the listing of `spx/`),
then each container's (its directory listings, spec, ledger and test files) before its children's. A
decision about a container reads that container and everything below it (the order rule's "children
first"), every container before it in BSP order (they must pass) and its ancestors (its full path and its
context) — in pre-order exactly the inputs up to the end of its subtree, one prefix. `load` re-stats that
prefix: a container added, removed or renamed in it changes the mtime of a listed directory, an edited file
its own identity. One input that differs and the index is not used; the caller then works from the tree
itself, exactly as without it.
"""

from __future__ import annotations

import marshal
import os

from spx_python.evidence.cache_frame import UNUSABLE, cache_path, frame, read_settled
from spx_python.names import PATH_SEPARATOR, TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from pathlib import Path

    from spx_python.evidence.cache_frame import Identity
    from spx_python.evidence.state import Evidence, State
    from spx_python.spec.tree import Container, SpecTree

    Row = tuple[str, str, str, bool, int, bool]  # full path, kind, own state, has a spec, end of its inputs, nameable

INDEX_NAME = "order.marshal"
CACHE_KIND = "order"
FORMAT_VERSION = 1
INPUT_SEPARATOR = "\0"  # no path holds it
IDENTITY_FIELDS = 4  # size, mtime_ns, ctime_ns, inode: unsigned 64-bit each (times modulo 2**64)
MASK64 = (1 << 64) - 1


def index_file(project_root: Path | str) -> str:
    return cache_path(project_root, INDEX_NAME)


class Entry:
    """One container as the index knows it: full path, kind, own state, whether it has its spec file, whether
    `fullpath.check` accepts its path (`nameable`), and its place in post-order."""

    __slots__ = ("has_spec", "kind", "nameable", "path", "position", "state")

    def __init__(self, path: str, kind: str, state: State, position: int, *, has_spec: bool, nameable: bool) -> None:
        self.path = path
        self.kind = kind
        self.state = state
        self.has_spec = has_spec
        self.nameable = nameable
        self.position = position


def _owner(relative: str, positions: Mapping[str, int]) -> int:
    """The pre-order position of the container an input (`spx/...`) belongs to; -1: the spec root itself."""
    parts = relative.split(PATH_SEPARATOR)[1:]
    while parts:
        found = positions.get(PATH_SEPARATOR.join(parts))
        if found is not None:
            return found
        parts.pop()
    return -1


def _subtree_ends(containers: Iterable[Container], own_end: Mapping[str, int], ends: dict[str, int]) -> None:
    """For each container, the end of its subtree's inputs in pre-order (its last descendant's own end)."""
    for container in containers:
        _subtree_ends(container.children, own_end, ends)
        last = container.children[-1].path if container.children else None
        ends[container.path] = own_end[container.path] if last is None else ends[last]


def encode(tree: SpecTree, own: Mapping[str, Evidence], inputs: Mapping[str, Identity], newest: int) -> bytes:
    """The framed index of a whole-tree run; `inputs` are relative to the project root, `newest` their latest time."""
    import struct  # noqa: PLC0415 - written by a whole-tree run, never a hook

    from spx_python.spec.fullpath import syntax_problem  # noqa: PLC0415
    from spx_python.workflow.order import post_order  # noqa: PLC0415

    pre_order = list(tree.walk())
    positions = {container.path: position for position, container in enumerate(pre_order)}
    grouped: list[list[str]] = [[] for _ in range(len(pre_order) + 1)]  # [0]: the spec root's own inputs
    for path in inputs:
        grouped[_owner(path, positions) + 1].append(path)
    paths: list[str] = list(grouped[0])
    own_end: dict[str, int] = {}
    for position, container in enumerate(pre_order):
        paths.extend(grouped[position + 1])
        own_end[container.path] = len(paths)
    ends: dict[str, int] = {}
    _subtree_ends(tree.capabilities, own_end, ends)
    entries = []
    for container in post_order(tree.capabilities):
        state = own[container.path].state.value
        has_spec, nameable = container.spec_name is not None, syntax_problem(container.path) is None
        entries.append((container.path, container.kind, state, has_spec, ends[container.path], nameable))
    flat = [value & MASK64 for path in paths for value in inputs[path]]
    body = (
        str(tree.project_root),
        newest,
        tree.has_product_guide,
        INPUT_SEPARATOR.join(paths),
        struct.pack(f"={len(flat)}Q", *flat),
        tuple(entries),
        tuple(tuple(problem) for problem in tree.problems),
    )
    return frame(CACHE_KIND, FORMAT_VERSION, marshal.dumps(body))


class OrderIndex:
    """A loaded index, as plain data: the containers a decision reads (`entries`, in post-order from the first;
    `by_path`), whether `spx/CLAUDE.md` exists, and the tree's problems. `load` has re-stat'ed their inputs."""

    __slots__ = ("by_path", "entries", "has_product_guide", "problems")

    def __init__(self, entries: list[Entry], has_guide: bool, problems: tuple[tuple[str, str], ...]) -> None:
        self.entries = entries
        self.by_path = {entry.path: entry for entry in entries}
        self.has_product_guide = has_guide
        self.problems = problems


EMPTY = OrderIndex([], has_guide=False, problems=())  # none to trust: a decision asks the tree


def _read_up_to(rows: tuple[Row, ...], targets: Iterable[str] | None) -> tuple[int, int] | None:
    """(inputs, containers): how many inputs (a prefix in pre-order) and how many containers (a prefix in
    post-order) a decision about `targets` reads — each target, everything before it, below it and above it.
    None when a target is unknown."""
    if targets is None:
        return (max((row[4] for row in rows), default=0), len(rows)) if rows else None
    positions = {row[0]: position for position, row in enumerate(rows)}
    inputs = containers = 0
    for target in targets:
        position = positions.get(target)
        if position is None:
            return None
        inputs = max(inputs, rows[position][4])
        capability = positions[target.split(PATH_SEPARATOR, 1)[0]]  # its last ancestor in post-order
        containers = max(containers, capability + 1)
    return inputs, containers


def _unchanged(root_fd: int, paths: list[str], identities: memoryview, count: int) -> bool:
    """The first `count` inputs still have their identities (size, mtime_ns, ctime_ns, inode), stat'ed in order."""
    stat = os.stat
    field = 0
    for index in range(count):
        current = stat(paths[index], dir_fd=root_fd)
        if (
            identities[field + 1] != current.st_mtime_ns & MASK64
            or identities[field + 2] != current.st_ctime_ns & MASK64
            or identities[field] != current.st_size
            or identities[field + 3] != current.st_ino
        ):
            return False
        field += IDENTITY_FIELDS
    return True


def load(project_root: Path | str, targets: Iterable[str] | None = None) -> OrderIndex | None:
    """The index with every input a decision about `targets` (full paths) reads re-stat'ed and unchanged;
    `targets` None checks every input. None when the index is missing, unusable, does not know a target,
    or any checked input changed."""
    checked = _checked(project_root, targets)
    if checked is None:
        return None
    rows, containers, has_guide, problems = checked
    from spx_python.evidence.state import STATES  # noqa: PLC0415 - `unchanged` needs no states

    entries = []
    for position in range(containers):
        path, kind, state, has_spec, _, nameable = rows[position]
        entries.append(Entry(path, kind, STATES[state], position, has_spec=has_spec, nameable=nameable))
    return OrderIndex(entries, has_guide, problems)


def unchanged(project_root: Path | str) -> bool:
    """The index describes the tree as it is now: it is usable and every one of its inputs is unchanged."""
    return _checked(project_root, None) is not None


def _checked(
    project_root: Path | str, targets: Iterable[str] | None
) -> tuple[tuple[Row, ...], int, bool, tuple[tuple[str, str], ...]] | None:
    """The rows, how many of them (in post-order) a decision about `targets` reads, and the rest of the index,
    once the inputs those rows were derived from are re-stat'ed and unchanged; None when anything differs."""
    file = index_file(project_root)
    try:
        fields = read_settled(file, CACHE_KIND, FORMAT_VERSION, project_root)
        if fields is None:
            return None
        has_guide, joined, packed, rows, problems = fields
        read = _read_up_to(rows, targets)
        if read is None:
            return None
        count, containers = read
        identities = memoryview(packed).cast("Q")
        if len(identities) < count * IDENTITY_FIELDS:
            return None
        paths = joined.split(INPUT_SEPARATOR, count) if count else []
        root_fd = os.open(project_root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            if not _unchanged(root_fd, paths, identities, count):
                return None
        finally:
            os.close(root_fd)
    except (*UNUSABLE, AttributeError, NotImplementedError):  # no O_DIRECTORY or dir_fd (Windows): no index
        return None
    return rows, containers, has_guide, problems
