"""Tests that prove nothing (a pure function of file name and text).

- `vacuous-assert`: an assertion that cannot fail (`assert True`, `assert "text"`, `assert (x, "msg")`,
  `assert x == x`);
- `test-without-assert`: a test function with no assertion: no `assert`, no `pytest.raises`/`warns`
  block, no `pytest.fail`, and no call of a helper named like an assertion (`assert_*`, `check_*`,
  `expect_*`, `verify_*`);
- `swallowed-failure`: an `except` in a test that catches AssertionError, Exception or BaseException
  and does not raise again, so the test passes whatever happens.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from spx_python.review.findings import SWALLOWED_FAILURE, TEST_WITHOUT_ASSERT, VACUOUS_ASSERT, Finding
from spx_python.testrun.integrity import TestFunction, test_functions

FAIL = "fail"
ASSERTING_CALLS = frozenset({"raises", "warns", "deprecated_call", FAIL})
ASSERTING_PREFIXES = ("assert", "check", "expect", "verify")
SWALLOWING_TYPES = frozenset({"AssertionError", "Exception", "BaseException"})


def _call_name(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _asserts(function: TestFunction) -> bool:
    for node in ast.walk(function):
        if isinstance(node, ast.Assert):
            return True
        if isinstance(node, ast.Call):
            name = _call_name(node).lstrip("_").lower()
            if name in ASSERTING_CALLS or name.startswith(ASSERTING_PREFIXES):
                return True
    return False


def _vacuous(node: ast.Assert) -> bool:
    test = node.test
    if isinstance(test, ast.Constant):
        return bool(test.value)
    if isinstance(test, ast.Tuple):
        return bool(test.elts)
    if isinstance(test, ast.Compare) and len(test.comparators) == 1 and isinstance(test.ops[0], ast.Eq | ast.Is):
        return ast.dump(test.left) == ast.dump(test.comparators[0])
    return False


def _caught_names(handler: ast.ExceptHandler) -> set[str]:
    kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return {kind.id for kind in kinds if isinstance(kind, ast.Name)}


def _swallows(handler: ast.ExceptHandler) -> bool:
    if handler.type is None or not _caught_names(handler) & SWALLOWING_TYPES:
        return False  # a bare except is its own rule
    return not any(
        isinstance(node, ast.Raise) or (isinstance(node, ast.Call) and _call_name(node) == FAIL)
        for node in ast.walk(handler)
    )


def _function_findings(file: str, function: TestFunction) -> Iterator[Finding]:
    if not _asserts(function):
        message = f"{function.name} asserts nothing, so it passes whatever the code does"
        yield Finding(file, function.lineno, TEST_WITHOUT_ASSERT, message)


def check_tests_prove_something(file: str, text: str) -> list[Finding]:
    """Findings in one test file (a file that does not parse is reported elsewhere)."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return []
    findings = [f for function in test_functions(tree) for f in _function_findings(file, function)]
    for node in ast.walk(tree):
        if isinstance(node, ast.Assert) and _vacuous(node):
            findings.append(Finding(file, node.lineno, VACUOUS_ASSERT, "this assertion can never fail"))
        elif isinstance(node, ast.ExceptHandler) and _swallows(node):
            caught = ", ".join(sorted(_caught_names(node) & SWALLOWING_TYPES))
            message = f"catches {caught} without raising again, so a failing check inside still passes"
            findings.append(Finding(file, node.lineno, SWALLOWED_FAILURE, message))
    return findings
