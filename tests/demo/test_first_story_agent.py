"""The first-story agent's set-up, replayed without the CLI: what it runs, and where it stops."""

from __future__ import annotations

from pathlib import Path

from spx_python.demo.first_story import BASH_TIMEOUT_MS, BLOCKED_PREFIX, first_story_agent
from spx_python.harness.scripted_program import Reply
from spx_python.harness.scripted_turns import TextBlock, ToolResult, ToolUseBlock

CAPABILITY = "21-text-stats.capability"
FEATURE = f"{CAPABILITY}/21-words.feature"


def ok(content: str) -> Reply:
    return Reply((ToolResult("t", content, False),))


def tool(blocks: object) -> ToolUseBlock:
    assert isinstance(blocks, list | tuple)
    (call,) = [block for block in blocks if isinstance(block, ToolUseBlock)]
    return call


def test_it_runs_spx_init_then_creates_each_container_inside_the_path_spx_printed(tmp_path: Path) -> None:
    program = first_story_agent(tmp_path)
    init = tool(next(program))
    assert init.input["command"] == "spx init ."
    assert init.input["timeout"] == BASH_TIMEOUT_MS
    guide = tmp_path / "spx" / "CLAUDE.md"
    assert tool(program.send(ok("initialised"))).input == {"file_path": str(guide)}
    assert tool(program.send(ok("guide text"))).input["file_path"] == str(guide)
    create = tool(program.send(ok("written")))
    assert create.input["command"] == "spx spec create capability text-stats"
    read_spec = tool(program.send(ok(f"created spx/{CAPABILITY}/")))
    assert read_spec.input["file_path"] == str(tmp_path / "spx" / CAPABILITY / "text-stats.capability.md")
    program.send(ok("template"))
    feature = tool(program.send(ok("written")))
    assert feature.input["command"] == f"spx spec create feature words --in {CAPABILITY}"


def test_a_failed_spx_init_stops_the_agent_with_the_commands_output(tmp_path: Path) -> None:
    program = first_story_agent(tmp_path)
    next(program)
    failed = Reply((ToolResult("t", "Exit code 1\nspx: jinja2: this command needs jinja2", True),))
    (last,) = program.send(failed)
    assert isinstance(last, TextBlock)
    assert last.text.startswith(f"{BLOCKED_PREFIX} `spx init .` failed:")
    assert "needs jinja2" in last.text
