"""Find what `spx demo` runs: the pinned Claude Code CLI (installing it on first use) and the plugin root.

In a checkout (this package imported from `<repo>/src/`), the CLI is the one `./scripts/dev setup`
installs under `tools/claude-code/`, and the plugin root is the repository itself. Installed from a
wheel, the CLI goes to the user's cache, `${XDG_CACHE_HOME:-~/.cache}/spx-python/claude-code/<version>`,
and the plugin is the one Claude Code installed (`~/.claude/plugins/cache/spx-python/spx-python/…`)
or `$SPX_PLUGIN_ROOT`. `$SPX_CLAUDE_BIN` overrides the CLI everywhere.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
from collections.abc import Callable, Mapping
from pathlib import Path

from spx_python.errors import SpxError
from spx_python.harness.claude_cli import (
    CLAUDE_BIN_ENV,
    CLI_DIR,
    CLI_PACKAGE_JSON,
    PINNED_PACKAGE,
    HarnessError,
    installed_version,
    locate_claude,
    pinned_version,
    source_root,
)

PINNED_VERSION = "2.1.197"  # = tools/claude-code/package.json in a checkout (tests/test_demo_units.py checks)
PLUGIN_ROOT_ENV = "SPX_PLUGIN_ROOT"
PLUGIN_NAME = "spx-python"
PLUGIN_MANIFEST = Path(".claude-plugin") / "plugin.json"
CACHE_SUBDIR = Path("spx-python") / "claude-code"
NODE_BIN = Path("node_modules") / ".bin" / "claude"
NPM_TIMEOUT = 1200.0
TICK_SECONDS = 15.0
NPM_FLAGS = ("install", "--no-package-lock", "--no-audit", "--no-fund", "--loglevel=error")


def in_checkout(root: Path | None = None) -> bool:
    return ((root or source_root()) / CLI_PACKAGE_JSON).is_file()


def cache_directory(environ: Mapping[str, str], version: str = PINNED_VERSION) -> Path:
    base = environ.get("XDG_CACHE_HOME") or str(Path(environ.get("HOME") or Path.home()) / ".cache")
    return Path(base) / CACHE_SUBDIR / version


def cli_location(environ: Mapping[str, str], root: Path | None = None) -> tuple[Path, str]:
    """Where the CLI lives (its npm directory) and the version pinned there."""
    root = root or source_root()
    if in_checkout(root):
        return root / CLI_DIR, pinned_version(root)
    return cache_directory(environ), PINNED_VERSION


def _ticker(emit: Callable[[str], None], done: threading.Event) -> None:
    waited = 0.0
    while not done.wait(TICK_SECONDS):
        waited += TICK_SECONDS
        emit(f"    … still installing ({waited:.0f} s)")


def npm_install(directory: Path, version: str, emit: Callable[[str], None]) -> None:
    """`npm install` the pinned CLI into `directory`, printing a line every few seconds while it runs."""
    npm = shutil.which("npm")
    if npm is None:
        raise SpxError(f"{directory}: npm is not on PATH — install Node.js 18 or newer, then run `spx demo` again")
    directory.mkdir(parents=True, exist_ok=True)
    manifest = directory / "package.json"
    if not manifest.is_file():
        package = {"name": "spx-claude-code", "private": True, "dependencies": {PINNED_PACKAGE: version}}
        manifest.write_text(json.dumps(package, indent=2) + "\n", encoding="utf-8")
    emit(f"==> installing Claude Code {version} with npm into {directory} (about 250 MB, first use only)")
    done = threading.Event()
    ticker = threading.Thread(target=_ticker, args=(emit, done), daemon=True)
    ticker.start()
    try:
        finished = subprocess.run(
            [npm, *NPM_FLAGS], cwd=directory, capture_output=True, text=True, timeout=NPM_TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired as error:
        raise SpxError(f"{directory}: npm install took over {NPM_TIMEOUT:.0f} s — check the network, retry") from error
    finally:
        done.set()
    if finished.returncode != 0:
        raise SpxError(f"{directory}: npm install failed: {finished.stderr.strip()[-800:]} — fix it and retry")


def ensure_claude(
    emit: Callable[[str], None], environ: Mapping[str, str] | None = None, root: Path | None = None
) -> Path:
    """The pinned CLI, installed first when it is missing or another version (`root`: the checkout, if any)."""
    environ = os.environ if environ is None else environ
    if environ.get(CLAUDE_BIN_ENV):
        return locate_claude(environ=environ)
    directory, version = cli_location(environ, root)
    binary = directory / NODE_BIN
    try:
        if installed_version(binary) == version:
            return binary
    except (HarnessError, OSError):
        pass  # missing or broken: install it
    npm_install(directory, version, emit)
    if installed_version(binary) != version:
        raise SpxError(f"{binary}: npm installed another version than {version} — remove {directory} and retry")
    return binary


def _installed_plugins(home: Path) -> list[Path]:
    cache = home / ".claude" / "plugins" / "cache" / PLUGIN_NAME / PLUGIN_NAME
    return sorted((p for p in cache.glob("*") if p.is_dir()), reverse=True) if cache.is_dir() else []


def plugin_root(environ: Mapping[str, str] | None = None, root: Path | None = None) -> Path:
    """The plugin to load: `$SPX_PLUGIN_ROOT`, this checkout, or the copy Claude Code installed."""
    environ = os.environ if environ is None else environ
    override = environ.get(PLUGIN_ROOT_ENV)
    home = Path(environ.get("HOME") or Path.home())
    candidates = [Path(override)] if override else [root or source_root(), *_installed_plugins(home)]
    for candidate in candidates:
        if (candidate / PLUGIN_MANIFEST).is_file():
            return candidate.resolve()
    raise SpxError(
        f"{candidates[0]}: no spx-python plugin found — run from a checkout, install the plugin "
        f"(`claude plugin marketplace add <repo>` then `claude plugin install {PLUGIN_NAME}@{PLUGIN_NAME}`), "
        f"or set ${PLUGIN_ROOT_ENV}"
    )

