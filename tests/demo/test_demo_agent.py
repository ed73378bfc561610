"""The scripted disciplined agent's parts: reading refusals, replaying a program, and the agent's own decisions.

The refusal texts come from the functions the hooks use (`skill_instruction`, `LEDGER_REASON`,
`fullpath.check` on a real project), so a change of wording there is caught here, not in a 30 s e2e run.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from spx_python.demo.agent import Mistakes, disciplined_agent, next_path
from spx_python.demo.project import DemoProject, create_project
from spx_python.demo.refusals import follow_refusal, is_refusal
from spx_python.harness.scripted_program import PROGRAM_DONE_TEXT, Program, Reply, next_turn, program_turns, replies
from spx_python.harness.scripted_turns import ModelRequest, TextBlock, ToolResult, ToolUseBlock, bash, say, skill_call
from spx_python.hooks.guard.protected import LEDGER_REASON, STATE_REASON, UNKNOWN_CONTAINER
from spx_python.spec.fullpath import Refusal, check
from spx_python.spec.tree import scan
from spx_python.workflow.machine import CODING, TESTING, UNDERSTANDING, skill_instruction, skill_ref

STORY = "21-text-stats.capability/21-words.feature/21-count-words.story"
FEATURE = "21-text-stats.capability/21-words.feature"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> DemoProject:
    return create_project(tmp_path_factory.mktemp("agent") / "project")


def tool_call(block: object) -> ToolUseBlock:
    assert isinstance(block, ToolUseBlock)
    return block


# --- refusals -------------------------------------------------------------------------------------------


def test_a_skill_instruction_in_a_refusal_becomes_that_skill_call() -> None:
    reason = f"{STORY}: out of order — next step: {skill_instruction(TESTING, STORY)}"
    followed = follow_refusal(reason, tool_call(skill_call(skill_ref(CODING), STORY)), STORY)
    assert followed == skill_call(skill_ref(TESTING), STORY)


def test_did_you_mean_repeats_the_refused_skill_with_the_suggested_full_path(project: DemoProject) -> None:
    bare = Path(STORY).name
    refusal = check(scan(project.root), bare)
    assert isinstance(refusal, Refusal)
    refused = tool_call(skill_call(skill_ref(UNDERSTANDING), bare))
    assert follow_refusal(refusal.message(bare), refused, None) == skill_call(skill_ref(UNDERSTANDING), STORY)


@pytest.mark.parametrize("named", [FEATURE, UNKNOWN_CONTAINER])
def test_the_ledger_refusal_becomes_the_stamp_of_the_container_being_worked_on(named: str) -> None:
    reason = LEDGER_REASON.format(path=f"spx/{FEATURE}/pass.csv", container=named)
    refused = tool_call(ToolUseBlock("Write", {"file_path": f"spx/{FEATURE}/pass.csv", "content": ""}))
    followed = tool_call(follow_refusal(reason, refused, FEATURE))
    assert (followed.name, followed.input["command"]) == ("Bash", f"spx spec test {FEATURE} --stamp")


@pytest.mark.parametrize(
    "reason",
    [
        STATE_REASON.format(path=".spx/workflow.jsonl"),  # names only read-only commands, no path
        "`spx workflow reset 21-a.capability/21-b.feature/21-c.story --yes` restarts the story",  # the user's only
        "no instruction at all",
    ],
)
def test_a_refusal_naming_nothing_the_agent_may_do_gives_no_call(reason: str) -> None:
    assert follow_refusal(reason, tool_call(bash("echo hi")), FEATURE) is None


@pytest.mark.parametrize(
    ("call", "content", "is_error", "refused"),
    [
        (bash("spx spec test x"), "Exit code 1\nfailed", True, False),
        (bash("rm spx/pass.csv"), "spx-python: spx/pass.csv: pass.csv is a ledger", True, True),
        (skill_call("spx-python:testing-python", STORY), "out of order", True, True),
        (skill_call("spx-python:testing-python", STORY), "Launching skill: spx-python:testing-python", False, False),
    ],
)
def test_only_a_hook_denial_counts_as_a_refusal(call: object, content: str, is_error: bool, refused: bool) -> None:
    assert is_refusal(tool_call(call), content, is_error) is refused


# --- scripted programs ----------------------------------------------------------------------------------


def echo_program() -> Program:
    reply = yield [bash("echo hello")]
    yield [say(f"saw {reply.first.content!r} and {len(reply.texts)} text(s)")]


def request(*messages: Mapping[str, Any]) -> ModelRequest:
    return ModelRequest("/v1/messages", {}, {"messages": list(messages)})


PROMPT = {"role": "user", "content": "go"}
CALL = {"role": "assistant", "content": [{"type": "tool_use", "id": "t1", "name": "Bash", "input": {}}]}
RESULT = {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "t1", "content": "hello"},
                                      {"type": "text", "text": "a reminder"}]}
SAID = {"role": "assistant", "content": [{"type": "text", "text": "..."}]}


def test_a_program_replays_to_the_turn_the_conversation_asks_for() -> None:
    assert next_turn(echo_program, request(PROMPT)) == [bash("echo hello")]
    assert next_turn(echo_program, request(PROMPT, CALL, RESULT)) == [say("saw 'hello' and 1 text(s)")]
    assert next_turn(echo_program, request(PROMPT, CALL, RESULT, SAID, PROMPT)) == [say(PROGRAM_DONE_TEXT)]


def test_replies_pair_each_assistant_turn_with_what_came_back() -> None:
    assert replies(request(PROMPT, CALL, RESULT)) == [Reply((ToolResult("t1", "hello", False),), ("a reminder",))]
    assert replies(request(PROMPT)) == []


def test_program_turns_serve_the_same_answer_for_the_same_request() -> None:
    turns = program_turns(echo_program, max_turns=3)
    assert len(turns) == 3
    same = request(PROMPT, CALL, RESULT)
    answers = [turn(same) for turn in turns if callable(turn)]
    assert answers == [answers[0]] * 3


# --- the agent ------------------------------------------------------------------------------------------


def test_next_path_reads_the_path_or_the_all_passing_answer() -> None:
    assert next_path(f"{STORY}\n") == STORY
    assert next_path("All containers are Passing: nothing left to do.") is None


def ok(content: str) -> Reply:
    return Reply((ToolResult("t", content, False),))


def denied(reason: str) -> Reply:
    return Reply((ToolResult("t", reason, True),))


def calls(blocks: object) -> list[ToolUseBlock]:
    assert isinstance(blocks, list)
    return [block for block in blocks if isinstance(block, ToolUseBlock)]


def test_the_agent_makes_its_bare_name_mistake_then_follows_the_refusal(project: DemoProject) -> None:
    agent = disciplined_agent(project)
    assert calls(next(agent)) == [bash(f"spx spec status {project.capability}")]
    assert calls(agent.send(ok("tree"))) == [bash(f"spx spec next {project.capability}")]
    bare = Path(STORY).name
    assert calls(agent.send(ok(STORY))) == [skill_call(skill_ref(UNDERSTANDING), bare)]
    refusal = check(scan(project.root), bare)
    assert isinstance(refusal, Refusal)
    assert calls(agent.send(denied(refusal.message(bare)))) == [skill_call(skill_ref(UNDERSTANDING), STORY)]


def test_without_mistakes_the_agent_goes_straight_to_the_full_path(project: DemoProject) -> None:
    agent = disciplined_agent(project, Mistakes(None, None, None))
    next(agent)
    agent.send(ok("tree"))
    assert calls(agent.send(ok(STORY))) == [skill_call(skill_ref(UNDERSTANDING), STORY)]


def test_an_unfollowable_refusal_makes_the_agent_report_blocked(project: DemoProject) -> None:
    agent = disciplined_agent(project)
    next(agent)
    agent.send(ok("tree"))
    agent.send(ok(STORY))
    final = agent.send(denied("go away"))
    assert isinstance(final, list)
    (block,) = final
    assert isinstance(block, TextBlock)
    assert block.text.startswith("BLOCKED: a refusal I cannot act on by myself: go away")
