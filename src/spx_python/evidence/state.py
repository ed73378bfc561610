"""Container states from evidence (cached: no tests run), the worst-of rollup, and `next`.

Standard library only (hooks import it). `read_facts` does the I/O for one container; `own_state`
and everything after it are pure functions over those facts.

    Unknown   no test files and no ledger
    Pending   test files but no ledger, or a present test file not in the ledger
    Stale     spec_blob / a listed test_blob / a `# child` blob differs, or a listed file is missing
    Passing   ledger matches spec, tests and children
    Regressed only from a fresh run (a listed test with an unchanged blob fails)
"""

from __future__ import annotations

import enum
import os

from spx_python.errors import SpxError
from spx_python.names import LEDGER_NAME, TESTS_DIR_NAME, TYPE_CHECKING

if TYPE_CHECKING:  # the Skill hook imports this module: no `typing` and no tree at run time
    from collections.abc import Callable, Iterable, Mapping

    from spx_python.evidence.ledger import Ledger
    from spx_python.spec.tree import Container, SpecTree


class State(enum.Enum):
    PASSING = "Passing"
    UNKNOWN = "Unknown"
    PENDING = "Pending"
    STALE = "Stale"
    REGRESSED = "Regressed"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {state: rank for rank, state in enumerate(State)}  # declaration order = badness order
STATES = {state.value: state for state in State}  # a state from its name, as ledgers and caches write it


def worst(states: Iterable[State]) -> State:
    return max(states, key=_RANK.__getitem__, default=State.PASSING)


class Facts:
    """What is on disk for one container, as blob SHAs. (Plain classes here: a named tuple's class creation costs
    a fresh process ~0.1 ms, and the Skill hook starts fresh on every call.)"""

    __slots__ = ("child_ledger_blobs", "ledger", "spec_blob", "test_blobs", "unlisted_tests")

    def __init__(
        self,
        spec_blob: str | None,
        ledger: Ledger | None,
        test_blobs: dict[str, str],  # present test files that the ledger lists → current blob
        unlisted_tests: tuple[str, ...],  # present test files the ledger does not list
        child_ledger_blobs: dict[str, str | None],  # child name → blob of its pass.csv (None: no ledger)
    ) -> None:
        self.spec_blob = spec_blob
        self.ledger = ledger
        self.test_blobs = test_blobs
        self.unlisted_tests = unlisted_tests
        self.child_ledger_blobs = child_ledger_blobs


class Evidence:
    """A container's own state and the reasons for it."""

    __slots__ = ("reasons", "state")

    def __init__(self, state: State, reasons: tuple[str, ...]) -> None:
        self.state = state
        self.reasons = reasons

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Evidence) and (self.state, self.reasons) == (other.state, other.reasons)

    def __hash__(self) -> int:
        return hash((self.state, self.reasons))

    def __repr__(self) -> str:
        return f"Evidence({self.state!r}, {self.reasons!r})"


if TYPE_CHECKING:
    Sha = Callable[[str], str]  # a file's blob SHA: `blob.file_blob_sha`, or `BlobCache.sha` (same answer, faster)


def _blob_or_none(path: str, sha: Sha) -> str | None:
    try:
        return sha(path)
    except FileNotFoundError:
        return None


def _display(container: Container, name: str) -> str:
    return f"spx/{container.path}/{name}"


def read_ledger(container: Container) -> Ledger | None:
    """The container's parsed ledger, None when absent; malformed or unreadable → SpxError."""
    if not container.has_ledger:
        return None
    source = _display(container, LEDGER_NAME)
    try:
        from spx_python.evidence.blob import read_bytes  # noqa: PLC0415 - the order index reads no evidence

        data = read_bytes(os.path.join(container.location, LEDGER_NAME))
    except FileNotFoundError:
        return None
    except OSError as error:
        reason = f"cannot read the ledger ({error.strerror})"
        remedy = f"fix it, or delete it and re-stamp with `spx spec test --stamp {container.path}`"
        raise SpxError(f"{source}: {reason} — {remedy}") from None
    from spx_python.evidence.ledger import parse_ledger  # noqa: PLC0415 - a run answered from a tree snapshot parses none

    return parse_ledger(data, source)


def _hashing(sha: Sha | None) -> Sha:
    """`sha`, or git's blob SHA of the file read anew (`blob.file_blob_sha`)."""
    if sha is not None:
        return sha
    from spx_python.evidence.blob import file_blob_sha  # noqa: PLC0415 - the order index hashes nothing

    return file_blob_sha


def read_facts(container: Container, sha: Sha | None = None) -> Facts:
    sha = _hashing(sha)
    ledger = read_ledger(container)
    location = container.location
    spec_name = container.spec_name  # its blob only matters against a ledger: never hashed without one
    spec_blob = None if spec_name is None or ledger is None else _blob_or_none(os.path.join(location, spec_name), sha)
    listed = {row.test_file for row in ledger.rows} if ledger else set()
    test_blobs: dict[str, str] = {}
    for name in container.test_names:
        if name in listed:
            blob = _blob_or_none(os.path.join(location, TESTS_DIR_NAME, name), sha)
            if blob is not None:
                test_blobs[name] = blob
    unlisted = tuple(n for n in container.test_names if n not in listed)
    child_blobs: dict[str, str | None] = {}
    if ledger is not None:
        for child in container.children:
            child_ledger = os.path.join(child.location, LEDGER_NAME)
            child_blobs[child.name] = _blob_or_none(child_ledger, sha) if child.has_ledger else None
    return Facts(spec_blob, ledger, test_blobs, unlisted, child_blobs)


def _stale_reasons(facts: Facts, ledger: Ledger) -> list[str]:
    reasons: list[str] = []
    if facts.spec_blob != ledger.spec_blob:
        reasons.append("the spec changed since the stamp" if facts.spec_blob else "the spec file is missing")
    for row in ledger.rows:
        current = facts.test_blobs.get(row.test_file)
        if current is None:
            reasons.append(f"phantom: {row.test_file} is listed but missing")
        elif current != row.test_blob:
            reasons.append(f"{row.test_file} changed since the stamp")
    for name, blob in facts.child_ledger_blobs.items():
        entry = ledger.child(name)
        if entry is None:
            reasons.append(f"child {name} was not part of the stamp")
        elif entry.ledger_blob != blob:
            reasons.append(f"child {name}'s ledger changed since the stamp")
    reasons.extend(
        f"child {entry.name} is listed but missing"
        for entry in ledger.children
        if entry.name not in facts.child_ledger_blobs
    )
    return reasons


def own_state(facts: Facts) -> Evidence:
    """The container's own state from its facts (children not rolled up)."""
    ledger = facts.ledger
    if ledger is None:
        if facts.unlisted_tests:
            return Evidence(State.PENDING, ("tests exist but the container was never stamped",))
        return Evidence(State.UNKNOWN, ("no tests and no ledger",))
    stale = _stale_reasons(facts, ledger)
    if stale:
        return Evidence(State.STALE, tuple(stale))
    if facts.unlisted_tests:
        return Evidence(State.PENDING, tuple(f"{n} is not in the ledger yet" for n in facts.unlisted_tests))
    return Evidence(State.PASSING, ())


class TreeStates:
    """Own and shown (rolled-up) evidence for every container, keyed by full path."""

    __slots__ = ("own", "shown")

    def __init__(self, own: dict[str, Evidence], shown: dict[str, State]) -> None:
        self.own = own
        self.shown = shown

    def state(self, path: str) -> State:
        return self.shown[path]


def state_on_disk(container: Container) -> State:
    """A container's own state from its evidence on disk (no roll-up of its children; a story has none)."""
    return own_state(read_facts(container)).state


def own_state_of(sha: Sha) -> Callable[[Container], State]:
    """`state_on_disk`, hashing with `sha` (e.g. a blob cache's) instead of reading every blob anew."""

    def state_of(container: Container) -> State:
        return own_state(read_facts(container, sha)).state

    return state_of


def _derive(container: Container, own: dict[str, Evidence], shown: dict[str, State], sha: Sha) -> State:
    evidence = own_state(read_facts(container, sha))
    own[container.path] = evidence
    child_states = [_derive(child, own, shown, sha) for child in container.children]
    state = worst([evidence.state, *child_states])
    shown[container.path] = state
    return state


def derive_states(containers: Iterable[Container], sha: Sha | None = None) -> TreeStates:
    sha = _hashing(sha)
    own: dict[str, Evidence] = {}
    shown: dict[str, State] = {}
    for container in containers:
        _derive(container, own, shown, sha)
    return TreeStates(own, shown)


def roll_up(containers: Iterable[Container], own: Mapping[str, Evidence]) -> TreeStates:
    """The states of `containers` and all below them from their own evidence, known already (a tree snapshot)."""
    scoped: dict[str, Evidence] = {}
    shown: dict[str, State] = {}

    def visit(container: Container) -> State:
        evidence = scoped[container.path] = own[container.path]
        state = worst([evidence.state, *(visit(child) for child in container.children)])
        shown[container.path] = state
        return state

    for container in containers:
        visit(container)
    return TreeStates(scoped, shown)


def derive_tree(tree: SpecTree) -> TreeStates:
    return derive_states(tree.capabilities)


def next_container(containers: Iterable[Container], states: TreeStates) -> Container | None:
    """Depth-first in BSP order: descend into the first non-Passing container; return the deepest
    one whose children all pass but which itself does not. None means everything passes."""
    for container in containers:
        if states.state(container.path) is State.PASSING:
            continue
        return next_container(container.children, states) or container
    return None
