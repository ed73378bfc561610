"""Sharing one provisioned plugin runtime between HOMEs, and where the demo keeps it: real directories."""

from __future__ import annotations

from pathlib import Path

import pytest

from spx_python.demo.runner import DATA_ENV, demo_data_directory
from spx_python.harness.claude_cli import HarnessError
from spx_python.harness.plugin_install import INLINE_ID, INSTALLED_ID, plugin_data_dir, share_runtime


def test_the_data_directory_is_the_one_claude_code_gives_an_installed_or_inline_plugin(tmp_path: Path) -> None:
    assert plugin_data_dir(tmp_path) == tmp_path / ".claude/plugins/data/spx-python-spx-python"
    assert plugin_data_dir(tmp_path, INLINE_ID).name == "spx-python-inline"
    assert INSTALLED_ID != INLINE_ID


def test_a_shared_runtime_is_seen_through_the_homes_data_directory(tmp_path: Path) -> None:
    provisioned = tmp_path / "provisioned"
    (provisioned / "runtime").mkdir(parents=True)
    data = plugin_data_dir(tmp_path / "home")
    assert share_runtime(provisioned, data) == data
    assert (data / "runtime").is_dir()
    assert share_runtime(provisioned, data) == data  # twice: still the same link


def test_an_empty_data_directory_the_cli_made_is_replaced_but_one_with_content_is_kept(tmp_path: Path) -> None:
    provisioned = tmp_path / "provisioned"
    provisioned.mkdir()
    empty = plugin_data_dir(tmp_path / "a")
    empty.mkdir(parents=True)
    share_runtime(provisioned, empty)
    assert empty.is_symlink()
    used = plugin_data_dir(tmp_path / "b")
    used.mkdir(parents=True)
    (used / "state.json").write_text("{}")
    with pytest.raises(HarnessError, match="use a fresh HOME"):
        share_runtime(provisioned, used)
    assert (used / "state.json").read_text() == "{}"


def test_the_demo_keeps_its_runtime_in_spx_plugin_data_else_the_users_cache(tmp_path: Path) -> None:
    assert demo_data_directory({DATA_ENV: str(tmp_path / "data")}) == tmp_path / "data"
    cached = demo_data_directory({"XDG_CACHE_HOME": str(tmp_path / "cache")})
    assert cached == tmp_path / "cache" / "spx-python" / "demo-plugin-data"
    assert demo_data_directory({"HOME": str(tmp_path)}) == tmp_path / ".cache" / "spx-python" / "demo-plugin-data"
