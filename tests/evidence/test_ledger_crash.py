"""Nothing lost, nothing torn: a stamp killed with SIGKILL at random points, and stamps racing in parallel.

Every check parses the ledger with the real parser: it must always be a complete old or new file.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from pathlib import Path

import pytest
from cli_runner import SPX
from ledger_builders import ADD_STORY, container_dir, make_project, read_ledger, write_test

from spx_python.evidence.blob import blob_sha
from spx_python.workflow.journal import read_events

pytestmark = pytest.mark.slow
MANY = 150
KILLS = 14
TABLE_HEADER = b"TEST FILE"
LONG_NAME = "a-rather-long-test-file-name-so-the-ledger-is-large"


def version_text(version: int) -> str:
    return f"def test_version() -> None:\n    assert {version} == {version}\n"


def write_versions(project: Path, version: int) -> set[str]:
    """(Re)write the many test files at one version; returns the blob every row must carry."""
    text = version_text(version)
    for index in range(MANY):
        write_test(project, ADD_STORY, f"{LONG_NAME}-{index:03d}.unit.test.py", text)
    return {blob_sha(text.encode())}


def start_stamp(project: Path, watch: bool = False) -> subprocess.Popen[bytes]:
    """Start a stamp in its own process group; `watch` pipes its (unbuffered) stdout to follow its progress."""
    scratch = project.parent / "tmp"  # a killed run cannot clean its pytest report directory: keep it here
    scratch.mkdir(exist_ok=True)
    return subprocess.Popen(
        [SPX, "spec", "test", "--stamp", ADD_STORY],
        cwd=project,
        env={**os.environ, "TMPDIR": str(scratch), "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE if watch else subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the kill takes its pytest child too
    )


def wait_for_table(process: subprocess.Popen[bytes]) -> None:
    """Block until the stamp printed its per-file table: pytest is done, the ledger write is next."""
    assert process.stdout is not None
    for line in process.stdout:
        if line.strip().startswith(TABLE_HEADER):
            return
    raise AssertionError("the stamp ended without printing its table")


def assert_complete(project: Path, allowed_blob_sets: list[set[str]]) -> None:
    ledger = read_ledger(project, ADD_STORY)  # raises on a torn or partial file
    blobs = {row.test_blob for row in ledger.rows}
    assert len(ledger.rows) == MANY
    assert blobs in allowed_blob_sets


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = make_project(tmp_path / "calc", require_review=False)
    for name in ("add.unit.test.py", "edge.unit.test.py"):
        (container_dir(root, ADD_STORY) / "tests" / name).unlink()
    return root


def test_sigkill_at_random_points_leaves_the_old_or_the_new_complete_ledger(project: Path) -> None:
    current = write_versions(project, 0)
    started = time.monotonic()
    assert start_stamp(project).wait(timeout=120) == 0
    duration = time.monotonic() - started
    assert_complete(project, [current])
    chooser = random.Random(20261125)  # noqa: S311 - reproducible kill times, not cryptography
    codes: list[int] = []
    for attempt in range(1, KILLS + 1):
        new = write_versions(project, attempt)
        process = start_stamp(project, watch=attempt % 2 == 0)
        if attempt % 2:  # anywhere in the run
            time.sleep(chooser.uniform(0, duration * 1.1))
        else:  # in the stamp phase proper: after pytest, while the rules run and the ledger is written
            wait_for_table(process)
            time.sleep(chooser.uniform(0, 0.006))  # the stamp phase takes a few milliseconds
        os.killpg(process.pid, signal.SIGKILL)
        codes.append(process.wait(timeout=60))
        if process.stdout is not None:
            process.stdout.close()
        assert_complete(project, [current, new])
        if {row.test_blob for row in read_ledger(project, ADD_STORY).rows} == new:
            current = new
    assert -signal.SIGKILL in codes, "no run was actually killed"
    latest = write_versions(project, KILLS + 1)
    assert start_stamp(project).wait(timeout=120) == 0
    assert_complete(project, [latest])
    leftovers = [p.name for p in container_dir(project, ADD_STORY).iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


def test_parallel_stamps_of_one_container_leave_one_complete_valid_ledger(project: Path) -> None:
    expected = write_versions(project, 7)
    processes = [start_stamp(project) for _ in range(3)]
    assert [p.wait(timeout=300) for p in processes] == [0, 0, 0]
    assert_complete(project, [expected])
    events, skipped = read_events(project)
    assert skipped == 0
    assert [e["decision"] for e in events if e.get("step") == "stamp"] == ["STAMPED"] * 3
    assert sorted(p.name for p in container_dir(project, ADD_STORY).iterdir() if p.is_file()) == [
        "add.story.md",
        "pass.csv",
    ]
