"""Which findings are the story's and which were there before it (pure logic, plus reading source text).

A line-scoped finding (mypy, ruff, the syntax-tree rules, suppression comments) in a source file, on a
line the story did not change, is pre-existing: counted and listed, never blocking. Tests the story
wrote are fully strict, and so is every changed line. Legacy boundary: `no-untyped-call` is pre-existing
when the function called is defined on an unchanged line of the project's source (the old function's
missing annotations are the cause, and typing it is the way out); calling a function the story itself
left untyped stays blocking, as does calling an untyped function spx cannot find in the project.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from pathlib import Path

from spx_python.review.changes import Changes
from spx_python.review.findings import (
    BARE_EXCEPT,
    BLANKET_SUPPRESSION,
    DEEP_RELATIVE_IMPORT,
    MYPY_PREFIX,
    REPEATED_LITERAL,
    RUFF_PREFIX,
    SYS_PATH_EDIT,
    Finding,
)
from spx_python.review.scope import ReviewScope
from spx_python.review.settings import PY_SUFFIX
from spx_python.review.tools import ToolRun

LINE_SCOPED = frozenset(
    {MYPY_PREFIX, RUFF_PREFIX, REPEATED_LITERAL, BARE_EXCEPT, DEEP_RELATIVE_IMPORT, SYS_PATH_EDIT, BLANKET_SUPPRESSION}
)
UNTYPED_CALL = f"{MYPY_PREFIX}:no-untyped-call"
CALLEE_RE = re.compile(r'untyped function "(?P<name>[^"]+)"')
UNTYPED_CALL_NOTE = " (the callee is old untyped code: annotate its signature to clear this)"


def _mark(finding: Finding, note: str = "") -> Finding:
    return dataclasses.replace(finding, blocking=False, preexisting=True, message=finding.message + note)


def old_definitions(files: Iterable[Path], changes: Changes, names: set[str]) -> set[str]:
    """The `names` defined (`def NAME`) on a line the story did not change in one of `files`."""
    if not names:
        return set()
    pattern = re.compile(rf"^[ \t]*(?:async[ \t]+)?def[ \t]+({'|'.join(map(re.escape, sorted(names)))})\b")
    found: set[str] = set()
    for path in files:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        for number, text in enumerate(lines, start=1):
            match = pattern.match(text)
            if match and not changes.changed(path, number):
                found.add(match[1])
    return found


def _callee(finding: Finding) -> str | None:
    match = CALLEE_RE.search(finding.message) if finding.rule == UNTYPED_CALL else None
    return match["name"] if match else None


def separate(
    findings: list[Finding], scope: ReviewScope, changes: Changes, source_roots: Iterable[Path]
) -> list[Finding]:
    """`findings` with the pre-existing ones marked (non-blocking); the story's keep their blocking flag."""
    if changes.everything_new:
        return findings
    source = {scope.relative(path): path for path in scope.source_files}
    callees = {name for name in map(_callee, findings) if name is not None}
    if callees:
        files = sorted({p for root in source_roots for p in root.rglob(f"*{PY_SUFFIX}") if p.is_file()})
        old = old_definitions(files, changes, {name.rsplit(".", 1)[-1] for name in callees})
    else:
        old = set()
    result: list[Finding] = []
    for finding in findings:
        callee = _callee(finding)
        if callee is not None and callee.rsplit(".", 1)[-1] in old:
            result.append(_mark(finding, UNTYPED_CALL_NOTE))
        elif (
            finding.family in LINE_SCOPED
            and finding.file in source
            and not changes.changed(source[finding.file], finding.line)
        ):
            result.append(_mark(finding))
        else:
            result.append(finding)
    return result


def as_judged(runs: Iterable[ToolRun], judged: Iterable[Finding]) -> tuple[ToolRun, ...]:
    """Each run with its findings as the gate judged them (pre-existing ones marked), for per-tool counts."""
    final = {(f.file, f.line, f.rule): f for f in judged}
    return tuple(
        dataclasses.replace(run, findings=tuple(final.get((f.file, f.line, f.rule), f) for f in run.findings))
        for run in runs
    )
