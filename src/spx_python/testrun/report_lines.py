"""Text of the per-file test table, the diagnosis lines and the next step of `spx spec test` (pure)."""

from __future__ import annotations

from collections.abc import Iterable

from spx_python.evidence.diagnosis import Diagnosis, FileReport, diagnosis_line
from spx_python.spec.bsp import STORY
from spx_python.spec.tree import SPEC_ROOT_NAME, TESTS_DIR_NAME, Container

HEADER = ("TEST FILE", "RESULT", "DIAGNOSIS")
QUIET = (Diagnosis.CURRENT, Diagnosis.IN_PROGRESS)


def table(reports: Iterable[FileReport]) -> list[str]:
    rows = [(r.test_file, r.result, r.diagnosis.value) for r in reports]
    if not rows:
        return ["  (no test files)"]
    widths = [max(len(row[i]) for row in [HEADER, *rows]) for i in range(2)]
    return [f"  {a.ljust(widths[0])}  {b.ljust(widths[1])}  {c}" for a, b, c in [HEADER, *rows]]


def diagnosis_lines(container_path: str, reports: Iterable[FileReport]) -> list[str]:
    """One line per file that needs attention: `<diagnosis>: <path> — <what happened, what to do>`."""
    return [
        diagnosis_line(container_path, r)
        for r in reports
        if r.diagnosis not in QUIET
    ]


NO_TESTS_STORY = (
    "no test files yet — write them as {tests}/<name>.unit.test.py (`/spx-python:testing-python {path}` in "
    "Claude Code), then run `spx spec test {path}` again"
)
NO_TESTS_PARENT = (
    "no test files of its own — a {kind} may rely on its children's tests; its own go in "
    "{tests}/*.{{integration,e2e}}.test.py. Once every child is Passing: `spx spec test --stamp {path}`"
)
FIX_FAILING = "next: make {files} pass (pytest's output is above), then run `spx spec test {path}` again"
REVIEW_THEN_STAMP = "next: every test file passes — run `spx review {path}`, then `spx spec test --stamp {path}`"
STAMP_NEXT = "next: every test file passes — record it with `spx spec test --stamp {path}`"
STAMP_AFTER_CHILDREN = (
    "next: every test file passes — once every child is Passing (`spx spec next {path}` names what is left), "
    "record it with `spx spec test --stamp {path}`"
)


def next_step(container: Container, reports: tuple[FileReport, ...], passing: bool) -> str | None:
    """What to do after a plain `spx spec test` run; None when the container is Passing and its tests pass."""
    tests = f"{SPEC_ROOT_NAME}/{container.path}/{TESTS_DIR_NAME}"
    if not reports:
        template = NO_TESTS_STORY if container.kind == STORY else NO_TESTS_PARENT
        return template.format(tests=tests, path=container.path, kind=container.kind)
    failing = [r.test_file for r in reports if r.outcome is None or not r.outcome.ok]
    if failing:
        return FIX_FAILING.format(files=", ".join(failing), path=container.path)
    if passing:
        return None
    if container.kind == STORY:
        return REVIEW_THEN_STAMP.format(path=container.path)
    return (STAMP_AFTER_CHILDREN if container.children else STAMP_NEXT).format(path=container.path)
