"""The existing suite guard: the project's own tests run in the review; a failure is a blocking regression.

pytest runs with the project's own configuration (its testpaths, python_files, addopts; pytest 9's
native `[tool.pytest]` included) through the toolchain (the project's python, pytest lent when it has
none), with `spx/` left out (the story's tests run separately, with coverage), no cache plugin, and a
JUnit report and coverage data file in a temp dir, so the user's tree stays untouched. `[tool.spx]
existing_suite` is the time budget (default 600 s) or false (off). A run over budget is an advisory
`suite-not-guarded` finding; a suite that cannot start is a blocking tool error naming the way out.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from xml.etree import ElementTree

from spx_python.errors import SpxError
from spx_python.review.findings import REGRESSION, SUITE_NOT_GUARDED, Finding
from spx_python.review.settings import ProjectSettings
from spx_python.review.tools import ToolRun, execute, one_line, tail, tool_error_run
from spx_python.toolchain.resolve import PYTEST, Launch, Toolchain, pytest_launch
from spx_python.tree import SPEC_ROOT_NAME

SUITE = "existing suite"
JUNIT_NAME = "suite.xml"
COVERAGE_DATA_NAME = ".coverage"
EXIT_OK, EXIT_FAILED, EXIT_NO_TESTS = 0, 1, 5
PROBLEM_TAGS = ("failure", "error")
SWITCH_OFF = "or set `[tool.spx] existing_suite = false`"


def suite_command(launch: Launch, settings: ProjectSettings, out: Path) -> list[str]:
    root = settings.root
    return [
        *launch.argv,
        f"--rootdir={root}",
        *("-p", "no:cacheprovider", f"--ignore={root / SPEC_ROOT_NAME}"),
        *("-o", "junit_family=xunit1", f"--junitxml={out / JUNIT_NAME}", "-q", "--no-header"),
    ]


def _node_id(case: ElementTree.Element) -> str:
    file, name, classname = case.get("file") or "", case.get("name") or "?", case.get("classname") or ""
    last = classname.rsplit(".", 1)[-1]
    owner = f"{last}::" if last[:1].isupper() else ""
    return f"{file}::{owner}{name}" if file else f"{classname}::{name}"


def regressions(junit: Path) -> list[Finding]:
    """A blocking finding per failing or erroring test case of the suite's JUnit report."""
    findings: list[Finding] = []
    root = ElementTree.parse(junit).getroot()  # noqa: S314 - pytest wrote this file moments ago
    for case in root.iter("testcase"):
        for problem in (p for tag in PROBLEM_TAGS for p in case.findall(tag)):
            summary = (problem.get("message") or problem.tag).splitlines()[0][:200]
            message = f"regression in the existing suite: {_node_id(case)} ({problem.tag}: {summary})"
            line = int(case.get("line") or -1) + 1 if case.get("file") else 0
            findings.append(Finding(case.get("file") or "", line, REGRESSION, message))
    return findings


def _not_guarded(command: list[str], seconds: float, budget: float) -> ToolRun:
    message = f"the existing suite did not finish within its {budget:g} s budget; it was not guarded"
    return ToolRun(SUITE, tuple(command), seconds, (Finding("", 0, SUITE_NOT_GUARDED, message, blocking=False),))


def run_existing_suite(settings: ProjectSettings, toolchain: Toolchain) -> ToolRun | None:
    """The project's own suite as a check (None when `existing_suite = false`)."""
    budget = settings.suite_budget
    if budget is None:
        return None
    with tempfile.TemporaryDirectory(prefix="spx-suite-") as temp:
        out = Path(temp)
        try:
            launch = pytest_launch(toolchain, (PYTEST,), out, os.environ)
        except SpxError as error:
            return tool_error_run(SUITE, [PYTEST], 0.0, f"{error.message} ({SWITCH_OFF})")
        command = suite_command(launch, settings, out)
        started = time.perf_counter()
        done = execute(command, settings.root, budget, {"COVERAGE_FILE": str(out / COVERAGE_DATA_NAME)}, launch.env)
        seconds = time.perf_counter() - started
        if isinstance(done, str):
            return (
                _not_guarded(command, seconds, budget)
                if seconds >= budget
                else tool_error_run(SUITE, command, seconds, done)
            )
        output = done.stdout + done.stderr
        found = regressions(out / JUNIT_NAME) if (out / JUNIT_NAME).is_file() else []
        if done.returncode in (EXIT_OK, EXIT_FAILED, EXIT_NO_TESTS) or found:
            return ToolRun(SUITE, tuple(command), done.seconds, tuple(found), None, tail(output))
        reason = f"exit {done.returncode}: {one_line(output)} — fix the project's pytest setup {SWITCH_OFF}"
        return tool_error_run(SUITE, command, done.seconds, reason, output)
