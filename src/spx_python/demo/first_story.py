"""A scripted model that starts spx in a bare project and takes its first story to a commit, as a user's agent would.

Built from the disciplined agent's parts (`agent.act`, `agent.story_work`): with the project's package
skeleton already in git, it runs `spx init .`, `spx spec create capability|feature|story` (Bash),
reads each rendered template and writes the example's spec over it (Read, Write), then takes the count-words story
through understanding-specs → testing-python → coding-python → reviewing-python (`spx review`, which
must APPROVE) → `spx spec test --stamp` → `spx commit`. Its last words are `DONE_PREFIX …` or
`BLOCKED_PREFIX <why>`.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from pathlib import Path

from spx_python.demo.agent import NO_MISTAKES, Stuck, Work, act, story_work
from spx_python.demo.example import CAPABILITY_SLUG, CAPABILITY_SPEC, FEATURE_SLUG, FEATURE_SPEC, PRODUCT_GUIDE, STORIES
from spx_python.demo.project import DemoProject, created_path
from spx_python.errors import SpxError
from spx_python.harness.scripted_program import Program, Reply
from spx_python.harness.scripted_turns import BASH_TOOL, Block, read_file, say, tool_use, write_file
from spx_python.spec.bsp import CAPABILITY, FEATURE, STORY
from spx_python.spec.tree import PRODUCT_GUIDE_NAME, SPEC_ROOT_NAME

FIRST_STORY = STORIES[0]
DONE_PREFIX = "Done:"
BLOCKED_PREFIX = "BLOCKED:"
BASH_TIMEOUT_MS = 600_000  # a first `spx` call may set up the plugin's runtime (minutes), past Bash's 2-minute default


def long_bash(command: str) -> Block:
    """A Bash call allowed to run for up to ten minutes."""
    return tool_use(BASH_TOOL, {"command": command, "description": "run spx", "timeout": BASH_TIMEOUT_MS})


def succeed(command: str, note: str) -> Work:
    """Run `command`; a non-zero exit stops the agent with the command's output."""
    _, reply = yield from act(long_bash(command), note, None)
    if reply.first.is_error:
        raise Stuck(f"`{command}` failed:\n{reply.first.content}")


def create(kind: str, slug: str, parent: str | None) -> Generator[Sequence[Block], Reply, str]:
    where = f" --in {parent}" if parent else ""
    command = f"spx spec create {kind} {slug}{where}"
    _, reply = yield from act(long_bash(command), f"Creating the {kind} {slug}.", None)
    if reply.first.is_error:
        raise Stuck(f"`{command}` failed:\n{reply.first.content}")
    try:
        return created_path(reply.first.content, kind, slug)
    except SpxError as error:
        raise Stuck(error.message) from error


def replace_file(target: Path, text: str, what: str, container: str | None) -> Work:
    """Read the rendered template (the Write tool refuses to overwrite a file it has not read), then write `text`."""
    yield from act(read_file(str(target)), f"Reading the {what} spx rendered.", container)
    yield from act(write_file(str(target), text), f"Writing the {what}.", container)


def write_spec(root: Path, path: str, slug: str, kind: str, text: str) -> Work:
    target = root / SPEC_ROOT_NAME / path / f"{slug}.{kind}.md"
    yield from replace_file(target, text, f"{kind} spec", path)


def set_up_specs(root: Path) -> Generator[Sequence[Block], Reply, DemoProject]:
    """`spx init`, the three containers and their specs: the project as the story work needs it."""
    yield from succeed("spx init .", "Setting spx up in this project.")
    yield from replace_file(root / SPEC_ROOT_NAME / PRODUCT_GUIDE_NAME, PRODUCT_GUIDE, "product guide", None)
    capability = yield from create(CAPABILITY, CAPABILITY_SLUG, None)
    yield from write_spec(root, capability, CAPABILITY_SLUG, CAPABILITY, CAPABILITY_SPEC)
    feature = yield from create(FEATURE, FEATURE_SLUG, capability)
    yield from write_spec(root, feature, FEATURE_SLUG, FEATURE, FEATURE_SPEC)
    story = yield from create(STORY, FIRST_STORY.slug, feature)
    yield from write_spec(root, story, FIRST_STORY.slug, STORY, FIRST_STORY.spec)
    return DemoProject(root, capability, feature, (story,))


def first_story_agent(root: Path) -> Program:
    """From `spx init` to the first story's commit; ends with DONE_PREFIX or BLOCKED_PREFIX."""
    try:
        project = yield from set_up_specs(root)
        (story,) = project.stories
        yield from story_work(project, story, NO_MISTAKES)
    except Stuck as stuck:
        yield [say(f"{BLOCKED_PREFIX} {stuck}")]
        return
    yield [say(f"{DONE_PREFIX} {story} is reviewed, stamped and committed.")]
