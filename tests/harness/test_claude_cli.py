"""Sealing and locating the Claude Code CLI: pure environment building and real files on disk."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spx_python.harness.claude_cli import (
    CLAUDE_BIN_ENV,
    DUMMY_API_KEY,
    SYSTEM_DIRECTORIES,
    ExtraPath,
    HarnessError,
    isolated_environment,
    locate_claude,
    pinned_version,
    system_path,
)
from spx_python.harness.claude_offline import print_args

INHERITED = {
    "PATH": "/usr/bin",
    "LANG": "C.UTF-8",
    "ANTHROPIC_API_KEY": "sk-real-key",
    "ANTHROPIC_MODEL": "claude-real",
    "CLAUDE_CONFIG_DIR": "/root/.claude",
    "CLAUDECODE": "1",
    "https_proxy": "http://corp:3128",
    "XDG_CONFIG_HOME": "/root/.config",
}


def test_the_sealed_environment_drops_leaky_variables_and_adds_the_seal(tmp_path: Path) -> None:
    environment = isolated_environment(tmp_path, "http://127.0.0.1:4000", "http://127.0.0.1:5000", INHERITED)
    assert environment["HOME"] == str(tmp_path)
    assert environment["ANTHROPIC_BASE_URL"] == "http://127.0.0.1:4000"
    assert environment["ANTHROPIC_API_KEY"] == DUMMY_API_KEY
    assert environment["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"] == "1"
    assert environment["https_proxy"] == environment["HTTPS_PROXY"] == "http://127.0.0.1:5000"
    assert environment["NO_PROXY"] == "127.0.0.1,localhost"
    assert environment["LANG"] == "C.UTF-8"
    leaked = {"ANTHROPIC_MODEL", "CLAUDE_CONFIG_DIR", "CLAUDECODE", "XDG_CONFIG_HOME"} & environment.keys()
    assert leaked == set()


def test_the_path_holds_system_directories_only_never_the_callers_venv(tmp_path: Path) -> None:
    venv_bin = tmp_path / ".venv" / "bin"
    inherited = {**INHERITED, "PATH": f"{venv_bin}:/usr/local/bin:/usr/bin:/bin", "VIRTUAL_ENV": str(venv_bin.parent)}
    environment = isolated_environment(tmp_path, "http://127.0.0.1:4000", "http://127.0.0.1:5000", inherited)
    directories = environment["PATH"].split(":")
    assert directories[:3] == list(SYSTEM_DIRECTORIES)
    assert str(venv_bin) not in directories
    assert "VIRTUAL_ENV" not in environment


def test_nodes_directory_is_added_when_node_lives_outside_the_system_directories(tmp_path: Path) -> None:
    node_dir = tmp_path / "node" / "bin"
    node_dir.mkdir(parents=True)
    (node_dir / "node").write_text("#!/bin/sh\n")
    (node_dir / "node").chmod(0o755)
    assert system_path(str(node_dir)).split(":") == [*SYSTEM_DIRECTORIES, str(node_dir)]


def test_an_extra_path_entry_goes_first_and_must_say_why(tmp_path: Path) -> None:
    extra = ExtraPath(tmp_path / "tools", "the test's own fake compiler")
    environment = isolated_environment(tmp_path, "http://a", "http://b", INHERITED, extra_path=[extra])
    assert environment["PATH"].split(":")[0] == str(tmp_path / "tools")
    with pytest.raises(HarnessError, match="needs a reason"):
        ExtraPath(tmp_path, " ")


def test_registries_reachable_leaves_the_proxy_out_and_keeps_the_package_tool_configuration(tmp_path: Path) -> None:
    inherited = {**INHERITED, "PIP_FIND_LINKS": "/opt/wheels", "UV_INDEX_URL": "https://mirror/simple",
                 "SPX_PLUGIN_DATA": "/root/.claude/plugins/data/x", "UV_PROJECT_ENVIRONMENT": "/elsewhere"}
    environment = isolated_environment(tmp_path, "http://a", "http://b", inherited, registries_reachable=True)
    proxies = {"HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy", "NO_PROXY", "no_proxy"}
    assert proxies & environment.keys() == set()
    assert (environment["PIP_FIND_LINKS"], environment["UV_INDEX_URL"]) == ("/opt/wheels", "https://mirror/simple")
    assert {"SPX_PLUGIN_DATA", "UV_PROJECT_ENVIRONMENT"} & environment.keys() == set()


def test_a_missing_cli_names_the_path_and_the_setup_command(tmp_path: Path) -> None:
    with pytest.raises(HarnessError, match=r"run \./scripts/dev setup") as missing:
        locate_claude(tmp_path, environ={})
    assert str(tmp_path / "tools/claude-code/node_modules/.bin/claude") in missing.value.message


def test_spx_claude_bin_overrides_the_pinned_location(tmp_path: Path) -> None:
    fake_location = tmp_path / "claude"
    fake_location.write_text("#!/bin/sh\n")
    fake_location.chmod(0o755)
    assert locate_claude(tmp_path / "nowhere", environ={CLAUDE_BIN_ENV: str(fake_location)}) == fake_location


def test_the_pin_is_read_from_the_package_json(tmp_path: Path) -> None:
    package_json = tmp_path / "tools" / "claude-code" / "package.json"
    package_json.parent.mkdir(parents=True)
    package_json.write_text(json.dumps({"dependencies": {"@anthropic-ai/claude-code": "9.9.9"}}))
    assert pinned_version(tmp_path) == "9.9.9"
    package_json.write_text("{}")
    with pytest.raises(HarnessError, match="restore the file"):
        pinned_version(tmp_path)


def test_print_args_keep_the_variadic_allowed_tools_last_and_plugin_dirs_absolute(tmp_path: Path) -> None:
    args = print_args("do it", [tmp_path], resume="abc", allowed_tools=["Bash", "Skill"], extra_args=["--bare"])
    assert args[:2] == ["-p", "do it"]
    assert "--include-hook-events" in args
    assert args[args.index("--plugin-dir") + 1] == str(tmp_path.resolve())
    assert args[args.index("--resume") + 1] == "abc"
    assert args[-3:] == ["--allowedTools", "Bash", "Skill"]
