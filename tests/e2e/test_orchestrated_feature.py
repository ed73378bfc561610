"""The whole workflow end to end: the real Claude Code CLI, this plugin's hooks and the scripted disciplined agent.

One run (module fixture) of `/spx-python:orchestrating-python <capability>` on a fresh project made with
`spx init` and `spx spec create`: story 1, story 2, the feature, the capability. The model's PATH holds
only system directories: its `spx` is the plugin's launcher on the plugin's runtime (`plugin_runtime`).
The agent makes three mistakes (a bare story name, coding before testing, a hand-written pass.csv); each must be refused
by a hook, and the agent must recover by doing what the refusal says. The tests then check what a
user would look at: the denials, `spx spec status`, the ledgers, the journal, git, and the network.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from spx_python.demo.agent import scenario
from spx_python.demo.example import STORIES
from spx_python.demo.project import DemoProject, create_project
from spx_python.demo.runner import ALLOWED_TOOLS, orchestrator_prompt
from spx_python.demo.transcript import REFUSED, Transcript
from spx_python.evidence.ledger import parse_ledger
from spx_python.evidence.state import State
from spx_python.harness.claude_live import run_live
from spx_python.harness.claude_offline import ClaudeRun, OfflineClaude
from spx_python.harness.plugin_install import INLINE_ID, plugin_data_dir, share_runtime
from spx_python.harness.stream_json import ToolCall
from spx_python.hooks.guard.protected import LEDGER_REASON
from spx_python.spec.fullpath import Refusal, check
from spx_python.spec.tree import LEDGER_NAME, scan
from spx_python.workflow.journal import read_events
from spx_python.workflow.machine import (
    APPROVED,
    CODING,
    DENY,
    LAUNCHED,
    ORCHESTRATING,
    REVIEW_STEP,
    REVIEWING,
    STAMP_STEP,
    STAMPED,
    TESTING,
    UNDERSTANDING,
    skill_instruction,
    skill_ref,
)

pytestmark = pytest.mark.e2e

RUN_TIMEOUT = 240.0
PASSING = State.PASSING.value


@dataclass(frozen=True)
class Orchestrated:
    project: DemoProject
    run: ClaudeRun
    transcript: Transcript
    outbound: tuple[object, ...]
    lines: tuple[str, ...]

    def result_for(self, call: ToolCall) -> str:
        result = self.run.stream.result_of(call)
        assert result is not None, f"no tool_result for {call}"
        assert result.is_error, f"{call} was not refused: {result.content}"
        return result.content

    def call_after(self, call: ToolCall) -> ToolCall:
        calls = list(self.run.stream.tool_calls)
        return calls[calls.index(call) + 1]


@pytest.fixture(scope="module")
def orchestrated(
    claude_binary: Path, repo_root: Path, plugin_runtime: Path, tmp_path_factory: pytest.TempPathFactory
) -> Orchestrated:
    base = tmp_path_factory.mktemp("orchestrated")
    project = create_project(base / "project")
    lines: list[str] = []
    transcript = Transcript(lines.append, project.root)
    share_runtime(plugin_runtime, plugin_data_dir(base / "home", INLINE_ID))
    with OfflineClaude(base / "home", scenario(project), binary=claude_binary) as claude:
        run = run_live(
            claude, orchestrator_prompt(project), project.root, transcript, plugin_dirs=[repo_root],
            allowed_tools=ALLOWED_TOOLS, timeout=RUN_TIMEOUT,
        )
    return Orchestrated(project, run, transcript, claude.proxy.attempts, tuple(lines))


def _denied(orchestrated: Orchestrated) -> list[ToolCall]:
    denied_ids = {denial.tool_use_id for denial in orchestrated.run.stream.permission_denials}
    return [call for call in orchestrated.run.stream.tool_calls if call.id in denied_ids]


def test_the_run_finishes_cleanly_loaded_the_plugin_and_sent_nothing_outside(orchestrated: Orchestrated) -> None:
    run = orchestrated.run
    assert run.command.ok, run.describe()
    assert run.init.plugin_errors == ()
    assert "spx-python" in run.init.plugin_names()
    assert run.result_text is not None and run.result_text.startswith("Done:"), run.result_text
    assert orchestrated.outbound == ()


def test_exactly_the_three_mistakes_are_refused(orchestrated: Orchestrated) -> None:
    project = orchestrated.project
    bare, skipped, ledger = _denied(orchestrated)
    first_story, second_story = project.stories
    assert (bare.name, dict(bare.input)) == (
        "Skill", {"skill": skill_ref(UNDERSTANDING), "args": Path(first_story).name}
    )
    assert (skipped.name, dict(skipped.input)) == ("Skill", {"skill": skill_ref(CODING), "args": second_story})
    assert ledger.name == "Write"
    assert ledger.input["file_path"] == str(project.spec_root / project.feature / LEDGER_NAME)
    assert [step.number for step in orchestrated.transcript.refusals] == [
        step.number for step in orchestrated.transcript.steps if step.outcome == REFUSED
    ]
    assert len(orchestrated.transcript.refusals) == 3


def test_each_refusal_names_the_next_step_and_the_agent_takes_it(orchestrated: Orchestrated) -> None:
    project = orchestrated.project
    first_story, second_story = project.stories
    bare, skipped, ledger = _denied(orchestrated)
    bare_name = Path(first_story).name
    refusal = check(scan(project.root), bare_name)
    assert isinstance(refusal, Refusal)
    assert refusal.message(bare_name) in orchestrated.result_for(bare)
    assert dict(orchestrated.call_after(bare).input) == {"skill": skill_ref(UNDERSTANDING), "args": first_story}
    assert skill_instruction(TESTING, second_story) in orchestrated.result_for(skipped)
    assert dict(orchestrated.call_after(skipped).input) == {"skill": skill_ref(TESTING), "args": second_story}
    written = str(ledger.input["file_path"])
    ledger_refusal = orchestrated.result_for(ledger)
    assert LEDGER_REASON.format(path=written, container=project.feature) in ledger_refusal
    assert ledger_refusal.endswith("[rule: protect.ledger-write]")
    assert orchestrated.call_after(ledger).input["command"] == f"spx spec test {project.feature} --stamp"


def test_both_stories_the_feature_and_the_capability_end_passing(orchestrated: Orchestrated) -> None:
    done = subprocess.run(
        [str(Path(sys.executable).parent / "spx"), "spec", "status", "--format", "json"],
        cwd=orchestrated.project.root, capture_output=True, text=True, timeout=60, check=True,
    )
    document = json.loads(done.stdout)
    states = dict(_states(document["containers"]))
    project = orchestrated.project
    assert states == dict.fromkeys((project.capability, project.feature, *project.stories), PASSING)
    assert document["next"] is None


def _states(containers: list[Mapping[str, Any]]) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for container in containers:
        found.append((container["path"], container["state"]))
        found.extend(_states(container["children"]))
    return found


def test_every_ledger_exists_parses_and_links_its_children(orchestrated: Orchestrated) -> None:
    project = orchestrated.project
    ledgers = {
        path: parse_ledger((project.spec_root / path / LEDGER_NAME).read_bytes(), path)
        for path in (project.capability, project.feature, *project.stories)
    }
    for story, example in zip(project.stories, STORIES, strict=True):
        assert [row.test_file for row in ledgers[story].rows] == [example.test_name]
    assert [child.name for child in ledgers[project.feature].children] == [Path(s).name for s in project.stories]
    assert [child.name for child in ledgers[project.capability].children] == [Path(project.feature).name]


def test_the_journal_holds_the_sequence_with_its_refusals(orchestrated: Orchestrated) -> None:
    project = orchestrated.project
    first, second = project.stories
    events, skipped = read_events(project.root)
    kept = {LAUNCHED, DENY, APPROVED, STAMPED}
    sequence = [(e.get("story"), e.get("step"), e.get("decision")) for e in events if e.get("decision") in kept]
    story_steps = [(UNDERSTANDING, LAUNCHED), (TESTING, LAUNCHED), (CODING, LAUNCHED), (REVIEWING, LAUNCHED)]
    assert skipped == 0
    assert sequence == [
        (project.capability, ORCHESTRATING, LAUNCHED),
        (None, UNDERSTANDING, DENY),
        *[(first, step, decision) for step, decision in story_steps],
        (first, REVIEW_STEP, APPROVED), (first, STAMP_STEP, STAMPED),
        (second, UNDERSTANDING, LAUNCHED),
        (second, CODING, DENY),
        *[(second, step, decision) for step, decision in story_steps[1:]],
        (second, REVIEW_STEP, APPROVED), (second, STAMP_STEP, STAMPED),
        *[(project.feature, step, decision) for step, decision in story_steps],  # Part B: the same gates
        (project.feature, REVIEW_STEP, APPROVED), (project.feature, STAMP_STEP, STAMPED),
        *[(project.capability, step, decision) for step, decision in story_steps],  # Part C
        (project.capability, REVIEW_STEP, APPROVED), (project.capability, STAMP_STEP, STAMPED),
    ]


def test_each_item_is_committed_and_the_worktree_is_clean(orchestrated: Orchestrated) -> None:
    root = orchestrated.project.root
    log = subprocess.run(["git", "log", "--format=%s"], cwd=root, capture_output=True, text=True, check=True)
    status = subprocess.run(["git", "status", "--porcelain"], cwd=root, capture_output=True, text=True, check=True)
    assert len(log.stdout.splitlines()) == 5  # the baseline, two stories, the feature, the capability
    assert status.stdout == ""


def test_the_live_transcript_shows_each_refusal_with_its_reason(orchestrated: Orchestrated) -> None:
    text = "\n".join(orchestrated.lines)
    assert text.count(REFUSED) == 3
    assert "Run finished: " in text
    for step in orchestrated.transcript.refusals:
        assert step.detail == orchestrated.result_for(_call_numbered(orchestrated, step.number)).strip()


def _call_numbered(orchestrated: Orchestrated, number: int) -> ToolCall:
    return orchestrated.run.stream.tool_calls[number - 1]
