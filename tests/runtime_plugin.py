"""A staged copy of the plugin with tiny pins, and running its launcher and hook as users do (tests only)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from cli_runner import REPO_ROOT

from spx_python.harness.claude_offline import stage_plugin_copy

# jinja2 is what `spx init` / `spx spec create` need; two small wheels keep a build under a few seconds.
TINY_PINS = "jinja2==3.1.6\nmarkupsafe==3.0.4\n"
PINS = Path("src") / "spx_python" / "runtime" / "requirements.txt"
SYSTEM_PATH = "/usr/bin:/bin"
UV = Path(sys.executable).parent / "uv"
BUILD_HEADER = "spx runtime build"
DEAD_INDEX = "http://127.0.0.1:9/simple"


def staged_plugin(tmp: Path, pins: str = TINY_PINS) -> Path:
    plugin = stage_plugin_copy(REPO_ROOT, tmp / "plugin")
    (plugin / PINS).write_text(pins, encoding="utf-8")
    return plugin


def uv_dir(tmp: Path) -> Path:
    """A PATH entry holding only uv (the dev venv's own bin would bring its python3 along)."""
    directory = tmp / "uv-bin"
    directory.mkdir(exist_ok=True)
    link = directory / "uv"
    if not link.exists():
        link.symlink_to(UV)
    return directory


def user_env(data: Path, path: str = SYSTEM_PATH, **extra: str) -> dict[str, str]:
    """This machine's environment minus Claude Code's and spx's own variables, with PATH and the data dir set."""
    inherited = {k: v for k, v in os.environ.items() if not k.startswith(("CLAUDE_", "SPX_", "VIRTUAL_ENV"))}
    return {**inherited, "PATH": path, "SPX_PLUGIN_DATA": str(data), "NO_COLOR": "1", **extra}


def offline_env(data: Path, tmp: Path, path: str = SYSTEM_PATH) -> dict[str, str]:
    """Every package source points nowhere: a dead index, no config file, no find-links, empty caches."""
    return user_env(
        data, path, PIP_INDEX_URL=DEAD_INDEX, PIP_EXTRA_INDEX_URL="", PIP_FIND_LINKS="", PIP_CONFIG_FILE=os.devnull,
        PIP_CACHE_DIR=str(tmp / "pip-cache"), PIP_RETRIES="0", PIP_DEFAULT_TIMEOUT="2",
        UV_INDEX_URL=DEAD_INDEX, UV_DEFAULT_INDEX=DEAD_INDEX, UV_OFFLINE="1", UV_CACHE_DIR=str(tmp / "uv-cache"),
    )


def spx_command(plugin: Path, *args: str) -> list[str]:
    """The launcher under the user's system python3, without site-packages (nothing of the dev venv)."""
    return ["/usr/bin/python3", "-S", str(plugin / "scripts" / "spx"), *args]


def run_launcher(
    plugin: Path, *args: str, env: dict[str, str], cwd: Path | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        spx_command(plugin, *args), cwd=cwd or plugin, env=env, capture_output=True, text=True, timeout=timeout,
        check=False,
    )


def runtimes(data: Path) -> list[Path]:
    """The runtime dirs (one per pins digest) under the data dir."""
    base = data / "runtime"
    return sorted(p for p in base.iterdir() if p.is_dir()) if base.is_dir() else []


def marker(runtime: Path) -> dict[str, object]:
    loaded = json.loads((runtime / "spx-runtime.json").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def uncompiled_modules(runtime: Path, package: str) -> list[str]:
    """The modules of an installed package that have no bytecode beside them (`__pycache__/<name>.*.pyc`)."""
    [site] = runtime.glob("lib/python3*/site-packages")
    return sorted(
        str(source.relative_to(site)) for source in (site / package).rglob("*.py")
        if not list((source.parent / "__pycache__").glob(f"{source.stem}.*.pyc"))
    )


def builds_logged(data: Path) -> int:
    log = data / "runtime" / "provision.log"
    return log.read_text(encoding="utf-8").count(BUILD_HEADER) if log.exists() else 0


def wait_for(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False
