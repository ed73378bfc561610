"""`spx demo` without the Claude CLI: the example project, where the CLI and plugin come from, the transcript."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from cli_runner import REPO_ROOT, run_spx

from spx_python.demo.example import STORIES
from spx_python.demo.example_code import PACKAGE
from spx_python.demo.installer import (
    NODE_BIN,
    PINNED_VERSION,
    PLUGIN_MANIFEST,
    PLUGIN_ROOT_ENV,
    cache_directory,
    cli_location,
    ensure_claude,
    plugin_root,
)
from spx_python.demo.project import create_project
from spx_python.demo.runner import ALLOWED_TOOLS, ORCHESTRATOR_COMMAND, real_argv
from spx_python.demo.transcript import (
    ALLOWED,
    FAILED,
    OK,
    REFUSED,
    TYPED_COMMAND_PASSED,
    WRITTEN,
    Transcript,
    headline,
)
from spx_python.errors import SpxError
from spx_python.evidence.state import State
from spx_python.harness.claude_cli import CLAUDE_BIN_ENV, CLI_DIR, locate_claude, pinned_version
from spx_python.harness.claude_offline import STREAM_FLAGS
from spx_python.spec.tree import scan


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout


# --- the example project --------------------------------------------------------------------------------


def test_the_example_project_is_a_committed_spx_tree_with_two_unknown_stories(tmp_path: Path) -> None:
    project = create_project(tmp_path / "demo")
    tree = scan(project.root)
    assert [c.path for c in tree.walk()] == [project.capability, project.feature, *project.stories]
    assert all(c.spec_file is not None for c in tree.walk())
    assert tree.has_product_guide and tree.problems == ()
    assert [Path(s).name.split("-", 1)[1] for s in project.stories] == [f"{s.slug}.story" for s in STORIES]
    assert 'pythonpath = ["src"]' in (project.root / "pyproject.toml").read_text(encoding="utf-8")
    assert (project.root / "src" / PACKAGE / "__init__.py").is_file()
    assert len(git(project.root, "log", "--oneline").splitlines()) == 1
    assert git(project.root, "status", "--porcelain") == ""
    status = json.loads(run_spx("spec", "status", "--format", "json", cwd=project.root).stdout)
    assert status["summary"][State.UNKNOWN.value] == 4
    assert status["next"] == project.stories[0]


def test_the_stories_gherkin_reaches_their_specs(tmp_path: Path) -> None:
    project = create_project(tmp_path / "demo")
    for path, story in zip(project.stories, STORIES, strict=True):
        spec = (project.spec_root / path / f"{story.slug}.story.md").read_text(encoding="utf-8")
        assert spec == story.spec
        assert "```gherkin" in spec and story.test_name in spec


def test_spx_demo_refuses_a_directory_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "kept.txt").write_text("mine", encoding="utf-8")
    done = run_spx("demo", "--keep", str(tmp_path), cwd=tmp_path)
    assert done.returncode == 1
    assert f"{tmp_path}: directory is not empty" in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.txt"]


# --- where the CLI and the plugin come from -------------------------------------------------------------


def test_the_fallback_pin_equals_the_checkout_pin() -> None:
    assert pinned_version(REPO_ROOT) == PINNED_VERSION


def test_outside_a_checkout_the_cli_goes_to_the_user_cache(tmp_path: Path) -> None:
    environ = {"HOME": str(tmp_path / "home")}
    assert cache_directory({"XDG_CACHE_HOME": "/c"}) == Path("/c/spx-python/claude-code") / PINNED_VERSION
    assert cli_location(environ, root=tmp_path) == (tmp_path / "home/.cache/spx-python/claude-code" / PINNED_VERSION,
                                                     PINNED_VERSION)
    assert cli_location(environ, root=REPO_ROOT) == (REPO_ROOT / CLI_DIR, pinned_version(REPO_ROOT))


def test_spx_claude_bin_is_used_as_is() -> None:
    binary = locate_claude(REPO_ROOT)
    lines: list[str] = []
    assert ensure_claude(lines.append, {CLAUDE_BIN_ENV: str(binary)}) == binary
    assert lines == []


def test_outside_a_checkout_a_cached_cli_of_the_pinned_version_is_reused(tmp_path: Path) -> None:
    environ = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "HOME": str(tmp_path)}
    cached = cache_directory(environ) / NODE_BIN
    cached.parent.mkdir(parents=True)
    cached.symlink_to(locate_claude(REPO_ROOT))  # as `npm install` left it on an earlier run
    lines: list[str] = []
    assert ensure_claude(lines.append, environ, root=tmp_path / "wheel") == cached
    assert lines == []  # nothing installed


def test_the_plugin_root_is_the_override_the_checkout_or_the_installed_copy(tmp_path: Path) -> None:
    assert plugin_root({PLUGIN_ROOT_ENV: str(REPO_ROOT)}) == REPO_ROOT
    assert plugin_root({"HOME": str(tmp_path)}, root=REPO_ROOT) == REPO_ROOT
    installed = tmp_path / ".claude/plugins/cache/spx-python/spx-python/0.1.0"
    (installed / PLUGIN_MANIFEST).parent.mkdir(parents=True)
    (installed / PLUGIN_MANIFEST).write_text("{}", encoding="utf-8")
    assert plugin_root({"HOME": str(tmp_path)}, root=tmp_path / "wheel") == installed.resolve()


def test_no_plugin_anywhere_is_an_error_that_says_how_to_get_one(tmp_path: Path) -> None:
    with pytest.raises(SpxError, match=f"no spx-python plugin found .* set \\${PLUGIN_ROOT_ENV}"):
        plugin_root({"HOME": str(tmp_path)}, root=tmp_path / "wheel")


# --- the transcript -------------------------------------------------------------------------------------

STORY = "21-a.capability/21-b.feature/21-c.story"
DENY_REASON = "'21-c.story': a bare story name is ambiguous — did you mean 21-a.capability/21-b.feature/21-c.story?"
ALLOW_REASON = f"{STORY}: spx-python:testing-python allowed (context → tests-designed)"


def hook(name: str, output: dict[str, object]) -> dict[str, object]:
    event = name.partition(":")[0]
    return {"type": "system", "subtype": "hook_response", "hook_name": name, "hook_event": event,
            "stdout": json.dumps(output), "stderr": "", "exit_code": 0}


def pre_tool(decision: str, reason: str) -> dict[str, object]:
    specific = {"hookEventName": "PreToolUse", "permissionDecision": decision, "permissionDecisionReason": reason}
    return hook("PreToolUse:Skill", {"hookSpecificOutput": specific})


def call(tool_id: str, name: str, tool_input: dict[str, str]) -> dict[str, object]:
    block = {"type": "tool_use", "id": tool_id, "name": name, "input": tool_input}
    return {"type": "assistant", "message": {"role": "assistant", "content": [block]}}


def result(tool_id: str, content: str, is_error: bool = False) -> dict[str, object]:
    block = {"type": "tool_result", "tool_use_id": tool_id, "content": content, "is_error": is_error}
    return {"type": "user", "message": {"role": "user", "content": [block]}}


def test_the_transcript_marks_refusals_allowances_and_command_outcomes(tmp_path: Path) -> None:
    lines: list[str] = []
    transcript = Transcript(lines.append, tmp_path)
    events = [
        call("1", "Skill", {"skill": "spx-python:understanding-specs", "args": "21-c.story"}),
        pre_tool("deny", DENY_REASON), result("1", DENY_REASON, is_error=True),
        call("2", "Skill", {"skill": "spx-python:testing-python", "args": STORY}),
        pre_tool("allow", ALLOW_REASON), result("2", "Launching skill: spx-python:testing-python"),
        call("3", "Write", {"file_path": f"{tmp_path}/src/x.py", "content": "x = 1\n"}), result("3", "created"),
        call("4", "Bash", {"command": "spx review x"}), result("4", "Exit code 1\nREJECTED: x\n  findings", True),
        call("5", "Bash", {"command": "spx review y"}), result("5", "APPROVED: y\n  report: r.md"),
        {"type": "result", "result": "Done.", "is_error": False},
    ]
    for event in events:
        transcript(event)
    outcomes = [(s.number, s.summary, s.outcome, s.detail) for s in transcript.steps]
    assert outcomes == [
        (1, "spx-python:understanding-specs 21-c.story", REFUSED, DENY_REASON),
        (2, f"spx-python:testing-python {STORY}", ALLOWED, ALLOW_REASON),
        (3, "src/x.py", OK, WRITTEN),
        (4, "spx review x", FAILED, "REJECTED: x"),
        (5, "spx review y", OK, "APPROVED: y"),
    ]
    assert [s.number for s in transcript.refusals] == [1]
    assert transcript.result_text == "Done."
    assert lines[-1] == "Run finished: 5 tool calls, 1 refused by the hooks."


def test_headline_prefers_a_verdict_line_then_the_last_line() -> None:
    assert headline("noise\nstamped spx/a/pass.csv: 1 test file(s)\nmore") == "stamped spx/a/pass.csv: 1 test file(s)"
    assert headline("one\n\ntwo\n") == "two"
    assert headline("") == ""


# --- the real-model command -----------------------------------------------------------------------------


def test_the_real_model_runs_the_orchestrator_with_the_plugin_and_only_the_skills_tools() -> None:
    prompt = f"{ORCHESTRATOR_COMMAND} 21-a.capability"
    argv = real_argv(Path("/opt/claude"), REPO_ROOT, prompt)
    assert argv[:5] == ["/opt/claude", "-p", prompt, "--plugin-dir", str(REPO_ROOT)]
    assert argv[5:5 + len(STREAM_FLAGS)] == list(STREAM_FLAGS)
    assert argv[-len(ALLOWED_TOOLS) - 1:] == ["--allowedTools", *ALLOWED_TOOLS]
    assert "Bash" not in ALLOWED_TOOLS and "Bash(spx *)" in ALLOWED_TOOLS


def test_the_transcript_reports_the_typed_command_gate_and_a_stop_refusal(tmp_path: Path) -> None:
    lines: list[str] = []
    transcript = Transcript(lines.append, tmp_path)
    transcript(hook("UserPromptExpansion", {}))
    transcript(hook("Stop", {"decision": "block", "reason": "finish the story first"}))
    assert lines == [
        f"  {TYPED_COMMAND_PASSED}",
        f"  Stop hook {REFUSED}: finish the story first",
    ]
    assert transcript.steps == []
