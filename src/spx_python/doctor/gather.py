"""What `spx doctor` looks at, read once: the interpreter, git, spx's runtime, the project's toolchain (one
probe), its pytest settings and what pytest collects (one run), Claude Code's settings files, and the set-up
files `spx init` wrote. All the I/O of the doctor is here; `checks` judges the result."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spx_python import git
from spx_python.errors import SpxError
from spx_python.review.committing import uncommitted_init_files
from spx_python.runtime.location import (
    SPX_DATA_VARIABLE,
    current_digest,
    data_dir,
    read_marker,
    ready_runtime,
    runtime_dir,
)
from spx_python.setup.pytest_pyproject import DEFAULT_PYTHON_FILES
from spx_python.setup.pytest_settings import SettingsEdit, settings_edit
from spx_python.spec.project import find_project_root
from spx_python.spec.tree import PRODUCT_GUIDE_NAME, SPEC_ROOT_NAME, TEST_FILE_SUFFIXES
from spx_python.testrun.collection import Collection, collect_all
from spx_python.toolchain.lend import runtime_version
from spx_python.toolchain.resolve import TOOLS, Toolchain, resolve_toolchain

CLAUDE_DIR = ".claude"
USER_SETTINGS = ("settings.json",)
PROJECT_SETTINGS = ("settings.json", "settings.local.json")
SKIPPED_DIRS = frozenset({SPEC_ROOT_NAME, "node_modules", "__pycache__", "site-packages", "build", "dist"})
VENV_MARKER = "pyvenv.cfg"


@dataclass(frozen=True)
class SettingsFile:
    """One Claude Code settings file: its JSON object, or why it could not be read (absent: neither)."""

    path: Path
    settings: Mapping[str, Any] | None
    problem: str = ""


@dataclass(frozen=True)
class Facts:
    root: Path
    has_spec_root: bool
    python: str
    python_version: tuple[int, int, int]
    git_version: str | None
    top: Path | None  # the git work tree holding the project
    runtime: Path  # the runtime dir for the current pins
    runtime_marker: Mapping[str, Any] | None  # None: not ready
    own_tools: Mapping[str, str | None]  # review tools in the environment spx itself runs in (a pip install, dev)
    toolchain: Toolchain | str  # the message when the project's environment cannot run
    pytest_settings: SettingsEdit | str  # the message when the settings file cannot be read
    collection: Collection | None  # None: not attempted (no toolchain)
    own_test_files: tuple[str, ...]  # pytest-default-named files outside spx/, relative POSIX
    spx_test_files: tuple[str, ...]
    in_session: bool  # the SessionStart hook exported SPX_PLUGIN_DATA to this shell
    claude_settings: tuple[SettingsFile, ...]  # user, project, local: later ones win
    uncommitted_setup: tuple[str, ...]


def project_root(start: Path) -> tuple[Path, bool]:
    """The directory holding spx/ at or above `start`, else `start` itself (spx init not run yet)."""
    try:
        return find_project_root(start), True
    except SpxError:
        return start.resolve(), False


def test_files(root: Path, under: Path, is_test: Callable[[str], bool]) -> tuple[str, ...]:
    """Files below `under` whose name `is_test` accepts, skipping hidden dirs, environments and spx/ (unless
    it is `under`)."""
    found: list[str] = []
    for directory, dirs, files in os.walk(under):
        here = Path(directory)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIPPED_DIRS
                         and not (here / d / VENV_MARKER).exists())  # fmt: skip
        found += [(here / name).relative_to(root).as_posix() for name in sorted(files) if is_test(name)]
    return tuple(found)


def _own_test_name(name: str) -> bool:
    return name.endswith(".py") and any(Path(name).match(pattern) for pattern in DEFAULT_PYTHON_FILES)


def _spx_test_name(name: str) -> bool:
    return name.endswith(TEST_FILE_SUFFIXES)


def read_settings(path: Path) -> SettingsFile:
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return SettingsFile(path, None)
    except (OSError, ValueError) as error:
        return SettingsFile(path, None, f"cannot read it ({error})")
    if not isinstance(loaded, dict):
        return SettingsFile(path, None, "not a JSON object")
    return SettingsFile(path, loaded)


def claude_settings(root: Path, environ: Mapping[str, str]) -> tuple[SettingsFile, ...]:
    home = Path(environ.get("HOME") or Path.home())
    paths = [home / CLAUDE_DIR / name for name in USER_SETTINGS] + [root / CLAUDE_DIR / n for n in PROJECT_SETTINGS]
    return tuple(read_settings(path) for path in paths)


def _toolchain(root: Path, environ: Mapping[str, str]) -> Toolchain | str:
    try:
        return resolve_toolchain(root, environ)
    except SpxError as error:
        return error.message


def _uncommitted(root: Path, top: Path | None) -> tuple[str, ...]:
    if top is None:
        return ()
    guide = root / SPEC_ROOT_NAME / PRODUCT_GUIDE_NAME
    paths = set(git.not_in_head(top, [guide])) | set(uncommitted_init_files(root, top))
    return tuple(sorted(path.relative_to(top).as_posix() for path in paths))


def gather(start: Path, environ: Mapping[str, str]) -> Facts:
    root, has_spec_root = project_root(start)
    git_version = git.version(root)
    top = git.toplevel(root) if git_version else None
    runtime = runtime_dir(data_dir(environ), current_digest())
    toolchain = _toolchain(root, environ)
    spx_dir = root / SPEC_ROOT_NAME
    return Facts(
        root=root,
        has_spec_root=has_spec_root,
        python=sys.executable,
        python_version=(sys.version_info[0], sys.version_info[1], sys.version_info[2]),
        git_version=git_version,
        top=top,
        runtime=runtime,
        runtime_marker=read_marker(runtime) if ready_runtime(environ) is not None else None,
        own_tools={name: runtime_version(name) for name in TOOLS},
        toolchain=toolchain,
        pytest_settings=settings_edit(root),
        collection=collect_all(root, toolchain) if isinstance(toolchain, Toolchain) else None,
        own_test_files=test_files(root, root, _own_test_name),
        spx_test_files=test_files(root, spx_dir, _spx_test_name) if spx_dir.is_dir() else (),
        in_session=bool(environ.get(SPX_DATA_VARIABLE)),
        claude_settings=claude_settings(root, environ),
        uncommitted_setup=_uncommitted(root, top),
    )
