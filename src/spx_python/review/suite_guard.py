"""The existing suite guard: the project's own tests run in the review; a failure is a blocking regression.

pytest runs with the project's own configuration (its testpaths, python_files, addopts; pytest 9's
native `[tool.pytest]` included) through the toolchain (the project's python, pytest lent when it has
none), with `spx/` left out (the story's tests run separately, with coverage), no cache plugin, and a
JUnit report and coverage data file in a temp dir, so the user's tree stays untouched. `[tool.spx]
existing_suite` is the time budget (default 600 s) or false (off). A run over budget is an advisory
`suite-not-guarded` finding; a suite that cannot start is a blocking tool error naming the way out.

A test that fails now is run again, alone, on the story's base commit (its files exported with `git
archive` into a temp dir, first on the import path): failing there too, it is a pre-existing failure
(listed, not blocking); passing there, the story broke it.
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from spx_python import git
from spx_python.errors import SpxError
from spx_python.review.findings import REGRESSION, SUITE_NOT_GUARDED, Finding
from spx_python.review.settings import PY_SUFFIX, SRC_DIR, ProjectSettings
from spx_python.review.tools import ToolRun, execute, one_line, tail, tool_error_run
from spx_python.spec.tree import SPEC_ROOT_NAME
from spx_python.toolchain.resolve import PYTEST, Launch, Toolchain, pytest_launch

SUITE = "existing suite"
JUNIT_NAME = "suite.xml"
COVERAGE_DATA_NAME = ".coverage"
EXIT_OK, EXIT_FAILED, EXIT_NO_TESTS = 0, 1, 5
PROBLEM_TAGS = ("failure", "error")
SWITCH_OFF = "or set `[tool.spx] existing_suite = false`"
BASE_DIR_NAME = "base"
BASE_REPORT_DIR = "base-report"
FAILS_AT_BASE = " — it fails at the story's base commit too: a pre-existing failure, not blocking"


def suite_command(launch: Launch, root: Path, out: Path, targets: Sequence[str] = ()) -> list[str]:
    return [
        *launch.argv,
        f"--rootdir={root}",
        *("-p", "no:cacheprovider", f"--ignore={root / SPEC_ROOT_NAME}"),
        f"--ignore-glob={root / SPEC_ROOT_NAME}/*",  # `--ignore` misses spx/ when testpaths names it
        *("-o", "junit_family=xunit1", f"--junitxml={out / JUNIT_NAME}", "-q", "--no-header"),
        *targets,
    ]


@dataclass(frozen=True)
class Failure:
    node: str  # pytest's node id, e.g. tests/test_words.py::ScaleTest::test_hundred
    file: str  # the test file, relative to the rootdir ("" when the report does not say)
    finding: Finding


def _failure(case: ElementTree.Element, problem: ElementTree.Element) -> Failure:
    name, classname = case.get("name") or "?", case.get("classname") or ""
    file = case.get("file") or (classname.replace(".", "/") + PY_SUFFIX if classname else "")
    last = classname.rsplit(".", 1)[-1]
    owner = f"{last}::" if last[:1].isupper() else ""
    node = f"{file}::{owner}{name}" if case.get("file") else f"{classname}::{name}"
    summary = (problem.get("message") or problem.tag).splitlines()[0][:200]
    message = f"regression in the existing suite: {node} ({problem.tag}: {summary})"
    line = int(case.get("line") or -1) + 1 if case.get("file") else 0
    return Failure(node, file, Finding(case.get("file") or "", line, REGRESSION, message))


def regressions(junit: Path) -> list[Failure]:
    """A failure (with its blocking finding) per failing or erroring test case of the suite's JUnit report."""
    root = ElementTree.parse(junit).getroot()  # noqa: S314 - pytest wrote this file moments ago
    return [_failure(case, p) for case in root.iter("testcase") for tag in PROBLEM_TAGS for p in case.findall(tag)]


def failing_at_base(
    settings: ProjectSettings, launch: Launch, base: str, failures: list[Failure], *, out: Path, budget: float
) -> set[str]:
    """The node ids of `failures` that fail on the base commit's files too (their test files run there alone)."""
    tree, report = out / BASE_DIR_NAME, out / BASE_REPORT_DIR
    try:
        git.export_tree(settings.root, base, tree)
    except SpxError:
        return set()
    files = sorted({f.file for f in failures if f.file and (tree / f.file).is_file()})
    if not files:  # the failing tests are new: the story's
        return set()
    roots = [tree / r.relative_to(settings.root) for r in settings.source_roots if settings.root in r.parents]
    bases = [str(root if root.name == SRC_DIR else root.parent) for root in roots] or [str(tree)]
    env = {"COVERAGE_FILE": str(out / COVERAGE_DATA_NAME), "PYTHONPATH": os.pathsep.join(bases)}
    report.mkdir()
    done = execute(suite_command(launch, tree, report, files), tree, budget, env, launch.env)
    if isinstance(done, str) or not (report / JUNIT_NAME).is_file():
        return set()
    return {failure.node for failure in regressions(report / JUNIT_NAME)}


def _judge(failures: list[Failure], old: set[str]) -> tuple[Finding, ...]:
    return tuple(
        dataclasses.replace(f.finding, blocking=False, preexisting=True, message=f.finding.message + FAILS_AT_BASE)
        if f.node in old
        else f.finding
        for f in failures
    )


def _not_guarded(command: list[str], seconds: float, budget: float) -> ToolRun:
    message = f"the existing suite did not finish within its {budget:g} s budget; it was not guarded"
    return ToolRun(SUITE, tuple(command), seconds, (Finding("", 0, SUITE_NOT_GUARDED, message, blocking=False),))


def run_existing_suite(settings: ProjectSettings, toolchain: Toolchain, base: str | None) -> ToolRun | None:
    """The project's own suite as a check (None when `existing_suite = false`); `base`: the story's base."""
    budget = settings.suite_budget
    if budget is None:
        return None
    with tempfile.TemporaryDirectory(prefix="spx-suite-") as temp:
        out = Path(temp)
        try:
            launch = pytest_launch(toolchain, (PYTEST,), out, os.environ)
        except SpxError as error:
            return tool_error_run(SUITE, [PYTEST], 0.0, f"{error.message} ({SWITCH_OFF})")
        command = suite_command(launch, settings.root, out)
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
            left = max(budget - (time.perf_counter() - started), 1.0)
            old = failing_at_base(settings, launch, base, found, out=out, budget=left) if found and base else set()
            return ToolRun(SUITE, tuple(command), time.perf_counter() - started, _judge(found, old), None, tail(output))
        reason = f"exit {done.returncode}: {one_line(output)} — fix the project's pytest setup {SWITCH_OFF}"
        return tool_error_run(SUITE, command, done.seconds, reason, output)
