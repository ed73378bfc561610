"""The verdict: APPROVED only when no check produced a blocking finding (pure logic), and its journal event."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from spx_python.review.changes import EVERYTHING_NEW, Changes
from spx_python.review.coverage_gate import CoverageResult
from spx_python.review.findings import TOOL_ERROR, Finding, sort_key
from spx_python.review.scope import ReviewScope
from spx_python.review.tools import ToolRun
from spx_python.toolchain.provenance import provenance_json
from spx_python.toolchain.resolve import Toolchain
from spx_python.workflow import events
from spx_python.workflow.machine import APPROVED, REJECTED, REVIEW_STEP

MAX_REASONS = 3
SHORT_MESSAGE = 120
TOOL_ERROR_MESSAGE = 400  # the cause of a tool failure is the whole point: show more of it


@dataclass(frozen=True)
class ReviewOutcome:
    full_path: str
    time: str
    decision: str
    reason: str
    findings: tuple[Finding, ...]
    tools: tuple[ToolRun, ...]
    coverage: CoverageResult
    scope: ReviewScope
    digest: str
    test_counts: dict[str, int]
    toolchain: Toolchain | None = None  # what ran the tools (None: no tool ran, e.g. a manual rejection)
    changes: Changes = EVERYTHING_NEW  # the story's base and changed lines

    @property
    def preexisting(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.preexisting)

    @property
    def approved(self) -> bool:
        return self.decision == APPROVED

    @property
    def blocking(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.blocking)

    @property
    def advisory(self) -> tuple[Finding, ...]:
        """The story's own non-blocking findings (pre-existing ones are listed apart)."""
        return tuple(f for f in self.findings if not f.blocking and not f.preexisting)


def decide(findings: list[Finding], coverage: CoverageResult, test_count: int) -> tuple[str, str]:
    """(decision, one-line reason) from all findings."""
    blocking = sorted((f for f in findings if f.blocking), key=lambda f: (f.rule != TOOL_ERROR, *sort_key(f)))
    old = sum(1 for f in findings if f.preexisting)
    if not blocking:
        percent = f"{coverage.percent:.1f}%" if coverage.percent is not None else "n/a"
        return APPROVED, (
            f"mypy, ruff and AST checks clean; {test_count} test(s) passed; "
            f"coverage {percent} (threshold {coverage.threshold:g}%)"
            + (f"; {old} pre-existing finding(s), not blocking" if old else "")
        )
    shown = "; ".join(_short(f) for f in blocking[:MAX_REASONS])
    more = f" (+{len(blocking) - MAX_REASONS} more)" if len(blocking) > MAX_REASONS else ""
    return REJECTED, f"{len(blocking)} blocking finding(s): {shown}{more}"


def _short(finding: Finding) -> str:
    where = finding.location
    limit = TOOL_ERROR_MESSAGE if finding.rule == TOOL_ERROR else SHORT_MESSAGE
    return f"{where} {finding.rule} ({finding.message.splitlines()[0][:limit]})"


def journal_event(outcome: ReviewOutcome, report: str) -> dict[str, Any]:
    environment: dict[str, Any] = {"environment": provenance_json(outcome.toolchain)} if outcome.toolchain else {}
    return events.journal_event(
        outcome.full_path,
        REVIEW_STEP,
        outcome.decision,
        time=outcome.time,  # the review's time, which also names its report
        reason=outcome.reason,
        report=report,
        digest=outcome.digest,
        findings=len(outcome.blocking),
        files=[outcome.scope.relative(p) for p in outcome.scope.reviewed_files],
        **environment,
    )
