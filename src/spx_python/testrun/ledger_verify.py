"""`spx spec verify [PATH] [--cached]`: the pre-commit / CI check of the ledgers under PATH (default: all).

From disk: malformed ledgers, phantoms and staleness. Then, unless `--cached`, one pytest process runs
**only the listed** test files and reports regressions. Unlisted files are work in progress, not
errors; staleness is a warning. Exit 1 on a regression, a phantom or a malformed ledger. The last
line is always `N passed, N failed` (listed test files).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from spx_python.evidence.diagnosis import Diagnosis, diagnosis_line
from spx_python.evidence.snapshot import Snapshot, by_container, take_snapshot
from spx_python.evidence.state import State, own_state, read_facts
from spx_python.spec.fullpath import resolve
from spx_python.spec.project import load_tree
from spx_python.spec.tree import Container
from spx_python.testrun.junit import Outcome
from spx_python.testrun.pytest_run import run_tests

STALE_LINE = "stale: spx/{path} — {reasons} — re-stamp with `spx spec test --stamp {path}`"


def _stale_line(container: Container) -> str | None:
    evidence = own_state(read_facts(container))
    if evidence.state is not State.STALE:
        return None
    return STALE_LINE.format(path=container.path, reasons="; ".join(evidence.reasons))


def _check(snapshot: Snapshot, outcomes: Mapping[str, Outcome]) -> tuple[list[str], list[str], int, int]:
    """Errors, warnings, passed and failed counts of one container."""
    container = snapshot.container
    if snapshot.ledger_error is not None:
        return [snapshot.ledger_error.message], [], 0, 0
    if snapshot.ledger is None:
        return [], [], 0, 0
    reports = snapshot.reports(outcomes)
    errors = [diagnosis_line(container.path, r) for r in reports if r.diagnosis.is_error]
    stale = _stale_line(container)
    ran = [r.outcome for r in reports if r.outcome is not None and r.diagnosis is not Diagnosis.IN_PROGRESS]
    passed = sum(1 for outcome in ran if outcome.ok)
    return errors, [stale] if stale else [], passed, len(ran) - passed


def verify(start: Path, path: str | None, cached: bool) -> tuple[int, list[str]]:
    """The exit code (1 on any error) and the report's lines, the last always `N passed, N failed`."""
    tree = load_tree(start)
    scope = list(resolve(tree, path).walk()) if path else list(tree.walk())
    snapshots = [take_snapshot(container) for container in scope]
    targets = [(s.container, name) for s in snapshots for name in s.listed if name in s.test_blobs]
    outcomes = {} if cached else by_container(run_tests(tree.project_root, targets))
    errors: list[str] = []
    warnings: list[str] = [f"problem: {problem}" for problem in tree.problems]
    passed = failed = 0
    for snapshot in snapshots:
        more_errors, more_warnings, ok, bad = _check(snapshot, outcomes.get(snapshot.container.path, {}))
        errors.extend(more_errors)
        warnings.extend(more_warnings)
        passed, failed = passed + ok, failed + bad
    unlisted = sum(len(s.test_blobs) - len(set(s.listed) & set(s.test_blobs)) for s in snapshots)
    if unlisted:
        warnings.append(f"in progress: {unlisted} test file(s) not in any ledger yet (not run, not an error)")
    verdict = [f"spx spec verify: FAILED — {len(errors)} error(s) above block the commit"] if errors else []
    return (1 if errors else 0), [*errors, *warnings, *verdict, f"{passed} passed, {failed} failed"]
