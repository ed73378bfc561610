"""Create the example project `spx demo` works on: a git repository with an `spx/` tree and a package.

`create_project(root)` writes a pyproject and `src/textstats/`, runs `git init` and `spx init` (which
adds `pythonpath = ["src"]` for pytest: a src layout), creates one capability, one feature and two stories
with `spx spec create`, replaces the rendered templates with the example's real specs (`example`) and
commits that baseline.
The stories' tests and code are not written here: the scripted agent writes them under the hooks' eyes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from spx_python.config import PYPROJECT_NAME
from spx_python.demo.example import (
    CAPABILITY_SLUG,
    CAPABILITY_SPEC,
    FEATURE_SLUG,
    FEATURE_SPEC,
    GITIGNORE,
    PACKAGE_INIT,
    PRODUCT_GUIDE,
    PYPROJECT,
    STORIES,
)
from spx_python.demo.example_code import PACKAGE
from spx_python.errors import SpxError
from spx_python.spec.bsp import CAPABILITY, FEATURE, STORY
from spx_python.spec.tree import PRODUCT_GUIDE_NAME, SPEC_ROOT_NAME

GITIGNORE_NAME = ".gitignore"
GIT_IDENTITY = {"user.name": "spx demo", "user.email": "demo@spx-python.invalid"}
COMMAND_TIMEOUT = 120.0
BASELINE_MESSAGE = "chore: textstats skeleton with its spx tree"


@dataclass(frozen=True)
class DemoProject:
    """The created project: its root and the full paths of its items, in BSP order."""

    root: Path
    capability: str
    feature: str
    stories: tuple[str, ...]

    @property
    def spec_root(self) -> Path:
        return self.root / SPEC_ROOT_NAME


def spx_command() -> list[str]:
    """This environment's `spx`: the console script beside the interpreter, else the module."""
    script = Path(sys.executable).parent / "spx"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "spx_python.cli.main"]


def run_tool(argv: list[str], cwd: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "NO_COLOR": "1"}
    done = subprocess.run(
        argv, cwd=cwd, capture_output=True, text=True, timeout=COMMAND_TIMEOUT, check=False, env=environment
    )
    if check and done.returncode != 0:
        raise SpxError(
            f"{cwd}: `{' '.join(argv)}` failed (exit {done.returncode}): {(done.stderr or done.stdout).strip()} — "
            "fix the cause and run `spx demo` again"
        )
    return done


def run_spx(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return run_tool([*spx_command(), *args], cwd, check)


def _git(root: Path, *args: str) -> None:
    run_tool(["git", *args], root)


def init_repository(root: Path) -> None:
    """`git init` with a local identity, and the package skeleton: pyproject, .gitignore, `src/textstats/`."""
    _git(root, "init", "-q", "-b", "main")
    for key, value in GIT_IDENTITY.items():
        _git(root, "config", key, value)
    (root / PYPROJECT_NAME).write_text(PYPROJECT, encoding="utf-8")
    (root / GITIGNORE_NAME).write_text(GITIGNORE, encoding="utf-8")
    package = root / "src" / PACKAGE
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(PACKAGE_INIT, encoding="utf-8")


def _init_specs(root: Path) -> None:
    """`spx init` (product guide, pytest's collection settings), then the example's own product guide."""
    run_spx(root, "init", ".")  # src/ exists, so init adds pythonpath = ["src"]; "." even inside another project
    (root / SPEC_ROOT_NAME / PRODUCT_GUIDE_NAME).write_text(PRODUCT_GUIDE, encoding="utf-8")


def _create(root: Path, kind: str, slug: str, parent: str | None = None) -> str:
    """`spx spec create KIND SLUG [--in PARENT]`: the new container's full path."""
    where = ["--in", parent] if parent else []
    done = run_spx(root, "spec", "create", kind, slug, *where)
    return created_path(done.stdout, kind, slug)


def created_path(stdout: str, kind: str, slug: str) -> str:
    """The full path `spx spec create KIND SLUG` printed (SpxError when it printed none)."""
    suffix = f"-{slug}.{kind}"
    for word in stdout.replace("`", " ").split():
        candidate = word.rstrip("/.,:").removeprefix(f"{SPEC_ROOT_NAME}/")
        if candidate.endswith(suffix):
            return candidate
    raise SpxError(f"spx spec create {kind} {slug}: printed no full path ({stdout.strip()!r}) — report this")


def _write_spec(root: Path, path: str, slug: str, kind: str, text: str) -> None:
    (root / SPEC_ROOT_NAME / path / f"{slug}.{kind}.md").write_text(text, encoding="utf-8")


def create_project(root: Path) -> DemoProject:
    """Build the example project in `root` (created; must not exist or be empty) and commit its baseline."""
    root.mkdir(parents=True, exist_ok=True)
    if any(root.iterdir()):
        raise SpxError(f"{root}: directory is not empty — pass an empty or new directory to `spx demo --keep`")
    init_repository(root)
    _init_specs(root)
    capability = _create(root, CAPABILITY, CAPABILITY_SLUG)
    _write_spec(root, capability, CAPABILITY_SLUG, CAPABILITY, CAPABILITY_SPEC)
    feature = _create(root, FEATURE, FEATURE_SLUG, capability)
    _write_spec(root, feature, FEATURE_SLUG, FEATURE, FEATURE_SPEC)
    stories = []
    for story in STORIES:
        path = _create(root, STORY, story.slug, feature)
        _write_spec(root, path, story.slug, STORY, story.spec)
        stories.append(path)
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", BASELINE_MESSAGE)
    return DemoProject(root.resolve(), capability, feature, tuple(stories))
