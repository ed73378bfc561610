"""The literal agent: for the branches the skills describe, a scripted model does exactly what the skill
text (and each refusal) says, in the real Claude Code CLI with the plugin loaded. None of these sessions
ends refused without a next step the skills allow.

Branches: rejection and remediation (one round, one rejection), context missing → ask the user →
managing-specs → restart, a feature refused until its stories pass and then through the same four steps
and the stamp, a recorded BLOCKED ending the turn, and a new session after an abandoned orchestration
(told how to resume, not held). Short sessions; the `spx` calls use the shared plugin runtime.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from hook_runner import (
    FEATURE,
    FIRST,
    PLUGIN,
    SECOND,
    journal,
    launch,
    make_passing,
    record_verdict,
    workflow_project,
)

from spx_python.evidence.review_verdicts import files_digest
from spx_python.harness.claude_offline import ClaudeRun, OfflineClaude
from spx_python.harness.plugin_install import INLINE_ID, plugin_data_dir, share_runtime
from spx_python.harness.scripted_model import Block, ModelRequest, Turn, bash, say, skill_call, write_file
from spx_python.spec.tree import LEDGER_NAME, SPEC_ROOT_NAME
from spx_python.workflow.journal import append_event, read_events
from spx_python.workflow.machine import (
    APPROVED,
    CODING,
    MANAGING,
    ORCHESTRATING,
    REJECTED,
    REVIEW_STEP,
    REVIEWING,
    TESTING,
    UNDERSTANDING,
    fold,
)

pytestmark = pytest.mark.e2e

STEPS = (UNDERSTANDING, TESTING, CODING, REVIEWING)
LAUNCHING = "Launching skill: "
FEATURE_SPEC = f"{SPEC_ROOT_NAME}/{FEATURE}/cmd.feature.md"


@pytest.fixture
def spx_project(tmp_path: Path) -> Path:
    return workflow_project(tmp_path / "spx-project")


@pytest.fixture
def home_with_runtime(claude_home: Path, plugin_runtime: Path) -> Path:
    share_runtime(plugin_runtime, plugin_data_dir(claude_home, INLINE_ID))
    return claude_home


def skill(step: str, path: str | None = None) -> Block:
    return skill_call(f"{PLUGIN}:{step}", path)


def run(
    binary: Path, home: Path, project: Path, repo: Path, scenario: Sequence[Turn], *, tools: Sequence[str] = ()
) -> ClaudeRun:
    with OfflineClaude(home, scenario, binary=binary) as claude:
        done = claude.run("orchestrate", cwd=project, plugin_dirs=[repo], allowed_tools=tools)
    assert done.init.plugin_errors == (), done.init.plugin_errors
    assert claude.proxy.attempts == (), claude.proxy.attempts
    return done


def results(done: ClaudeRun, tool: str = "Skill") -> list[tuple[bool, str]]:
    found = [done.stream.result_of(call) for call in done.stream.calls_to(tool)]
    return [(r.is_error, r.content) for r in found if r is not None]


def stop_blocks(project: Path) -> list[dict[str, object]]:
    return [e for e in journal(project) if e.get("step") == "stop"]


def test_rejection_then_remediation_counts_one_rejection_per_round(
    claude_binary: Path, claude_home: Path, spx_project: Path, repo_root: Path
) -> None:
    def rejected_twice_in_one_round(_request: ModelRequest) -> Sequence[Block]:
        record_verdict(spx_project, FIRST, REJECTED)  # `spx review` …
        record_verdict(spx_project, FIRST, REJECTED)  # … and again with `--format json`, as the skill allows
        return [skill(CODING, FIRST)]  # reviewing-python: hand the findings to coding-python

    def approved(_request: ModelRequest) -> Sequence[Block]:
        record_verdict(spx_project, FIRST, APPROVED)
        make_passing(spx_project, FIRST)  # what `spx spec test --stamp` leaves on disk
        return [say("APPROVED and stamped.")]

    scenario: list[Turn] = [
        [skill(ORCHESTRATING)],
        *[[skill(step, FIRST)] for step in STEPS],
        rejected_twice_in_one_round,
        [skill(REVIEWING, FIRST)],
        approved,
    ]
    done = run(claude_binary, claude_home, spx_project, repo_root, scenario)
    assert all(not is_error for is_error, _ in results(done)), results(done)
    assert fold(read_events(spx_project)[0])[FIRST].rejections == 1
    assert done.result_text == "APPROVED and stamped."
    assert stop_blocks(spx_project) == []


def test_missing_context_ask_the_user_then_managing_specs_then_restart(
    claude_binary: Path, claude_home: Path, spx_project: Path, repo_root: Path
) -> None:
    (spx_project / FEATURE_SPEC).unlink()
    first = run(claude_binary, claude_home, spx_project, repo_root, [
        [skill(ORCHESTRATING)],
        [skill(UNDERSTANDING, FIRST)],
        [say("The feature spec is missing: what must 21-cmd.feature do?")],  # the skill: ask, do not guess
    ])  # fmt: skip
    (refused,) = results(first)[1:]
    assert refused[0]
    assert "ask the user what the feature must do, then create the spec with /spx-python:managing-specs" in refused[1]
    assert first.result_text == "The feature spec is missing: what must 21-cmd.feature do?"
    assert stop_blocks(spx_project) == []  # nothing is mid-sequence: asking ends the turn

    second = run(claude_binary, claude_home, spx_project, repo_root, [
        [skill(MANAGING, FEATURE)],
        [write_file(str(spx_project / FEATURE_SPEC), "# Feature: cmd\n\nThe user's answer.\n")],
        [skill(UNDERSTANDING, FIRST)],  # restart the story at step 1
        [say("Context loaded.")],
    ], tools=["Write"])  # fmt: skip
    assert [is_error for is_error, _ in results(second)] == [False, False]
    assert results(second, "Write")[0][0] is False


def approve_feature(project: Path) -> None:
    """The APPROVED verdict `spx review FEATURE` records, pinned to the feature's reviewed files."""
    files = [FEATURE_SPEC]
    event = {"time": "2026-11-28T00:00:00Z", "session": None, "story": FEATURE, "step": REVIEW_STEP,
             "decision": APPROVED, "reason": "spx review", "report": "", "digest": files_digest(project, files),
             "files": files}  # fmt: skip
    append_event(project, event)


def test_a_feature_waits_for_its_stories_then_takes_the_same_four_steps_and_the_stamp(
    claude_binary: Path, home_with_runtime: Path, spx_project: Path, repo_root: Path
) -> None:
    make_passing(spx_project, FIRST)

    def second_story_done(request: ModelRequest) -> Sequence[Block]:
        assert any(f"{SECOND} is Unknown" in text for text in request.texts())
        make_passing(spx_project, SECOND)  # Part A of the story the refusal named
        return [bash(f"spx spec next {FEATURE}")]

    def approved(_request: ModelRequest) -> Sequence[Block]:
        approve_feature(spx_project)
        return [bash(f"spx spec test --stamp {FEATURE}")]

    scenario: list[Turn] = [
        [skill(ORCHESTRATING, FEATURE)],
        [skill(UNDERSTANDING, FEATURE)],
        second_story_done,
        *[[skill(step, FEATURE)] for step in STEPS],
        approved,
        [say("The feature is stamped.")],
    ]
    done = run(claude_binary, home_with_runtime, spx_project, repo_root, scenario, tools=["Bash"])
    skills = results(done)
    assert skills[1][0] and f'args "{SECOND}"' in skills[1][1]
    assert [is_error for is_error, _ in skills[2:]] == [False] * 4
    (next_answer, stamp) = results(done, "Bash")
    assert next_answer == (False, FEATURE)
    assert not stamp[0], stamp[1]
    assert (spx_project / SPEC_ROOT_NAME / FEATURE / LEDGER_NAME).exists()


def test_a_recorded_blocked_ends_the_turn(
    claude_binary: Path, home_with_runtime: Path, spx_project: Path, repo_root: Path
) -> None:
    reason = "the story contradicts its feature"
    scenario: list[Turn] = [
        [skill(ORCHESTRATING)],
        [skill(UNDERSTANDING, FIRST)],
        [bash(f'spx workflow block {FIRST} --reason "{reason}"')],
        [say(f"BLOCKED: {FIRST} — {reason}. Please decide which spec is right.")],
    ]
    done = run(claude_binary, home_with_runtime, spx_project, repo_root, scenario, tools=["Bash"])
    (recorded,) = results(done, "Bash")
    assert not recorded[0], recorded[1]
    assert done.result_text is not None and done.result_text.startswith("BLOCKED")
    assert stop_blocks(spx_project) == []
    assert fold(read_events(spx_project)[0])[FIRST].held == reason


def test_a_new_session_is_told_how_to_resume_an_abandoned_orchestration_and_is_not_held(
    claude_binary: Path, claude_home: Path, spx_project: Path, repo_root: Path
) -> None:
    for step, path in ((ORCHESTRATING, None), (UNDERSTANDING, FIRST)):
        assert launch(spx_project, step, path, session="an-earlier-session").decision == "allow"
    told: list[str] = []

    def read_the_note(request: ModelRequest) -> Sequence[Block]:
        told.extend(t for t in [*request.texts(), request.system_prompt()] if "orchestration under way" in t)
        return [say("An orchestration is under way; resume it with /spx-python:orchestrating-python.")]

    done = run(claude_binary, claude_home, spx_project, repo_root, [read_the_note])
    assert told, "SessionStart named no orchestration"
    assert f"Resume it with /{PLUGIN}:{ORCHESTRATING} and go on" in told[0]
    assert f'Exact next step: invoke the Skill tool with skill "{PLUGIN}:{TESTING}" and args "{FIRST}"' in told[0]
    assert done.result_text is not None and done.result_text.startswith("An orchestration is under way")
    assert stop_blocks(spx_project) == []
