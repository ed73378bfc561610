"""The Skill gate and its typed-command twin, run as real hook processes against real git projects."""

from __future__ import annotations

from pathlib import Path

import pytest
from hook_runner import (
    CAPABILITY,
    FEATURE,
    FIRST,
    OTHER_FEATURE,
    PLUGIN,
    SECOND,
    SESSION,
    THIRD,
    gate,
    journal,
    launch,
    launched_steps,
    make_passing,
    phase,
    record_verdict,
    run_hook,
    skill_payload,
    workflow_project,
)
from spec_builders import write_ledger

from spx_python.refusal_rules import SPX_ERROR
from spx_python.spec.tree import PRODUCT_GUIDE_NAME, SPEC_ROOT_NAME
from spx_python.workflow.machine import (
    APPROVED,
    CODING,
    CONTEXT,
    IMPLEMENTED,
    IN_REVIEW,
    MAX_REJECTIONS,
    REJECTED,
    REVIEWING,
    TESTING,
    TESTS_DESIGNED,
    UNDERSTANDING,
)

SEQUENCE = (UNDERSTANDING, TESTING, CODING, REVIEWING)
PHASE_AFTER = {UNDERSTANDING: CONTEXT, TESTING: TESTS_DESIGNED, CODING: IMPLEMENTED, REVIEWING: IN_REVIEW}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return workflow_project(tmp_path / "project")


def advance(project: Path, story: str, steps: tuple[str, ...]) -> None:
    for step in steps:
        assert launch(project, step, story).decision == "allow", f"{step} should be allowed"


def test_the_full_story_sequence_is_allowed_and_journaled(project: Path) -> None:
    for step in SEQUENCE:
        result = launch(project, step, FIRST)
        assert (result.exit_code, result.decision) == (0, "allow"), result
        assert phase(project, FIRST) == PHASE_AFTER[step]
    allows = [(e["step"], e["decision"]) for e in journal(project) if e["hook"] == "PreToolUse"]
    assert allows == [(step, "allow") for step in SEQUENCE]
    assert launched_steps(project) == [(FIRST, step) for step in SEQUENCE]
    assert all(e["session"] == SESSION and e["source"] == "model" for e in journal(project))


@pytest.mark.parametrize(
    ("done", "skipped", "named_next"),
    [
        ((), TESTING, UNDERSTANDING),
        ((), CODING, UNDERSTANDING),
        ((), REVIEWING, UNDERSTANDING),
        ((UNDERSTANDING,), CODING, TESTING),
        ((UNDERSTANDING,), REVIEWING, TESTING),
        ((UNDERSTANDING, TESTING), REVIEWING, CODING),
        ((UNDERSTANDING, TESTING, CODING), UNDERSTANDING, REVIEWING),
    ],
)
def test_each_skipped_or_backward_step_is_refused_naming_the_next_step(
    project: Path, done: tuple[str, ...], skipped: str, named_next: str
) -> None:
    advance(project, FIRST, done)
    result = gate(project, skipped, FIRST)
    assert (result.decision, result.rule) == ("deny", "sequence.out-of-order")
    assert f'skill "{PLUGIN}:{named_next}" and args "{FIRST}"' in result.reason
    assert (journal(project)[-1]["decision"], journal(project)[-1]["rule"]) == ("deny", "sequence.out-of-order")


@pytest.mark.parametrize("step", SEQUENCE)
def test_repeating_the_current_step_is_allowed(project: Path, step: str) -> None:
    advance(project, FIRST, SEQUENCE[: SEQUENCE.index(step) + 1])
    assert launch(project, step, FIRST).decision == "allow"
    assert phase(project, FIRST) == PHASE_AFTER[step]


@pytest.mark.parametrize("spelling", [f"{PLUGIN}:{UNDERSTANDING}", UNDERSTANDING, f"/{PLUGIN}:{UNDERSTANDING}"])
def test_all_three_spellings_of_a_skill_name_are_gated(project: Path, spelling: str) -> None:
    result = run_hook("skill_gate", skill_payload(project, spelling, FIRST))
    assert result.decision == "allow"
    denied = run_hook("skill_gate", skill_payload(project, spelling.replace(UNDERSTANDING, CODING), FIRST))
    assert (denied.decision, denied.rule) == ("deny", "sequence.out-of-order")


def test_a_bare_story_name_is_refused_with_did_you_mean(project: Path) -> None:
    result = gate(project, UNDERSTANDING, "21-first.story")
    assert (result.decision, result.rule) == ("deny", "path.not-full")
    assert f"did you mean {FIRST}" in result.reason


@pytest.mark.parametrize("args", [None, "", "   "])
def test_a_story_step_without_a_path_is_refused(project: Path, args: str | None) -> None:
    result = gate(project, TESTING, args)
    assert (result.decision, result.rule) == ("deny", "path.missing")
    assert "full path" in result.reason
    assert "spx spec next" in result.reason


def test_a_feature_path_is_refused_naming_the_child_to_finish_first(project: Path) -> None:
    result = gate(project, UNDERSTANDING, FEATURE)
    assert (result.decision, result.rule) == ("deny", "order.children-first")
    assert f"a feature goes through the steps once every container in it passes, and {FIRST} is Unknown" in (
        result.reason
    )
    assert f'args "{FIRST}"' in result.reason


def test_a_feature_whose_stories_pass_goes_through_the_same_steps(project: Path) -> None:
    make_passing(project, FIRST)
    make_passing(project, SECOND)
    advance(project, FEATURE, SEQUENCE)
    assert phase(project, FEATURE) == IN_REVIEW
    refused = gate(project, CODING, FEATURE)
    assert (refused.decision, refused.rule) == ("deny", "sequence.no-coding-round")
    assert f"spx review {FEATURE}" in refused.reason


def test_a_capability_waits_for_its_features_then_goes_through_the_steps(project: Path) -> None:
    for story in (FIRST, SECOND, THIRD):
        make_passing(project, story)
    refused = gate(project, UNDERSTANDING, CAPABILITY)
    assert (refused.decision, refused.rule) == ("deny", "order.children-first")
    assert f"once every container in it passes, and {FEATURE} is Unknown" in refused.reason
    for feature in (FEATURE, OTHER_FEATURE):
        write_ledger(project / SPEC_ROOT_NAME / feature)
    assert launch(project, UNDERSTANDING, CAPABILITY).decision == "allow"


def test_a_later_story_is_refused_while_an_earlier_one_is_not_passing(project: Path) -> None:
    result = gate(project, UNDERSTANDING, SECOND)
    assert (result.decision, result.rule) == ("deny", "order.earlier-unfinished")
    assert f"earlier story {FIRST} is not Passing" in result.reason
    assert f'args "{FIRST}"' in result.reason


def test_the_order_spans_features_and_includes_the_earlier_feature_itself(project: Path) -> None:
    make_passing(project, FIRST)
    refused = gate(project, UNDERSTANDING, THIRD)
    assert (refused.decision, refused.rule) == ("deny", "order.earlier-unfinished")
    assert SECOND in refused.reason
    make_passing(project, SECOND)
    unstamped = gate(project, UNDERSTANDING, THIRD)
    assert unstamped.rule == "order.earlier-unfinished"
    assert f"the earlier feature {FEATURE} is not Passing (Unknown)" in unstamped.reason
    write_ledger(project / SPEC_ROOT_NAME / FEATURE)
    assert gate(project, UNDERSTANDING, THIRD).decision == "allow"


def test_a_passing_story_may_be_reworked_while_its_feature_awaits_its_own_steps(project: Path) -> None:
    make_passing(project, FIRST)
    make_passing(project, SECOND)
    assert gate(project, UNDERSTANDING, FIRST).decision == "allow"


def test_a_second_story_is_refused_while_the_first_is_mid_sequence(project: Path) -> None:
    make_passing(project, FIRST)
    make_passing(project, SECOND)
    advance(project, SECOND, (UNDERSTANDING, TESTING))  # reworking a passing story
    result = gate(project, UNDERSTANDING, THIRD)
    assert (result.decision, result.rule) == ("deny", "order.one-at-a-time")
    assert f"{SECOND} is mid-sequence" in result.reason
    assert f'"{PLUGIN}:{CODING}" and args "{SECOND}"' in result.reason


def test_coding_after_review_needs_a_rejected_verdict(project: Path) -> None:
    advance(project, FIRST, SEQUENCE)
    waiting = gate(project, CODING, FIRST)
    assert (waiting.decision, waiting.rule) == ("deny", "sequence.no-coding-round")
    assert f"spx review {FIRST}" in waiting.reason
    record_verdict(project, FIRST, APPROVED)
    approved = gate(project, CODING, FIRST)
    assert (approved.decision, approved.rule) == ("deny", "sequence.no-coding-round")
    assert f"spx spec test {FIRST} --stamp" in approved.reason


def test_remediation_rounds_are_capped_then_the_model_must_report_blocked(project: Path) -> None:
    advance(project, FIRST, SEQUENCE)
    for _ in range(MAX_REJECTIONS - 1):
        record_verdict(project, FIRST, REJECTED)
        advance(project, FIRST, (CODING, REVIEWING))
    record_verdict(project, FIRST, REJECTED)
    result = gate(project, CODING, FIRST)
    assert (result.decision, result.rule) == ("deny", "sequence.no-coding-round")
    assert "BLOCKED" in result.reason
    assert f"rejected {MAX_REJECTIONS} times" in result.reason


def test_an_approved_and_stamped_story_is_done_and_the_next_may_start(project: Path) -> None:
    advance(project, FIRST, SEQUENCE)
    assert gate(project, UNDERSTANDING, SECOND).rule == "order.one-at-a-time"
    record_verdict(project, FIRST, APPROVED)
    make_passing(project, FIRST)
    assert launch(project, UNDERSTANDING, SECOND).decision == "allow"


def test_understanding_specs_is_refused_when_the_context_is_incomplete(project: Path) -> None:
    (project / SPEC_ROOT_NAME / PRODUCT_GUIDE_NAME).unlink()
    result = gate(project, UNDERSTANDING, FIRST)
    assert (result.decision, result.rule) == ("deny", "context.incomplete")
    assert "CONTEXT INGESTION FAILED" in result.reason
    assert "managing-specs" in result.reason
    assert "ask the user" in result.reason


def test_understanding_specs_is_refused_when_a_spec_on_the_chain_is_missing(project: Path) -> None:
    next((project / SPEC_ROOT_NAME / FEATURE).glob("*.feature.md")).unlink()
    result = gate(project, UNDERSTANDING, FIRST)
    assert (result.decision, result.rule) == ("deny", "context.incomplete")
    assert "cmd.feature.md" in result.reason


def test_skills_of_other_plugins_get_no_decision(project: Path) -> None:
    result = run_hook("skill_gate", skill_payload(project, f"other-plugin:{TESTING}", FIRST))
    assert (result.exit_code, result.stdout) == (0, "")
    assert journal(project) == []


def test_orchestrating_takes_an_optional_validated_scope(project: Path) -> None:
    assert gate(project, "orchestrating-python", None).decision == "allow"
    assert gate(project, "orchestrating-python", FEATURE).decision == "allow"
    refused = gate(project, "orchestrating-python", "21-cmd.feature")
    assert (refused.decision, refused.rule) == ("deny", "path.not-full")
    assert f"did you mean {FEATURE}" in refused.reason


def expansion(project: Path, command: str, args: str) -> dict[str, object]:
    return {"session_id": SESSION, "cwd": str(project), "hook_event_name": "UserPromptExpansion",
            "expansion_type": "slash_command", "command_name": command, "command_args": args,
            "command_source": "plugin", "prompt": f"/{command} {args}"}


def test_a_typed_command_out_of_order_is_blocked(project: Path) -> None:
    result = run_hook("prompt_expansion", expansion(project, f"{PLUGIN}:{CODING}", FIRST))
    assert (result.decision, result.rule) == ("block", "sequence.out-of-order")
    assert f'"{PLUGIN}:{UNDERSTANDING}" and args "{FIRST}"' in result.reason
    assert journal(project)[-1]["source"] == "user"
    assert journal(project)[-1]["rule"] == "sequence.out-of-order"


def test_an_allowed_typed_command_is_journaled_as_launched(project: Path) -> None:
    result = run_hook("prompt_expansion", expansion(project, f"{PLUGIN}:{UNDERSTANDING}", FIRST))
    assert (result.exit_code, result.stdout) == (0, "")
    assert [e["decision"] for e in journal(project)] == ["allow", "launched"]
    assert phase(project, FIRST) == CONTEXT
    assert gate(project, TESTING, FIRST).decision == "allow"


def test_the_rejection_cap_comes_from_tool_spx_in_pyproject(project: Path) -> None:
    (project / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.spx]\nmax_rejections = 1\n')
    advance(project, FIRST, SEQUENCE)
    record_verdict(project, FIRST, REJECTED)
    result = gate(project, CODING, FIRST)
    assert (result.decision, result.rule) == ("deny", "sequence.no-coding-round")
    assert "rejected 1 times (cap 1)" in result.reason


def test_a_nonsense_rejection_cap_is_refused_with_the_fix(project: Path) -> None:
    (project / "pyproject.toml").write_text("[tool.spx]\nmax_rejections = 0\n")
    result = run_hook("skill_gate", skill_payload(project, f"{PLUGIN}:{UNDERSTANDING}", FIRST))
    assert (result.decision, result.rule) == ("deny", SPX_ERROR)  # spx's own error about the project, not a crash
    assert "[tool.spx] max_rejections = 0 must be a whole number of at least 1" in result.reason


def test_a_full_path_naming_no_container_is_refused_as_not_found(project: Path) -> None:
    result = gate(project, UNDERSTANDING, f"{FEATURE}/99-missing.story")
    assert (result.decision, result.rule) == ("deny", "path.not-found")
    assert "no such container under spx/" in result.reason


def test_a_scope_path_without_a_spec_tree_is_refused(tmp_path: Path) -> None:
    result = run_hook("skill_gate", skill_payload(tmp_path, f"{PLUGIN}:orchestrating-python", FEATURE))
    assert (result.decision, result.rule) == ("deny", "project.no-spec-root")
    assert "run `spx init` first" in result.reason


def test_a_malformed_earlier_ledger_refuses_the_start_naming_the_ledger(project: Path) -> None:
    (project / SPEC_ROOT_NAME / FIRST / "pass.csv").write_text("garbage\n")
    result = gate(project, UNDERSTANDING, SECOND)
    assert (result.decision, result.rule) == ("deny", "order.state-unreadable")
    assert f"{FIRST}/pass.csv:1: malformed ledger" in result.reason


def test_typed_command_arguments_that_are_not_text_are_blocked(project: Path) -> None:
    payload = {**expansion(project, f"{PLUGIN}:{UNDERSTANDING}", FIRST), "command_args": ["not", "text"]}
    result = run_hook("prompt_expansion", payload)
    assert (result.decision, result.rule) == ("block", "input.malformed")
