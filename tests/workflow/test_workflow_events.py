"""The journal's one event shape: every event the hooks, the stamp and `spx workflow reset` write carries the
same keys and the same time format; older whole-second times still read."""

from __future__ import annotations

import re
from pathlib import Path

from cli_runner import run_spx
from hook_runner import FIRST, gate, journal, launch, record_verdict, workflow_project

from spx_python.workflow.events import EVENT_KEYS
from spx_python.workflow.machine import (
    ALLOW,
    CODING,
    DENY,
    LAUNCHED,
    REFUSED,
    RESET,
    RESET_STEP,
    STAMP_STEP,
    UNDERSTANDING,
)

MILLISECONDS = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z")


def test_hook_stamp_and_reset_events_share_their_keys_and_time_format(tmp_path: Path) -> None:
    project = workflow_project(tmp_path / "project")
    assert launch(project, UNDERSTANDING, FIRST).decision == "allow"
    refused = gate(project, CODING, FIRST)
    assert (refused.decision, refused.rule) == ("deny", "sequence.out-of-order")
    assert run_spx("spec", "test", "--stamp", FIRST, cwd=project).returncode == 1  # refused: no test files
    assert run_spx("workflow", "reset", FIRST, "--yes", cwd=project).returncode == 0
    events = journal(project)
    assert [(e["step"], e["decision"]) for e in events] == [
        (UNDERSTANDING, ALLOW), (UNDERSTANDING, LAUNCHED), (CODING, DENY), (STAMP_STEP, REFUSED), (RESET_STEP, RESET),
    ]  # fmt: skip
    assert [e.get("rule") for e in events] == [None, None, "sequence.out-of-order", None, None]  # refusals only
    for event in events:
        assert set(EVENT_KEYS) <= set(event), event
        assert MILLISECONDS.fullmatch(event["time"]), event


def test_the_log_reads_whole_second_and_millisecond_times_alike(tmp_path: Path) -> None:
    project = workflow_project(tmp_path / "project")
    record_verdict(project, FIRST, "APPROVED")  # written at 2026-11-25T05:00:00Z, whole seconds
    assert launch(project, UNDERSTANDING, FIRST).decision == "allow"
    log = run_spx("workflow", "log", "--since", "2026-11-25T05:00:00Z", cwd=project)
    assert log.returncode == 0, log.stderr
    assert "2026-11-25T05:00:00Z" in log.stdout and "review APPROVED" in log.stdout
    assert f"{UNDERSTANDING} allow" in log.stdout
