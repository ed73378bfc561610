"""Installing the plugin the way a user does, then using it: skills listed, bodies delivered with their arguments.

`test_offline_claude.py` proves that `claude plugin marketplace add` + `claude plugin install` load the
plugin without `--plugin-dir`; this module goes on from there: the installed plugin's skills are in the
`system/init` event under their namespaced names, a typed `/spx-python:orchestrating-python PATH` and a
model's Skill call both reach the model as the skill's body with `$ARGUMENTS` replaced by the path,
and the installed hooks gate the call and journal both launches.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spx_python.demo.project import create_project
from spx_python.demo.runner import ORCHESTRATOR_COMMAND
from spx_python.harness.claude_offline import OfflineClaude, stage_plugin_copy
from spx_python.harness.scripted_model import say, skill_call
from spx_python.workflow.journal import read_events
from spx_python.workflow.machine import (
    ALLOW,
    LAUNCHED,
    ORCHESTRATING,
    PLUGIN_NAME,
    UNDERSTANDING,
    WORKFLOW_SKILLS,
    skill_ref,
)

pytestmark = pytest.mark.e2e

SKILL_BODY_MARK = "Base directory for this skill:"
ARGUMENTS = "$ARGUMENTS"


def expected_line(repo_root: Path, skill: str, arguments: str) -> str:
    """The first line of the skill's SKILL.md that uses `$ARGUMENTS`, as the model must see it."""
    text = (repo_root / "skills" / skill / "SKILL.md").read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if ARGUMENTS in line)
    return " ".join(line.replace(ARGUMENTS, arguments).split())


def flat(text: str) -> str:
    return " ".join(text.split())


def test_an_installed_plugin_lists_its_skills_and_delivers_their_bodies_with_arguments(
    claude_binary: Path, tmp_path: Path, repo_root: Path
) -> None:
    project = create_project(tmp_path / "project")
    story = project.stories[0]
    published = stage_plugin_copy(repo_root, tmp_path / "published")
    scenario = [[say("Loading the first story's context."), skill_call(skill_ref(UNDERSTANDING), story)]]
    with OfflineClaude(tmp_path / "home", scenario, binary=claude_binary) as claude:
        added = claude.add_marketplace(published)
        installed = claude.install_plugin(PLUGIN_NAME, PLUGIN_NAME)
        run = claude.run(f"{ORCHESTRATOR_COMMAND} {project.capability}", cwd=project.root)
        first, second = claude.model.requests[:2]
    assert added.ok and installed.ok, added.stdout + added.stderr + installed.stdout + installed.stderr
    assert run.init.plugin_errors == ()
    assert {skill_ref(name) for name in WORKFLOW_SKILLS} <= set(run.init.skills), run.init.skills
    typed = "\n".join(first.texts())
    assert expected_line(repo_root, ORCHESTRATING, project.capability) in flat(typed)
    assert ARGUMENTS not in typed
    (call,) = run.stream.calls_to("Skill")
    result = run.stream.result_of(call)
    assert result is not None and not result.is_error, result
    bodies = [text for text in second.texts() if text.startswith(SKILL_BODY_MARK)]
    (body,) = [text for text in bodies if text.splitlines()[0].rstrip().endswith(f"/skills/{UNDERSTANDING}")]
    assert expected_line(repo_root, UNDERSTANDING, story) in flat(body)
    assert ARGUMENTS not in body
    (gate,) = [hook for hook in run.stream.hooks("PreToolUse") if hook.hook_name == "PreToolUse:Skill"]
    assert json.loads(gate.stdout)["hookSpecificOutput"]["permissionDecision"] == ALLOW
    launched = [(e.get("story"), e.get("step")) for e in read_events(project.root)[0] if e.get("decision") == LAUNCHED]
    assert launched == [(project.capability, ORCHESTRATING), (story, UNDERSTANDING)]
    assert claude.proxy.attempts == ()
