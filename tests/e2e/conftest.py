"""End-to-end fixtures: the pinned Claude Code CLI, checked once per session.

A missing or wrong-version CLI FAILS the e2e tests (never skips them): `./scripts/dev setup`
installs the pin from `tools/claude-code/package.json`; `SPX_CLAUDE_BIN` points elsewhere.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from spx_python.claude_cli import SETUP_HINT, HarnessError, installed_version, locate_claude, pinned_version

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
