"""`spx spec verify [PATH] [--cached]` (the work is in `spx_python.testrun.ledger_verify`)."""

from __future__ import annotations

import argparse
from pathlib import Path


def _run(args: argparse.Namespace) -> int:
    from spx_python.testrun.ledger_verify import verify  # noqa: PLC0415 - keep `spx spec status` start-up fast

    code, lines = verify(Path.cwd(), args.path, args.cached)
    for line in lines:
        print(line)
    return code


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", nargs="?", help="full path to limit the check to (default: the whole tree)")
    parser.add_argument("--cached", action="store_true", help="check the ledgers against disk without running tests")
    parser.set_defaults(handler=_run)
