"""`spx spec status [PATH] [--format ...]`: the tree with each container's state, and its problems."""

from __future__ import annotations

import os

from spx_python.cli.output import use_colour
from spx_python.names import SPEC_ROOT_NAME, TYPE_CHECKING
from spx_python.walk_up import nearest_holding

if TYPE_CHECKING:
    import argparse
    from pathlib import Path

FORMATS = ("text", "table", "json", "markdown", "mermaid")  # as `status_view` renders them
TEXT = FORMATS[0]


def status(start: Path | str, path: str | None, fmt: str, fresh: bool = False) -> int:
    colour = use_colour()
    project = None if fresh else nearest_holding(str(start), SPEC_ROOT_NAME)
    view = (fmt, path or "", colour)
    if project is not None:
        from spx_python.cli.status_memo import recall  # noqa: PLC0415 - not for --fresh

        remembered = recall(project, view)
        if remembered is not None:
            print(remembered)
            return 0
    text = _worked_out(start, path, fmt, fresh, colour)
    print(text)
    if project is not None:
        from spx_python.cli.status_memo import remember  # noqa: PLC0415

        remember(project, view, text)
    return 0


def _worked_out(start: Path | str, path: str | None, fmt: str, fresh: bool, colour: bool) -> str:
    """The view from the tree itself (its remembered snapshot when unchanged), or from a fresh test run. Its
    `next` follows the one order rule over the whole tree's evidence on disk, as `spx spec next [PATH]` and the
    hooks do: with a scope whose earlier work is unfinished, `next` is that earlier container."""
    import sys  # noqa: PLC0415 - the tree's path only, like everything below
    from pathlib import Path  # noqa: PLC0415

    from spx_python.cli.status_view import StatusView, render  # noqa: PLC0415
    from spx_python.evidence.state import next_container  # noqa: PLC0415
    from spx_python.spec.fullpath import resolve  # noqa: PLC0415
    from spx_python.spec.project import load_tree, load_with_states  # noqa: PLC0415
    from spx_python.workflow.order import next_work  # noqa: PLC0415

    if fresh and path is None:  # every test runs: nothing lies before the scope, and the run's states answer
        tree, on_disk = load_tree(Path(start)), None
    else:
        tree, _, on_disk = load_with_states(Path(start), None)  # the order rule reads the whole tree's states
    scope = (resolve(tree, path),) if path else tree.capabilities
    if fresh or on_disk is None:
        from spx_python.testrun.fresh_states import fresh_states, regression_notes  # noqa: PLC0415 - runs pytest

        states = fresh_states(tree.project_root, scope)
        for note in regression_notes(states):
            print(note, file=sys.stderr)
    else:
        states = on_disk
    work = next_work(tree.capabilities, on_disk, scope[0]) if path and on_disk is not None else None
    blocks = scope[0].path if work is not None and work.blocked else None
    found = work.container if work is not None and blocks else next_container(scope, states)
    view = StatusView(scope, states, tree.problems, found.path if found else None, blocks)
    return render(view, fmt, colour)


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", nargs="?", help="full path of a capability/feature/story to scope the view")
    parser.add_argument("--format", choices=FORMATS, default=TEXT, help="output format (default: text)")
    parser.add_argument("--fresh", action="store_true", help="run every test in scope (one pytest run) first")
    parser.set_defaults(handler=lambda a: status(os.getcwd(), a.path, a.format, a.fresh))
