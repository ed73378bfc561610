"""The one order rule: what to work on next, and whether a container may start. Pure, standard library only.

`spx spec next [SCOPE]` and the Skill gate both call `next_work`, so the path `next` prints is exactly
what the gate lets start:

- Over the whole tree, `next` is the first non-Passing container depth-first in BSP order, descending
  while a child is not Passing (`state.next_container`): after a feature's last story passes, the
  feature itself (Part B), then the capability (Part C).
- With a scope, the answer is the whole tree's `next` when it lies in the scope; when it lies before the
  scope (a lower-numbered sibling of the scope or of an ancestor is unfinished) the answer is that
  blocking container, flagged `blocked`; a Passing scope answers "all passing".
- A container that is not Passing may start only when it is the whole tree's `next`. A Passing
  container may be reworked when nothing before it (BSP order, depth first) is unfinished.
  `start_refusal` decides this reading only the containers up to the target (the Skill gate's hot path);
  the property test in tests/test_order_rule.py proves it agrees with `next_work`.
"""

from __future__ import annotations

from spx_python.evidence.state import State, next_container
from spx_python.names import PATH_SEPARATOR, TYPE_CHECKING

if TYPE_CHECKING:  # the Skill hook imports this module: no `typing` and no tree at run time
    from collections.abc import Iterable, Iterator
    from typing import Protocol, TypeVar

    from spx_python.evidence.state import TreeStates
    from spx_python.spec.tree import Container

    class Node(Protocol):
        """A container as the order rule reads it: the tree's, or the order index's entry."""

        @property
        def path(self) -> str: ...
        @property
        def kind(self) -> str: ...

    N = TypeVar("N", bound=Node)


class NextWork:
    """The container to work on (None: everything in the scope passes), and whether it blocks the scope."""

    __slots__ = ("blocked", "container")

    def __init__(self, container: Container | None, blocked: bool = False) -> None:
        self.container = container
        self.blocked = blocked


def inside(path: str, scope: str) -> bool:
    """`path` is `scope` or lies below it."""
    return path == scope or path.startswith(scope + PATH_SEPARATOR)


def next_work(roots: Iterable[Container], states: TreeStates, scope: Container | None = None) -> NextWork:
    """The next container for `scope` (None: the whole tree) under the one order rule."""
    found = next_container(roots, states)
    if scope is None or found is None or inside(found.path, scope.path):
        return NextWork(found)
    if states.state(scope.path) is State.PASSING:
        return NextWork(None)
    return NextWork(found, blocked=True)


class StartRefusal:
    """Why a container may not start: the container to finish first (`blocker`), its `state`, and whether it
    lies inside the target (`inside_target`: a child or deeper — finish the children first)."""

    __slots__ = ("blocker", "inside_target", "state")

    def __init__(self, blocker: Node, state: State, inside_target: bool) -> None:
        self.blocker = blocker
        self.state = state
        self.inside_target = inside_target


def post_order(roots: Iterable[Container]) -> Iterator[Container]:
    """Children before their parent, siblings in BSP order."""
    for root in roots:
        yield from post_order(root.children)
        yield root


def first_unfinished(with_states: Iterable[tuple[N, State]]) -> tuple[N, State] | None:
    """The whole tree's `next` and its state (None: everything passes), from every container in post-order with
    its own state: the first that is not Passing — where `state.next_container`'s depth-first descent stops (its
    children all pass, so its rolled-up state is its own). The order index answers `spx spec next` with it."""
    for container, state in with_states:
        if state is not State.PASSING:
            return container, state
    return None


def start_refusal(with_states: Iterable[tuple[N, State]], target: Node) -> StartRefusal | None:
    """None when `target` may start: it is `next`, or it is Passing with nothing unfinished before it.

    `next` is the first container in post-order whose *own* state is not Passing (the depth-first descent
    of `state.next_container` stops exactly there), so only the containers up to the target are read:
    `with_states` gives them in post-order with their own states, lazily where a state costs a hash."""
    for container, state in with_states:
        if state is not State.PASSING:
            if container.path == target.path:
                return None
            return StartRefusal(container, state, inside_target=inside(container.path, target.path))
        if container.path == target.path:
            return None
    return None
