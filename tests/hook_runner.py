"""Running the real hook scripts as `hooks/hooks.json` wires them, and building workflow projects (tests only)."""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cli_runner import REPO_ROOT
from spec_builders import container, new_project, write_ledger

from spx_python.refusal_rules import INTERNAL_ERROR
from spx_python.workflow.journal import append_event, read_events
from spx_python.workflow.machine import LAUNCHED, REVIEW_STEP, fold

CAPABILITY = "21-core.capability"
FEATURE = f"{CAPABILITY}/21-cmd.feature"
FIRST = f"{FEATURE}/21-first.story"
SECOND = f"{FEATURE}/32-second.story"
OTHER_FEATURE = f"{CAPABILITY}/32-other.feature"
THIRD = f"{OTHER_FEATURE}/21-third.story"
SESSION = "session-under-test"
RULE_RE = re.compile(r" \[rule: ([a-z.-]+)\]$")
CRASH_MARK = f"[rule: {INTERNAL_ERROR}]"
PLUGIN = "spx-python"


def hook_argv(script: str) -> list[str]:
    """The command line hooks.json gives `hooks/<script>.py`, with ${CLAUDE_PLUGIN_ROOT} filled in."""
    config = json.loads((REPO_ROOT / "hooks" / "hooks.json").read_text(encoding="utf-8"))
    for groups in config["hooks"].values():
        for group in groups:
            for hook in group["hooks"]:
                args = [a.replace("${CLAUDE_PLUGIN_ROOT}", str(REPO_ROOT)) for a in hook["args"]]
                if args[-1].endswith(f"/hooks/{script}.py"):
                    return [hook["command"], *args]
    raise AssertionError(f"hooks/hooks.json wires no hooks/{script}.py")


@dataclass(frozen=True)
class HookRun:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def json(self) -> dict[str, Any]:
        value = json.loads(self.stdout)
        assert isinstance(value, dict)
        return value

    @property
    def decision(self) -> str | None:
        """`allow`/`deny` (PreToolUse) or `block` (other events); None when the hook printed nothing."""
        if not self.stdout.strip():
            return None
        data = self.json
        specific = data.get("hookSpecificOutput", {})
        return specific.get("permissionDecision") or data.get("decision")

    @property
    def reason(self) -> str:
        data = self.json
        return str(data.get("hookSpecificOutput", {}).get("permissionDecisionReason") or data.get("reason") or "")

    @property
    def rule(self) -> str | None:
        """The rule id that decided a refusal (`internal-error` for a crash); None when nothing was refused."""
        return rule_in((self.reason if self.stdout.strip() else "") or self.stderr.strip())


def rule_in(reason: str) -> str | None:
    """The rule id a refusal's text ends with (` [rule: <id>]`), or None."""
    found = RULE_RE.search(reason)
    return found.group(1) if found else None


def run_hook(
    script: str, payload: bytes | Mapping[str, Any], env: Mapping[str, str] | None = None, *, crash: bool = False
) -> HookRun:
    """Run the hook; a crash (`internal-error`) fails the test unless it is what the test is about (`crash`)."""
    data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    environ = {k: v for k, v in os.environ.items() if not k.startswith("CLAUDE_")}
    result = subprocess.run(
        hook_argv(script), input=data, capture_output=True, env={**environ, **(env or {})}, timeout=60, check=False
    )
    run = HookRun(result.returncode, result.stdout.decode(), result.stderr.decode())
    if not crash:
        assert CRASH_MARK not in run.stdout + run.stderr, f"hooks/{script}.py crashed: {run}"
    return run


def skill_payload(project: Path, skill: str, args: str | None, session: str = SESSION) -> dict[str, Any]:
    tool_input: dict[str, Any] = {"skill": skill}
    if args is not None:
        tool_input["args"] = args
    return {"session_id": session, "cwd": str(project), "hook_event_name": "PreToolUse", "tool_name": "Skill",
            "tool_input": tool_input, "tool_use_id": "toolu_test"}


def gate(project: Path, step: str, args: str | None, session: str = SESSION) -> HookRun:
    return run_hook("skill_gate", skill_payload(project, f"{PLUGIN}:{step}", args, session))


def launch(project: Path, step: str, args: str | None, session: str = SESSION) -> HookRun:
    """A model's Skill call end to end: the PreToolUse gate, then (when allowed) the PostToolUse record."""
    decision = gate(project, step, args, session)
    if decision.decision == "allow":
        payload = skill_payload(project, f"{PLUGIN}:{step}", args, session)
        payload.update(hook_event_name="PostToolUse", tool_response={"success": True, "commandName": step})
        recorded = run_hook("skill_record", payload)
        assert (recorded.exit_code, recorded.stdout) == (0, ""), recorded
    return decision


def workflow_project(root: Path) -> Path:
    """A git project: capability 21-core with feature 21-cmd (stories 21-first, 32-second) and 32-other (21-third)."""
    project = new_project(root, git=True)
    for path in (CAPABILITY, FEATURE, FIRST, SECOND, OTHER_FEATURE, THIRD):
        container(project, path)
    return project


def make_passing(project: Path, story: str) -> None:
    """Give the story a test file and a ledger that matches it: the story is Passing."""
    directory = container(project, story, tests=("behaviour.unit.test.py",))
    write_ledger(directory)


def record_verdict(project: Path, story: str, decision: str) -> None:
    append_event(project, {"time": "2026-11-25T05:00:00Z", "session": None, "story": story, "step": REVIEW_STEP,
                           "decision": decision, "reason": "spx review", "source": "model"})


def phase(project: Path, story: str) -> str:
    events, _ = read_events(project)
    progress = fold(events).get(story)
    return progress.phase if progress else "none"


def journal(project: Path) -> list[dict[str, Any]]:
    return read_events(project)[0]


def launched_steps(project: Path) -> list[tuple[str | None, str | None]]:
    return [(e.get("story"), e.get("step")) for e in journal(project) if e.get("decision") == LAUNCHED]


def report_at_answer(label: str, value: str) -> str:
    """Python source for a `-c` wrapper around a hook script: when the hook flushes its answer, `value` (an
    expression evaluated then) is written to stderr as `\\n<label> <value>\\n`. A hook leaves with `os._exit`
    once its answer is flushed (no `finally` runs, no teardown), so that flush is the last moment to look."""
    return f"""import os, sys
class Stdout:
    def __init__(self, stream):
        self.stream = stream
    def write(self, text):
        return self.stream.write(text)
    def flush(self):
        self.stream.flush()
        sys.setprofile(None)
        os.write(2, ("\\n{label} " + {value} + "\\n").encode())
sys.stdout = Stdout(sys.stdout)
"""


def run_wrapped(script: str, wrapper: str, payload: Mapping[str, Any]) -> subprocess.CompletedProcess[bytes]:
    """`hooks/<script>.py` as hooks.json runs it, inside the `-c` source `wrapper` (e.g. `report_at_answer`), fed
    `payload`; its exit 0 asserted."""
    python, *flags, path = hook_argv(script)
    run = subprocess.run(
        [python, *flags, "-c", wrapper, path],
        input=json.dumps(payload).encode(),
        capture_output=True,
        check=False,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr.decode()
    return run


def reported(stderr: bytes, label: str) -> str:
    """The last value `report_at_answer` wrote under `label`."""
    return stderr.decode().rsplit(f"\n{label} ", 1)[1].split("\n", 1)[0]

