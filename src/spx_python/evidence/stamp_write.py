"""The stamp's I/O: the project-wide stamp lock, gathering the facts the rules need, the atomic write,
and the journal event the hooks fold (`step: stamp`, `decision: STAMPED | REFUSED`).

Racing stamps serialize on `locks.stamp_lock`, held from before the tests run until the ledger is
renamed into place, so a ledger always describes the run that produced it.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from spx_python.atomic import write_atomic
from spx_python.config import review_required
from spx_python.evidence.blob import file_blob_sha
from spx_python.evidence.ledger import Ledger, format_ledger, utc_timestamp
from spx_python.evidence.review_verdicts import latest_verdict, stale_reason
from spx_python.evidence.snapshot import Snapshot, current_blobs
from spx_python.evidence.stamp_rules import ChildFact, StampRequest, is_partial, new_ledger, refusals
from spx_python.evidence.state import derive_states
from spx_python.spec.listed_tests import missing_listed
from spx_python.spec.tree import LEDGER_NAME, Container
from spx_python.testrun.integrity import outcome_hooks, unrun_tests
from spx_python.testrun.junit import Outcome
from spx_python.workflow.events import journal_event
from spx_python.workflow.journal import append_event
from spx_python.workflow.machine import REFUSED, STAMP_STEP, STAMPED

CHANGED_DURING_RUN = "test files changed while the tests ran — run the stamp again"
UNRUN_HINT = (
    "it was deselected or not collected (`-k`, `--deselect` or `-m` in addopts or PYTEST_ADDOPTS, a conftest "
    "hook, `__test__ = False`): remove what keeps it from running"
)


@dataclass(frozen=True)
class StampResult:
    written: bool
    reasons: tuple[str, ...]
    ledger: Ledger | None
    partial: bool


def _child_facts(container: Container) -> tuple[ChildFact, ...]:
    states = derive_states(container.children)
    facts: list[ChildFact] = []
    for child in container.children:
        try:
            blob: str | None = file_blob_sha(child.ledger_file)
        except OSError:
            blob = None
        facts.append(ChildFact(child.name, states.state(child.path), blob))
    return tuple(facts)


@dataclass(frozen=True)
class StampContext:
    """The facts beyond the container's own files: children, review setting and verdict."""

    children: tuple[ChildFact, ...]
    review_required: bool
    verdict: str | None
    verdict_current: bool
    missing_listed: tuple[str, ...] = ()


def gather_context(project_root: Path, container: Container) -> StampContext:
    """Read while the tests run (under the stamp lock, so no other stamp changes a child meanwhile).

    A verdict is current while `review_verdicts.stale_reason` finds nothing."""
    verdict = latest_verdict(project_root, container.path)
    return StampContext(
        children=_child_facts(container),
        review_required=review_required(project_root),
        verdict=None if verdict is None else verdict.decision,
        verdict_current=verdict is not None and stale_reason(project_root, verdict, container) is None,
        missing_listed=missing_listed(_spec_text(container), container.test_names),
    )


def _spec_text(container: Container) -> str:
    spec = container.spec_file
    try:
        return "" if spec is None else spec.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def build_request(
    snapshot: Snapshot, outcomes: Mapping[str, Outcome], force: bool, context: StampContext
) -> StampRequest:
    container = snapshot.container
    return StampRequest(
        path=container.path,
        kind=container.kind,
        expected_spec_name=container.expected_spec_name,
        spec_blob=snapshot.spec_blob,
        test_blobs=snapshot.test_blobs,
        outcomes=outcomes,
        children=context.children,
        review_required=context.review_required,
        verdict=context.verdict,
        verdict_current=context.verdict_current,
        old=snapshot.ledger,
        force=force,
        now=utc_timestamp(),
        missing_listed=context.missing_listed,
    )


def integrity_refusals(
    project_root: Path, container: Container, outcomes: Mapping[str, Outcome], force: bool
) -> list[str]:
    """Tests that did not run (with --force their files are left out instead), and conftest hooks that
    could have rewritten the outcomes (never waived)."""
    reasons: list[str] = []
    for name, outcome in sorted(outcomes.items()) if not force else ():
        path = container.test_file(name)
        shown = os.path.relpath(path, project_root)
        reasons.extend(
            f"{shown}:{test.line}: {test.name} did not run — {UNRUN_HINT}"
            for test in (unrun_tests(path, outcome.names) if outcome.unrun and not outcome.failed else [])
        )
    tests = [container.test_file(name) for name in container.test_names]
    reasons.extend(use.message(os.path.relpath(use.path, project_root)) for use in outcome_hooks(project_root, tests))
    return reasons


def _remove_leftover_temps(container: Container) -> None:
    """Temp files of a stamp that was killed mid-write (`.pass.csv.*.tmp`); only called under the lock."""
    for leftover in container.directory.glob(f".{LEDGER_NAME}.*.tmp"):
        with contextlib.suppress(OSError):
            leftover.unlink()


def _journal(project_root: Path, path: str, decision: str, reason: str) -> None:
    append_event(project_root, journal_event(path, STAMP_STEP, decision, reason=reason))


def stamp(
    project_root: Path,
    snapshot: Snapshot,
    outcomes: Mapping[str, Outcome],
    force: bool,
    context: StampContext | None = None,
) -> StampResult:
    """Apply the rules and write the ledger atomically, or refuse and leave the old file untouched.

    Call under `stamp_lock`, after running the tests whose blobs `snapshot` recorded.
    """
    if context is None:
        context = gather_context(project_root, snapshot.container)
    request = build_request(snapshot, outcomes, force, context)
    reasons = refusals(request) + integrity_refusals(project_root, snapshot.container, outcomes, force)
    if current_blobs(snapshot.container) != dict(snapshot.test_blobs):
        reasons.append(CHANGED_DURING_RUN)
    path = snapshot.container.path
    if reasons:
        _journal(project_root, path, REFUSED, "; ".join(reasons))
        return StampResult(False, tuple(reasons), None, False)
    ledger = new_ledger(request)
    _remove_leftover_temps(snapshot.container)
    write_atomic(snapshot.container.ledger_file, format_ledger(ledger))
    partial = is_partial(request)
    _journal(project_root, path, STAMPED, "partial ledger (--force)" if partial else "all tests pass")
    return StampResult(True, (), ledger, partial)
