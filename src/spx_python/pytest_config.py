"""Adding the spx pytest settings to a pyproject.toml by careful text editing (there is no TOML writer in stdlib).

`add_pytest_settings(text)` is pure. It never rewrites what is there: missing keys of
`[tool.pytest.ini_options]` are inserted right after the table's header line (or the whole table is
appended when there is none); a key that exists with an incompatible value is left alone and named in a
warning. The edited text is parsed again and must equal the old document plus exactly the added keys;
otherwise nothing is written and a warning says what to add by hand.
"""

from __future__ import annotations

import itertools
import re
import shlex
import sys
from collections.abc import Callable
from typing import Any, NamedTuple

from spx_python.config import PYPROJECT_NAME
from spx_python.tree import SPEC_ROOT_NAME, TEST_FILE_SUFFIXES

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

TABLE_NAME = "[tool.pytest.ini_options]"
_SPACE = r"[ \t]*"
TABLE_HEADER_RE = re.compile(
    rf"^{_SPACE}\[{_SPACE}tool{_SPACE}\.{_SPACE}pytest{_SPACE}\.{_SPACE}ini_options{_SPACE}\]{_SPACE}(#.*)?$", re.M
)
TEST_PATTERNS = tuple(f"*{suffix}" for suffix in TEST_FILE_SUFFIXES)
IMPORT_MODE = "--import-mode=importlib"
MARKERS = (
    "unit: level 1 - our logic, with the standard library and temporary directories only",
    "integration: level 2 - real dependencies through a documented harness",
    "e2e: level 3 - the product as its users run it",
)
PYTHON_FILES, ADDOPTS, MARKERS_KEY, TESTPATHS = "python_files", "addopts", "markers", "testpaths"
PYTHONPATH_KEY, SRC_DIR = "pythonpath", "src"
WANTED: dict[str, list[str]] = {PYTHON_FILES: list(TEST_PATTERNS), ADDOPTS: [IMPORT_MODE], MARKERS_KEY: list(MARKERS)}
# with a src/ layout, tests import the package from src/ without an editable install
SRC_LAYOUT_WANTED: dict[str, list[str]] = {**WANTED, PYTHONPATH_KEY: [SRC_DIR]}


class ConfigEdit(NamedTuple):
    text: str  # the new text (equal to the input when nothing changes)
    added: tuple[str, ...]  # keys added to [tool.pytest.ini_options]
    warnings: tuple[str, ...]


def _words(value: object, split: Callable[[str], list[str]]) -> list[str]:
    items = value if isinstance(value, list) else [value]
    words: list[str] = []
    for item in items:
        try:
            words += split(str(item))
        except ValueError:
            words += str(item).split()
    return words


def _missing_patterns(value: object) -> str | None:
    missing = [p for p in TEST_PATTERNS if p not in _words(value, str.split)]
    if not missing:
        return None
    return f"lacks {', '.join(missing)} — add them, or pytest will not collect the spx test files"


def _missing_import_mode(value: object) -> str | None:
    words = _words(value, shlex.split)
    if IMPORT_MODE in words or IMPORT_MODE in {f"{a}={b}" for a, b in itertools.pairwise(words)}:
        return None
    return (
        f"lacks {IMPORT_MODE} — add it, or pytest cannot import the dotted test file names "
        "nor two test files of the same name in different items"
    )


def _missing_markers(value: object) -> str | None:
    items = value if isinstance(value, list) else str(value).splitlines()
    present = {str(item).split(":", 1)[0].strip() for item in items}
    missing = [name for name in (m.split(":", 1)[0] for m in MARKERS) if name not in present]
    return f"lacks the markers {', '.join(missing)} — register them for --strict-markers" if missing else None


def _misses_spec_root(value: object) -> str | None:
    paths = [p.rstrip("/") for p in _words(value, str.split)]
    if any(p in (".", "", SPEC_ROOT_NAME) for p in paths):
        return None
    return f"does not include {SPEC_ROOT_NAME} — add it, or a bare `pytest` will not run the tests under spx/"


# Present keys whose values must give what spx needs; such a key is never edited, only warned about.
CHECKS: dict[str, Callable[[object], str | None]] = {
    PYTHON_FILES: _missing_patterns,
    ADDOPTS: _missing_import_mode,
    MARKERS_KEY: _missing_markers,
    TESTPATHS: _misses_spec_root,
}


def _conflicts(table: dict[str, Any]) -> list[str]:
    found = ((key, check(table[key])) for key, check in CHECKS.items() if key in table)
    return [f"{PYPROJECT_NAME}: {TABLE_NAME} {key} {problem}" for key, problem in found if problem is not None]


def render_lines(keys: list[str], wanted: dict[str, list[str]] = WANTED) -> list[str]:
    """TOML lines for the given keys, with our values."""
    lines: list[str] = []
    for key in keys:
        values = [f'"{v}"' for v in wanted[key]]
        if key == MARKERS_KEY:
            lines += [f"{key} = [", *(f"    {v}," for v in values), "]"]
        else:
            lines.append(f"{key} = [{', '.join(values)}]")
    return lines


def _expected(data: dict[str, Any], added: list[str], wanted: dict[str, list[str]]) -> dict[str, Any]:
    tool = dict(data.get("tool", {}))
    pytest_table = dict(tool.get("pytest", {}))
    options = dict(pytest_table.get("ini_options", {}))
    options.update({key: wanted[key] for key in added})
    pytest_table["ini_options"] = options
    tool["pytest"] = pytest_table
    return {**data, "tool": tool}


def _insert(text: str, table_exists: bool, lines: list[str]) -> str | None:
    """The text with the new lines in place, or None when the table is written in a form we do not edit."""
    newline = "\r\n" if "\r\n" in text else "\n"
    if not table_exists:
        separator = "" if not text else (newline if text.endswith("\n") else newline * 2)
        return text + separator + newline.join([TABLE_NAME, *lines]) + newline
    header = TABLE_HEADER_RE.search(text)
    if header is None:
        return None
    end = text.find("\n", header.end())
    position = len(text) if end < 0 else end + 1
    prefix = text[:position] if end >= 0 else text + newline
    return prefix + newline.join(lines) + newline + text[position:]


def _manual(added: list[str], why: str, wanted: dict[str, list[str]] = WANTED) -> str:
    lines = "; ".join(render_lines(added, wanted))
    return f"{PYPROJECT_NAME}: {why} — add under {TABLE_NAME} yourself: {lines}"


def add_pytest_settings(text: str | None, *, src_layout: bool = False) -> ConfigEdit:
    """Add what is missing of the spx pytest settings to a pyproject text (None: no file yet).

    `src_layout`: the project keeps its package under src/, so `pythonpath = ["src"]` is wanted too.
    """
    if text is None:
        return add_pytest_settings("", src_layout=src_layout)
    wanted = SRC_LAYOUT_WANTED if src_layout else WANTED
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return ConfigEdit(text, (), (f"{PYPROJECT_NAME}: not valid TOML ({error}) — fix it, then run spx init again",))
    tool = data.get("tool", {})
    pytest_table = tool.get("pytest", {}) if isinstance(tool, dict) else None
    if not isinstance(pytest_table, dict) or set(pytest_table) - {"ini_options"}:
        return ConfigEdit(text, (), (_manual(list(wanted), "uses pytest's native [tool.pytest] table", wanted),))
    table = pytest_table.get("ini_options")
    options: dict[str, Any] = table if isinstance(table, dict) else {}
    added = [key for key in wanted if key not in options]
    warnings = _conflicts(options)
    if not added:
        return ConfigEdit(text, (), tuple(warnings))
    new_text = _insert(text, table is not None, render_lines(added, wanted))
    if new_text is None or parse_toml(new_text) != _expected(data, added, wanted):
        why = f"{TABLE_NAME} is written in a form spx does not edit"
        return ConfigEdit(text, (), (*warnings, _manual(added, why, wanted)))
    return ConfigEdit(new_text, tuple(added), tuple(warnings))


def parse_toml(text: str) -> dict[str, Any] | None:
    """The parsed document, or None when `text` is not valid TOML."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None
