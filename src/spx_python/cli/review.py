"""`spx review PATH [--format text|json] [--dry-run]`: the deterministic review gate (exit 0 APPROVED, 1 REJECTED).

`--dry-run` runs the very same checks and records nothing (no verdict, no report, no rejection counted):
the coding skill's one command for "would the review pass?"."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from spx_python.errors import UsageError
from spx_python.spec.project import find_project_root, resolve_full_path

REVIEW_FORMATS = ("text", "json")
EMPTY_FINDING = "--reject needs the finding itself — e.g. --reject 'src/app/cli.py:12 — what is wrong — how to fix'"


DRY_RUN_NOTE = "dry run: no verdict recorded, no report written — the review step records one with `spx review {path}`"


def review_container(
    start: Path, path: str, fmt: str, reject: list[str] | None = None, dry_run: bool = False
) -> int:
    if reject is not None:
        if dry_run:
            raise UsageError("--reject records a verdict and --dry-run records none — use one of them")
        return reject_container(start, path, reject, fmt)
    from spx_python.review.gate import record, review  # noqa: PLC0415 - keep `spx spec status` start-up fast
    from spx_python.review.report import render_json, render_text  # noqa: PLC0415

    root = find_project_root(start)
    container = resolve_full_path(root, path)
    outcome = review(root, container)
    if dry_run:
        note = DRY_RUN_NOTE.format(path=container.path)
        if fmt == "json":
            document = json.loads(render_json(outcome, Path()))
            document.update(report=None, recorded=False, note=note)
            print(json.dumps(document, indent=2, ensure_ascii=False))
        else:
            print("\n".join([*render_text(outcome, Path()).splitlines()[:-1], f"  {note}"]))
        return 0 if outcome.approved else 1
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
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="run the same checks but record nothing (no verdict, no report): what coding-python runs",
    )
    parser.set_defaults(handler=lambda a: review_container(Path.cwd(), a.path, a.format, a.reject, a.dry_run))
