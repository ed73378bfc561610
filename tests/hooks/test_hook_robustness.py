"""No input makes a hook fail open: exit codes stay 0 or 2, and no gated call passes without a journaled allow.

Also: 50 hook processes deciding in parallel against one journal lose and tear no line.
"""

from __future__ import annotations

import json
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from hook_runner import FIRST, PLUGIN, hook_argv, journal, run_hook, skill_payload, workflow_project
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spx_python.workflow.journal import journal_path

MALFORMED = "input.malformed"
NO_SPEC = "project.no-spec-root"  # no cwd, no $CLAUDE_PROJECT_DIR: no project is found
TESTING = f"{PLUGIN}:testing-python"

HOOKS = ("skill_gate", "skill_record", "prompt_expansion", "protect", "stop", "session_start")
SKILLS = [f"{PLUGIN}:understanding-specs", "testing-python", f"/{PLUGIN}:coding-python", "reviewing-python",
          "orchestrating-python", "managing-specs", "other:thing", ""]
ARGS = [FIRST, "21-first.story", "", "../../etc", "spx/" + FIRST + "/", "21-core.capability", "\u0665\u0664-x.story"]
HYPOTHESIS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return workflow_project(tmp_path_factory.mktemp("robust") / "project")


@HYPOTHESIS
@given(hook=st.sampled_from(HOOKS), data=st.binary(max_size=300))
def test_arbitrary_bytes_never_fail_open(hook: str, data: bytes) -> None:
    result = run_hook(hook, data, crash=True)
    assert result.exit_code in (0, 2), result


@HYPOTHESIS
@given(hook=st.sampled_from(HOOKS), payload=st.dictionaries(st.text(max_size=16), json_values, max_size=6))
def test_arbitrary_json_objects_never_fail_open(hook: str, payload: dict[str, Any]) -> None:
    assert run_hook(hook, payload).exit_code in (0, 2)


def allows_in_journal(project: Path) -> int:
    return sum(1 for e in journal(project) if e.get("decision") == "allow" and e.get("hook") == "PreToolUse")


@HYPOTHESIS
@given(skill=st.sampled_from(SKILLS), args=st.sampled_from(ARGS) | st.text(max_size=60), extra=json_values)
def test_a_skill_call_is_allowed_only_with_a_journaled_allow(
    project: Path, skill: str, args: str, extra: Any
) -> None:
    payload = skill_payload(project, skill, args)
    payload["tool_input"]["extra"] = extra
    before = allows_in_journal(project)
    result = run_hook("skill_gate", payload)
    assert result.exit_code in (0, 2)
    if result.decision == "allow":
        assert allows_in_journal(project) == before + 1
        assert journal(project)[-1]["decision"] == "allow"


@pytest.mark.parametrize(
    ("payload", "rule"),
    [
        ({"tool_name": "Skill", "tool_input": {"skill": f"{PLUGIN}:testing-python", "args": ["a", "list"]}}, MALFORMED),
        ({"tool_name": "Skill", "tool_input": {"skill": 7}}, MALFORMED),
        ({"tool_name": "Skill", "tool_input": None}, MALFORMED),
        ({"tool_name": "Skill", "tool_input": {"skill": f"{PLUGIN}:testing-python", "args": "x" * 100_000}}, NO_SPEC),
        ({"tool_name": "Skill", "cwd": "\0", "tool_input": {"skill": TESTING, "args": FIRST}}, NO_SPEC),
    ],
)
def test_malformed_skill_calls_are_denied(payload: dict[str, Any], rule: str) -> None:
    result = run_hook("skill_gate", payload)
    assert (result.exit_code, result.decision, result.rule) == (0, "deny", rule)


def test_a_broken_package_refuses_with_exit_2(tmp_path: Path, repo_root: Path) -> None:
    """The bootstrap cannot import the package (a broken install): the call is blocked, never let through."""
    plugin = tmp_path / "plugin"
    (plugin / "hooks").mkdir(parents=True)
    for name in ("_bootstrap.py", "skill_gate.py"):
        (plugin / "hooks" / name).write_text((repo_root / "hooks" / name).read_text())
    (plugin / "src" / "spx_python").mkdir(parents=True)
    (plugin / "src" / "spx_python" / "__init__.py").write_text("raise RuntimeError('half-installed')\n")
    argv = hook_argv("skill_gate")
    argv[-1] = str(plugin / "hooks" / "skill_gate.py")
    result = subprocess.run(argv, input=b"{}", capture_output=True, check=False)
    assert result.returncode == 2
    assert b"cannot load the plugin package" in result.stderr


def test_fifty_parallel_hooks_lose_and_tear_no_journal_line(tmp_path: Path) -> None:
    project = workflow_project(tmp_path / "project")
    payloads = [skill_payload(project, f"{PLUGIN}:understanding-specs", FIRST, session=f"s{i}") for i in range(50)]
    with ThreadPoolExecutor(max_workers=50) as pool:
        results = list(pool.map(lambda p: run_hook("skill_gate", p), payloads))
    assert all(r.exit_code == 0 and r.decision == "allow" for r in results)
    lines = journal_path(project).read_bytes().split(b"\n")
    assert lines[-1] == b""
    events = [json.loads(line) for line in lines[:-1]]
    assert sorted(e["session"] for e in events) == sorted(f"s{i}" for i in range(50))
