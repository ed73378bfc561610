"""Running the container's tests with pytest and pytest-cov, and reading back results and coverage.

pytest gets the spx test naming (`-o python_files=...`), `--import-mode=importlib`, no cache plugin,
a JUnit XML report (failures with file and line) and a JSON coverage report, both in a temp dir.
The coverage data file also goes there (`COVERAGE_FILE`), so the user's tree stays clean. Coverage
uses spx's own configuration (`config/coverage.ini`): the project's omit and exclusion settings and
`# pragma: no cover` do not shrink what is measured. pytest runs with the project's python (the toolchain);
what it lacks of pytest / pytest-cov / coverage is lent from spx's runtime (`toolchain.lend`).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from spx_python.errors import SpxError
from spx_python.review.findings import NO_TESTS, SKIPPED_TEST, TEST_FAILED, TEST_NOT_RUN, Finding
from spx_python.review.scope import ReviewScope
from spx_python.review.settings import SHIPPED_COVERAGE_CONFIG, ProjectSettings
from spx_python.review.tools import Completed, ToolRun, execute, one_line, tail, tool_error_run
from spx_python.testrun.integrity import unrun_tests
from spx_python.testrun.pytest_run import SPX_TEST_OPTIONS
from spx_python.toolchain.resolve import PYTEST, PYTEST_COV, Launch, Toolchain, pytest_launch

TIMEOUT_SECONDS = 1800.0
JUNIT_NAME = "junit.xml"
COVERAGE_JSON_NAME = "coverage.json"
COVERAGE_DATA_NAME = ".coverage"
SKIPPED_TAG = "skipped"
EXIT_OK, EXIT_FAILED, EXIT_NO_TESTS = 0, 1, 5
COV_MISSING_RE = re.compile(r"unrecognized arguments:.*--cov")
PYTEST_COV_MISSING = "pytest-cov is not installed where pytest runs — install pytest-cov in the project's environment"


@dataclass(frozen=True)
class FileCoverage:
    statements: int
    covered: int
    missing_lines: tuple[int, ...]
    executed_lines: tuple[int, ...] = ()

    @property
    def percent(self) -> float:
        return 100.0 if self.statements == 0 else 100.0 * self.covered / self.statements


@dataclass(frozen=True)
class TestRun:
    tool: ToolRun
    coverage: dict[Path, FileCoverage] | None = None  # None: no coverage data (tool error, no tests)
    counts: dict[str, int] = field(default_factory=dict)


def pytest_command(launch: Launch, settings: ProjectSettings, scope: ReviewScope, out: Path) -> list[str]:
    command = [*launch.argv, *SPX_TEST_OPTIONS, f"--rootdir={settings.root}"]
    command += ["-o", "junit_family=xunit1", f"--junitxml={out / JUNIT_NAME}", "-q", "--no-header"]
    for root in settings.source_roots:
        command.append(f"--cov={root}")
    command += [f"--cov-config={SHIPPED_COVERAGE_CONFIG}", f"--cov-report=json:{out / COVERAGE_JSON_NAME}"]
    return command + [str(path) for path in scope.test_files]


def _failure_line(text: str, file: str, fallback: int) -> int:
    lines = re.findall(rf"^{re.escape(file)}:(\d+):", text, flags=re.MULTILINE)
    return int(lines[-1]) if lines else fallback


def parse_junit(path: Path, scope: ReviewScope) -> tuple[list[Finding], dict[str, int]]:
    """Failing, erroring and skipped (or xfailed) test cases as findings, plus the suite's counts."""
    root = ElementTree.parse(path).getroot()  # noqa: S314 - pytest wrote this file moments ago
    findings: list[Finding] = []
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for suite in root.iter("testsuite"):
        for key in counts:
            counts[key] += int(suite.get(key, "0") or 0)
    ran: dict[Path, set[str]] = {}
    for case in root.iter("testcase"):
        for problem in (*case.findall("failure"), *case.findall("error"), *case.findall("skipped")):
            findings.append(_case_finding(case, problem, scope))
        ran.setdefault((scope.root / (case.get("file") or "")).resolve(), set()).add(case.get("name") or "")
    findings.extend(_unrun_findings(scope, ran, {f.file for f in findings if f.rule == TEST_FAILED}))
    return findings, counts


def _unrun_findings(scope: ReviewScope, ran: dict[Path, set[str]], failed: set[str]) -> list[Finding]:
    """Tests a file defines that the report does not mention; not for a file with no case at all (see the
    counts) or with a failure (a collection error already explains why its tests did not run)."""
    findings: list[Finding] = []
    for path in scope.test_files:
        names = ran.get(path.resolve()) if scope.relative(path) not in failed else None
        for test in unrun_tests(path, names) if names else ():
            message = f"{test.name} did not run (deselected or not collected)"
            findings.append(Finding(scope.relative(path), test.line, TEST_NOT_RUN, message))
    return findings


def _case_finding(case: ElementTree.Element, problem: ElementTree.Element, scope: ReviewScope) -> Finding:
    raw_file = case.get("file") or ""
    file = scope.relative((scope.root / raw_file).resolve()) if raw_file else ""
    name = case.get("name") or "?"
    summary = (problem.get("message") or problem.tag).splitlines()[0][:200]
    if problem.tag == SKIPPED_TAG:
        line = int(case.get("line") or -1) + 1 if raw_file else 0
        return Finding(file, line, SKIPPED_TEST, f"{name} did not run ({summary})")
    line = _failure_line(problem.text or "", raw_file, int(case.get("line") or -1) + 1) if raw_file else 0
    return Finding(file, line, TEST_FAILED, f"{problem.tag} in {name}: {summary}")


def parse_coverage(path: Path, root: Path) -> dict[Path, FileCoverage]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    result: dict[Path, FileCoverage] = {}
    for name, entry in data.get("files", {}).items():
        summary = entry.get("summary", {})
        statements = int(summary.get("num_statements", 0)) + int(summary.get("num_branches", 0))
        covered = int(summary.get("covered_lines", 0)) + int(summary.get("covered_branches", 0))
        missing = tuple(int(n) for n in entry.get("missing_lines", []))
        executed = tuple(int(n) for n in entry.get("executed_lines", []))
        result[(root / name).resolve()] = FileCoverage(statements, covered, missing, executed)
    return result


def _outcome(command: list[str], done: Completed, out: Path, scope: ReviewScope) -> TestRun:
    done_code, seconds, output = done.returncode, done.seconds, done.stdout + done.stderr
    junit = out / JUNIT_NAME
    findings, counts = parse_junit(junit, scope) if junit.is_file() else ([], {})
    if done_code == EXIT_NO_TESTS:
        reason = f"pytest collected no tests from {len(scope.test_files)} test file(s)"
        return TestRun(tool_error_run(PYTEST, command, seconds, reason, output))
    if done_code not in (EXIT_OK, EXIT_FAILED) and not findings:
        reason = PYTEST_COV_MISSING if COV_MISSING_RE.search(output) else f"exit {done_code}: {one_line(output)}"
        return TestRun(tool_error_run(PYTEST, command, seconds, reason, output))
    coverage_json = out / COVERAGE_JSON_NAME
    coverage = parse_coverage(coverage_json, scope.root) if coverage_json.is_file() else None
    tool = ToolRun(PYTEST, tuple(command), seconds, tuple(findings), None, tail(output))
    return TestRun(tool, coverage, counts)


def run_tests(settings: ProjectSettings, scope: ReviewScope, toolchain: Toolchain) -> TestRun:
    if not scope.test_files:
        finding = Finding("", 0, NO_TESTS, "the container and its children have no test files")
        return TestRun(ToolRun(PYTEST, (PYTEST,), 0.0, (finding,), finding.message))
    with tempfile.TemporaryDirectory(prefix="spx-review-") as temp:
        out = Path(temp)
        try:
            launch = pytest_launch(toolchain, (PYTEST, PYTEST_COV), out, os.environ)
        except SpxError as error:  # missing from the project and from spx's runtime
            return TestRun(tool_error_run(PYTEST, [PYTEST], 0.0, error.message))
        command = pytest_command(launch, settings, scope, out)
        env = {"COVERAGE_FILE": str(out / COVERAGE_DATA_NAME)}
        done = execute(command, settings.root, TIMEOUT_SECONDS, env, launch.env)
        if isinstance(done, str):
            return TestRun(tool_error_run(PYTEST, command, 0.0, done))
        return _outcome(command, done, out, scope)
