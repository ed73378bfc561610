"""Adding the spx pytest settings to an INI-style pytest configuration: `pytest.ini`, `.pytest.ini`,
`tox.ini` (`[pytest]`) or `setup.cfg` (`[tool:pytest]`).

Pure, like `setup.pytest_pyproject` for pyproject.toml, and with the same rules (keys added, the project's own
values kept in front of spx's): missing keys are inserted right after the section header, an existing
`python_files` / `testpaths` / `markers` is rewritten with its values plus spx's. The result is parsed
again and must equal the old file plus exactly these changes; otherwise nothing is written and a warning
gives the lines to paste.
"""

from __future__ import annotations

import configparser
import re
from typing import Any

from spx_python.setup.pytest_pyproject import MARKERS_KEY, ConfigEdit, spx_changes
from spx_python.setup.toml_text import newline_of

INI_SECTIONS = {"pytest.ini": "pytest", ".pytest.ini": "pytest", "tox.ini": "pytest", "setup.cfg": "tool:pytest"}
CONTINUATION_INDENT = "    "


def _parsed(text: str) -> dict[str, dict[str, str]] | None:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment, method-assign]  # pytest's keys are case-sensitive
    try:
        parser.read_string(text)
    except configparser.Error:
        return None
    return {name: dict(parser[name]) for name in parser.sections()}


def has_section(text: str, section: str) -> bool:
    parsed = _parsed(text)
    return parsed is not None and section in parsed


def _as_option(key: str, value: str) -> object:
    """The ini value as pytest reads it: a list of lines for markers, else the text."""
    return [line.strip() for line in value.splitlines() if line.strip()] if key == MARKERS_KEY else value


def _lines(key: str, values: list[str], newline: str) -> str:
    if key == MARKERS_KEY:
        return newline.join([f"{key} =", *(CONTINUATION_INDENT + v for v in values)])
    return f"{key} = {' '.join(values)}"


def _value(key: str, values: list[str]) -> str:
    """What configparser reads back from `_lines`."""
    return "\n" + "\n".join(values) if key == MARKERS_KEY else " ".join(values)


def _section_body(text: str, section: str) -> tuple[int, int] | None:
    header = re.compile(rf"^\[{re.escape(section)}\][ \t]*$", re.M).search(text)
    if header is None:
        return None
    end_of_line = text.find("\n", header.end())
    start = len(text) if end_of_line < 0 else end_of_line + 1
    following = re.compile(r"^\[", re.M).search(text, start)
    return start, len(text) if following is None else following.start()


def _continuation_end(text: str, position: int, limit: int) -> int:
    """Where a value's continuation lines (indented, not blank) starting at `position` end."""
    while position < limit:
        line_end = text.find("\n", position, limit)
        following = limit if line_end < 0 else line_end + 1
        line = text[position:following]
        if not (line[:1] in (" ", "\t") and line.strip()):
            break
        position = following
    return position


def _replace(text: str, body: tuple[int, int], key: str, new: str) -> str | None:
    found = re.compile(rf"^{re.escape(key)}[ \t]*[=:]", re.M).search(text, *body)
    if found is None:
        return None
    line_end = text.find("\n", found.end(), body[1])
    end = _continuation_end(text, body[1] if line_end < 0 else line_end + 1, body[1])
    return text[: found.start()] + new + newline_of(text) + text[end:]


def _edited(text: str, section: str, added: dict[str, list[str]], extended: dict[str, list[str]]) -> str | None:
    newline = newline_of(text)
    edited: str | None = text
    for key, values in extended.items():
        body = None if edited is None else _section_body(edited, section)
        edited = None if edited is None or body is None else _replace(edited, body, key, _lines(key, values, newline))
    lines = newline.join(_lines(key, values, newline) for key, values in added.items())
    if edited is None or not lines:
        return edited
    body = _section_body(edited, section)
    if body is None:
        separator = "" if not edited else (newline if edited.endswith("\n") else newline * 2)
        return f"{edited}{separator}[{section}]{newline}{lines}{newline}"
    return edited[: body[0]] + lines + newline + edited[body[0] :]


def _manual(name: str, section: str, changes: dict[str, list[str]], why: str) -> str:
    lines = "\n".join(_lines(key, values, "\n") for key, values in changes.items())
    return f"{name}: {why} — set these under [{section}] yourself (replacing a line of the same key):\n{lines}"


def add_ini_settings(text: str, name: str, *, src_layout: bool = False) -> ConfigEdit:
    """Add what is missing of the spx pytest settings to the INI file `name` (its text given)."""
    section = INI_SECTIONS[name]
    parsed = _parsed(text)
    if parsed is None:
        return ConfigEdit(text, (), (f"{name}: not a valid INI file — fix it, then run spx init again",))
    options: dict[str, Any] = {key: _as_option(key, value) for key, value in parsed.get(section, {}).items()}
    added, extended, problems = spx_changes(options, src_layout)
    table = f"[{section}]"
    warnings = [f"{name}: {table} {problem}" for problem in problems]
    if not added and not extended:
        return ConfigEdit(text, (), tuple(warnings), (), table)
    new_text = _edited(text, section, added, extended)
    expected = {**parsed, section: {**parsed.get(section, {})}}
    expected[section].update({key: _value(key, values) for key, values in {**added, **extended}.items()})
    if new_text is None or _parsed(new_text) != expected:
        why = f"{table} is written in a form spx does not edit"
        return ConfigEdit(text, (), (*warnings, _manual(name, section, {**extended, **added}, why)), (), table)
    return ConfigEdit(new_text, tuple(added), tuple(warnings), tuple(extended), table)
