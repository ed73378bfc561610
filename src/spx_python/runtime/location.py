"""Where the plugin's runtime lives and whether it is ready: pure paths plus one small file read.

Standard library only (the launcher and the SessionStart hook import it under a bare `python3 -I -S`).
The data dir is `$SPX_PLUGIN_DATA`, else `$CLAUDE_PLUGIN_DATA`, else `${XDG_DATA_HOME:-~/.local/share}/spx-python`.
The runtime is a venv in `<data>/runtime/<digest>/`, where the digest is the first 12 hex digits of
sha256(pins file bytes + python major.minor); it is ready when its marker file names that digest.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

SPX_DATA_VARIABLE = "SPX_PLUGIN_DATA"
CLAUDE_DATA_VARIABLE = "CLAUDE_PLUGIN_DATA"
BASE_PYTHON_VARIABLE = "SPX_BASE_PYTHON"  # set by scripts/spx when it re-executes itself inside the runtime
XDG_DATA_VARIABLE = "XDG_DATA_HOME"
DATA_DIR_NAME = "spx-python"
RUNTIME_DIR_NAME = "runtime"
LOCK_FILE_NAME = "runtime.lock"
LOG_FILE_NAME = "provision.log"
MARKER_FILE_NAME = "spx-runtime.json"
DIGEST_LENGTH = 12
PINS_FILE = Path(__file__).resolve().with_name("requirements.txt")
BIN_DIR_NAME = "bin"
PYTHON_NAME = "python"


def data_dir(environ: Mapping[str, str]) -> Path:
    for variable in (SPX_DATA_VARIABLE, CLAUDE_DATA_VARIABLE):
        value = environ.get(variable)
        if value:
            return Path(value)
    xdg = environ.get(XDG_DATA_VARIABLE)
    base = Path(xdg) if xdg else Path(environ.get("HOME") or Path.home()) / ".local" / "share"
    return base / DATA_DIR_NAME


def runtimes_dir(data: Path) -> Path:
    return data / RUNTIME_DIR_NAME


def runtime_dir(data: Path, pins_digest: str) -> Path:
    return runtimes_dir(data) / pins_digest


def lock_path(data: Path) -> Path:
    return data / LOCK_FILE_NAME


def log_path(data: Path) -> Path:
    return runtimes_dir(data) / LOG_FILE_NAME


def marker_path(runtime: Path) -> Path:
    return runtime / MARKER_FILE_NAME


def bin_dir(runtime: Path) -> Path:
    return runtime / BIN_DIR_NAME


def runtime_python(runtime: Path) -> Path:
    return bin_dir(runtime) / PYTHON_NAME


def python_version() -> str:
    """major.minor of this python: a venv survives a patch upgrade of its base, not a minor one."""
    return f"{sys.version_info[0]}.{sys.version_info[1]}"


def pins_digest(pins: bytes, python: str) -> str:
    return hashlib.sha256(pins + python.encode()).hexdigest()[:DIGEST_LENGTH]


def current_digest(pins_file: Path = PINS_FILE) -> str:
    return pins_digest(pins_file.read_bytes(), python_version())


def read_marker(runtime: Path) -> dict[str, Any] | None:
    """The marker's JSON object, or None when it is missing or unreadable (an interrupted build)."""
    try:
        with open(marker_path(runtime), encoding="utf-8") as marker:
            loaded = json.load(marker)
    except (OSError, ValueError):
        return None
    return loaded if isinstance(loaded, dict) else None


def is_ready(runtime: Path, digest: str) -> bool:
    """Its marker names this digest and its python is still there (a venv removed by hand is not ready)."""
    marker = read_marker(runtime)
    return marker is not None and marker.get("digest") == digest and runtime_python(runtime).exists()


def ready_runtime(environ: Mapping[str, str], pins_file: Path = PINS_FILE) -> Path | None:
    """The ready runtime dir for the current pins and python, or None (not built yet, interrupted, pins changed)."""
    runtime = runtime_dir(data_dir(environ), current_digest(pins_file))
    return runtime if is_ready(runtime, runtime.name) else None


def base_python(environ: Mapping[str, str]) -> str:
    """The python that builds runtimes: the one the launcher started with (not the runtime's own venv python)."""
    return environ.get(BASE_PYTHON_VARIABLE) or sys.executable
