"""Real project environments for the toolchain tests, and `spx` run as a user would: a controlled environment
(system PATH, no VIRTUAL_ENV or other variable of the shell that launched pytest)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from cli_runner import SPX
from review_projects import STORY

from spx_python.toolchain.provenance import ENVIRONMENT_LABEL as ENVIRONMENT_PREFIX

SYSTEM_PATH = os.pathsep.join(["/usr/local/bin", "/usr/bin", "/bin"])
PYTHON_312 = Path.home() / ".pyenv" / "versions" / "3.12.1" / "bin" / "python"
RUNTIME_BIN = Path(sys.executable).parent  # spx's runtime in development: the dev .venv
TIMEOUT = 600
NETWORK_SETTINGS_RE = re.compile(r"PROXY|SSL|CERT|CA_BUNDLE|^PIP_|^UV_(?!PROJECT_ENVIRONMENT)", re.IGNORECASE)


def user_env(**extra: str) -> dict[str, str]:
    """What a user's shell carries: system PATH, HOME, the machine's network settings (certificates, proxies,
    package indexes), no virtual environment unless given in `extra`."""
    network = {key: value for key, value in os.environ.items() if NETWORK_SETTINGS_RE.search(key)}
    base = {"PATH": SYSTEM_PATH, "HOME": str(Path.home()), "NO_COLOR": "1", "LANG": "C.UTF-8"}
    return {**network, **base, **extra}


def spx(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([SPX, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT, check=False)


def make_venv(path: Path, python: Path = Path(sys.executable)) -> Path:
    """A bare virtual environment (no pip, no pytest, no mypy, no ruff); returns its python."""
    subprocess.run([str(python), "-m", "venv", "--without-pip", str(path)], check=True, timeout=TIMEOUT)
    return path / "bin" / "python"


def ignore_environments(root: Path) -> None:
    """Keep created environments out of the reviewed changes, as a project's .gitignore does."""
    with (root / ".gitignore").open("a", encoding="utf-8") as handle:
        handle.write(".venv/\nenvs/\n")


def environment_line(output: str) -> str:
    lines = [line for line in output.splitlines() if line.startswith(ENVIRONMENT_PREFIX)]
    assert len(lines) == 1, output
    return lines[0].removeprefix(ENVIRONMENT_PREFIX)


def review_json(root: Path, env: dict[str, str]) -> dict[str, Any]:
    done = spx("review", STORY, "--format", "json", cwd=root, env=env)
    assert done.stdout.strip(), done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def last_event(root: Path) -> dict[str, Any]:
    lines = (root / ".spx" / "workflow.jsonl").read_text(encoding="utf-8").splitlines()
    event: dict[str, Any] = json.loads(lines[-1])
    return event
