"""Suppression comments that switch checks off wholesale (a pure function of file name and text).

A suppression must name what it silences: `# type: ignore[code]`, `# noqa: S603`. Blocking:
- `# type: ignore` without an error code (on the first line it ignores the whole file);
- `# noqa` without rule codes, or naming a whole family (`# noqa: S`);
- file-level `# ruff: noqa` / `# flake8: noqa` without specific codes;
- inline mypy configuration (`# mypy: ignore-errors`, `# mypy: allow-untyped-defs`), except
  `enable-error-code`, which only adds checks.
Only real comments count (tokenize), never text inside strings.
"""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Iterator

from spx_python.review.findings import BLANKET_SUPPRESSION, Finding

TYPE_IGNORE_RE = re.compile(r"#\s*type\s*:\s*ignore\b(?!\s*\[)", re.IGNORECASE)
NOQA_RE = re.compile(
    r"#\s*(?P<scope>(?:ruff|flake8)\s*:\s*)?noqa\b(?:\s*:\s*(?P<codes>[A-Za-z0-9,\s]*))?", re.IGNORECASE
)
MYPY_INLINE_RE = re.compile(r"#\s*mypy\s*:\s*(?P<setting>.*)$", re.IGNORECASE)
ALLOWED_MYPY_INLINE_RE = re.compile(r"^enable[-_]error[-_]code\b", re.IGNORECASE)
SPECIFIC_CODE_RE = re.compile(r"^[A-Z]+[0-9]{3,4}$")
CODE_SEPARATOR_RE = re.compile(r"[\s,]+")


def comments(text: str) -> Iterator[tuple[int, str]]:
    """(line, text) of every comment; nothing for a file that does not tokenize (a syntax error elsewhere)."""
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT:
                yield token.start[0], token.string
    except (tokenize.TokenError, SyntaxError):
        return


def _blanket_noqa(comment: str) -> str | None:
    for match in NOQA_RE.finditer(comment):
        codes = [code for code in CODE_SEPARATOR_RE.split(match["codes"] or "") if code]
        if not codes or not all(SPECIFIC_CODE_RE.match(code) for code in codes):
            where = "the whole file" if match["scope"] else "the line"
            return f"`{match.group(0).strip()}` silences every ruff rule on {where}"
    return None


def _problem(comment: str) -> str | None:
    if TYPE_IGNORE_RE.search(comment):
        return "`# type: ignore` without an error code silences every mypy error on the line"
    noqa = _blanket_noqa(comment)
    if noqa is not None:
        return noqa
    inline = MYPY_INLINE_RE.search(comment)
    if inline is not None and not ALLOWED_MYPY_INLINE_RE.match(inline["setting"].strip()):
        return f"`# mypy: {inline['setting'].strip()}` changes mypy's settings for the whole file"
    return None


def check_comments(file: str, text: str) -> list[Finding]:
    """Blanket suppressions in one Python file (implementation or test)."""
    findings: list[Finding] = []
    for line, comment in comments(text):
        problem = _problem(comment)
        if problem is not None:
            findings.append(Finding(file, line, BLANKET_SUPPRESSION, problem))
    return findings
