"""Asking the project's python what it is: one subprocess through the environment's prefix, JSON back.

It runs `probe_script.py`, which reports its real `sys.executable`, its version and every installed distribution
(name → version), so the toolchain knows which of pytest, pytest-cov, coverage, mypy and ruff the project has
and which distributions it already holds (nothing is lent over them). Nothing is cached across commands.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spx_python.errors import SpxError
from spx_python.toolchain.detect import ProjectEnvironment
from spx_python.toolchain.probe_script import report

PROBE_TIMEOUT = 900.0  # `uv run` may create and sync the environment first
PROBE_SCRIPT = Path(__file__).with_name("probe_script.py")
NAME_RE = re.compile(r"[-_.]+")
OUTPUT_TAIL = 400


def normalize(name: str) -> str:
    """A distribution name as PEP 503 compares them (`pytest_cov` == `pytest-cov`)."""
    return NAME_RE.sub("-", name).lower()


@dataclass(frozen=True)
class Probe:
    executable: str
    version: str
    packages: Mapping[str, str]  # normalized distribution name → version

    def has(self, name: str) -> bool:
        return normalize(name) in self.packages


def parse_probe(stdout: str) -> Probe | None:
    """The probe's JSON (the last line of stdout: `uv run` may print before it), or None."""
    for line in reversed(stdout.strip().splitlines()):
        try:
            data = json.loads(line)
        except ValueError:
            continue
        if isinstance(data, dict) and isinstance(data.get("packages"), dict):
            return _parsed(data)
    return None


def _parsed(data: Mapping[str, Any]) -> Probe:
    packages = {normalize(str(k)): str(v) for k, v in data["packages"].items()}
    return Probe(str(data.get("executable", "")), str(data.get("version", "")), packages)


def probe(environment: ProjectEnvironment, root: Path, environ: Mapping[str, str]) -> Probe:
    """Run the probe in the project's environment; raises SpxError naming the environment when it cannot."""
    if environment.is_runtime:  # spx's own interpreter: no process to start
        return _parsed(report(sys.path[1:]))
    command = [*environment.prefix, str(PROBE_SCRIPT)]
    try:
        done = subprocess.run(
            command, cwd=root, env=dict(environ), capture_output=True, text=True, timeout=PROBE_TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired:
        command_text = " ".join(environment.prefix)
        raise SpxError(f"{root}: `{command_text}` did not answer within {PROBE_TIMEOUT:.0f} s") from None
    except OSError as error:
        raise SpxError(
            f"{environment.prefix[0]}: cannot start the project's python ({error.strerror}; found by "
            f"{environment.found_by}) — fix that environment, or name one with SPX_PYTHON / [tool.spx] python"
        ) from None
    found = parse_probe(done.stdout) if done.returncode == 0 else None
    if found is None:
        said = " / ".join((done.stderr or done.stdout).strip().splitlines())[-OUTPUT_TAIL:]
        raise SpxError(
            f"{root}: the project's python (`{' '.join(environment.prefix)}`, found by {environment.found_by}) "
            f"failed: {said or f'exit {done.returncode}'} — fix that environment, or name one with SPX_PYTHON"
        )
    return found
