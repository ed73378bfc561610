"""Rendering a review outcome: the markdown report under `.spx/reviews/`, a short text summary, and JSON."""

from __future__ import annotations

import json
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


def report_path(full_path: str, time: str) -> Path:
    """Project-relative path of the report for a review of `full_path` at `time` (ISO-8601 UTC)."""
    stamp = time.replace("-", "").replace(":", "")
    return REVIEWS_DIR / f"{full_path.replace('/', '__')}__{stamp}.md"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def findings_table(findings: Iterable[Finding]) -> str:
    rows = [
        f"| {n} | `{_cell(f.location)}` | `{f.rule}` | {_cell(f.why)} | {_cell(f.fix)} |"
        for n, f in enumerate(sorted(findings, key=sort_key), start=1)
    ]
    return "\n".join([TABLE_HEADER, *rows])


def _tools_table(outcome: ReviewOutcome) -> str:
    lines = ["| tool | status | blocking | advisory | seconds |", "| --- | --- | --- | --- | --- |"]
    for run in outcome.tools:
        blocking = sum(1 for f in run.findings if f.blocking)
        status = "could not run" if run.error else ("clean" if not blocking else "findings")
        advisory = len(run.findings) - blocking
        lines.append(f"| {run.name} | {status} | {blocking} | {advisory} | {run.seconds:.2f} |")
    coverage = outcome.coverage
    shown = "unmeasurable" if coverage.percent is None else f"{coverage.percent:.1f}%"
    verdict = "clean" if coverage.passed else "findings"
    status = f"{verdict} ({shown}, threshold {coverage.threshold:g}%)"
    lines.append(f"| coverage | {status} | {len(coverage.findings)} | 0 | - |")
    return "\n".join(lines)


def _coverage_section(outcome: ReviewOutcome) -> str:
    result = outcome.coverage
    total = "unmeasurable" if result.percent is None else f"{result.percent:.1f}%"
    what = "changed source" if outcome.scope.source_changed else "source the tests import"
    lines = [f"Reviewed {what}: **{total}** (threshold {result.threshold:g}%)", ""]
    lines += [f"- `{name}`: {data.percent:.1f}% of {data.statements}" for name, data in result.files]
    return "\n".join(lines)


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
    broken = [run for run in outcome.tools if run.error and run.output]
    for run in broken:
        parts += ["", f"## {run.name} output", "", "```", run.output, "```"]
    return "\n".join(parts) + "\n"


def write_report(project_root: Path, outcome: ReviewOutcome) -> Path:
    """Write the markdown report atomically; return its project-relative path."""
    relative = report_path(outcome.full_path, outcome.time)
    target = project_root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, render_markdown(outcome).encode())
    return relative


def render_text(outcome: ReviewOutcome, report: Path) -> str:
    lines = [f"{outcome.decision}: {outcome.full_path}", f"  {outcome.reason}"]
    for finding in sorted(outcome.blocking, key=sort_key):
        lines.append(f"  {finding.location}: [{finding.rule}] {finding.message} — {finding.fix}")
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
        },
        "tests": outcome.test_counts,
        "files": [outcome.scope.relative(p) for p in outcome.scope.reviewed_files],
    }
    if outcome.toolchain is not None:
        data["environment"] = provenance_json(outcome.toolchain)
    return json.dumps(data, indent=2, ensure_ascii=False)
