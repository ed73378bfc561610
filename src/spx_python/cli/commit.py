"""`spx commit PATH`: commit what an APPROVED, still-current review covered (Conventional Commit, `Refs:`)."""

from __future__ import annotations

import argparse
from pathlib import Path

from spx_python.spec.project import find_project_root, resolve_full_path


def commit_container(start: Path, path: str) -> int:
    from spx_python.review.committing import commit  # noqa: PLC0415 - keep `spx spec status` start-up fast

    root = find_project_root(start)
    container = resolve_full_path(root, path)
    sha = commit(root, container)
    print(f"committed {container.path}: {sha}")
    return 0


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", help="full path of the reviewed story/feature/capability")
    parser.set_defaults(handler=lambda a: commit_container(Path.cwd(), a.path))
