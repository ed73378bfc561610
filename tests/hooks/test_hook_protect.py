"""The Write/Edit/Bash gate: hand edits of ledgers and workflow state are refused, everything else is left alone."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from hook_runner import FEATURE, FIRST, SESSION, rule_in, run_hook, workflow_project
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spx_python.hooks.guard.protected import protected_reason
from spx_python.hooks.guard.shell_writes import judge
from spx_python.spec.tree import LEDGER_NAME, SPEC_ROOT_NAME

LEDGER = f"{SPEC_ROOT_NAME}/{FIRST}/{LEDGER_NAME}"
JOURNAL = ".spx/workflow.jsonl"
STAMP_HINT = "spx spec test"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return workflow_project(tmp_path / "project")


def tool_payload(project: Path, tool: str, tool_input: dict[str, Any]) -> dict[str, Any]:
    return {"session_id": SESSION, "cwd": str(project), "hook_event_name": "PreToolUse", "tool_name": tool,
            "tool_input": tool_input}


def protect(project: Path, tool: str, **tool_input: Any) -> tuple[int, str | None, str]:
    result = run_hook("protect", tool_payload(project, tool, tool_input))
    return result.exit_code, result.decision, (result.reason if result.stdout else "")


@pytest.mark.parametrize(
    ("tool", "key"), [("Write", "file_path"), ("Edit", "file_path"), ("MultiEdit", "file_path"),
                      ("NotebookEdit", "notebook_path")]
)
@pytest.mark.parametrize("target", [LEDGER, "pass.csv", "other/dir/PASS.CSV", JOURNAL, ".spx/workflow.lock"])
def test_file_tools_may_not_touch_ledgers_or_state(project: Path, tool: str, key: str, target: str) -> None:
    code, decision, reason = protect(project, tool, **{key: target})
    assert (code, decision) == (0, "deny")
    assert rule_in(reason) == ("protect.ledger-write" if "pass" in target.lower() else "protect.state-write")
    assert ("spx spec test" in reason) if "pass" in target.lower() else ("spx workflow status" in reason)


def test_an_absolute_path_and_a_symlink_to_a_ledger_are_refused(project: Path) -> None:
    ledger = project / LEDGER
    ledger.write_text("# spec_blob,x\n")
    link = project / "innocent.txt"
    link.symlink_to(ledger)
    for refused in (protect(project, "Write", file_path=str(ledger)), protect(project, "Edit", file_path=str(link))):
        assert (refused[1], rule_in(refused[2])) == ("deny", "protect.ledger-write")


@pytest.mark.parametrize("target", ["src/app.py", "spx/21-core.capability/core.capability.md", "pass.csv.md", "spx.md"])
def test_other_files_get_no_decision_at_all(project: Path, target: str) -> None:
    assert protect(project, "Write", file_path=target, content="x") == (0, None, "")


REFUSED_COMMANDS = [
    (f"echo hi > {LEDGER}", "protect.ledger-write"),
    (f"echo hi >> {LEDGER}", "protect.ledger-write"),
    (f"printf x >| {LEDGER}", "protect.ledger-write"),
    (f"true &> {LEDGER}", "protect.ledger-write"),
    (f"sed -i 's/a/b/' {LEDGER}", "protect.ledger-write"),
    (f"perl -pi -e 's/a/b/' {LEDGER}", "protect.ledger-write"),
    (f"rm -f {LEDGER}", "protect.ledger-write"),
    (f"mv {LEDGER} /tmp/old.csv", "protect.ledger-write"),
    (f"cp /tmp/x.csv {LEDGER}", "protect.ledger-write"),
    (f"tee {LEDGER} < /dev/null", "protect.ledger-write"),
    (f"truncate -s 0 {LEDGER}", "protect.ledger-write"),
    (f"dd if=/dev/null of={LEDGER}", "protect.ledger-write"),
    (f"git checkout -- {LEDGER}", "protect.ledger-write"),
    (f"cd {SPEC_ROOT_NAME}/{FIRST} && rm pass.csv", "protect.ledger-write"),
    (f"bash -c 'echo x > {LEDGER}'", "protect.ledger-write"),
    (f"echo ok; sudo rm {LEDGER}", "protect.ledger-write"),
    (f"f={LEDGER}; rm $f", "shell.unchecked-operand"),
    (f"python3 -c \"open('{LEDGER}', 'w').write('')\"", "shell.unchecked-code"),
    (f"find {SPEC_ROOT_NAME} -name pass.csv -delete", "shell.find-action"),
    (f"echo x >> {JOURNAL}", "protect.state-write"),
    ("rm -rf .spx", "protect.state-write"),
    ("cd .spx && rm workflow.jsonl", "shell.not-read-only"),
    ("spx workflow reset 21-core.capability/21-cmd.feature/21-first.story --yes", "shell.workflow-reset"),
    ("echo 'unterminated > pass.csv", "shell.unparseable"),
]


@pytest.mark.parametrize(("command", "rule"), REFUSED_COMMANDS)
def test_shell_writes_onto_ledgers_or_state_are_refused(project: Path, command: str, rule: str) -> None:
    code, decision, reason = protect(project, "Bash", command=command)
    assert (code, decision, rule_in(reason)) == (0, "deny", rule), command
    assert reason.startswith("spx-python: ")


def test_a_glob_that_expands_onto_a_ledger_is_refused(project: Path) -> None:
    (project / LEDGER).write_text("# spec_blob,x\n")
    _, decision, reason = protect(project, "Bash", command=f"rm {SPEC_ROOT_NAME}/*/*/*/pass*")
    assert (decision, rule_in(reason)) == ("deny", "protect.ledger-write")
    assert protect(project, "Bash", command=f"rm {SPEC_ROOT_NAME}/*/*/*/*.py")[1] is None


ALLOWED_COMMANDS = [
    f"cat {LEDGER}",
    f"cp {LEDGER} /tmp/backup.csv",
    f"git add {LEDGER} && git commit -m 'stamp'",
    f"spx spec test {FEATURE}",  # a feature's stamp goes through its sequence now: tests/test_hook_stamp_gate.py
    f"spx spec test {FEATURE} > /tmp/test.log",
    "spx workflow status",
    "python3 -m pytest spx/",
    "ls -la 2>&1 | head",
    "echo done > /dev/null",
]


@pytest.mark.parametrize("command", ALLOWED_COMMANDS)
def test_other_commands_get_no_decision_at_all(project: Path, command: str) -> None:
    assert protect(project, "Bash", command=command) == (0, None, "")


def test_the_refused_redirect_is_a_real_write_that_the_deny_prevents(project: Path) -> None:
    """Judging does not run anything; the same command in a shell does write the ledger (so the deny matters)."""
    ledger = project / LEDGER
    ledger.write_text("original\n")
    command = f"echo forged > {LEDGER}"
    assert rule_in(protect(project, "Bash", command=command)[2]) == "protect.ledger-write"
    assert ledger.read_text() == "original\n"
    subprocess.run(["bash", "-c", command], cwd=project, check=True)
    assert ledger.read_text() == "forged\n"


def test_a_malformed_tool_input_is_refused(project: Path) -> None:
    result = run_hook("protect", {"cwd": str(project), "tool_name": "Write", "tool_input": "pass.csv"})
    assert (result.decision, result.rule) == ("deny", "input.malformed")


def test_the_refusal_names_the_stamp_command_for_the_ledgers_container(project: Path) -> None:
    _, _, reason = protect(project, "Write", file_path=str(project / LEDGER), content="x")
    assert f"run `spx spec test {FIRST} --stamp`" in reason


def test_a_nul_byte_is_dropped_as_bash_drops_it(project: Path) -> None:
    assert rule_in(protect(project, "Bash", command=f"rm \0{LEDGER}")[2]) == "protect.ledger-write"


def test_a_glob_too_wide_to_expand_is_judged_by_its_shape(project: Path) -> None:
    code, decision, reason = protect(project, "Bash", command="rm -f /*/*/*/*/*")
    assert (code, decision, rule_in(reason)) == (0, "deny", "protect.glob-too-wide")
    assert "more than 5000 names" in reason
    assert protect(project, "Bash", command="ls /*/*/*/*/*.py")[1] is None


SHELL_PIECES = st.sampled_from(
    [*"ab /.*?[]{}$`'\"\\;&|<>()\n\0~-=", "pass.csv", ".spx", "rm ", "cd ", "sed -i ", "bash -c ", "cp ", "spx ",
     "2>&1", "eval ", "-t ", "dd of=", "git checkout ", "xargs "]
)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(command=st.lists(SHELL_PIECES, max_size=25).map("".join))
def test_the_shell_judge_never_raises(project: Path, command: str) -> None:
    reason = judge(command, str(project))
    assert reason is None or isinstance(reason, str)


@settings(max_examples=300, deadline=None)
@given(path=st.text(max_size=30), cwd=st.text(max_size=10))
def test_the_path_judge_never_raises(path: str, cwd: str) -> None:
    protected_reason(path, "/tmp/" + cwd)


@pytest.mark.parametrize(("tool", "tool_input"), [("Bash", {"command": 7}), ("Write", {"file_path": ["pass.csv"]})])
def test_a_command_or_path_that_is_not_text_is_refused(project: Path, tool: str, tool_input: dict[str, Any]) -> None:
    result = run_hook("protect", tool_payload(project, tool, tool_input))
    assert (result.decision, result.rule) == ("deny", "input.malformed")
