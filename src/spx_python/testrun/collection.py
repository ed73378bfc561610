"""How many of the project's own tests pytest collects (`pytest --collect-only -q`), outside spx/.

`spx init` counts before and after it changes the pytest settings: fewer afterwards means the change
would take tests away from the project, so it is undone.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path
from typing import NamedTuple

from spx_python.errors import SpxError
from spx_python.spec.tree import SPEC_ROOT_NAME
from spx_python.toolchain.resolve import PYTEST, Toolchain, pytest_launch, resolve_toolchain

TIMEOUT_SECONDS = 300
# 0 collected, 2 collection errors (the rest still listed), 5 nothing collected
COUNTABLE_EXITS = frozenset({0, 2, 5})
NODE_SEPARATOR = "::"


class Collection(NamedTuple):
    tests: frozenset[str] | None  # node ids (outside spx/ from `collect`); None: pytest could not collect
    problem: str  # why not, when tests is None (pytest's last words)


def collect(root: Path) -> Collection:
    """The project's collected tests outside spx/, as pytest with the project's settings sees them (in the
    project's environment, found by the one rule of `toolchain`; a pytest it lacks is lent from spx's runtime)."""
    try:
        toolchain = resolve_toolchain(root, os.environ)
    except SpxError as error:
        return Collection(None, error.message)
    found = collect_all(root, toolchain)
    if found.tests is None:
        return found
    return Collection(frozenset(i for i in found.tests if not i.startswith(f"{SPEC_ROOT_NAME}/")), "")


def collect_all(root: Path, toolchain: Toolchain) -> Collection:
    """Every node id pytest collects in `root` with the project's settings (spx/ included), run by `toolchain`."""
    with tempfile.TemporaryDirectory(prefix="spx-collect-") as scratch:
        try:
            launch = pytest_launch(toolchain, [PYTEST], Path(scratch), os.environ)
        except SpxError as error:
            return Collection(None, error.message)
        argv = [*launch.argv, "--collect-only", "--verbosity=-1", "-p", "no:cacheprovider"]
        environment = {**launch.env, "PYTHONDONTWRITEBYTECODE": "1"}
        try:
            done = subprocess.run(
                argv, cwd=root, env=environment, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            return Collection(None, str(error))
    if done.returncode not in COUNTABLE_EXITS:
        lines = [line for line in (done.stderr + done.stdout).splitlines() if line.strip()]
        return Collection(None, lines[-1] if lines else f"pytest exited {done.returncode}")
    ids = (line.strip() for line in done.stdout.splitlines())
    return Collection(frozenset(i for i in ids if NODE_SEPARATOR in i), "")
