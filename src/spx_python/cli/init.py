"""`spx init [DIRECTORY] [--allow-spx]`: set up a project for spx (product guide, pytest settings, .gitignore,
optionally the Claude Code permission rule for spx). Idempotent."""

from __future__ import annotations

import argparse
import datetime
import sys
from pathlib import Path

from spx_python.errors import SpxError
from spx_python.spec.project import SPEC_ROOT_NOT_A_DIRECTORY
from spx_python.spec.tree import SPEC_ROOT_NAME
from spx_python.walk_up import nearest_holding

NOTHING_TO_DO = "spx init: nothing to change — spx/CLAUDE.md, the pytest settings and .gitignore are already set up"


def _enclosing_project(directory: Path) -> Path | None:
    """A parent of `directory` that already holds spx/ (running `spx init` in a subdirectory by mistake)."""
    resolved = directory.resolve()
    found = None if resolved.parent == resolved else nearest_holding(str(resolved.parent), SPEC_ROOT_NAME)
    return None if found is None else Path(found)


def init(directory: Path | None, *, allow_spx: bool = False) -> int:
    if directory is None:  # not named: refuse to start a second project inside an existing one
        directory = Path.cwd()
        enclosing = None if (directory / SPEC_ROOT_NAME).exists() else _enclosing_project(directory)
        if enclosing is not None:
            raise SpxError(
                f"{directory}: inside the project at {enclosing}, which already has spx/ — run `spx init` there; "
                "to start a separate project here, run `spx init .`"
            )
    if not directory.is_dir():
        raise SpxError(f"{directory}: not a directory — give the project root")
    spec_root = directory / SPEC_ROOT_NAME
    if spec_root.exists() and not spec_root.is_dir():
        raise SpxError(f"{spec_root}: {SPEC_ROOT_NOT_A_DIRECTORY}")
    from spx_python.setup.project_init import init_project  # noqa: PLC0415 - lazy: keep every spx command's start-up fast

    today = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
    report = init_project(directory, today, allow_spx=allow_spx)
    for change in report.changes:
        print(change)
    if not report.changes:
        print(NOTHING_TO_DO)
    for warning in report.warnings:
        print(f"spx: warning: {warning}", file=sys.stderr)
    return 0


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("directory", nargs="?", help="the project root (default: the current directory)")
    parser.add_argument(
        "--allow-spx",
        action="store_true",
        help='also let Claude Code run spx without asking: add "Bash(spx *)" to permissions.allow '
        "in the project's .claude/settings.json (merged with what is there)",
    )
    parser.set_defaults(
        handler=lambda a: init(None if a.directory is None else Path(a.directory), allow_spx=a.allow_spx)
    )
