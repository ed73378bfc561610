"""End-to-end fixtures: the pinned Claude Code CLI, checked once per session; the plugin's runtime, built once.

A missing or wrong-version CLI FAILS the e2e tests (never skips them): `./scripts/dev setup`
installs the pin from `tools/claude-code/package.json`; `SPX_CLAUDE_BIN` points elsewhere.

Every CLI run has only the system directories on PATH (`claude_cli.isolated_environment`), so the
model's `spx` is the plugin's launcher on the plugin's runtime. `plugin_runtime` provisions that
runtime once per test session (`scripts/spx runtime install`, package registries reachable) into a
data directory that tests link into their HOME (`plugin_install.share_runtime`); their sessions then
run sealed. A runtime that cannot be provisioned FAILS the tests that need it, with the launcher's output.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from worker_shared import built_once

from spx_python.harness.claude_cli import SETUP_HINT, HarnessError, installed_version, locate_claude, pinned_version
from spx_python.harness.claude_offline import stage_plugin_copy
from spx_python.harness.plugin_install import provision_runtime

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The checkout under test; it is also the plugin root (`.claude-plugin/plugin.json`)."""
    return REPO_ROOT


@pytest.fixture(scope="session")
def claude_binary() -> Path:
    """The pinned CLI, or a failed test that says how to install it."""
    try:
        binary = locate_claude(REPO_ROOT)
        pinned, installed = pinned_version(REPO_ROOT), installed_version(binary)
    except HarnessError as error:
        pytest.fail(f"Claude Code CLI unavailable: {error.message}", pytrace=False)
    if installed != pinned:
        pytest.fail(
            f"{binary}: Claude Code {installed} is installed but tools/claude-code/package.json pins {pinned}"
            f" — {SETUP_HINT}",
            pytrace=False,
        )
    return binary


@pytest.fixture
def claude_home(tmp_path: Path) -> Path:
    """A private HOME for the CLI (its ~/.claude: sessions, installed plugins, settings)."""
    return tmp_path / "home"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """An empty project directory the CLI runs in."""
    directory = tmp_path / "project"
    directory.mkdir()
    return directory


@pytest.fixture(scope="session")
def plugin_runtime(repo_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A plugin data directory whose runtime the plugin's own launcher provisioned (registries reachable);
    provisioned once per run, shared by the xdist workers."""

    def provision(base: Path) -> None:
        published = stage_plugin_copy(repo_root, base / "published")
        data = base / "data"
        try:
            done = provision_runtime(published, data, base / "home")
        except HarnessError as error:
            pytest.fail(f"the plugin's runtime could not be provisioned: {error.message}", pytrace=False)
        if not done.ok:
            pytest.fail(
                f"{data}: `python3 scripts/spx runtime install` (the plugin's launcher, system PATH, registries "
                f"reachable) exited {done.returncode} — the plugin must provision its own runtime (issue #11, 1):\n"
                f"stdout: {done.stdout.strip()[-1500:]}\nstderr: {done.stderr.strip()[-1500:]}",
                pytrace=False,
            )

    return built_once(tmp_path_factory, "plugin-runtime", provision) / "data"
