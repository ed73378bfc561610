"""The gate's own static checks, on the syntax tree (pure functions of file name and text).

Tests: no mocking, no deep relative imports, no `sys.path` edits, no bare `except`, and no asserting a
literal the implementation defines as a constant. Implementation: no deep relative imports, no
`sys.path` edits, no bare `except`, no string literal repeated within a module.

The constants rule ignores the arguments of translation calls: a message id is the text a translator
looks up, so `ngettext("file", "files", n)` or `NS_("thousand", "thousand")` repeating it is the API, not
drift. The gettext family is named in `GETTEXT_CALLS` (called by name or as a method, e.g.
`translations.gettext`), plus the one-to-three-capital-letter aliases `_`, `N_`, `C_`, `NC_`, `NS_`
(`GETTEXT_ALIAS_RE`). Given the lines a story changed, a repetition is reported at a changed occurrence
(the story added a copy) and otherwise at the second occurrence (a pre-existing repetition).
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TypeGuard

from spx_python.review.findings import (
    BARE_EXCEPT,
    DEEP_RELATIVE_IMPORT,
    MOCKING,
    REPEATED_LITERAL,
    SYNTAX_ERROR,
    SYS_PATH_EDIT,
    TEST_LITERAL_CONSTANT,
    Finding,
)

MOCK_MODULES = ("unittest.mock", "mock", "pytest_mock")
MOCKER_FIXTURES = frozenset({"mocker", "class_mocker", "module_mocker", "package_mocker", "session_mocker"})
MONKEYPATCH_NAME = "monkeypatch"
MONKEYPATCH_PATCHING = frozenset({"setattr", "delattr"})
SYS_PATH_METHODS = frozenset({"insert", "append", "extend", "remove", "pop", "clear", "__setitem__"})
MAX_RELATIVE_LEVEL_TESTS = 1  # `from .helpers import x` is fine in tests; `from ..` is not
MAX_RELATIVE_LEVEL_SOURCE = 2  # `from ..models import x` is fine in source; `from ...` is not
MIN_LITERAL_LENGTH = 3  # shorter strings (separators, flags) are exempt from the constants rule
CONSTANT_NAME_RE = re.compile(r"^_?[A-Z][A-Z0-9_]*$")
GETTEXT_CALLS = frozenset(
    {
        "gettext",
        "ngettext",
        "pgettext",
        "npgettext",
        "dgettext",
        "dngettext",
        "dpgettext",
        "dnpgettext",
        "ugettext",
        "ungettext",
        "lgettext",
        "lngettext",
        "gettext_lazy",
        "ngettext_lazy",
        "pgettext_lazy",
        "npgettext_lazy",
        "lazy_gettext",
        "lazy_ngettext",
        "lazy_pgettext",
    }
)
GETTEXT_ALIAS_RE = re.compile(r"^[A-Z]{0,3}_$")  # _, N_, C_, NC_, NS_


@dataclass(frozen=True)
class Constant:
    """A module-level `NAME = "literal"` in the implementation."""

    name: str
    file: str
    line: int


def parse(file: str, text: str) -> ast.Module | Finding:
    try:
        return ast.parse(text, filename=file)
    except SyntaxError as error:
        return Finding(file, error.lineno or 0, SYNTAX_ERROR, f"syntax error: {error.msg}")
    except ValueError as error:  # e.g. NUL bytes in the source
        return Finding(file, 0, SYNTAX_ERROR, f"cannot parse: {error}")


def _is_sys_path(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "path"
        and isinstance(node.value, ast.Name)
        and node.value.id == "sys"
    )


def _imported_modules(node: ast.AST) -> Iterator[str]:
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
    elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
        yield node.module
        yield from (f"{node.module}.{alias.name}" for alias in node.names)


def _mocking(file: str, node: ast.AST) -> Iterator[Finding]:
    for module in _imported_modules(node):
        if any(module == banned or module.startswith(banned + ".") for banned in MOCK_MODULES):
            yield Finding(file, getattr(node, "lineno", 0), MOCKING, f"imports `{module}`")
            return
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        for arg in [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]:
            if arg.arg in MOCKER_FIXTURES:
                yield Finding(file, arg.lineno, MOCKING, f"uses the pytest-mock fixture `{arg.arg}`")
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in MONKEYPATCH_PATCHING
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == MONKEYPATCH_NAME
    ):
        yield Finding(file, node.lineno, MOCKING, f"patches with `monkeypatch.{node.func.attr}`")


def _sys_path_edit(node: ast.AST) -> bool:
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr in SYS_PATH_METHODS and _is_sys_path(node.func.value)
    targets: list[ast.expr] = []
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, ast.AugAssign | ast.AnnAssign):
        targets = [node.target]
    return any(_is_sys_path(t) or (isinstance(t, ast.Subscript) and _is_sys_path(t.value)) for t in targets)


def _common(file: str, node: ast.AST, max_level: int) -> Iterator[Finding]:
    if isinstance(node, ast.ImportFrom) and node.level > max_level:
        dots = "." * node.level
        yield Finding(file, node.lineno, DEEP_RELATIVE_IMPORT, f"`from {dots}{node.module or ''} import …`")
    if _sys_path_edit(node):
        yield Finding(file, getattr(node, "lineno", 0), SYS_PATH_EDIT, "modifies `sys.path`")
    if isinstance(node, ast.ExceptHandler) and node.type is None:
        yield Finding(file, node.lineno, BARE_EXCEPT, "bare `except:`")


def check_test_file(file: str, text: str, constants: Mapping[str, Constant]) -> list[Finding]:
    """Findings in one test file; `constants` maps implementation string values to their definitions."""
    tree = parse(file, text)
    if isinstance(tree, Finding):
        return [tree]
    findings: list[Finding] = []
    for node in ast.walk(tree):
        findings.extend(_mocking(file, node))
        findings.extend(_common(file, node, MAX_RELATIVE_LEVEL_TESTS))
        if isinstance(node, ast.Assert):
            findings.extend(_asserted_constants(file, node, constants))
    return findings


def _asserted_constants(file: str, node: ast.Assert, constants: Mapping[str, Constant]) -> Iterator[Finding]:
    for value, line in _string_literals(node.test):
        constant = constants.get(value)
        if constant is not None:
            message = f"asserts {value!r}, which {constant.file}:{constant.line} defines as `{constant.name}`"
            yield Finding(file, line, TEST_LITERAL_CONSTANT, message)


def check_source_file(file: str, text: str, changed: frozenset[int] | None = None) -> list[Finding]:
    """Findings in one implementation file; `changed`: the lines the story changed (None: all)."""
    tree = parse(file, text)
    if isinstance(tree, Finding):
        return [tree]
    findings: list[Finding] = []
    for node in ast.walk(tree):
        findings.extend(_common(file, node, MAX_RELATIVE_LEVEL_SOURCE))
    findings.extend(_repeated_literals(file, tree, changed))
    return findings


def is_translation_call(node: ast.AST) -> TypeGuard[ast.Call]:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
    return name in GETTEXT_CALLS or bool(GETTEXT_ALIAS_RE.match(name))


def _excluded_nodes(tree: ast.Module) -> set[int]:
    """ids of string nodes the constants rule ignores: docstrings, f-string parts, annotations."""
    excluded: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                excluded.add(id(body[0].value))
        roots: list[ast.AST | None] = []
        if is_translation_call(node):
            roots = [*node.args, *(keyword.value for keyword in node.keywords)]
        elif isinstance(node, ast.JoinedStr):
            roots = [node]
        elif isinstance(node, ast.arg | ast.AnnAssign):
            roots = [node.annotation]
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            roots = [node.returns]
        for root in roots:
            if root is not None:
                excluded.update(id(inner) for inner in ast.walk(root))
    return excluded


def _string_literals(root: ast.AST, excluded: set[int] | None = None) -> Iterator[tuple[str, int]]:
    skip = excluded if excluded is not None else set()
    for node in ast.walk(root):
        if isinstance(node, ast.JoinedStr):
            skip.update(id(inner) for inner in ast.walk(node))
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and len(node.value) >= MIN_LITERAL_LENGTH
            and id(node) not in skip
        ):
            yield node.value, node.lineno


def _repeated_literals(file: str, tree: ast.Module, changed: frozenset[int] | None) -> Iterator[Finding]:
    lines: dict[str, list[int]] = defaultdict(list)
    for value, line in _string_literals(tree, _excluded_nodes(tree)):
        lines[value].append(line)
    for value, where in lines.items():
        if len(where) > 1:
            ordered = sorted(where)
            shown = ", ".join(str(n) for n in ordered)
            message = f"the string {value!r} appears {len(ordered)} times (lines {shown})"
            added = [n for n in ordered if changed is None or n in changed]
            yield Finding(file, added[0] if added and changed is not None else ordered[1], REPEATED_LITERAL, message)


def module_constants(file: str, text: str) -> dict[str, Constant]:
    """Module-level UPPER_SNAKE string constants of one implementation file, by value."""
    tree = parse(file, text)
    if isinstance(tree, Finding):
        return {}
    found: dict[str, Constant] = {}
    for node in tree.body:
        target: ast.expr | None = None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
        elif isinstance(node, ast.AnnAssign):
            target = node.target
        value = getattr(node, "value", None)
        if (
            isinstance(target, ast.Name)
            and CONSTANT_NAME_RE.match(target.id)
            and isinstance(value, ast.Constant)
            and isinstance(value.value, str)
            and len(value.value) >= MIN_LITERAL_LENGTH
        ):
            found.setdefault(value.value, Constant(target.id, file, node.lineno))
    return found
