"""This plugin as a user has it: installed from its marketplace into a HOME, with its runtime provisioned.

Standard library only. A user runs `claude plugin marketplace add <clone>` and `claude plugin install
spx-python@spx-python`; Claude Code then gives the plugin a data directory,
`<HOME>/.claude/plugins/data/spx-python-spx-python` (observed on 2.1.197; `--plugin-dir` gives
`…/spx-python-inline`), where the plugin's launcher provisions its runtime on the first `spx` call::

    with OfflineClaude(home, scenario) as claude:
        plugin = install_as_user(claude, repo_root, tmp / "published")
        share_runtime(provisioned, plugin.data)   # optional: reuse a runtime built once
        claude.run("…", cwd=project)              # the installed plugin loads without --plugin-dir

`run_launcher` runs the plugin's own launcher, `python3 <plugin>/scripts/spx ARGS`, with the data
directory set as the CLI sets it and the system PATH, sealed by default; `provision_runtime` is its
`runtime install` with the package registries reachable — what the first `spx` call of a first session
does. Building one runtime and linking it into several HOMEs (`share_runtime`) saves the minutes a build
takes; a test that needs the real first-call path lets the session provision instead.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from spx_python.harness.claude_cli import (
    UNREACHABLE,
    CommandResult,
    HarnessError,
    isolated_environment,
    run_command,
    system_path,
)
from spx_python.harness.claude_offline import OfflineClaude, stage_plugin_copy

PLUGIN_NAME = "spx-python"
MARKETPLACE_NAME = "spx-python"
INSTALLED_ID = f"{PLUGIN_NAME}-{MARKETPLACE_NAME}"
INLINE_ID = f"{PLUGIN_NAME}-inline"
DATA_VARIABLES = ("CLAUDE_PLUGIN_DATA", "SPX_PLUGIN_DATA")
LAUNCHER = Path("scripts") / "spx"
SYSTEM_PYTHON = "python3"
PROVISION_TIMEOUT = 1200.0
RUNTIME_INSTALL = ("runtime", "install")


@dataclass(frozen=True)
class InstalledPlugin:
    """Where Claude Code put the installed plugin, and the data directory it gives it."""

    root: Path
    data: Path


def plugins_directory(home: Path) -> Path:
    return home / ".claude" / "plugins"


def plugin_data_dir(home: Path, plugin_id: str = INSTALLED_ID) -> Path:
    """`${CLAUDE_PLUGIN_DATA}` of a plugin in this HOME (`INSTALLED_ID` installed, `INLINE_ID` via --plugin-dir)."""
    return plugins_directory(home) / "data" / plugin_id


def _install_path(home: Path) -> Path:
    registry = plugins_directory(home) / "installed_plugins.json"
    try:
        entries = json.loads(registry.read_text(encoding="utf-8"))["plugins"][f"{PLUGIN_NAME}@{MARKETPLACE_NAME}"]
        return Path(entries[0]["installPath"])
    except (OSError, ValueError, KeyError, IndexError, TypeError) as error:
        problem = f"names no installed {PLUGIN_NAME} ({error})"
        raise HarnessError(f"{registry}: {problem} — see `claude plugin list`") from error


def install_as_user(claude: OfflineClaude, source: Path, staging: Path) -> InstalledPlugin:
    """Stage a published-like copy of `source`, add it as a marketplace and install the plugin from it."""
    published = stage_plugin_copy(source, staging)
    for step in (claude.add_marketplace(published), claude.install_plugin(PLUGIN_NAME, MARKETPLACE_NAME)):
        if not step.ok:
            raise HarnessError(
                f"{published}: `claude {' '.join(step.argv[1:])}` failed (exit {step.returncode}): "
                f"{(step.stdout + step.stderr).strip()[-800:]} — read the CLI's message"
            )
    return InstalledPlugin(_install_path(claude.home), plugin_data_dir(claude.home))


def run_launcher(
    plugin_root: Path, data: Path, home: Path, args: Sequence[str], *,
    registries_reachable: bool = False, timeout: float = PROVISION_TIMEOUT,
) -> CommandResult:
    """`python3 <plugin>/scripts/spx ARGS` as the CLI's sessions run it: system PATH and python3, `data` set."""
    environment = isolated_environment(
        home, UNREACHABLE, UNREACHABLE, os.environ, registries_reachable=registries_reachable
    )
    environment.update(dict.fromkeys(DATA_VARIABLES, str(data)))
    python = shutil.which(SYSTEM_PYTHON, path=system_path(os.environ.get("PATH")))
    if python is None:
        raise HarnessError(f"{SYSTEM_PYTHON}: not in the system directories — install Python 3.10 or newer")
    home.mkdir(parents=True, exist_ok=True)
    return run_command(Path(python), [str(plugin_root / LAUNCHER), *args], home, environment, timeout)


def provision_runtime(plugin_root: Path, data: Path, home: Path, timeout: float = PROVISION_TIMEOUT) -> CommandResult:
    """`spx runtime install` through the plugin's launcher, package registries reachable (a first use)."""
    data.mkdir(parents=True, exist_ok=True)
    return run_launcher(plugin_root, data, home, RUNTIME_INSTALL, registries_reachable=True, timeout=timeout)


def share_runtime(provisioned: Path, data: Path) -> Path:
    """Make `data` (a plugin data directory in some HOME) the already provisioned `provisioned` directory."""
    if data.is_symlink() or data.exists():
        if data.is_symlink() and data.resolve() == provisioned.resolve():
            return data
        if data.is_dir() and not data.is_symlink() and not any(data.iterdir()):
            data.rmdir()
        else:
            raise HarnessError(f"{data}: already holds another plugin data directory — use a fresh HOME")
    data.parent.mkdir(parents=True, exist_ok=True)
    data.symlink_to(provisioned.resolve(), target_is_directory=True)
    return data
