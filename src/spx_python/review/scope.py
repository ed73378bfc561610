"""Which files a review covers: the container's tests (its whole subtree) and the source they exercise.

The reviewed source is the project's source changed against HEAD (plus untracked files); when none
changed, it is the source modules the tests import directly.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from spx_python.review.settings import INIT_FILE, PY_SUFFIX, SRC_DIR, ProjectSettings
from spx_python.spec.tree import TESTS_DIR_NAME, Container, list_test_files


@dataclass(frozen=True)
class ReviewScope:
    root: Path
    spec_files: tuple[Path, ...]
    test_files: tuple[Path, ...]  # collected by pytest
    helper_files: tuple[Path, ...]  # other .py files in the tests/ directories
    source_files: tuple[Path, ...]
    source_changed: bool  # True: source_files are the changed files; False: the tests' direct imports

    @property
    def test_side_files(self) -> tuple[Path, ...]:
        return self.test_files + self.helper_files

    @property
    def checked_files(self) -> tuple[Path, ...]:
        """Every Python file the static checks look at."""
        return self.test_side_files + self.source_files

    @property
    def reviewed_files(self) -> tuple[Path, ...]:
        """The files whose blob SHAs the verdict's digest pins."""
        return tuple(sorted({*self.spec_files, *self.checked_files}))

    def relative(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()


def _helpers(container: Container) -> list[Path]:
    directory = container.directory / TESTS_DIR_NAME
    if not directory.is_dir():
        return []
    tests = set(list_test_files(container.directory))
    return sorted(p for p in directory.glob(f"*{PY_SUFFIX}") if p not in tests and p.is_file())


def imported_modules(text: str) -> Iterator[str]:
    """Absolute module names a file imports (`from a.b import c` yields `a.b` and `a.b.c`)."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def module_files(module: str, source_roots: Iterable[Path]) -> Iterator[Path]:
    """Files under the source roots that define `module` (as `a/b.py` or `a/b/__init__.py`)."""
    parts = module.split(".")
    for root in source_roots:
        base = root if root.name == SRC_DIR else root.parent
        for candidate in (base.joinpath(*parts).with_suffix(PY_SUFFIX), base.joinpath(*parts, INIT_FILE)):
            if candidate.is_file() and (root == base or root in candidate.parents):
                yield candidate.resolve()


def imported_source(test_files: Iterable[Path], settings: ProjectSettings) -> list[Path]:
    found: set[Path] = set()
    for path in test_files:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        for module in imported_modules(text):
            found.update(module_files(module, settings.source_roots))
    return sorted(found)


def build_scope(container: Container, settings: ProjectSettings, changed: Iterable[Path] | None) -> ReviewScope:
    """The scope of reviewing `container`; `changed` is None when the project is not a git work tree."""
    containers = list(container.walk())
    tests = [path for c in containers for path in list_test_files(c.directory)]
    helpers = [path for c in containers for path in _helpers(c)]
    changed_source = sorted(p for p in (changed or ()) if p.is_file() and settings.is_source(p))
    source = changed_source or imported_source(tests + helpers, settings)
    return ReviewScope(
        root=settings.root,
        spec_files=tuple(c.spec_file for c in containers if c.spec_file is not None),
        test_files=tuple(tests),
        helper_files=tuple(helpers),
        source_files=tuple(source),
        source_changed=bool(changed_source),
    )
