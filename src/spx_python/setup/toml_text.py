"""Careful textual edits of a TOML document (there is no TOML writer in stdlib): find a table's header,
a key's assignment inside it, insert lines after the header, replace one assignment.

Pure functions over text. Every caller re-parses the result and compares it with what it expected,
so a form these helpers misread is refused, never written.
"""

from __future__ import annotations

import json
import re

from spx_python.toml_read import parse_toml

_SPACE = r"[ \t]*"
_NEXT_TABLE_RE = re.compile(r"^[ \t]*\[", re.M)


def header_name(dotted: tuple[str, ...]) -> str:
    return f"[{'.'.join(dotted)}]"


def _header_re(dotted: tuple[str, ...]) -> re.Pattern[str]:
    inner = rf"{_SPACE}\.{_SPACE}".join(re.escape(part) for part in dotted)
    return re.compile(rf"^{_SPACE}\[{_SPACE}{inner}{_SPACE}\]{_SPACE}(#.*)?$", re.M)


def newline_of(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def _body(text: str, dotted: tuple[str, ...]) -> tuple[int, int] | None:
    """Where the table's key lines are: from after its header line to the next table header (or the end)."""
    header = _header_re(dotted).search(text)
    if header is None:
        return None
    end_of_line = text.find("\n", header.end())
    start = len(text) if end_of_line < 0 else end_of_line + 1
    following = _NEXT_TABLE_RE.search(text, start)
    return start, len(text) if following is None else following.start()


def render_value(key: str, values: list[str], newline: str, *, one_per_line: bool = False) -> str:
    quoted = [json.dumps(value, ensure_ascii=False) for value in values]
    if one_per_line:
        return newline.join([f"{key} = [", *(f"    {v}," for v in quoted), "]"])
    return f"{key} = [{', '.join(quoted)}]"


def append_table(text: str, dotted: tuple[str, ...], lines: list[str]) -> str:
    newline = newline_of(text)
    separator = "" if not text else (newline if text.endswith("\n") else newline * 2)
    return text + separator + newline.join([header_name(dotted), *lines]) + newline


def insert_after_header(text: str, dotted: tuple[str, ...], lines: list[str]) -> str | None:
    """The text with `lines` right after the table's header line, or None when it has no header line."""
    header = _header_re(dotted).search(text)
    if header is None:
        return None
    newline = newline_of(text)
    end = text.find("\n", header.end())
    position = len(text) if end < 0 else end + 1
    prefix = text[:position] if end >= 0 else text + newline
    return prefix + newline.join(lines) + newline + text[position:]


def replace_assignment(text: str, dotted: tuple[str, ...], key: str, value: object, new_line: str) -> str | None:
    """The text with the table's `key = value` assignment (one or more lines) replaced by `new_line`.

    None when the assignment is not found as a plain `key = ...` in the table's own section."""
    body = _body(text, dotted)
    if body is None:
        return None
    start, end = body
    found = re.compile(rf"^{_SPACE}{re.escape(key)}{_SPACE}=", re.M).search(text, start, end)
    if found is None:
        return None
    line_end = found.start()
    while line_end < end:
        next_newline = text.find("\n", line_end, end)
        line_end = end if next_newline < 0 else next_newline + 1
        if parse_toml(text[found.start() : line_end]) == {key: value}:
            newline = newline_of(text)
            return text[: found.start()] + new_line + newline + text[line_end:]
    return None
