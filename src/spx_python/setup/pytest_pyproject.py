"""Adding the spx pytest settings to a pyproject.toml without taking anything away from the project.

`add_pytest_settings(text)` is pure. It writes into the table the project already uses: pytest 9's native
`[tool.pytest]` (TOML lists) when that holds settings, else `[tool.pytest.ini_options]` (appended when
absent). Missing keys are inserted after the table's header; `python_files`, `testpaths` and `markers` that
exist are extended, never replaced: the project's own patterns stay, spx's are added (`testpaths` gains
`spx` only when it is set: without it pytest collects from the root, spx/ included). An absent
`python_files` becomes pytest's defaults plus spx's, so the project's `test_*.py` are still collected.
The edited text is parsed again and must equal the old document plus exactly these changes; otherwise
nothing is written and a warning gives the TOML lines to paste.
"""

from __future__ import annotations

import itertools
import shlex
from collections.abc import Callable
from typing import Any, NamedTuple

from spx_python.config import PYPROJECT_NAME
from spx_python.setup.toml_text import (
    append_table,
    header_name,
    insert_after_header,
    newline_of,
    render_value,
    replace_assignment,
)
from spx_python.spec.tree import SPEC_ROOT_NAME, TEST_FILE_SUFFIXES
from spx_python.toml_read import parse_toml

INI_TABLE = ("tool", "pytest", "ini_options")
NATIVE_TABLE = ("tool", "pytest")
TABLE_NAME = header_name(INI_TABLE)
NATIVE_TABLE_NAME = header_name(NATIVE_TABLE)
PYTEST_TOML_NAMES = ("pytest.toml", ".pytest.toml")  # pytest 9's own TOML files: settings in [pytest]
PYTEST_TOML_TABLE = ("pytest",)
TEST_PATTERNS = tuple(f"*{suffix}" for suffix in TEST_FILE_SUFFIXES)
DEFAULT_PYTHON_FILES = ("test_*.py", "*_test.py")  # pytest's own default: kept when python_files is added
IMPORT_MODE = "--import-mode=importlib"
MARKERS = (
    "unit: level 1 - our logic, with the standard library and temporary directories only",
    "integration: level 2 - real dependencies through a documented harness",
    "e2e: level 3 - the product as its users run it",
)
PYTHON_FILES, ADDOPTS, MARKERS_KEY, TESTPATHS = "python_files", "addopts", "markers", "testpaths"
PYTHONPATH_KEY, SRC_DIR = "pythonpath", "src"
WANTED: dict[str, list[str]] = {
    PYTHON_FILES: [*DEFAULT_PYTHON_FILES, *TEST_PATTERNS],
    ADDOPTS: [IMPORT_MODE],
    MARKERS_KEY: list(MARKERS),
}
# with a src/ layout, tests import the package from src/ without an editable install
SRC_LAYOUT_WANTED: dict[str, list[str]] = {**WANTED, PYTHONPATH_KEY: [SRC_DIR]}


class ConfigEdit(NamedTuple):
    text: str  # the new text (equal to the input when nothing changes)
    added: tuple[str, ...]  # keys added to the table
    warnings: tuple[str, ...]
    extended: tuple[str, ...] = ()  # existing keys that gained spx's values
    table: str = TABLE_NAME  # the table written to


def _words(value: object, split: Callable[[str], list[str]]) -> list[str]:
    items = value if isinstance(value, list) else [value]
    words: list[str] = []
    for item in items:
        try:
            words += split(str(item))
        except ValueError:
            words += str(item).split()
    return words


def _with_patterns(value: object) -> list[str] | None:
    words = _words(value, str.split)
    missing = [p for p in TEST_PATTERNS if p not in words]
    return [*words, *missing] if missing else None


def _with_spec_root(value: object) -> list[str] | None:
    paths = _words(value, str.split)
    if any(p.rstrip("/") in (".", "", SPEC_ROOT_NAME) for p in paths):
        return None
    return [*paths, SPEC_ROOT_NAME]


def _marker_name(marker: str) -> str:
    return marker.split(":", 1)[0].split("(", 1)[0].strip()


def _with_markers(value: object) -> list[str] | None:
    items = [str(i) for i in value] if isinstance(value, list) else [s.strip() for s in str(value).splitlines()]
    items = [item for item in items if item]
    present = {_marker_name(item) for item in items}
    missing = [m for m in MARKERS if _marker_name(m) not in present]
    return [*items, *missing] if missing else None


# Present keys that are extended with spx's values (the project's own values stay, in front).
EXTENDERS: dict[str, Callable[[object], list[str] | None]] = {
    PYTHON_FILES: _with_patterns,
    TESTPATHS: _with_spec_root,
    MARKERS_KEY: _with_markers,
}


def _missing_import_mode(value: object) -> str | None:
    words = _words(value, shlex.split)
    if IMPORT_MODE in words or IMPORT_MODE in {f"{a}={b}" for a, b in itertools.pairwise(words)}:
        return None
    return (
        f"lacks {IMPORT_MODE} — add it, or a bare pytest cannot import the dotted test file names "
        "nor two test files of the same name in different items"
    )


def _line(key: str, values: list[str], newline: str) -> str:
    return render_value(key, values, newline, one_per_line=key == MARKERS_KEY)


def manual_lines(changes: dict[str, list[str]], newline: str = "\n") -> str:
    """TOML lines to paste: one assignment per key (valid TOML on their own)."""
    return newline.join(_line(key, values, newline) for key, values in changes.items())


def _manual(name: str, changes: dict[str, list[str]], why: str, table: str) -> str:
    return (
        f"{name}: {why} — set these under {table} yourself (replacing a line of the same key):\n{manual_lines(changes)}"
    )


def _expected(data: dict[str, Any], dotted: tuple[str, ...], changes: dict[str, list[str]]) -> dict[str, Any]:
    if not dotted:
        return {**data, **changes}
    inner = data.get(dotted[0], {})
    return {**data, dotted[0]: _expected(inner if isinstance(inner, dict) else {}, dotted[1:], changes)}


def _edited(text: str, dotted: tuple[str, ...], present: bool, options: dict[str, Any], *,
            added: dict[str, list[str]], extended: dict[str, list[str]]) -> str | None:  # fmt: skip
    newline = newline_of(text)
    edited: str | None = text
    for key, values in extended.items():
        if edited is not None:
            edited = replace_assignment(edited, dotted, key, options[key], _line(key, values, newline))
    lines = [_line(key, values, newline) for key, values in added.items()]
    if edited is not None and lines:
        edited = insert_after_header(edited, dotted, lines) if present else append_table(edited, dotted, lines)
    return edited


def spx_changes(
    options: dict[str, Any], src_layout: bool
) -> tuple[dict[str, list[str]], dict[str, list[str]], list[str]]:
    """What spx needs of a pytest settings table: keys to add, existing keys extended, and problems it leaves."""
    wanted = SRC_LAYOUT_WANTED if src_layout else WANTED
    added = {key: values for key, values in wanted.items() if key not in options}
    extended = {key: new for key, grow in EXTENDERS.items() if key in options and (new := grow(options[key]))}
    problem = _missing_import_mode(options[ADDOPTS]) if ADDOPTS in options else None
    return added, extended, [f"{ADDOPTS} {problem}"] if problem else []


def _table_of(data: dict[str, Any], name: str) -> tuple[tuple[str, ...], dict[str, Any] | None] | str:
    """Which table holds the settings in file `name` and its current content (None: absent), or a problem."""
    if name in PYTEST_TOML_NAMES:
        found = data.get(PYTEST_TOML_TABLE[0])
        return (PYTEST_TOML_TABLE, found) if found is None or isinstance(found, dict) else "[pytest] is not a table"
    tool = data.get("tool", {})
    pytest_table = tool.get("pytest", {}) if isinstance(tool, dict) else None
    if not isinstance(pytest_table, dict):
        return "tool.pytest is not a table"
    if set(pytest_table) - {"ini_options"}:  # pytest 9's native table
        return NATIVE_TABLE, {k: v for k, v in pytest_table.items() if k != "ini_options"}
    found = pytest_table.get("ini_options")
    return (INI_TABLE, found) if found is None or isinstance(found, dict) else "tool.pytest.ini_options is not a table"


def add_pytest_settings(text: str | None, *, src_layout: bool = False, name: str = PYPROJECT_NAME) -> ConfigEdit:
    """Add what is missing of the spx pytest settings to a pyproject text (None: no file yet).

    `src_layout`: the project keeps its package under src/, so `pythonpath = ["src"]` is wanted too.
    `name`: pyproject.toml, or pytest.toml / .pytest.toml (settings in their `[pytest]` table).
    """
    if text is None:
        return add_pytest_settings("", src_layout=src_layout, name=name)
    data = parse_toml(text)
    located = "not valid TOML" if data is None else _table_of(data, name)
    if data is None or isinstance(located, str):
        return ConfigEdit(text, (), (f"{name}: {located} — fix it, then run spx init again",))
    dotted, found = located
    table = header_name(dotted)
    options = found or {}
    added, extended, problems = spx_changes(options, src_layout)
    warnings = [f"{name}: {table} {problem}" for problem in problems]
    if not added and not extended:
        return ConfigEdit(text, (), tuple(warnings), (), table)
    new_text = _edited(text, dotted, found is not None, options, added=added, extended=extended)
    if new_text is None or parse_toml(new_text) != _expected(data, dotted, {**options, **added, **extended}):
        why = f"{table} is written in a form spx does not edit"
        return ConfigEdit(text, (), (*warnings, _manual(name, {**extended, **added}, why, table)), (), table)
    return ConfigEdit(new_text, tuple(added), tuple(warnings), tuple(extended), table)
