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
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from spx_python.state import State, TreeStates, next_container
from spx_python.tree import PATH_SEPARATOR, Container


class NextWork(NamedTuple):
    """The container to work on (None: everything in the scope passes), and whether it blocks the scope."""

    container: Container | None
    blocked: bool = False


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


class StartRefusal(NamedTuple):
    """Why a container may not start: the container to finish first, and how it relates to the target."""

    blocker: Container
    state: State
    inside_target: bool  # a child (or deeper) of the target: finish the children first


def _before(walk_order: list[str], first: str, second: str) -> bool:
    return walk_order.index(first) < walk_order.index(second)


def start_refusal(roots: list[Container], states: TreeStates, target: Container) -> StartRefusal | None:
    """None when `target` may start (it is `next`, or a Passing container with nothing unfinished before it)."""
    found = next_container(roots, states)
    if found is None or found.path == target.path:
        return None
    state = states.state(found.path)
    if inside(found.path, target.path):
        return StartRefusal(found, state, inside_target=True)
    if states.state(target.path) is not State.PASSING:
        return StartRefusal(found, state, inside_target=False)
    if inside(target.path, found.path):  # reworking a Passing child of the unfinished container
        return None
    order = [container.path for root in roots for container in root.walk()]
    return StartRefusal(found, state, inside_target=False) if _before(order, found.path, target.path) else None
