"""Is a test run evidence? Tests a file defines that did not run, and conftest hooks that rewrite outcomes.

Standard library only (the stamp and `spx spec test` use it; so does the review gate).

- A test function the file defines (`def test*` at module level, or in a `class Test*`) must appear in
  the run's report. One that is missing was deselected or never collected (`-k`/`--deselect`/`-m` in
  addopts, `pytest_collection_modifyitems`, `__test__ = False`, another `python_functions`): it proved
  nothing, so its file does not pass.
- A `conftest.py` that pytest loads for the test files (project root down to each `tests/`) must not
  implement the hooks that decide or report outcomes, nor load plugins (`pytest_plugins`): such a hook
  can turn a failure into a pass, and nothing in the report would show it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

TEST_PREFIX = "test"
TEST_CLASS_PREFIX = "Test"
PARAMS_START = "["
CONFTEST = "conftest.py"
FIXTURE_NAME = "fixture"
PLUGINS_NAME = "pytest_plugins"
OUTCOME_HOOKS = frozenset(
    {
        "pytest_runtest_protocol",
        "pytest_runtest_call",
        "pytest_runtest_makereport",
        "pytest_runtest_logreport",
        "pytest_pyfunc_call",
        "pytest_report_teststatus",
        "pytest_report_from_serializable",
        "pytest_make_collect_report",
        "pytest_collectreport",
        "pytest_sessionfinish",
    }
)


class DefinedTest(NamedTuple):
    name: str
    line: int


class HookUse(NamedTuple):
    """A conftest hook or plugin load that can change what a test run reports."""

    path: Path
    line: int
    what: str

    def message(self, shown_path: str) -> str:
        return (
            f"{shown_path}:{self.line}: {self.what} can change test outcomes, so the run is no evidence — "
            "remove it from the conftest (fixtures are fine; outcome and reporting hooks are not)"
        )


def _is_fixture(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
        if name == FIXTURE_NAME:
            return True
    return False


def _test_functions(body: Iterable[ast.stmt]) -> Iterator[DefinedTest]:
    for node in body:
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) or _is_fixture(node):
            continue
        if node.name.startswith(TEST_PREFIX):
            yield DefinedTest(node.name, node.lineno)


def defined_tests(text: str) -> list[DefinedTest]:
    """Test functions pytest collects by default from a module's text (none when it does not parse)."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return []
    found = list(_test_functions(tree.body))
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name.startswith(TEST_CLASS_PREFIX):
            found.extend(_test_functions(node.body))
    return found


def base_name(case_name: str) -> str:
    """`test_x[1-2]` → `test_x` (a parametrized case counts for its function)."""
    return case_name.split(PARAMS_START, 1)[0]


def unrun_tests(path: Path, ran: Iterable[str]) -> list[DefinedTest]:
    """Tests `path` defines that are not among the reported case names `ran` (unreadable file: none)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    names = {base_name(name) for name in ran}
    return [test for test in defined_tests(text) if test.name not in names]


def conftest_files(project_root: Path, test_files: Iterable[Path]) -> list[Path]:
    """The conftest.py files pytest loads for `test_files`: in the project root and every directory down."""
    root = project_root.resolve()
    found: set[Path] = set()
    for test_file in test_files:
        directory = test_file.resolve().parent
        for candidate_dir in (directory, *directory.parents):
            candidate = candidate_dir / CONFTEST
            if candidate.is_file():
                found.add(candidate)
            if candidate_dir == root:
                break
    return sorted(found)


def _hook_uses(path: Path, text: str) -> Iterator[HookUse]:
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name in OUTCOME_HOOKS:
            yield HookUse(path, node.lineno, f"the hook `{node.name}`")
        elif isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == PLUGINS_NAME for t in targets):
                yield HookUse(path, node.lineno, f"`{PLUGINS_NAME}` (loading plugins)")


def outcome_hooks(project_root: Path, test_files: Iterable[Path]) -> list[HookUse]:
    """Outcome-changing hooks and plugin loads in the conftest files that apply to `test_files`."""
    uses: list[HookUse] = []
    for path in conftest_files(project_root, test_files):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        uses.extend(_hook_uses(path, text))
    return uses
