"""Which directories a scan must read for one workflow decision, so a hook never reads the whole tree.

Standard library only (hooks use it). A decision about the story `target` needs its chain, every
container before the chain in BSP order (read whole: their stories must all be Passing), and the
chain of each `other` story the journal holds mid-sequence. Containers after the chain are skipped.
A tree scanned this way answers an allowed decision exactly as the whole tree would; a refusal is
worked out again on the whole tree, whose suggestions and problems it names.
"""

from __future__ import annotations

from typing import NamedTuple

from spx_python.spec.bsp import parse_container_name

SEPARATOR = "/"


class Focus(NamedTuple):
    target: str
    others: tuple[str, ...] = ()


def _on_chain(path: str, full_path: str) -> bool:
    return path == full_path or path.startswith(full_path + SEPARATOR)


def _before(name: str, element: str) -> bool:
    """`name` sorts before the chain element `element` among siblings (unparsable: read it, to be safe)."""
    mine, theirs = parse_container_name(name), parse_container_name(element)
    if mine is None or theirs is None:
        return True
    return (mine.bsp, mine.slug) < (theirs.bsp, theirs.slug)


def descend(focus: Focus | None, parent_path: str, name: str, whole: bool) -> tuple[bool, bool]:
    """(read the directory `name` under `parent_path`?, read everything below it?)."""
    if focus is None or whole:
        return True, True
    full_path = f"{parent_path}{SEPARATOR}{name}" if parent_path else name
    if _on_chain(focus.target, full_path):
        return True, False
    if not parent_path or _on_chain(focus.target, parent_path):
        element = focus.target[len(parent_path) + 1 if parent_path else 0 :].split(SEPARATOR, 1)[0]
        if _before(name, element):
            return True, True
    return any(_on_chain(other, full_path) for other in focus.others), False
