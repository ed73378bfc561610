"""Manual review findings: the reviewer's checklist can reject what the tools approved.

`spx review PATH --reject "file:line — what is wrong — fix"` records a REJECTED verdict without
running the tools, so the stamp is refused and the hooks allow a remediation round of coding-python
(counted against the rejection cap like any other rejection: one per review round, however many
findings or `--reject` runs the round has). Every run keeps its own report.
"""

from __future__ import annotations

from pathlib import Path

from spx_python.atomic import write_atomic
from spx_python.evidence.ledger import utc_timestamp
from spx_python.review.report import reserve_report
from spx_python.workflow.events import journal_event
from spx_python.workflow.journal import append_event
from spx_python.workflow.machine import REJECTED, REVIEW_STEP

MANUAL_SOURCE = "manual checklist"
MANUAL_RULE = "manual-checklist"  # the rule name of a manual finding in `spx review --reject --format json`


def render_report(full_path: str, time: str, findings: list[str]) -> str:
    rows = "\n".join(f"| {n} | {' '.join(text.split()).replace('|', '/')} |" for n, text in enumerate(findings, 1))
    return (
        f"# Review of `{full_path}`: REJECTED ({MANUAL_SOURCE})\n\n"
        f"Time: {time}\n\nThe tools may have passed; the reviewer's checklist found these problems.\n\n"
        f"| # | finding |\n| --- | --- |\n{rows}\n"
    )


def reject(project_root: Path, full_path: str, findings: list[str]) -> tuple[Path, str]:
    """Write the manual report and journal the REJECTED verdict; return (report path, reason)."""
    time = utc_timestamp()
    relative = reserve_report(project_root, full_path, time)
    target = project_root / relative
    write_atomic(target, render_report(full_path, time, findings).encode())
    reason = f"{MANUAL_SOURCE}: {len(findings)} finding(s): {'; '.join(findings)[:300]}"
    event = journal_event(
        full_path, REVIEW_STEP, REJECTED, time=time, reason=reason, report=relative.as_posix(), digest="",
        findings=len(findings), files=[], source=MANUAL_SOURCE,
    )
    append_event(project_root, event)
    return relative, reason
