"""`spx doctor [--format json]`: one line per check — `ok`, or the problem and its fix; exit 1 on a problem."""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

FORMATS = ("text", "json")
OK, PROBLEM = "ok", "problem"
FIX_SEPARATOR = " — "


def doctor(fmt: str) -> int:
    from spx_python.doctor.checks import run_checks  # noqa: PLC0415 - lazy: keep every spx command's start-up fast
    from spx_python.doctor.gather import gather  # noqa: PLC0415

    checks = run_checks(gather(Path.cwd(), os.environ))
    problems = sum(not check.ok for check in checks)
    if fmt == "json":
        document = {
            "checks": [{"check": c.check, "ok": c.ok, "detail": c.detail, "fix": c.fix or None} for c in checks],
            "summary": {"ok": len(checks) - problems, "problems": problems},
        }
        print(json.dumps(document, indent=2))
    else:
        width = max(len(check.check) for check in checks)
        for check in checks:
            fix = f"{FIX_SEPARATOR}{check.fix}" if check.fix else ""
            print(f"{OK if check.ok else PROBLEM:<8} {check.check:<{width}}  {check.detail}{fix}")
        print(f"{problems} problem(s)" if problems else "all ok")
    return 1 if problems else 0


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    parser.set_defaults(handler=lambda a: doctor(a.format))
