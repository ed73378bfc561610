"""Text of the per-file test table and the diagnosis lines shared by `spx spec test` and `spx spec verify`."""

from __future__ import annotations

from collections.abc import Iterable

from spx_python.diagnosis import Diagnosis, FileReport
from spx_python.tree import SPEC_ROOT_NAME, TESTS_DIR_NAME

HEADER = ("TEST FILE", "RESULT", "DIAGNOSIS")
QUIET = (Diagnosis.CURRENT, Diagnosis.IN_PROGRESS)


def test_path(container_path: str, test_file: str) -> str:
    return f"{SPEC_ROOT_NAME}/{container_path}/{TESTS_DIR_NAME}/{test_file}"


def table(reports: Iterable[FileReport]) -> list[str]:
    rows = [(r.test_file, r.result, r.diagnosis.value) for r in reports]
    if not rows:
        return ["  (no test files)"]
    widths = [max(len(row[i]) for row in [HEADER, *rows]) for i in range(2)]
    return [f"  {a.ljust(widths[0])}  {b.ljust(widths[1])}  {c}" for a, b, c in [HEADER, *rows]]


def diagnosis_lines(container_path: str, reports: Iterable[FileReport]) -> list[str]:
    """One line per file that needs attention: `<diagnosis>: <path> — <what happened, what to do>`."""
    return [
        f"{r.diagnosis.value}: {test_path(container_path, r.test_file)} — {r.explanation}"
        for r in reports
        if r.diagnosis not in QUIET
    ]
