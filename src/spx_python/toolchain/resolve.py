"""The toolchain of one command: the project's environment, its python, and where each tool comes from.

Tests run with the project's python (its dependencies import). A tool the project lacks comes from
spx's runtime without touching the project: pytest / pytest-cov / coverage are lent on `PYTHONPATH`
(`lend`), mypy runs from the runtime with `--python-executable <project python>`, ruff runs from the
runtime. Resolved once per command (one probe), never cached across commands.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from spx_python.errors import SpxError
from spx_python.testrun.integrity import clean_environment
from spx_python.toolchain.detect import ProjectEnvironment, find_environment
from spx_python.toolchain.lend import closure, lend, runtime_requires, runtime_version
from spx_python.toolchain.probe import Probe, probe

PYTEST, PYTEST_COV, COVERAGE, MYPY, RUFF = "pytest", "pytest-cov", "coverage", "mypy", "ruff"
TOOLS = (PYTEST, PYTEST_COV, COVERAGE, MYPY, RUFF)
PROJECT, RUNTIME, MISSING = "project", "spx runtime", "missing"
LENT_DIR = "lent-from-spx"
PYTHONPATH = "PYTHONPATH"
COVERAGE_CORE = "COVERAGE_CORE"
PYTHON_TRACER = "pytrace"  # coverage's C tracer is built for the runtime's python only


@dataclass(frozen=True)
class ToolSource:
    name: str
    version: str | None
    source: str  # PROJECT, RUNTIME or MISSING


@dataclass(frozen=True)
class Toolchain:
    root: Path
    environment: ProjectEnvironment
    python: str  # the real interpreter (the probe's sys.executable)
    version: str
    tools: tuple[ToolSource, ...]
    project_packages: frozenset[str]

    def tool(self, name: str) -> ToolSource:
        return next(tool for tool in self.tools if tool.name == name)

    def from_project(self, name: str) -> bool:
        return self.tool(name).source == PROJECT


def tool_sources(environment: ProjectEnvironment, found: Probe) -> tuple[ToolSource, ...]:
    """Each tool's version and source: the project's when it has it, else spx's runtime's (pure)."""
    sources: list[ToolSource] = []
    for name in TOOLS:
        if environment.is_runtime or not found.has(name):
            version = found.packages.get(name) if environment.is_runtime else runtime_version(name)
            sources.append(ToolSource(name, version, MISSING if version is None else RUNTIME))
        else:
            sources.append(ToolSource(name, found.packages[name], PROJECT))
    return tuple(sources)


def resolve_toolchain(root: Path, environ: Mapping[str, str]) -> Toolchain:
    """Find the project's environment (the one rule) and probe it; raises SpxError when it cannot run."""
    environment = find_environment(root, environ)
    found = probe(environment, root, clean_environment(environ))
    packages = frozenset(() if environment.is_runtime else found.packages)
    return Toolchain(root, environment, found.executable, found.version, tool_sources(environment, found), packages)


def missing_message(toolchain: Toolchain, name: str) -> str:
    return (
        f"{name} is not installed in the project's environment ({toolchain.python}, found by "
        f"{toolchain.environment.found_by}) nor in spx's runtime ({sys.executable}) — install it in either"
    )


@dataclass(frozen=True)
class Launch:
    argv: tuple[str, ...]  # runs `python -m pytest` in the project's environment
    env: dict[str, str]


def lent_environment(
    toolchain: Toolchain, needs: Sequence[str], scratch: Path, environ: Mapping[str, str]
) -> dict[str, str]:
    """`environ` cleaned (`clean_environment`), plus what the project lacks of `needs` lent from spx's runtime
    on PYTHONPATH under `scratch` (the caller removes it). Also for mypy: it then sees the lent pytest."""
    env = clean_environment(environ)
    wanted = [] if toolchain.environment.is_runtime else [n for n in needs if not toolchain.from_project(n)]
    lent = closure(wanted, runtime_requires, toolchain.project_packages.__contains__)
    if lent:
        env[PYTHONPATH] = str(lend(lent, scratch / LENT_DIR))
    if COVERAGE in lent and not _same_minor(toolchain.version):
        env[COVERAGE_CORE] = PYTHON_TRACER  # else coverage warns "Couldn't import C tracer" (an error under -W error)
    return env


def pytest_launch(toolchain: Toolchain, needs: Sequence[str], scratch: Path, environ: Mapping[str, str]) -> Launch:
    """pytest in the project's environment with `lent_environment`; raises SpxError when one of `needs` is
    missing from the project and from spx's runtime."""
    for name in needs:
        if toolchain.tool(name).source == MISSING:
            raise SpxError(missing_message(toolchain, name))
    return Launch((*toolchain.environment.prefix, "-m", PYTEST), lent_environment(toolchain, needs, scratch, environ))


def _same_minor(version: str) -> bool:
    return version.split(".")[:2] == [str(part) for part in sys.version_info[:2]]


def mypy_argv(toolchain: Toolchain) -> list[str]:
    """mypy (its options to follow), checking against the project's interpreter either way."""
    python = toolchain.python if toolchain.from_project(MYPY) else sys.executable
    return [python, "-m", MYPY, "--python-executable", toolchain.python]


def ruff_argv(toolchain: Toolchain) -> list[str]:
    return [toolchain.python if toolchain.from_project(RUFF) else sys.executable, "-m", RUFF]
