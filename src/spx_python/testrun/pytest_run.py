"""Running containers' test files with pytest in the project's environment, one process per run.

The argv always carries the seed's test naming (`-o python_files=...`) and `--import-mode=importlib`,
so same-named test files in different containers work without `__init__.py` files; the environment's
PYTEST_ADDOPTS, PYTEST_PLUGINS and PYTHONPATH are left out (`test_integrity.clean_environment`). The
interpreter, and pytest when the project lacks it, come from the toolchain (`spx_python.toolchain`: the
one environment rule). pytest's own
progress goes straight to the user's terminal (or to stderr, for callers whose stdout is data);
per-file outcomes come from a `--junitxml` report in a temporary directory.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import TextIO

from spx_python.errors import SpxError
from spx_python.spec.tree import TEST_FILE_SUFFIXES, Container
from spx_python.testrun.integrity import unrun_tests
from spx_python.testrun.junit import Outcome, parse_report
from spx_python.toolchain.provenance import announcement
from spx_python.toolchain.resolve import PYTEST, Launch, Toolchain, pytest_launch, resolve_toolchain

PYTHON_FILES = " ".join(f"*{suffix}" for suffix in TEST_FILE_SUFFIXES)
SPX_TEST_OPTIONS = ("-o", f"python_files={PYTHON_FILES}", "--import-mode=importlib", "-p", "no:cacheprovider")
REPORT_NAME = "report.xml"
PYTEST_USAGE_ERROR = 4
PYTEST_INTERNAL_ERROR = 3

TestKey = tuple[str, str]  # (container full path, test file name relative to tests/)
NOT_STARTED_HINT = "its message is above (the `environment:` line names the python and the pytest that ran)"
STOPPED_HINTS = {
    PYTEST_USAGE_ERROR: "it refused its options (its message is above): check [tool.pytest.ini_options] "
    "in pyproject.toml (addopts, a TOML error) or pytest.ini / setup.cfg / tox.ini",
    PYTEST_INTERNAL_ERROR: "it crashed inside pytest or a plugin (its traceback is above)",
}


def pytest_argv(project_root: Path, launch: Launch, files: Iterable[str], report: Path | None) -> list[str]:
    """The full pytest command for root-relative test `files` (run with the project root as cwd)."""
    argv = [*launch.argv, *SPX_TEST_OPTIONS, f"--rootdir={project_root}", "--continue-on-collection-errors"]
    if report is not None:
        argv.extend(["-o", "junit_family=xunit1", f"--junitxml={report}"])
    argv.extend(files)
    return argv


def _relative(project_root: Path, container: Container, name: str) -> str:
    return os.path.relpath(container.test_file(name), project_root)


class RunningTests:
    """One pytest process started in the background; `wait()` returns the per-file outcomes.

    Callers do their own disk reads while pytest runs (two cores: the wrapper's work overlaps the run).
    The environment it runs in is named first, on the same stream as pytest's output (`announcement`).
    """

    def __init__(
        self, project_root: Path, keyed: dict[str, TestKey], output: TextIO | None, toolchain: Toolchain | None
    ) -> None:
        self.project_root = project_root
        self.keyed = keyed
        self.files = sorted(keyed)
        self.process: subprocess.Popen[bytes] | None = None
        self.scratch = tempfile.mkdtemp(prefix="spx-pytest-")
        self.report = Path(self.scratch, REPORT_NAME)
        self.argv: list[str] = []
        self.pytest = "pytest"
        self.toolchain = toolchain
        if self.files:
            try:
                self.toolchain = toolchain or resolve_toolchain(project_root, os.environ)
                launch = pytest_launch(self.toolchain, (PYTEST,), Path(self.scratch), os.environ)
            except BaseException:
                shutil.rmtree(self.scratch, ignore_errors=True)
                raise
            self.argv = pytest_argv(project_root, launch, self.files, self.report)
            self.pytest = " ".join(launch.argv)
            self._start(sys.stdout if output is None else output, launch.env)

    def _start(self, target: TextIO, env: dict[str, str]) -> None:
        if self.toolchain is not None:
            print(announcement(self.toolchain), file=target)
        target.flush()
        try:
            self.process = subprocess.Popen(
                self.argv,
                cwd=self.project_root,
                env=env,
                stdout=target.fileno(),
                stdin=subprocess.DEVNULL,
            )
        except OSError as error:
            shutil.rmtree(self.scratch, ignore_errors=True)
            message = f"{self.argv[0]}: cannot start pytest ({error.strerror}) — install pytest in the project"
            raise SpxError(message) from None

    def wait(self) -> dict[TestKey, Outcome]:
        try:
            if self.process is None:
                return {}
            code = self.process.wait()
            if code in (PYTEST_USAGE_ERROR, PYTEST_INTERNAL_ERROR) or not self.report.is_file():
                raise SpxError(
                    f"{self.project_root}: pytest stopped with exit code {code} before reporting results — "
                    f"{STOPPED_HINTS.get(code, NOT_STARTED_HINT)}; run `{self.pytest}` on the test "
                    "files to see it again"
                )
            found = parse_report(self.report.read_bytes(), self.files)
        finally:
            shutil.rmtree(self.scratch, ignore_errors=True)
        return {self.keyed[name]: self._checked(name, found.get(name, Outcome())) for name in self.files}

    def _checked(self, name: str, outcome: Outcome) -> Outcome:
        """The outcome with the tests the file defines but the report does not mention counted as unrun."""
        if not outcome.names:
            return outcome
        unrun = unrun_tests(self.project_root / name, outcome.names)
        return replace(outcome, unrun=len(unrun)) if unrun else outcome


def start_tests(
    project_root: Path,
    targets: Iterable[tuple[Container, str]],
    output: TextIO | None = None,
    toolchain: Toolchain | None = None,
) -> RunningTests:
    """Start one pytest process over the given (container, test file name) pairs (output: default stdout), in
    the project's environment (`toolchain`; resolved here when not given)."""
    keyed = {_relative(project_root, c, name): (c.path, name) for c, name in targets}
    return RunningTests(project_root, keyed, output, toolchain)


def run_tests(
    project_root: Path, targets: Iterable[tuple[Container, str]], output: TextIO | None = None
) -> dict[TestKey, Outcome]:
    """Run the given (container, test file name) pairs in one pytest process; every file gets an outcome."""
    return start_tests(project_root, targets, output).wait()


def own_tests(containers: Iterable[Container]) -> list[tuple[Container, str]]:
    """Every present test file of the given containers (their own `tests/`, not descendants')."""
    return [(c, name) for c in containers for name in c.test_names]
