"""Lending spx's runtime packages to the project's python, without changing the project.

A distribution the project lacks (pytest, pytest-cov, coverage) and what it requires, recursively, minus
what the project already has, is linked into a temporary directory: its top-level packages and modules
and its `.dist-info` (so entry points load, e.g. pytest-cov's `pytest11` plugin). That directory goes on
the project python's `PYTHONPATH`; the project's own distributions still win where it has them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path

from spx_python.toolchain.probe import normalize

REQUIREMENT_NAME_RE = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
EXTRA_MARKER_RE = re.compile(r"\bextra\s*==")
SKIPPED_TOP_LEVEL = ("__pycache__",)
SKIPPED_SUFFIXES = (".pth",)
PARENT = ".."


def required_names(requirements: Iterable[str]) -> list[str]:
    """The distribution names a distribution needs (requirements of its optional extras left out)."""
    names: list[str] = []
    for requirement in requirements:
        marker = requirement.partition(";")[2]
        match = REQUIREMENT_NAME_RE.match(requirement)
        if match and not EXTRA_MARKER_RE.search(marker):
            names.append(normalize(match[1]))
    return names


def closure(
    wanted: Iterable[str], requires: Callable[[str], list[str] | None], project_has: Callable[[str], bool]
) -> list[str]:
    """The names to lend: `wanted` and their requirements, recursively, that the project lacks and the
    runtime has (`requires` returns None for a distribution the runtime does not have)."""
    lent: list[str] = []
    pending = [normalize(name) for name in wanted]
    while pending:
        name = pending.pop(0)
        if name in lent or project_has(name):
            continue
        needs = requires(name)
        if needs is None:
            continue
        lent.append(name)
        pending.extend(needs)
    return lent


def runtime_requires(name: str) -> list[str] | None:
    from importlib import metadata  # noqa: PLC0415 - 15 ms, only when something is lent

    try:
        return required_names(metadata.distribution(name).requires or [])
    except metadata.PackageNotFoundError:
        return None


def runtime_version(name: str) -> str | None:
    from importlib import metadata  # noqa: PLC0415 - 15 ms, only for a tool the project lacks

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def top_level_entries(files: Iterable[str]) -> set[str]:
    """The first path component of a distribution's installed files, inside its site-packages."""
    tops = {Path(name).parts[0] for name in files if name and not name.startswith(PARENT)}
    return {top for top in tops if top not in SKIPPED_TOP_LEVEL and not top.endswith(SKIPPED_SUFFIXES)}


def lend(names: Iterable[str], into: Path) -> Path:
    """Link the runtime's distributions `names` into the new directory `into`; return it (for PYTHONPATH)."""
    from importlib import metadata  # noqa: PLC0415 - 15 ms, only when something is lent

    into.mkdir(parents=True, exist_ok=True)
    for name in names:
        dist = metadata.distribution(name)
        base = Path(str(dist.locate_file("")))
        for top in sorted(top_level_entries(str(f) for f in dist.files or [])):
            target = into / top
            if not target.exists() and (base / top).exists():
                os.symlink(base / top, target)
    return into
