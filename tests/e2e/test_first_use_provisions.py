"""The real first use: a plugin installed like a user's, no runtime yet, and the model's first `spx` call sets it up.

The plugin is installed into a private HOME (`claude plugin marketplace add` + `install`) whose data
directory is empty. The first session may reach the package registries: its SessionStart starts
provisioning in the background and the model's first `spx init .` (Bash, system PATH only) waits for
or does the set-up, then renders spx's templates (jinja2, which the system python3 lacks). The second
session runs sealed: `spx spec create` works from the runtime the first one left, with no outbound attempt.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spx_python.demo.example import CAPABILITY_SLUG
from spx_python.demo.first_story import long_bash
from spx_python.demo.project import init_repository
from spx_python.harness.claude_offline import OfflineClaude
from spx_python.harness.plugin_install import InstalledPlugin, install_as_user, run_launcher
from spx_python.harness.scripted_turns import say
from spx_python.spec.bsp import CAPABILITY
from spx_python.spec.tree import PRODUCT_GUIDE_NAME, SPEC_ROOT_NAME

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

FIRST_SESSION_TIMEOUT = 900.0
INIT = "spx init ."
CREATE = f"spx spec create {CAPABILITY} {CAPABILITY_SLUG}"


def runtime_status(plugin: InstalledPlugin, home: Path) -> dict[str, object]:
    """`spx runtime status --format json` through the installed plugin's launcher, for its data directory."""
    done = run_launcher(plugin.root, plugin.data, home, ["runtime", "status", "--format", "json"])
    assert done.ok, done.stdout + done.stderr
    document = json.loads(done.stdout)
    assert isinstance(document, dict)
    return document


def test_the_first_spx_call_provisions_the_runtime_and_a_later_sealed_session_uses_it(
    claude_binary: Path, repo_root: Path, tmp_path: Path
) -> None:
    project = tmp_path / "textstats"
    project.mkdir()
    init_repository(project)
    home = tmp_path / "home"
    with OfflineClaude(home, [[say("Setting spx up."), long_bash(INIT)]], binary=claude_binary) as claude:
        plugin = install_as_user(claude, repo_root, tmp_path / "published")
        assert not plugin.data.exists() or not any(plugin.data.iterdir()), "the data directory must start empty"
        first = claude.run("set spx up", cwd=project, allowed_tools=["Bash"], timeout=FIRST_SESSION_TIMEOUT,
                           registries_reachable=True)
    with OfflineClaude(home, [[say("Creating the capability."), long_bash(CREATE)]], binary=claude_binary) as claude:
        second = claude.run("create the capability", cwd=project, allowed_tools=["Bash"])
        outbound = claude.proxy.attempts
    assert first.command.ok and second.command.ok, first.describe() + second.describe()
    (init,) = first.stream.calls_to("Bash")
    init_result = first.stream.result_of(init)
    assert init_result is not None and not init_result.is_error, init_result
    assert (project / SPEC_ROOT_NAME / PRODUCT_GUIDE_NAME).is_file(), init_result.content
    status = runtime_status(plugin, home)
    assert status["ready"] is True, status
    assert str(status["runtime"]).startswith(str(plugin.data)), status
    (create,) = second.stream.calls_to("Bash")
    create_result = second.stream.result_of(create)
    assert create_result is not None and not create_result.is_error, create_result
    assert list((project / SPEC_ROOT_NAME).glob(f"*-{CAPABILITY_SLUG}.{CAPABILITY}")), create_result.content
    assert outbound == ()
