"""`spx spec status [PATH] [--format ...]`: the tree with each container's state, and its problems."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from spx_python.cli.output import use_colour
from spx_python.cli.status_view import FORMATS, TEXT, StatusView, render
from spx_python.evidence.state import next_container
from spx_python.spec.fullpath import resolve
from spx_python.spec.project import load_tree, load_with_states


def status(start: Path, path: str | None, fmt: str, fresh: bool = False) -> int:
    if fresh:
        from spx_python.testrun.fresh_states import fresh_states, regression_notes  # noqa: PLC0415 - runs pytest; keep start-up fast

        tree = load_tree(start)
        scope = (resolve(tree, path),) if path else tree.capabilities
        states = fresh_states(tree.project_root, scope)
        for note in regression_notes(states):
            print(note, file=sys.stderr)
    else:
        tree, scope, states = load_with_states(start, path)
    found = next_container(scope, states)
    view = StatusView(scope, states, tree.problems, found.path if found else None)
    print(render(view, fmt, use_colour()))
    return 0


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", nargs="?", help="full path of a capability/feature/story to scope the view")
    parser.add_argument("--format", choices=FORMATS, default=TEXT, help="output format (default: text)")
    parser.add_argument("--fresh", action="store_true", help="run every test in scope (one pytest run) first")
    parser.set_defaults(handler=lambda a: status(Path.cwd(), a.path, a.format, a.fresh))
