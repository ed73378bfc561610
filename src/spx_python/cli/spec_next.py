"""`spx spec next [PATH] [--format text|json]`: exactly one full path, the next container to work on."""

from __future__ import annotations

import json
import os
import sys

from spx_python.cli.output import ALL_PASSING, EMPTY_TREE
from spx_python.evidence.order_index import OrderIndex
from spx_python.evidence.order_index import load as load_index
from spx_python.names import PATH_SEPARATOR, SPEC_ROOT_NAME, TYPE_CHECKING
from spx_python.walk_up import nearest_holding
from spx_python.workflow import order

if TYPE_CHECKING:
    import argparse
    from pathlib import Path

NEXT_FORMATS = ("text", "json")
BLOCKED_NOTE = "spx: note: {scope} waits for earlier work — {blocker} is not Passing; it comes first"
PROBLEMS_NOTE = "spx: note: {count} other problem(s) in spx/ — `spx spec status` names them"


def next_work(start: Path | str, path: str | None, fmt: str) -> int:
    project = nearest_holding(str(start), SPEC_ROOT_NAME) if path is None else None
    index = load_index(project) if project is not None else None  # every input checked: the problems are named too
    if index is not None:
        return _next_from_index(index, fmt)
    from pathlib import Path  # noqa: PLC0415 - the tree's path; the order index needs neither

    from spx_python.spec.fullpath import resolve  # noqa: PLC0415
    from spx_python.spec.project import load_with_states  # noqa: PLC0415

    tree, _, states = load_with_states(Path(start), None)  # the order rule reads the whole tree's states
    within = resolve(tree, path) if path else None
    scope = (within,) if within is not None else tree.capabilities
    work = order.next_work(tree.capabilities, states, within)
    found, blocked = work.container, work.blocked
    if fmt == "json":
        document: dict[str, object] = {"next": None, "all_passing": found is None and bool(scope)}
        if found is not None:
            document.update(next=found.path, kind=found.kind, state=states.state(found.path).value)
            if blocked:
                document.update(blocks=path)
        print(json.dumps(document))
        return 0
    print(found.path if found is not None else ALL_PASSING if scope else EMPTY_TREE)
    if blocked and found is not None and within is not None:
        print(BLOCKED_NOTE.format(scope=within.path, blocker=found.path), file=sys.stderr)
    _problem_notes(found.path if found is not None else None, [(p.path, p.message) for p in tree.problems])
    return 0


def _next_from_index(index: OrderIndex, fmt: str) -> int:
    """`spx spec next` for the whole tree from the order index (every input unchanged): the same answer, no scan."""
    found = order.first_unfinished((entry, entry.state) for entry in index.entries)
    has_containers = bool(index.entries)
    if fmt == "json":
        document: dict[str, object] = {"next": None, "all_passing": found is None and has_containers}
        if found is not None:
            document.update(next=found[0].path, kind=found[0].kind, state=found[1].value)
        print(json.dumps(document))
        return 0
    print(found[0].path if found is not None else ALL_PASSING if has_containers else EMPTY_TREE)
    _problem_notes(found[0].path if found is not None else None, list(index.problems))
    return 0


def _problem_notes(found: str | None, problems: list[tuple[str, str]]) -> None:
    on_the_way = [(path, message) for path, message in problems if found is not None and _on_chain(path, found)]
    for path, message in on_the_way:
        print(f"spx: note: {path}: {message}", file=sys.stderr)
    if len(problems) > len(on_the_way):
        print(PROBLEMS_NOTE.format(count=len(problems) - len(on_the_way)), file=sys.stderr)


def _on_chain(problem_path: str, full_path: str) -> bool:
    """The problem concerns the container at `full_path` or one of its ancestors (not a sibling or a child)."""
    chain = full_path.split(PATH_SEPARATOR)
    ancestors = {PATH_SEPARATOR.join([SPEC_ROOT_NAME, *chain[:depth]]) for depth in range(1, len(chain) + 1)}
    return problem_path in ancestors


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", nargs="?", help="full path of a capability/feature to scope the search")
    parser.add_argument("--format", choices=NEXT_FORMATS, default="text", help="output format (default: text)")
    parser.set_defaults(handler=lambda a: next_work(os.getcwd(), a.path, a.format))
