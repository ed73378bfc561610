"""`spx spec test PATH [--stamp [--force]]`: run a container's own tests, diagnose them against its ledger,
and (with `--stamp`) record the evidence in `pass.csv` when the stamp rules hold.

Exit 1 on a regression, a phantom, a malformed ledger or a refused stamp; 0 otherwise. The report's lines
go to `emit` (the CLI prints them) after pytest's own output, each as soon as it is known.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from spx_python.config import PYPROJECT_NAME
from spx_python.errors import UsageError
from spx_python.evidence.diagnosis import has_errors
from spx_python.evidence.snapshot import Snapshot, outcomes_for, take_snapshot
from spx_python.evidence.stamp_lock import stamp_lock
from spx_python.evidence.state import State, own_state, read_facts
from spx_python.spec.fullpath import resolve
from spx_python.spec.project import load_tree
from spx_python.spec.tree import SPEC_ROOT_NAME, Container, Problem
from spx_python.testrun.junit import Outcome
from spx_python.testrun.pytest_run import own_tests, start_tests

SRC_LAYOUT_HINT = (
    'hint: the project has src/ but pytest has no `pythonpath = ["src"]`, so a test that imports your package '
    "fails with ModuleNotFoundError — run `spx init` again: it adds that setting"
)

if TYPE_CHECKING:
    from spx_python.evidence.stamp_write import StampContext


def _container_notes(container: Container) -> tuple[list[str], bool]:
    """The ledger's Stale reasons, and whether the container's own state is Passing."""
    evidence = own_state(read_facts(container))
    if evidence.state is not State.STALE:
        return [], evidence.state is State.PASSING
    return [f"ledger: Stale — {'; '.join(evidence.reasons)}"], False


def spec_test(start: Path, path: str, stamping: bool, force: bool, emit: Callable[[str], object]) -> int:
    if force and not stamping:
        raise UsageError(f"--force only applies to --stamp — run `spx spec test --stamp --force {path}`")
    tree = load_tree(start)
    container = resolve(tree, path)
    root = tree.project_root
    with stamp_lock(root) if stamping else contextlib.nullcontext():
        snapshot = take_snapshot(container)  # the blobs as tested; re-checked before a ledger is written
        running = start_tests(root, own_tests([container]))  # it names the environment before pytest's output
        from spx_python.evidence.stamp_write import gather_context  # noqa: PLC0415 - imported while pytest runs

        try:
            context = gather_context(root, container) if stamping else None  # read while pytest runs
        finally:
            finished = running.wait()  # even when reading the context failed: never orphan pytest
        outcomes = outcomes_for(finished, container)
        failed, lines = _report(snapshot, outcomes, stamping)
        if not all(outcome.ok for outcome in outcomes.values()):
            lines.extend(_hint_src_layout(root))
        lines.extend(_problem_lines(tree.problems, container))
        for line in lines:
            emit(line)
        if stamping:  # a written stamp supersedes the old ledger's phantoms and malformation
            code, stamped = _stamp(root, snapshot, outcomes, force, context)
            for line in stamped:
                emit(line)
            return code
    return int(failed)


def _hint_src_layout(root: Path) -> list[str]:
    """A src/ layout without `pythonpath = ["src"]`: the tests cannot import the package (a common first failure)."""
    from spx_python.setup.pytest_pyproject import PYTHONPATH_KEY, SRC_DIR, add_pytest_settings  # noqa: PLC0415 - on failure

    if not (root / SRC_DIR).is_dir():
        return []
    try:
        text: str | None = (root / PYPROJECT_NAME).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = None
    return [SRC_LAYOUT_HINT] if PYTHONPATH_KEY in add_pytest_settings(text, src_layout=True).added else []


def _problem_lines(problems: Iterable[Problem], container: Container) -> list[str]:
    """The tree's problems inside this container's own directory or its tests/ (not its children's)."""
    own = f"{SPEC_ROOT_NAME}/{container.path}"
    lines = []
    for problem in problems:
        inside = problem.path.removeprefix(own + "/")
        if problem.path == own or (inside != problem.path and ("/" not in inside or inside.startswith("tests/"))):
            lines.append(f"problem: {problem}")
    return lines


def _report(snapshot: Snapshot, outcomes: Mapping[str, Outcome], stamping: bool) -> tuple[bool, list[str]]:
    """The table, then (unless stamping: the stamp's verdict speaks then) the diagnosis and the next step;
    True when the diagnosis includes an error (regression, phantom, malformed ledger)."""
    from spx_python.testrun.report_lines import diagnosis_lines, next_step, table  # noqa: PLC0415 - off the start-up path

    container = snapshot.container
    reports = snapshot.reports(outcomes)
    shown = [f"\n{SPEC_ROOT_NAME}/{container.path}", "\n".join(table(reports))]
    if stamping:
        return False, shown
    lines = diagnosis_lines(container.path, reports)
    passing = False
    if snapshot.ledger_error is not None:
        lines.append(snapshot.ledger_error.message)
    elif snapshot.ledger is not None:
        notes, passing = _container_notes(container)
        lines.extend(notes)
    step = next_step(container, reports, passing)
    shown.append("\n".join([*lines, *([step] if step else [])]))
    return has_errors(reports) or snapshot.ledger_error is not None, shown


def _stamp(
    root: Path, snapshot: Snapshot, outcomes: Mapping[str, Outcome], force: bool, context: StampContext | None
) -> tuple[int, list[str]]:
    from spx_python.evidence.stamp_write import stamp  # noqa: PLC0415 - already loaded by spec_test

    result = stamp(root, snapshot, outcomes, force, context)
    ledger_path = f"{SPEC_ROOT_NAME}/{snapshot.container.path}/pass.csv"
    if not result.written:
        return 1, [f"stamp refused: {ledger_path} left unchanged", *(f"  - {reason}" for reason in result.reasons)]
    count = len(result.ledger.rows) if result.ledger else 0
    if result.partial:
        return 0, [f"stamped a PARTIAL ledger (--force): {ledger_path} lists only the {count} passing test file(s)"]
    return 0, [f"stamped {ledger_path}: {count} test file(s) — the {snapshot.container.kind} is now Passing"]
