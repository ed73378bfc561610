"""The one rule that finds the project's Python environment, for every test, type and lint run.

Order (first that exists wins): an explicit override (env `SPX_PYTHON`, else `[tool.spx] python`) →
`VIRTUAL_ENV` → `UV_PROJECT_ENVIRONMENT` → a uv project (`uv.lock` or `[tool.uv]`: `uv run` with the
project's `dev` extra or dependency group) → poetry / hatch / pdm (each only when its tool is on PATH) →
`<root>/.venv` → conda (`CONDA_PREFIX`) → spx's own runtime, said loudly.

`candidates` is the order as pure data over what was read; `find_environment` does the I/O (file checks,
asking poetry/hatch/pdm where their environment is).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spx_python.config import PYTHON_KEY
from spx_python.errors import SpxError
from spx_python.review.settings import load_pyproject

OVERRIDE_VARIABLE = "SPX_PYTHON"
VENV_PYTHON = ("bin", "python")
DEV = "dev"
ASK_TIMEOUT = 60.0
UV = "uv"

OVERRIDE, VIRTUAL_ENV, UV_ENVIRONMENT, UV_PROJECT = "override", "VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT", "uv"
POETRY, HATCH, PDM, DOT_VENV, CONDA, RUNTIME = "poetry", "hatch", "pdm", ".venv", "conda", "spx runtime"


@dataclass(frozen=True)
class ProjectEnvironment:
    """How the project's python is run: `prefix` + ["-c", ...] or + ["-m", "pytest", ...]."""

    kind: str  # one of the kinds above
    found_by: str  # a human phrase: "<root>/.venv", "VIRTUAL_ENV=/x", "uv project (uv run --extra dev)"
    prefix: tuple[str, ...]

    @property
    def is_runtime(self) -> bool:
        return self.kind == RUNTIME


@dataclass(frozen=True)
class Candidate:
    """One step of the order: a python that must exist, a uv prefix, or a command that names the python."""

    kind: str
    found_by: str
    python: Path | None = None  # the environment if this file exists
    prefix: tuple[str, ...] = ()  # run through this (uv)
    ask: tuple[str, ...] = ()  # run this; its last stdout line is the environment or its python
    required: bool = False  # an override that does not exist is an error, never a silent fallback


def runtime_environment() -> ProjectEnvironment:
    return ProjectEnvironment(RUNTIME, f"no project environment found; using {RUNTIME}", (sys.executable,))


def _venv_python(path: Path) -> Path:
    return path if path.is_file() or path.name.startswith("python") else path.joinpath(*VENV_PYTHON)


def _table(document: Mapping[str, Any], *keys: str) -> dict[str, Any]:
    value: Any = document
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value if isinstance(value, dict) else {}


def uv_selection(pyproject: Mapping[str, Any]) -> tuple[str, ...]:
    """`--extra dev` / `--group dev`: the seed's `uv run --extra dev pytest` convention, when declared."""
    if DEV in _table(pyproject, "project", "optional-dependencies"):
        return ("--extra", DEV)
    if DEV in _table(pyproject, "dependency-groups"):
        return ("--group", DEV)
    return ()


def _overrides(root: Path, pyproject: Mapping[str, Any], environ: Mapping[str, str]) -> Iterator[Candidate]:
    if environ.get(OVERRIDE_VARIABLE):
        value = environ[OVERRIDE_VARIABLE]
        yield Candidate(OVERRIDE, f"{OVERRIDE_VARIABLE}={value}", _venv_python(root / value), required=True)
        return
    configured = _table(pyproject, "tool", "spx").get(PYTHON_KEY)
    if isinstance(configured, str) and configured:
        path = _venv_python(root / configured)
        yield Candidate(OVERRIDE, f'[tool.spx] python = "{configured}"', path, required=True)


def candidates(
    root: Path, pyproject: Mapping[str, Any], environ: Mapping[str, str], which: Callable[[str], str | None]
) -> Iterator[Candidate]:
    """The detection order over what was read; `which` finds a tool (PATH or spx's runtime for uv)."""
    yield from _overrides(root, pyproject, environ)
    for variable in (VIRTUAL_ENV, UV_ENVIRONMENT):
        if environ.get(variable):
            yield Candidate(variable, f"{variable}={environ[variable]}", _venv_python(root / environ[variable]))
    tools = _table(pyproject, "tool")
    uv = which(UV)
    if uv and ((root / "uv.lock").is_file() or UV in tools):
        selection = uv_selection(pyproject)
        phrase = " ".join([UV, "run", *selection])
        yield Candidate(UV_PROJECT, f"uv project ({phrase})", prefix=(uv, "run", *selection, "python"))
    asks = (
        (POETRY, POETRY in tools, ("env", "info", "-p")),
        (HATCH, "envs" in _table(tools, HATCH) or (root / "hatch.toml").is_file(), ("env", "find")),
        (PDM, PDM in tools or (root / "pdm.lock").is_file(), ("info", "--python")),
    )
    for name, declared, arguments in asks:
        found = which(name) if declared else None
        if found:
            yield Candidate(name, f"{name} ({name} {' '.join(arguments)})", ask=(found, *arguments))
    yield Candidate(DOT_VENV, f"{root / DOT_VENV}", root.joinpath(DOT_VENV, *VENV_PYTHON))
    if environ.get("CONDA_PREFIX"):
        yield Candidate(CONDA, f"CONDA_PREFIX={environ['CONDA_PREFIX']}", _venv_python(Path(environ["CONDA_PREFIX"])))


def _answer(command: tuple[str, ...], root: Path, environ: Mapping[str, str]) -> Path | None:
    try:
        done = subprocess.run(
            list(command), cwd=root, env=dict(environ), capture_output=True, text=True, timeout=ASK_TIMEOUT, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    lines = done.stdout.strip().splitlines()
    return _venv_python(Path(lines[-1].strip())) if done.returncode == 0 and lines else None


def _which(environ: Mapping[str, str]) -> Callable[[str], str | None]:
    def which(name: str) -> str | None:
        found = shutil.which(name, path=environ.get("PATH", ""))
        runtime = Path(sys.executable).parent / name
        if found is None and name == UV and runtime.is_file():
            return str(runtime)
        return found

    return which


def find_environment(root: Path, environ: Mapping[str, str]) -> ProjectEnvironment:
    """The project's environment by the one order; raises SpxError when an explicit override is wrong."""
    for candidate in candidates(root, load_pyproject(root), environ, _which(environ)):
        if candidate.prefix:
            return ProjectEnvironment(candidate.kind, candidate.found_by, candidate.prefix)
        python = _answer(candidate.ask, root, environ) if candidate.ask else candidate.python
        if python is not None and python.is_file():
            return ProjectEnvironment(candidate.kind, candidate.found_by, (str(python),))
        if candidate.required:
            raise SpxError(
                f"{python}: no python here ({candidate.found_by}) — point it at a virtual environment or its "
                "bin/python, or remove the setting to let spx find the environment"
            )
    return runtime_environment()
