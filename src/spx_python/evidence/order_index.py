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

from spx_python.evidence.cache_frame import frame, unframe
from spx_python.evidence.state import STATES, State
from spx_python.names import PATH_SEPARATOR, STATE_DIR_NAME, TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping
    from pathlib import Path

    from spx_python.evidence.blob_cache import Identity
    from spx_python.evidence.state import Evidence
    from spx_python.spec.tree import Container, SpecTree

    Row = tuple[str, str, str, bool, int, bool]  # full path, kind, own state, has a spec, end of its inputs, nameable

INDEX_NAME = "order.marshal"
CACHE_KIND = "order"
FORMAT_VERSION = 1
INPUT_SEPARATOR = "\0"  # no path holds it
IDENTITY_FIELDS = 4  # size, mtime_ns, ctime_ns, inode: unsigned 64-bit each (times modulo 2**64)
MASK64 = (1 << 64) - 1
_LOST = (OSError, ValueError, TypeError, EOFError, IndexError, KeyError)  # whatever a bad file can raise


def index_file(project_root: Path | str) -> str:
    return os.path.join(project_root, STATE_DIR_NAME, "cache", INDEX_NAME)


class Entry:
    """One container as the index knows it: full path, kind, and its place in post-order."""

    __slots__ = ("kind", "path", "position")

    def __init__(self, path: str, kind: str, position: int) -> None:
        self.path = path
        self.kind = kind
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
    """A loaded index; `load` has checked the inputs of whatever its caller reads."""

    __slots__ = ("_entries", "_positions", "has_product_guide", "problems")

    def __init__(self, entries: tuple[Row, ...], has_guide: bool, problems: tuple[tuple[str, str], ...]) -> None:
        self._entries = entries
        self._positions = {entry[0]: position for position, entry in enumerate(entries)}
        self.has_product_guide = has_guide
        self.problems = problems

    def find(self, path: str) -> Entry | None:
        position = self._positions.get(path)
        return None if position is None else self._entry(position)

    def named(self, path: str) -> Entry | None:
        """The container a full path names, as `fullpath.check` finds it (None: not one `check` accepts)."""
        position = self._positions.get(path)
        return None if position is None or not self._entries[position][5] else self._entry(position)

    def _entry(self, position: int) -> Entry:
        row = self._entries[position]
        return Entry(row[0], row[1], position)

    def up_to(self, entry: Entry) -> Iterator[Entry]:
        """Every container in post-order (children before their parent, siblings in BSP order) up to `entry`."""
        return (self._entry(position) for position in range(entry.position + 1))

    def has_containers(self) -> bool:
        """The tree has at least one container."""
        return bool(self._entries)

    def all(self) -> Iterator[Entry]:
        return (self._entry(position) for position in range(len(self._entries)))

    def state_of(self, entry: Entry) -> State:
        """The container's own state (children not rolled up), as derived from its unchanged inputs."""
        return STATES[self._entries[entry.position][2]]

    def inputs_read(self, targets: Iterable[str] | None) -> int | None:
        """How many inputs (a prefix, in pre-order) a decision about `targets` reads; None: a target is unknown."""
        if targets is None:
            return max((row[4] for row in self._entries), default=0) or None
        count = 0
        for target in targets:
            position = self._positions.get(target)
            if position is None:
                return None
            count = max(count, self._entries[position][4])
        return count

    def chain_has_specs(self, entry: Entry) -> bool:
        """Every container from the capability down to `entry` has its spec file."""
        parts = entry.path.split(PATH_SEPARATOR)
        chain = (self._positions[PATH_SEPARATOR.join(parts[:depth])] for depth in range(1, len(parts) + 1))
        return all(self._entries[position][3] for position in chain)


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
    file = index_file(project_root)
    try:
        written_ns = os.stat(file).st_mtime_ns
        with open(file, "rb") as stream:
            body = unframe(CACHE_KIND, FORMAT_VERSION, stream.read())
        if body is None:
            return None
        root, newest, has_guide, joined, packed, entries, problems = marshal.loads(body)  # noqa: S302 - spx's own file under .spx/ (guarded from the model), checked
        if root != str(project_root) or not newest < written_ns:
            return None
        index = OrderIndex(entries, has_guide, problems)
        count = index.inputs_read(targets)
        if count is None:
            return None
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
    except (*_LOST, AttributeError, NotImplementedError):  # no O_DIRECTORY or dir_fd (Windows): no index
        return None
    return index
