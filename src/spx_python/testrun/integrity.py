"""Is a test run evidence? Tests a file defines that did not run, and conftest hooks that rewrite outcomes.

Standard library only (the stamp and `spx spec test` use it; so does the review gate).

- A test function the file defines (`def test*` at module level, or in a `class Test*`) must appear in
  the run's report. One that is missing was deselected or never collected (`-k`/`--deselect`/`-m` in
  addopts, `pytest_collection_modifyitems`, `__test__ = False`, another `python_functions`): it proved
  nothing, so its file does not pass.
- A `conftest.py` that pytest loads for the test files (project root down to each `tests/`) must not
  implement the hooks that decide or report outcomes, nor load plugins (`pytest_plugins`): such a hook
  can turn a failure into a pass, and nothing in the report would show it. Neither may the project's
  pytest configuration load a plugin (`-p name` in `addopts`; `-p no:name` is fine).
- The environment's PYTEST_ADDOPTS, PYTEST_PLUGINS and PYTHONPATH never reach the test run
  (`clean_environment`): they could deselect tests or load such a plugin, and they leave no trace.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator, Mapping
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


PYTEST_CONFIG_FILES = ("pytest.ini", ".pytest.ini", "pyproject.toml", "tox.ini", "setup.cfg")
ADDOPTS_RE = re.compile(r"^\s*addopts\s*=")
CONTINUATION_RE = re.compile(r"^\s+\S|^\s*[\]\"',]")  # an indented ini line, or the rest of a TOML list
PLUGIN_OPTION_RE = re.compile(r"(?:^|[\s\"'\[,=])-p[\s\"',=]*(?!no:)(?P<name>[A-Za-z_][\w.:-]*)")
UNTRUSTED_ENVIRONMENT = ("PYTEST_ADDOPTS", "PYTEST_PLUGINS", "PYTHONPATH")


def clean_environment(environ: Mapping[str, str]) -> dict[str, str]:
    """The environment for a test run: `environ` without the variables that can change what pytest runs."""
    return {key: value for key, value in environ.items() if key not in UNTRUSTED_ENVIRONMENT}


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
            "remove it (conftests may hold fixtures; outcome and reporting hooks and plugin loads are not allowed)"
        )


def _is_fixture(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
        if name == FIXTURE_NAME:
            return True
    return False


TestFunction = ast.FunctionDef | ast.AsyncFunctionDef


def _functions(body: Iterable[ast.stmt]) -> Iterator[TestFunction]:
    for node in body:
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) or _is_fixture(node):
            continue
        if node.name.startswith(TEST_PREFIX):
            yield node


def test_functions(tree: ast.Module) -> Iterator[TestFunction]:
    """The test functions pytest collects by default: `test*` at module level and in `Test*` classes."""
    yield from _functions(tree.body)
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name.startswith(TEST_CLASS_PREFIX):
            yield from _functions(node.body)


def defined_tests(text: str) -> list[DefinedTest]:
    """Test functions pytest collects by default from a module's text (none when it does not parse)."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return []
    return [DefinedTest(node.name, node.lineno) for node in test_functions(tree)]


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


def _addopts_lines(lines: list[str]) -> Iterator[tuple[int, str]]:
    """(line number, text) of every `addopts =` line and the continuation lines after it."""
    inside = False
    for number, text in enumerate(lines, start=1):
        inside = bool(ADDOPTS_RE.match(text)) or (inside and bool(CONTINUATION_RE.match(text)))
        if inside:
            yield number, text


def config_plugin_loads(project_root: Path) -> list[HookUse]:
    """`-p name` options in the `addopts` of the project's pytest configuration files."""
    uses: list[HookUse] = []
    for name in PYTEST_CONFIG_FILES:
        path = project_root / name
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        for number, text in _addopts_lines(lines):
            uses.extend(
                HookUse(path, number, f"`-p {match['name']}` in addopts (loading a plugin)")
                for match in PLUGIN_OPTION_RE.finditer(text)
            )
    return uses


def outcome_hooks(project_root: Path, test_files: Iterable[Path]) -> list[HookUse]:
    """Outcome-changing hooks and plugin loads in the conftest files that apply to `test_files`, and
    plugins the project's pytest configuration loads."""
    uses: list[HookUse] = config_plugin_loads(project_root)
    for path in conftest_files(project_root, test_files):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        uses.extend(_hook_uses(path, text))
    return uses
