"""The coverage rule: the source the story changed must be covered at least to the threshold (pure logic).

Judged = the statements on lines the story added or changed (`changes.Changes`); a wholly new file is
judged whole, exactly as before. The whole-file figure is kept as context. Measured = files pytest-cov
reported with at least one statement. Unmeasurable (no coverage data, or none of the reviewed source
measured) and 0 % are rejections; a story that changed no executable source line has nothing to cover.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from spx_python.review.changes import EVERYTHING_NEW, Changes
from spx_python.review.findings import COVERAGE, Finding
from spx_python.review.scope import ReviewScope
from spx_python.review.tests_run import FileCoverage

MAX_SHOWN_RANGES = 8


@dataclass(frozen=True)
class CoverageResult:
    percent: float | None  # None: unmeasurable
    threshold: float
    files: tuple[tuple[str, FileCoverage], ...]  # what was judged: the changed lines of each file
    findings: tuple[Finding, ...]
    whole_files: tuple[tuple[str, FileCoverage], ...] = ()  # context: each reviewed file as a whole

    @property
    def passed(self) -> bool:
        return not any(f.blocking for f in self.findings)


def line_ranges(lines: Iterable[int]) -> str:
    ordered = sorted(set(lines))
    ranges: list[str] = []
    start = previous = None
    for number in [*ordered, None]:
        if number is not None and previous is not None and number == previous + 1:
            previous = number
            continue
        if start is not None:
            ranges.append(str(start) if start == previous else f"{start}-{previous}")
        start = previous = number
    shown = ", ".join(ranges[:MAX_SHOWN_RANGES])
    return shown + (", …" if len(ranges) > MAX_SHOWN_RANGES else "")


def unmeasurable(scope: ReviewScope, threshold: float, reason: str) -> CoverageResult:
    where = scope.relative(scope.source_files[0]) if scope.source_files else ""
    return CoverageResult(None, threshold, (), (Finding(where, 0, COVERAGE, reason),))


def changed_part(data: FileCoverage, lines: frozenset[int] | None) -> FileCoverage:
    """The statements of a file on `lines` (None: the whole file)."""
    if lines is None:
        return data
    executed = tuple(n for n in data.executed_lines if n in lines)
    missing = tuple(n for n in data.missing_lines if n in lines)
    return FileCoverage(len(executed) + len(missing), len(executed), missing, executed)


def evaluate(
    scope: ReviewScope,
    coverage: Mapping[Path, FileCoverage] | None,
    threshold: float,
    changes: Changes = EVERYTHING_NEW,
) -> CoverageResult:
    if coverage is None:
        return unmeasurable(scope, threshold, "coverage could not be measured (the test run gave no coverage data)")
    measured = [(path, coverage[path]) for path in scope.source_files if path in coverage]
    measured = [(path, data) for path, data in measured if data.statements > 0]
    if not measured:
        what = "changed source" if scope.source_changed else "source modules the tests import"
        names = ", ".join(scope.relative(p) for p in scope.source_files) or "none found"
        return unmeasurable(scope, threshold, f"no coverage measured for the {what} ({names})")
    whole = tuple((scope.relative(path), data) for path, data in measured)
    if scope.source_changed:
        measured = [(path, changed_part(data, changes.of(path))) for path, data in measured]
        measured = [(path, data) for path, data in measured if data.statements > 0]
        if not measured:
            return CoverageResult(100.0, threshold, (), (), whole)
    total = sum(data.statements for _, data in measured)
    percent = 100.0 * sum(data.covered for _, data in measured) / total
    files = tuple((scope.relative(path), data) for path, data in measured)
    return CoverageResult(
        percent, threshold, files, tuple(_findings(files, percent, threshold, scope.source_changed)), whole
    )


def _findings(
    files: tuple[tuple[str, FileCoverage], ...], percent: float, threshold: float, changed: bool
) -> list[Finding]:
    if percent != 0.0 and percent >= threshold:
        return []
    what = "the source lines this story changed are" if changed else "the reviewed source is"
    findings: list[Finding] = []
    for name, data in files:
        if data.percent < threshold:
            missing = line_ranges(data.missing_lines)
            message = (
                f"{name} is {data.percent:.0f}% covered (never run: lines {missing or 'branches only'}); "
                f"{what} {percent:.1f}% covered, below the {threshold:g}% threshold"
            )
            first = min(data.missing_lines) if data.missing_lines else 0
            findings.append(Finding(name, first, COVERAGE, message))
    return findings
