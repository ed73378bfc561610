"""Review verdicts as recorded in the journal, and the digest that ties a verdict to a tree state.

Standard library only. `stale_reason` is the one rule for using a verdict (the stamp and `spx commit`).
A review event (written by `spx review`) looks like:

    {"time": "...Z", "session": null, "story": "<full path>", "step": "review",
     "decision": "APPROVED" | "REJECTED", "reason": "...", "report": ".spx/reviews/....md",
     "digest": "<sha256 hex>", "findings": 0, "files": ["src/pkg/x.py", ...]}

`digest` is the SHA-256 of the sorted lines `<relative path>\\0<git blob SHA>\\n` over the reviewed
files (`files`, relative to the project root). A file that no longer exists contributes `missing`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from spx_python.evidence.blob import file_blob_sha
from spx_python.spec.tree import Container
from spx_python.workflow.journal import read_events
from spx_python.workflow.machine import APPROVED, REJECTED, REVIEW_STEP

DECISIONS = (APPROVED, REJECTED)
MISSING_BLOB = "missing"
FILES_CHANGED = "files changed since the APPROVED review"
TESTS_UNREVIEWED = "test files were added since the APPROVED review"


class Verdict(NamedTuple):
    """An immutable record (NamedTuple, like the other hook-path records: no dataclass code generation)."""

    decision: str
    time: str
    digest: str
    report: str
    files: tuple[str, ...] = ()

    @property
    def approved(self) -> bool:
        return self.decision == APPROVED


def _blob_or_missing(path: Path) -> str:
    try:
        return file_blob_sha(path)
    except OSError:
        return MISSING_BLOB


def files_digest(project_root: Path, relative_files: Iterable[str]) -> str:
    """SHA-256 over `path NUL blob-sha` lines of the given project-relative files, in sorted order."""
    lines = sorted(f"{name}\0{_blob_or_missing(project_root / name)}\n" for name in set(relative_files))
    return hashlib.sha256("".join(lines).encode()).hexdigest()


def _from_event(event: Mapping[str, Any]) -> Verdict | None:
    decision = event.get("decision")
    if decision not in DECISIONS:
        return None
    files = event.get("files")
    names = tuple(str(name) for name in files) if isinstance(files, list) else ()
    return Verdict(
        decision=str(decision),
        time=str(event.get("time", "")),
        digest=str(event.get("digest", "")),
        report=str(event.get("report", "")),
        files=names,
    )


def latest_verdict(project_root: Path, full_path: str) -> Verdict | None:
    """The most recent review verdict for the container at `full_path`, or None if it was never reviewed."""
    events, _ = read_events(project_root)
    for event in reversed(events):
        if event.get("step") == REVIEW_STEP and event.get("story") == full_path:
            verdict = _from_event(event)
            if verdict is not None:
                return verdict
    return None


def is_current(project_root: Path, verdict: Verdict) -> bool:
    """True when the reviewed files still have the blob SHAs they had when the verdict was given."""
    return bool(verdict.files) and files_digest(project_root, verdict.files) == verdict.digest


def covers(verdict: Verdict, relative_files: Iterable[str]) -> bool:
    """True when every one of the project-relative files was among the files the verdict reviewed."""
    return set(relative_files) <= set(verdict.files)


def stale_reason(project_root: Path, verdict: Verdict, container: Container) -> str | None:
    """Why a verdict no longer vouches for `container`, or None while it does: the files it reviewed are
    unchanged and it reviewed every test file the container now has (a test added after it was never reviewed)."""
    if not is_current(project_root, verdict):
        return FILES_CHANGED
    if not covers(verdict, [container.test_path(name) for name in container.test_names]):
        return TESTS_UNREVIEWED
    return None
