"""The disciplined agent: the scripted model behind `spx demo` and the orchestration end-to-end test.

It does what `skills/orchestrating-python` tells a model to do, with real tool calls: it asks
`spx spec next` for the next item; for a story it invokes understanding-specs, testing-python,
coding-python and reviewing-python through the Skill tool (always `spx-python:<skill>` with the full
path), writes the story's real tests and code (Write), runs `spx spec test`, `spx review`,
`spx spec test --stamp` and `spx commit` (Bash); the feature and then the capability go through the same
four skills with their own paths once their children pass (Parts B and C), then review, stamp and commit.
It makes three mistakes on purpose (`Mistakes`): a bare story name, coding before testing, and a
hand-written `pass.csv`. Each time a hook refuses, the agent reads the reason in the tool_result
and takes the step it names (`refusals.follow_refusal`), then carries on with its plan.

The agent is a `scripted_program` generator: every turn is computed by replaying the conversation,
so the scenario is deterministic and reacts only to what the CLI really sent back.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from spx_python.demo.example import ExampleStory, story_by_slug
from spx_python.demo.project import DemoProject
from spx_python.demo.refusals import follow_refusal, is_refusal
from spx_python.harness.scripted_program import Program, Reply, program_turns
from spx_python.harness.scripted_turns import Block, ToolUseBlock, Turn, bash, say, skill_call, write_file
from spx_python.spec.bsp import FEATURE, STORY
from spx_python.spec.tree import LEDGER_NAME, TESTS_DIR_NAME
from spx_python.workflow.machine import CODING, REVIEWING, TESTING, UNDERSTANDING, normalize_skill, skill_ref

MAX_FOLLOW = 3
MAX_ITEMS = 12
APPROVED_WORD = "APPROVED"
CONTAINER_SUFFIXES = (".story", ".feature", ".capability")
HAND_LEDGER = "# spec_blob,{blob}\n# run,2026-01-01T00:00:00Z\ntest_file,test_blob,pass_time\n"
FOLLOW_NOTE = "Refused — the reason names the next step, so I take exactly that step."

Step = Generator[Sequence[Block], Reply, tuple[ToolUseBlock, Reply]]
Work = Generator[Sequence[Block], Reply, None]


class Stuck(Exception):
    """The agent cannot go on (a refusal it cannot follow, a rejected review): it stops and reports."""


@dataclass(frozen=True)
class Mistakes:
    """Where the agent slips. Slugs name stories of the example; `ledger_edit` names a container kind."""

    bare_name: str | None = "count-words"  # understanding-specs called with `21-count-words.story`
    skipped_step: str | None = "top-words"  # coding-python invoked before testing-python
    ledger_edit: str | None = FEATURE  # the feature's pass.csv written by hand instead of stamped


NO_MISTAKES = Mistakes(None, None, None)


def act(call: Block, note: str, container: str | None) -> Step:
    """Make `call`; while a hook refuses, do what the refusal says (at most MAX_FOLLOW times)."""
    assert isinstance(call, ToolUseBlock)  # noqa: S101 - every caller passes a tool call
    reply = yield [say(note), call]
    for _ in range(MAX_FOLLOW):
        result = reply.first
        if not is_refusal(call, result.content, result.is_error):
            return call, reply
        follow = follow_refusal(result.content, call, container)
        if not isinstance(follow, ToolUseBlock):
            raise Stuck(f"a refusal I cannot act on by myself: {result.content}")
        call = follow
        reply = yield [say(FOLLOW_NOTE), call]
    raise Stuck(f"still refused after {MAX_FOLLOW} corrections: {reply.first.content}")


def skill(step: str, args: str) -> Block:
    return skill_call(skill_ref(step), args)


def next_path(output: str) -> str | None:
    """The full path `spx spec next` printed, None when it says everything is Passing."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    found = [line for line in lines if " " not in line and line.endswith(CONTAINER_SUFFIXES)]
    return found[-1] if found else None


def _example_of(path: str) -> ExampleStory:
    slug = PurePosixPath(path).name.split("-", 1)[-1].rsplit(".", 1)[0]
    example = story_by_slug(slug)
    if example is None:
        raise Stuck(f"{path}: not a story this agent knows how to implement")
    return example


def _design_tests(path: str, example: ExampleStory, mistakes: Mistakes) -> Work:
    if mistakes.skipped_step == example.slug:
        call, _ = yield from act(skill(CODING, path), "The code is tiny; I'll write it straight away.", path)
        if normalize_skill(str(call.input.get("skill", ""))) == TESTING:
            return  # the refusal sent the agent to testing-python: the step is done
    yield from act(skill(TESTING, path), "Tests first: designing them from the story's Gherkin.", path)


def story_work(project: DemoProject, path: str, mistakes: Mistakes) -> Work:
    """Part A of the orchestrator: one story, from context to commit."""
    example = _example_of(path)
    first_arg = PurePosixPath(path).name if mistakes.bare_name == example.slug else path
    yield from act(skill(UNDERSTANDING, first_arg), f"Loading the context of {first_arg}.", path)
    yield from act(bash(f"spx spec context {path}"), "Listing the documents that constrain it.", path)
    yield from _design_tests(path, example, mistakes)
    tests = project.spec_root / path / TESTS_DIR_NAME / example.test_name
    yield from act(write_file(str(tests), example.test_text), f"Writing {example.test_name}.", path)
    yield from act(bash(f"spx spec test {path}"), "RED: the tests must fail, for the right reason.", path)
    yield from act(skill(CODING, path), "Now the simplest typed code that passes.", path)
    source = project.root / example.source
    yield from act(write_file(str(source), example.source_text), f"Writing {example.source}.", path)
    yield from act(bash(f"spx spec test {path}"), "GREEN: every test passes now.", path)
    yield from act(skill(REVIEWING, path), "Handing the story to review.", path)
    yield from review_stamp_commit(project, path, mistakes, STORY)


def review_stamp_commit(project: DemoProject, path: str, mistakes: Mistakes, kind: str) -> Work:
    """The tool gate, the ledger stamp (or the hand edit the hooks refuse) and the commit."""
    _, reply = yield from act(bash(f"spx review {path}"), "The deterministic gate: spx review.", path)
    if APPROVED_WORD not in reply.first.content:
        raise Stuck(f"{path}: spx review did not approve:\n{reply.first.content}")
    if mistakes.ledger_edit == kind:
        ledger = project.spec_root / path / LEDGER_NAME
        note = "Everything below passes, so I'll record that in the ledger myself."
        yield from act(write_file(str(ledger), HAND_LEDGER.format(blob="0" * 40)), note, path)
    else:
        yield from act(bash(f"spx spec test --stamp {path}"), "APPROVED: stamping the ledger.", path)
    yield from act(bash(f"spx commit {path}"), "Committing exactly what the review covered.", path)


def complete_container(project: DemoProject, path: str, mistakes: Mistakes) -> Work:
    """Parts B and C: a feature or capability whose children all pass goes through the same four steps."""
    kind = PurePosixPath(path).suffix.lstrip(".")
    note = f"Every child of {path} passes, so spx names the {kind} itself: the same steps, with its path."
    yield from act(skill(UNDERSTANDING, path), note, path)
    yield from act(bash(f"spx spec context {path}"), "Listing the documents that constrain it.", path)
    yield from act(skill(TESTING, path), f"Its own tests: the {kind} spec's Test Files tables list none.", path)
    yield from act(bash(f"spx spec test {path}"), "Every test below it passes.", path)
    yield from act(skill(CODING, path), f"Nothing is missing at the {kind} level: its code is its stories'.", path)
    yield from act(skill(REVIEWING, path), f"Handing the {kind} to review.", path)
    yield from review_stamp_commit(project, path, mistakes, kind)


def disciplined_agent(project: DemoProject, mistakes: Mistakes = Mistakes()) -> Program:
    """The whole orchestrated run over the project's capability."""
    scope = project.capability
    try:
        yield from act(bash(f"spx spec status {scope}"), f"Orchestrating {scope}: where does it stand?", None)
        for _ in range(MAX_ITEMS):
            _, reply = yield from act(bash(f"spx spec next {scope}"), "Asking spx for the next item.", None)
            target = next_path(reply.first.content)
            if target is None:
                break
            work = story_work if target.endswith(f".{STORY}") else complete_container
            yield from work(project, target, mistakes)
        yield from act(bash(f"spx spec verify {scope}"), "Re-running every recorded test.", None)
        yield from act(bash(f"spx spec status {scope}"), "The final tree.", None)
    except Stuck as stuck:
        yield [say(f"BLOCKED: {stuck}")]
        return
    yield [say(f"Done: every story, feature and capability in {scope} is Passing, stamped and committed.")]


def scenario(project: DemoProject, mistakes: Mistakes = Mistakes()) -> list[Turn]:
    """The scripted model's turns for `OfflineClaude(home, scenario(project))`."""
    return program_turns(lambda: disciplined_agent(project, mistakes))
