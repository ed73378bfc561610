"""`spx spec test PATH [--stamp [--force]]` (the work is in `spx_python.testrun.container_test`)."""

from __future__ import annotations

import argparse
from pathlib import Path


def _run(args: argparse.Namespace) -> int:
    from spx_python.testrun.container_test import spec_test  # noqa: PLC0415 - keep `spx spec status` start-up fast

    return spec_test(Path.cwd(), args.path, args.stamp, args.force, print)


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", help="full path of the capability/feature/story")
    parser.add_argument("--stamp", action="store_true", help="record the evidence in pass.csv if the stamp rules hold")
    parser.add_argument("--force", action="store_true", help="with --stamp: record a partial ledger of passing files")
    parser.set_defaults(handler=_run)
