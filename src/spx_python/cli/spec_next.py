"""`spx spec next [PATH] [--format text|json]`: exactly one full path, the next container to work on."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from spx_python.cli.status_view import ALL_PASSING, EMPTY_TREE
from spx_python.spec.fullpath import resolve
from spx_python.spec.project import load_with_states
from spx_python.spec.tree import PATH_SEPARATOR, SPEC_ROOT_NAME
from spx_python.workflow import order

NEXT_FORMATS = ("text", "json")
BLOCKED_NOTE = "spx: note: {scope} waits for earlier work — {blocker} is not Passing; it comes first"
PROBLEMS_NOTE = "spx: note: {count} other problem(s) in spx/ — `spx spec status` names them"


def next_work(start: Path, path: str | None, fmt: str) -> int:
    tree, _, states = load_with_states(start, None)  # the order rule reads the whole tree's states
    within = resolve(tree, path) if path else None
    scope = (within,) if within is not None else tree.capabilities
    found, blocked = order.next_work(tree.capabilities, states, within)
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
    on_the_way = [p for p in tree.problems if found is not None and _on_chain(p.path, found.path)]
    for problem in on_the_way:
        print(f"spx: note: {problem}", file=sys.stderr)
    if len(tree.problems) > len(on_the_way):
        print(PROBLEMS_NOTE.format(count=len(tree.problems) - len(on_the_way)), file=sys.stderr)
    return 0


def _on_chain(problem_path: str, full_path: str) -> bool:
    """The problem concerns the container at `full_path` or one of its ancestors (not a sibling or a child)."""
    chain = full_path.split(PATH_SEPARATOR)
    ancestors = {PATH_SEPARATOR.join([SPEC_ROOT_NAME, *chain[:depth]]) for depth in range(1, len(chain) + 1)}
    return problem_path in ancestors


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", nargs="?", help="full path of a capability/feature to scope the search")
    parser.add_argument("--format", choices=NEXT_FORMATS, default="text", help="output format (default: text)")
    parser.set_defaults(handler=lambda a: next_work(Path.cwd(), a.path, a.format))
