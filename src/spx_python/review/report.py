"""Rendering a review outcome: the markdown report under `.spx/reviews/`, a short text summary, and JSON."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from spx_python.atomic import write_atomic
from spx_python.review.findings import Finding, sort_key
from spx_python.review.verdict import ReviewOutcome
from spx_python.toolchain.provenance import announcement, fallback_warning, provenance_json
from spx_python.workflow.journal import STATE_DIR_NAME

REVIEWS_DIR = Path(STATE_DIR_NAME, "reviews")
TABLE_HEADER = "| # | file:line | rule | why | how to fix |\n| --- | --- | --- | --- | --- |"


def report_path(full_path: str, time: str, attempt: int = 1) -> Path:
    """Project-relative path of the report for a review of `full_path` at `time` (ISO-8601 UTC)."""
    stamp = time.replace("-", "").replace(":", "")
    suffix = "" if attempt == 1 else f"-{attempt}"
    return REVIEWS_DIR / f"{full_path.replace('/', '__')}__{stamp}{suffix}.md"


def reserve_report(project_root: Path, full_path: str, time: str) -> Path:
    """A project-relative report path no other review holds: created empty here (exclusively), so two
    reviews in the same second — even in parallel processes — never write the same report."""
    (project_root / REVIEWS_DIR).mkdir(parents=True, exist_ok=True)
    attempt = 1
    while True:
        relative = report_path(full_path, time, attempt)
        try:
            os.close(os.open(project_root / relative, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
        except FileExistsError:
            attempt += 1
            continue
        return relative


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def findings_table(findings: Iterable[Finding]) -> str:
    rows = [
        f"| {n} | `{_cell(f.location)}` | `{f.rule}` | {_cell(f.why)} | {_cell(f.fix)} |"
        for n, f in enumerate(sorted(findings, key=sort_key), start=1)
    ]
    return "\n".join([TABLE_HEADER, *rows])


def _tools_table(outcome: ReviewOutcome) -> str:
    lines = [
        "| tool | status | blocking | advisory | pre-existing | seconds |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for run in outcome.tools:
        blocking = sum(1 for f in run.findings if f.blocking)
        old = sum(1 for f in run.findings if f.preexisting)
        status = "could not run" if run.error else ("clean" if not blocking else "findings")
        advisory = len(run.findings) - blocking - old
        lines.append(f"| {run.name} | {status} | {blocking} | {advisory} | {old} | {run.seconds:.2f} |")
    coverage = outcome.coverage
    shown = "unmeasurable" if coverage.percent is None else f"{coverage.percent:.1f}%"
    verdict = "clean" if coverage.passed else "findings"
    status = f"{verdict} ({shown}, threshold {coverage.threshold:g}%)"
    lines.append(f"| coverage | {status} | {len(coverage.findings)} | 0 | 0 | - |")
    return "\n".join(lines)


def _coverage_section(outcome: ReviewOutcome) -> str:
    result = outcome.coverage
    total = "unmeasurable" if result.percent is None else f"{result.percent:.1f}%"
    what = "changed source" if outcome.scope.source_changed else "source the tests import"
    lines = [f"Reviewed {what}: **{total}** (threshold {result.threshold:g}%)", ""]
    lines += [f"- `{name}`: {data.percent:.1f}% of {data.statements}" for name, data in result.files]
    if not outcome.changes.everything_new and result.whole_files:
        lines += ["", "Whole files, for context (not judged):", ""]
        lines += [f"- `{name}`: {data.percent:.1f}% of {data.statements}" for name, data in result.whole_files]
    return "\n".join(lines)


def _story_section(outcome: ReviewOutcome) -> list[str]:
    """This story against what was there before it, with counts."""
    changes = outcome.changes
    base = f"`{changes.base[:12]}`" if changes.base else "none"
    story = len(outcome.findings) - len(outcome.preexisting)
    return [
        "## This story and what was there before",
        "",
        f"- base: {base} ({changes.found_by})",
        f"- this story: {story} finding(s), {len(outcome.blocking)} blocking",
        f"- pre-existing (on lines the story did not change; never blocking): {len(outcome.preexisting)}",
        "",
    ]


def _environment_section(outcome: ReviewOutcome) -> list[str]:
    toolchain = outcome.toolchain
    if toolchain is None:
        return []
    warning = fallback_warning(toolchain)
    lines = ["## Environment", "", f"python {toolchain.version} at `{toolchain.python}`"]
    lines += [f"(found by {toolchain.environment.found_by})", ""]
    lines += [*([f"**{warning}**", ""] if warning else []), "| tool | version | from |", "| --- | --- | --- |"]
    lines += [f"| {tool.name} | {tool.version or '-'} | {tool.source} |" for tool in toolchain.tools]
    return [*lines, ""]


def render_markdown(outcome: ReviewOutcome) -> str:
    scope = outcome.scope
    counts = outcome.test_counts
    tests = ", ".join(f"{key} {value}" for key, value in counts.items()) or "not run"
    parts = [
        f"# Review: `{outcome.full_path}`",
        "",
        f"**Verdict: {outcome.decision}** — {outcome.reason}",
        "",
        f"- time: {outcome.time}",
        f"- digest of reviewed files: `{outcome.digest}`",
        f"- tests: {tests}",
        "",
        "## Blocking findings",
        "",
        findings_table(outcome.blocking) if outcome.blocking else "None.",
        "",
        *_story_section(outcome),
        "## Checks",
        "",
        _tools_table(outcome),
        "",
        *_environment_section(outcome),
        "## Coverage",
        "",
        _coverage_section(outcome),
        "",
        "## Files reviewed",
        "",
        *[f"- `{scope.relative(path)}`" for path in scope.reviewed_files],
    ]
    if outcome.advisory:
        parts += ["", "## Advisory findings (not blocking)", "", findings_table(outcome.advisory)]
    if outcome.preexisting:
        title = f"## Pre-existing findings ({len(outcome.preexisting)}, not blocking)"
        parts += ["", title, "", findings_table(outcome.preexisting)]
    broken = [run for run in outcome.tools if run.error and run.output]
    for run in broken:
        parts += ["", f"## {run.name} output", "", "```", run.output, "```"]
    return "\n".join(parts) + "\n"


def write_report(project_root: Path, outcome: ReviewOutcome) -> Path:
    """Write the markdown report atomically; return its project-relative path."""
    relative = reserve_report(project_root, outcome.full_path, outcome.time)
    target = project_root / relative
    write_atomic(target, render_markdown(outcome).encode())
    return relative


def render_text(outcome: ReviewOutcome, report: Path) -> str:
    lines = [f"{outcome.decision}: {outcome.full_path}", f"  {outcome.reason}"]
    for finding in sorted(outcome.blocking, key=sort_key):
        lines.append(f"  {finding.location}: [{finding.rule}] {finding.message} — {finding.fix}")
    if outcome.preexisting:
        story = len(outcome.findings) - len(outcome.preexisting)
        lines.append(
            f"  this story: {story} finding(s), {len(outcome.blocking)} blocking; "
            f"pre-existing: {len(outcome.preexisting)} (not blocking; base {outcome.changes.found_by})"
        )
    if outcome.toolchain is not None:
        lines += [f"  {line}" for line in announcement(outcome.toolchain).splitlines()]
    lines.append(f"  report: {report.as_posix()}")
    return "\n".join(lines)


def render_json(outcome: ReviewOutcome, report: Path) -> str:
    data: dict[str, Any] = {
        "path": outcome.full_path,
        "verdict": outcome.decision,
        "reason": outcome.reason,
        "time": outcome.time,
        "digest": outcome.digest,
        "report": report.as_posix(),
        "findings": [f.as_json() for f in sorted(outcome.findings, key=sort_key)],
        "tools": [
            {"name": run.name, "seconds": round(run.seconds, 3), "error": run.error, "command": list(run.command)}
            for run in outcome.tools
        ],
        "coverage": {
            "percent": outcome.coverage.percent,
            "threshold": outcome.coverage.threshold,
            "files": {name: round(data.percent, 1) for name, data in outcome.coverage.files},
            "whole_files": {name: round(data.percent, 1) for name, data in outcome.coverage.whole_files},
        },
        "tests": outcome.test_counts,
        "base": outcome.changes.as_json(),
        "counts": {
            "story": len(outcome.findings) - len(outcome.preexisting),
            "blocking": len(outcome.blocking),
            "preexisting": len(outcome.preexisting),
        },
        "files": [outcome.scope.relative(p) for p in outcome.scope.reviewed_files],
    }
    if outcome.toolchain is not None:
        data["environment"] = provenance_json(outcome.toolchain)
    return json.dumps(data, indent=2, ensure_ascii=False)
