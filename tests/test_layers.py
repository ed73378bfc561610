"""The direction of the house, read from the source: `cli/` is the only package that prints or that others may not
import, and the CLI never reaches into a hook. A rule broken anywhere (a lazy import inside a function too)
names the module and line that broke it.
"""

from __future__ import annotations

import ast
from typing import TypeGuard

from cli_runner import REPO_ROOT

PACKAGE = REPO_ROOT / "src" / "spx_python"
CLI, HOOKS = "spx_python.cli", "spx_python.hooks"
# Modules outside cli/ that write to a terminal themselves, and why that is their job:
PRINTING = {
    # runs inside the project's interpreter; the JSON it prints is its whole answer to spx
    "spx_python.toolchain.probe_script",
    # writes its one line naming the environment to the stream it hands pytest, so it comes before pytest's output
    "spx_python.testrun.pytest_run",
}


def modules() -> dict[str, ast.Module]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = ast.parse(path.read_text(encoding="utf-8"), str(path))
    return found


def imported(module: str, tree: ast.Module) -> list[tuple[int, str]]:
    """(line, module) for every import in the module, at the top or inside a function."""
    names: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module is not None:
            base = node.module if node.level == 0 else _relative(module, node.module, node.level)
            names += [(node.lineno, base)] + [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return names


def _relative(module: str, name: str, level: int) -> str:
    return ".".join([*module.split(".")[:-level], name])


def is_print(node: ast.AST) -> TypeGuard[ast.Call]:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print"


def within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def test_nothing_outside_the_cli_imports_it() -> None:
    broken = [
        f"{module}:{line} imports {name}"
        for module, tree in modules().items()
        if not within(module, CLI)
        for line, name in imported(module, tree)
        if within(name, CLI)
    ]
    assert broken == []


def test_the_cli_never_imports_a_hook_module() -> None:
    broken = [
        f"{module}:{line} imports {name}"
        for module, tree in modules().items()
        if within(module, CLI)
        for line, name in imported(module, tree)
        if within(name, HOOKS)
    ]
    assert broken == []


def test_only_the_cli_prints() -> None:
    printing = {
        f"{module}:{node.lineno}"
        for module, tree in modules().items()
        if not within(module, CLI) and module not in PRINTING
        for node in ast.walk(tree)
        if is_print(node)
    }
    assert printing == set()


def test_the_exceptions_are_real() -> None:
    """An exception for a module that no longer prints is a hole in the rule: it would let a new print through."""
    found = modules()
    assert {module for module in PRINTING if any(map(is_print, ast.walk(found[module])))} == PRINTING


def test_the_reader_sees_lazy_and_relative_imports() -> None:
    """The reader finds what a module imports inside a function, and resolves a relative import."""
    tree = ast.parse("def f():\n    from spx_python.cli.main import run\n\nfrom ..cli import output\n")
    names = {name for _, name in imported("spx_python.evidence.stamp_write", tree)}
    assert {"spx_python.cli.main", "spx_python.cli", "spx_python.cli.output"} <= names
