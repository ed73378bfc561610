"""`spx init --allow-spx`: the Claude Code permission rule for spx, merged into .claude/settings.json."""

from __future__ import annotations

import json
from pathlib import Path

from cli_runner import run_spx

SETTINGS = ".claude/settings.json"
EXISTING = {
    "permissions": {"allow": ["Read", "Bash(git status)"], "deny": ["Bash(rm *)"]},
    "env": {"FOO": "1"},
    "hooks": {"Stop": []},
}


def test_without_a_settings_file_one_is_created_with_the_rule_and_a_second_run_changes_nothing(tmp_path: Path) -> None:
    first = run_spx("init", "--allow-spx", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert f"created {SETTINGS}: allowed Bash(spx *)" in first.stdout
    assert json.loads((tmp_path / SETTINGS).read_text()) == {"permissions": {"allow": ["Bash(spx *)"]}}
    written = (tmp_path / SETTINGS).read_bytes()
    second = run_spx("init", "--allow-spx", cwd=tmp_path)
    assert second.returncode == 0 and "nothing to change" in second.stdout
    assert (tmp_path / SETTINGS).read_bytes() == written


def test_existing_settings_keep_everything_and_gain_the_rule(tmp_path: Path) -> None:
    (tmp_path / ".claude").mkdir()
    (tmp_path / SETTINGS).write_text(json.dumps(EXISTING))
    result = run_spx("init", "--allow-spx", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    merged = json.loads((tmp_path / SETTINGS).read_text())
    assert merged["permissions"]["allow"] == ["Read", "Bash(git status)", "Bash(spx *)"]
    assert {**merged, "permissions": {**merged["permissions"], "allow": EXISTING["permissions"]["allow"]}} == EXISTING


def test_invalid_settings_are_refused_and_nothing_is_written(tmp_path: Path) -> None:
    (tmp_path / ".claude").mkdir()
    (tmp_path / SETTINGS).write_text('{"permissions": {"allow": ["Read",]}}')  # a trailing comma
    result = run_spx("init", "--allow-spx", cwd=tmp_path)
    assert result.returncode == 1
    assert f"{SETTINGS}: not valid JSON" in result.stderr
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == [".claude", SETTINGS]
    assert (tmp_path / SETTINGS).read_text() == '{"permissions": {"allow": ["Read",]}}'


def test_without_the_flag_the_settings_are_not_touched(tmp_path: Path) -> None:
    assert run_spx("init", cwd=tmp_path).returncode == 0
    assert not (tmp_path / ".claude").exists()
