"""A scripted model written as a program: a generator that yields each assistant turn and reads the reply.

Standard library only. A `ScriptedModel` turn can be a callable of the request; this module builds
those callables from a generator, so a reactive scenario reads top to bottom::

    def agent() -> Program:
        reply = yield [bash("spx spec next")]
        story = reply.first.content.strip()           # what the Bash call printed
        reply = yield [skill_call("spx-python:understanding-specs", story)]
        if reply.first.is_error:                      # a hook refused: read why
            ...

    scenario = program_turns(agent)                   # pass to ScriptedModel / OfflineClaude

Deterministic by construction: each request *replays* a fresh generator over the replies recorded
in that request's conversation (one `Reply` per earlier assistant message), so the turn served is a
pure function of what the CLI sent. No state lives between requests, and a retried request gets the
same answer. When the generator is exhausted, the model answers a plain `final_text`.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from spx_python.harness.scripted_turns import (
    ASSISTANT_ROLE,
    TOOL_RESULT_TYPE,
    Block,
    ModelRequest,
    ToolResult,
    Turn,
    message_blocks,
    say,
    tool_result_from_block,
)

DEFAULT_MAX_TURNS = 200
PROGRAM_DONE_TEXT = "Done."


@dataclass(frozen=True)
class Reply:
    """What came back after one assistant turn: its tool results, and any other text (skill bodies, hook notes)."""

    results: tuple[ToolResult, ...] = ()
    texts: tuple[str, ...] = ()

    @property
    def first(self) -> ToolResult:
        """The first tool result (an empty, non-error one when the turn called no tool)."""
        return self.results[0] if self.results else ToolResult("", "", False)

    def text(self) -> str:
        return "\n".join(self.texts)


Program = Generator[Sequence[Block], Reply, None]
ProgramFactory = Callable[[], Program]


def _add(buckets: list[tuple[list[ToolResult], list[str]]], message: Mapping[str, Any]) -> None:
    results, texts = buckets[-1]
    for block in message_blocks(message):
        if block.get("type") == TOOL_RESULT_TYPE:
            results.append(tool_result_from_block(block))
        elif isinstance(block.get("text"), str):
            texts.append(block["text"])


def replies(request: ModelRequest) -> list[Reply]:
    """One `Reply` per assistant message of the conversation: everything between it and the next one."""
    buckets: list[tuple[list[ToolResult], list[str]]] = []
    for message in request.messages:
        if message.get("role") == ASSISTANT_ROLE:
            buckets.append(([], []))
        elif buckets:
            _add(buckets, message)
    return [Reply(tuple(results), tuple(texts)) for results, texts in buckets]


def next_turn(factory: ProgramFactory, request: ModelRequest, final_text: str = PROGRAM_DONE_TEXT) -> list[Block]:
    """Replay a fresh program over the request's replies; its next yield is the turn to serve."""
    program = factory()
    try:
        action = next(program)
        for reply in replies(request):
            action = program.send(reply)
    except StopIteration:
        return [say(final_text)]
    finally:
        program.close()
    return list(action)


def program_turns(
    factory: ProgramFactory, max_turns: int = DEFAULT_MAX_TURNS, final_text: str = PROGRAM_DONE_TEXT
) -> list[Turn]:
    """A scenario of `max_turns` identical callables, each serving the program's next turn."""

    def turn(request: ModelRequest) -> list[Block]:
        return next_turn(factory, request, final_text)

    return [turn] * max_turns
