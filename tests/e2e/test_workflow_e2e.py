"""The workflow hooks inside the real, pinned Claude Code CLI, driven offline by the scripted model.

Each test loads this repository as a plugin (`--plugin-dir`), runs `claude -p` in a real git project
with a spec tree, and checks what the model was told, what the journal recorded and that nothing tried
to leave the machine. A missing CLI fails these tests (tests/e2e/conftest.py), it never skips them.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from hook_runner import (
    FIRST,
    PLUGIN,
    SECOND,
    THIRD,
    journal,
    launched_steps,
    make_passing,
    phase,
    record_verdict,
    workflow_project,
)

from spx_python.harness.claude_offline import ClaudeRun, OfflineClaude
from spx_python.harness.plugin_install import INLINE_ID, plugin_data_dir, share_runtime
from spx_python.harness.scripted_model import Block, ModelRequest, Turn, bash, say, skill_call, write_file
from spx_python.spec.tree import LEDGER_NAME, SPEC_ROOT_NAME
from spx_python.workflow.machine import APPROVED, CODING, IN_REVIEW, REVIEWING, TESTING, UNDERSTANDING

pytestmark = pytest.mark.e2e

SEQUENCE = (UNDERSTANDING, TESTING, CODING, REVIEWING)
LAUNCHING = "Launching skill: "


@pytest.fixture
def spx_project(tmp_path: Path) -> Path:
    return workflow_project(tmp_path / "spx-project")


def skill(step: str, story: str) -> Block:
    return skill_call(f"{PLUGIN}:{step}", story)


def run_scenario(
    binary: Path,
    home: Path,
    project: Path,
    repo: Path,
    scenario: Sequence[Turn],
    *,
    prompt: str = "work on the story",
    allowed_tools: Sequence[str] = (),
) -> tuple[ClaudeRun, OfflineClaude]:
    with OfflineClaude(home, scenario, binary=binary) as claude:
        run = claude.run(prompt, cwd=project, plugin_dirs=[repo], allowed_tools=allowed_tools)
    assert run.init.plugin_errors == (), run.init.plugin_errors
    assert claude.proxy.attempts == (), claude.proxy.attempts
    return run, claude


def skill_results(run: ClaudeRun) -> list[tuple[bool, str]]:
    results = [run.stream.result_of(call) for call in run.stream.calls_to("Skill")]
    return [(r.is_error, r.content) for r in results if r is not None]


def test_the_full_story_sequence_runs(
    claude_binary: Path, claude_home: Path, spx_project: Path, repo_root: Path
) -> None:
    scenario = [[skill(step, FIRST)] for step in SEQUENCE]
    run, _ = run_scenario(claude_binary, claude_home, spx_project, repo_root, scenario)
    assert skill_results(run) == [(False, f"{LAUNCHING}{PLUGIN}:{step}") for step in SEQUENCE]
    assert launched_steps(spx_project) == [(FIRST, step) for step in SEQUENCE]
    assert phase(spx_project, FIRST) == IN_REVIEW
    assert run.stream.permission_denials == ()


def test_skipped_steps_and_a_bare_name_are_refused_with_the_way_forward(
    claude_binary: Path, claude_home: Path, spx_project: Path, repo_root: Path
) -> None:
    scenario = [
        [skill(TESTING, FIRST)],
        [skill(CODING, FIRST)],
        [skill(REVIEWING, FIRST)],
        [skill(UNDERSTANDING, "21-first.story")],
        [skill(UNDERSTANDING, FIRST)],
    ]
    run, claude = run_scenario(claude_binary, claude_home, spx_project, repo_root, scenario)
    results = skill_results(run)
    for is_error, content in results[:3]:
        assert is_error
        assert f'"{PLUGIN}:{UNDERSTANDING}" and args "{FIRST}"' in content
    assert results[3][0]
    assert f"did you mean {FIRST}" in results[3][1]
    assert results[4] == (False, f"{LAUNCHING}{PLUGIN}:{UNDERSTANDING}")
    assert len(run.stream.permission_denials) == 4
    assert [e["decision"] for e in journal(spx_project)] == ["deny"] * 4 + ["allow", "launched"]
    assert claude.model.requests[1].last_tool_results()[0].is_error


def test_a_typed_command_out_of_order_is_blocked_before_any_model_call(
    claude_binary: Path, claude_home: Path, spx_project: Path, repo_root: Path
) -> None:
    run, claude = run_scenario(
        claude_binary, claude_home, spx_project, repo_root, [], prompt=f"/{PLUGIN}:{CODING} {FIRST}"
    )
    assert claude.model.requests == ()
    assert run.result_text is not None
    assert "UserPromptExpansion operation blocked by hook" in run.result_text
    assert f'"{PLUGIN}:{UNDERSTANDING}" and args "{FIRST}"' in run.result_text
    assert journal(spx_project)[-1]["source"] == "user"


def test_a_typed_command_in_order_runs_and_is_journaled(
    claude_binary: Path, claude_home: Path, spx_project: Path, repo_root: Path
) -> None:
    run, claude = run_scenario(
        claude_binary, claude_home, spx_project, repo_root, [[say("Context loaded.")]],
        prompt=f"/{PLUGIN}:{UNDERSTANDING} {FIRST}",
    )
    assert run.result_text == "Context loaded."
    assert len(claude.model.requests) == 1
    assert launched_steps(spx_project) == [(FIRST, UNDERSTANDING)]


def test_hand_edits_of_a_ledger_are_refused_and_other_commands_run(
    claude_binary: Path, claude_home: Path, spx_project: Path, repo_root: Path
) -> None:
    ledger = spx_project / SPEC_ROOT_NAME / FIRST / LEDGER_NAME
    scenario = [
        [write_file(str(ledger), "test_file,test_blob,pass_time\n")],
        [bash(f"echo forged > {SPEC_ROOT_NAME}/{FIRST}/{LEDGER_NAME}")],
        [bash("echo harmless-$((20 + 22))")],
    ]
    run, _ = run_scenario(
        claude_binary, claude_home, spx_project, repo_root, scenario, allowed_tools=["Write", "Bash"]
    )
    write, forged, harmless = (run.stream.result_of(call) for call in run.stream.tool_calls)
    assert write is not None and write.is_error and "only `spx spec test --stamp` writes" in write.content
    assert forged is not None and forged.is_error and "only `spx spec test --stamp` writes" in forged.content
    assert harmless is not None and (harmless.is_error, harmless.content) == (False, "harmless-42")
    assert not ledger.exists()
    protect_runs = [h for h in run.stream.hooks("PreToolUse") if h.hook_name in ("PreToolUse:Bash", "PreToolUse:Write")]
    assert protect_runs[-1].stdout == ""  # nothing to refuse → no decision printed


def test_stop_mid_story_is_blocked_until_the_story_is_done(
    claude_binary: Path, claude_home: Path, spx_project: Path, repo_root: Path
) -> None:
    feedback: list[str] = []

    def after_stop_block(request: ModelRequest) -> Sequence[Block]:
        feedback.extend(t for t in request.texts() if "Stop hook feedback" in t)
        return [skill(TESTING, FIRST)]

    def review_and_stamp(_request: ModelRequest) -> Sequence[Block]:
        record_verdict(spx_project, FIRST, APPROVED)  # what `spx review` records …
        make_passing(spx_project, FIRST)  # … and what `spx spec test --stamp` leaves on disk
        return [say("Story approved and stamped.")]

    scenario: list[Turn] = [
        [skill_call(f"{PLUGIN}:orchestrating-python")],
        [skill(UNDERSTANDING, FIRST)],
        [say("I will stop here.")],
        after_stop_block,
        [skill(CODING, FIRST)],
        [skill(REVIEWING, FIRST)],
        review_and_stamp,
    ]
    run, _ = run_scenario(claude_binary, claude_home, spx_project, repo_root, scenario)
    assert len(feedback) >= 1
    assert f'"{PLUGIN}:{TESTING}" and args "{FIRST}"' in feedback[0]
    stops = [e for e in journal(spx_project) if e["step"] == "stop"]
    assert len(stops) == 1
    assert run.result_text == "Story approved and stamped."
    assert all(h.exit_code == 0 for h in run.stream.hooks("Stop"))


def test_a_second_story_is_refused_while_another_is_mid_sequence(
    claude_binary: Path, claude_home: Path, spx_project: Path, repo_root: Path
) -> None:
    make_passing(spx_project, FIRST)
    make_passing(spx_project, SECOND)
    scenario = [[skill(UNDERSTANDING, SECOND)], [skill(UNDERSTANDING, THIRD)]]
    run, _ = run_scenario(claude_binary, claude_home, spx_project, repo_root, scenario)
    started, refused = skill_results(run)
    assert started == (False, f"{LAUNCHING}{PLUGIN}:{UNDERSTANDING}")
    assert refused[0]
    assert f"{SECOND} is mid-sequence" in refused[1]
    assert f'"{PLUGIN}:{TESTING}" and args "{SECOND}"' in refused[1]


def test_a_resumed_session_continues_from_the_journal(
    claude_binary: Path, claude_home: Path, spx_project: Path, repo_root: Path
) -> None:
    told: list[str] = []

    def continue_where_told(request: ModelRequest) -> Sequence[Block]:
        told.extend(t for t in [*request.texts(), request.system_prompt()] if "spx-python workflow" in t)
        return [skill(CODING, FIRST)]

    scenario: list[Turn] = [
        [skill(UNDERSTANDING, FIRST)],
        [skill(TESTING, FIRST)],
        [say("Pausing here.")],
        continue_where_told,
    ]
    with OfflineClaude(claude_home, scenario, binary=claude_binary) as claude:
        first = claude.run("start the story", cwd=spx_project, plugin_dirs=[repo_root])
        second = claude.run("carry on", cwd=spx_project, plugin_dirs=[repo_root], resume=first.session_id)
    assert first.result_text == "Pausing here."
    assert any(f'"{PLUGIN}:{CODING}" and args "{FIRST}"' in text for text in told), told
    assert skill_results(second)[-1] == (False, f"{LAUNCHING}{PLUGIN}:{CODING}")
    assert launched_steps(spx_project) == [(FIRST, UNDERSTANDING), (FIRST, TESTING), (FIRST, CODING)]
    assert claude.proxy.attempts == ()


def test_the_models_bash_finds_spx_through_session_start(
    claude_binary: Path, claude_home: Path, spx_project: Path, repo_root: Path, plugin_runtime: Path
) -> None:
    share_runtime(plugin_runtime, plugin_data_dir(claude_home, INLINE_ID))
    scenario = [[bash("command -v spx && spx spec next")]]
    run, _ = run_scenario(claude_binary, claude_home, spx_project, repo_root, scenario, allowed_tools=["Bash"])
    (call,) = run.stream.calls_to("Bash")
    result = run.stream.result_of(call)
    assert result is not None and not result.is_error, result
    assert result.content.splitlines() == [str(repo_root / "scripts" / "spx"), FIRST]


def test_two_stories_started_in_one_turn_are_serialised_and_the_second_refused(
    claude_binary: Path, claude_home: Path, spx_project: Path, repo_root: Path
) -> None:
    for story in (FIRST, SECOND, THIRD):
        make_passing(spx_project, story)
    scenario = [[skill(UNDERSTANDING, SECOND), skill(UNDERSTANDING, THIRD)]]
    run, _ = run_scenario(claude_binary, claude_home, spx_project, repo_root, scenario)
    started, refused = skill_results(run)
    assert not started[0]
    assert refused[0]
    assert "one at a time" in refused[1]
    assert [(e["hook"], e["decision"]) for e in journal(spx_project)] == [
        ("PreToolUse", "allow"), ("PostToolUse", "launched"), ("PreToolUse", "deny")
    ]
