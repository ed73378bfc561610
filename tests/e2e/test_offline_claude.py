"""The offline harness drives the real, pinned Claude Code CLI: plugin loading, tool calls, hooks, resume."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from spx_python.harness.claude_offline import OfflineClaude, stage_plugin_copy
from spx_python.harness.scripted_model import Block, ModelRequest, Turn, bash, say, skill_call

pytestmark = pytest.mark.e2e

PLUGIN_NAME = "spx-python"
DENY_HOOK = """\
import json, sys
event = json.load(sys.stdin)
reason = "probe refuses: " + event["tool_input"]["command"]
print(json.dumps({"hookSpecificOutput": {"hookEventName": "PreToolUse",
      "permissionDecision": "deny", "permissionDecisionReason": reason}}))
"""


SKILL_MD = """\
---
name: greet
description: Greets whoever the arguments name.
---
GREETING FOR $ARGUMENTS FROM ${CLAUDE_PLUGIN_ROOT}
"""


def write_probe_plugin(root: Path) -> Path:
    """A throw-away plugin: a `greet` skill, and a PreToolUse hook that denies every Bash call, naming it."""
    (root / ".claude-plugin").mkdir(parents=True)
    (root / "hooks").mkdir()
    (root / "skills" / "greet").mkdir(parents=True)
    (root / "skills" / "greet" / "SKILL.md").write_text(SKILL_MD)
    manifest = {"name": "probe", "version": "0.0.1", "description": "probe", "author": {"name": "tests"}}
    (root / ".claude-plugin" / "plugin.json").write_text(json.dumps(manifest))
    (root / "hooks" / "deny.py").write_text(DENY_HOOK)
    hook = {"type": "command", "command": sys.executable, "args": ["${CLAUDE_PLUGIN_ROOT}/hooks/deny.py"]}
    hooks = {"hooks": {"PreToolUse": [{"matcher": "Bash", "hooks": [hook]}]}}
    (root / "hooks" / "hooks.json").write_text(json.dumps(hooks))
    return root


def test_repo_is_a_valid_plugin_and_marketplace_under_strict_validation(
    claude_binary: Path, claude_home: Path, repo_root: Path
) -> None:
    with OfflineClaude(claude_home, binary=claude_binary) as claude:
        plugin = claude.validate_plugin(repo_root, strict=True)
        marketplace = claude.validate_marketplace(repo_root, strict=True)
    for result in (plugin, marketplace):
        assert result.ok, f"{' '.join(result.argv[1:])} failed:\n{result.stdout}\n{result.stderr}"
        assert "Validation passed" in result.stdout
    assert "Validating plugin manifest" in plugin.stdout
    assert claude.proxy.attempts == ()


def test_plugin_validation_reports_a_broken_hooks_file(claude_binary: Path, claude_home: Path, tmp_path: Path) -> None:
    plugin = write_probe_plugin(tmp_path / "probe")
    (plugin / "hooks" / "hooks.json").write_text(json.dumps({"hooks": {"BogusEvent": []}}))
    with OfflineClaude(claude_home, binary=claude_binary) as claude:
        result = claude.validate_plugin(plugin, strict=True)
    assert result.returncode == 1
    assert "hooks.BogusEvent: Invalid key in record" in result.stdout


def test_plugin_dir_loads_spx_python_without_errors_or_outbound_traffic(
    claude_binary: Path, claude_home: Path, project: Path, repo_root: Path
) -> None:
    with OfflineClaude(claude_home, [[say("Hello from the scripted model.")]], binary=claude_binary) as claude:
        run = claude.run("hello", cwd=project, plugin_dirs=[repo_root])
    assert run.command.ok, run.describe()
    assert PLUGIN_NAME in run.init.plugin_names()
    assert run.init.plugin_errors == ()
    assert run.result_text == "Hello from the scripted model."
    assert claude.proxy.attempts == ()
    assert len(claude.model.requests) == 1


def test_a_scripted_bash_call_runs_and_its_output_reaches_the_model(
    claude_binary: Path, claude_home: Path, project: Path
) -> None:
    scenario = [[say("Computing."), bash("echo spx-e2e-$((6 * 7))")], [say("Got it.")]]
    with OfflineClaude(claude_home, scenario, binary=claude_binary) as claude:
        run = claude.run("compute", cwd=project, allowed_tools=["Bash"])
    (call,) = run.stream.calls_to("Bash")
    seen = claude.model.requests[1].last_tool_results()
    assert [(r.tool_use_id, r.content, r.is_error) for r in seen] == [(call.id, "spx-e2e-42", False)]
    assert run.stream.result_of(call) == seen[0]
    assert run.stream.permission_denials == ()
    assert run.result_text == "Got it."


def test_a_plugin_hook_deny_reaches_the_model_and_the_stream(
    claude_binary: Path, claude_home: Path, project: Path, tmp_path: Path
) -> None:
    def after_deny(request: ModelRequest) -> Sequence[Block]:
        (result,) = request.last_tool_results()
        return [say(f"model saw is_error={result.is_error}: {result.content}")]

    plugin = write_probe_plugin(tmp_path / "probe")
    with OfflineClaude(claude_home, [[bash("echo nope")], after_deny], binary=claude_binary) as claude:
        run = claude.run("try bash", cwd=project, plugin_dirs=[plugin], allowed_tools=["Bash"])
    (hook,) = run.stream.hooks("PreToolUse")
    assert hook.hook_name == "PreToolUse:Bash"
    assert hook.exit_code == 0
    assert "permissionDecision" in hook.stdout
    assert [d.tool_name for d in run.stream.permission_denials] == ["Bash"]
    assert run.result_text == "model saw is_error=True: probe refuses: echo nope"


def test_a_scripted_skill_call_launches_the_skill_and_the_model_reads_its_body(
    claude_binary: Path, claude_home: Path, project: Path, tmp_path: Path
) -> None:
    plugin = write_probe_plugin(tmp_path / "probe")
    with OfflineClaude(claude_home, [[skill_call("probe:greet", "ada")]], binary=claude_binary) as claude:
        run = claude.run("greet ada", cwd=project, plugin_dirs=[plugin], allowed_tools=["Skill"])
    (call,) = run.stream.calls_to("Skill")
    result = run.stream.result_of(call)
    assert "probe:greet" in run.init.skills
    assert result is not None
    assert (result.content, result.is_error) == ("Launching skill: probe:greet", False)
    assert f"GREETING FOR ada FROM {plugin.resolve()}" in claude.model.requests[-1].texts()[-1]


def test_resume_continues_the_session_with_the_earlier_conversation(
    claude_binary: Path, claude_home: Path, project: Path
) -> None:
    def recall(request: ModelRequest) -> Sequence[Block]:
        remembered = [text for text in request.texts() if "first prompt" in text]
        return [say(f"resumed after {request.assistant_turns} turn(s); remembered={bool(remembered)}")]

    scenario: list[Turn] = [[say("first answer")], recall]
    with OfflineClaude(claude_home, scenario, binary=claude_binary) as claude:
        first = claude.run("first prompt", cwd=project)
        second = claude.run("second prompt", cwd=project, resume=first.session_id)
    assert first.result_text == "first answer"
    assert second.session_id == first.session_id
    assert second.result_text == "resumed after 1 turn(s); remembered=True"


def test_marketplace_install_from_the_repo_loads_the_plugin_without_plugin_dir(
    claude_binary: Path, claude_home: Path, project: Path, repo_root: Path, tmp_path: Path
) -> None:
    published = stage_plugin_copy(repo_root, tmp_path / "published")
    with OfflineClaude(claude_home, binary=claude_binary) as claude:
        added = claude.add_marketplace(published)
        installed = claude.install_plugin(PLUGIN_NAME, PLUGIN_NAME)
        run = claude.run("hello", cwd=project)
    assert added.ok, added.stdout + added.stderr
    assert installed.ok, installed.stdout + installed.stderr
    assert [(p.name, p.source) for p in run.init.plugins] == [(PLUGIN_NAME, f"{PLUGIN_NAME}@{PLUGIN_NAME}")]
    assert run.init.plugin_errors == ()
    assert claude.proxy.attempts == ()
