"""`spx review PATH [--format text|json]`: the deterministic review gate (exit 0 APPROVED, 1 REJECTED)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from spx_python.errors import UsageError
from spx_python.spec.project import find_project_root, resolve_full_path

REVIEW_FORMATS = ("text", "json")
EMPTY_FINDING = "--reject needs the finding itself — e.g. --reject 'src/app/cli.py:12 — what is wrong — how to fix'"


def review_container(start: Path, path: str, fmt: str, reject: list[str] | None = None) -> int:
    if reject is not None:
        return reject_container(start, path, reject, fmt)
    from spx_python.review.gate import record, review  # noqa: PLC0415 - keep `spx spec status` start-up fast
    from spx_python.review.report import render_json, render_text  # noqa: PLC0415

    root = find_project_root(start)
    container = resolve_full_path(root, path)
    outcome = review(root, container)
    report = record(root, outcome)
    print(render_json(outcome, report) if fmt == "json" else render_text(outcome, report))
    return 0 if outcome.approved else 1


def reject_container(start: Path, path: str, findings: list[str], fmt: str = "text") -> int:
    from spx_python.review.manual import MANUAL_RULE, reject  # noqa: PLC0415 - keep `spx spec status` start-up fast

    given = [f.strip() for f in findings if f.strip()]
    if not given:
        raise UsageError(EMPTY_FINDING)
    root = find_project_root(start)
    container = resolve_full_path(root, path)
    report, reason = reject(root, container.path, given)
    if fmt == "json":
        rows = [{"file": "", "line": 0, "rule": MANUAL_RULE, "message": f, "blocking": True} for f in given]
        document = {"path": container.path, "verdict": "REJECTED", "reason": reason, "report": report.as_posix()}
        print(json.dumps({**document, "findings": rows}, indent=2))
    else:
        print(f"REJECTED: {container.path}\n  {reason}\n  report: {report.as_posix()}")
    return 1


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", help="full path, e.g. 21-core.capability/21-parse.feature/21-args.story")
    parser.add_argument("--format", choices=REVIEW_FORMATS, default="text", help="output format (default: text)")
    parser.add_argument(
        "--reject",
        action="append",
        metavar="FINDING",
        help="record a REJECTED verdict from the manual checklist (repeatable; no tools run)",
    )
    parser.set_defaults(handler=lambda a: review_container(Path.cwd(), a.path, a.format, a.reject))
