"""`spx spec context PATH [--format text|json]`: the documents to read before working on an item, in order.

Text: a few `# ` header lines, then one path per line (relative to the project root), then `# ` lines
for the tests directory, the state and warnings. An abort prints the abort-protocol block on stderr
and exits 1. JSON (stdout in both cases): `{"status": "ok", ...}` or `{"status": "abort", ...}`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from spx_python.spec.context import ContextAbort, ContextOk, check_context
from spx_python.spec.project import load_tree

CONTEXT_FORMATS = ("text", "json")
STATUS_OK = "ok"
STATUS_ABORT = "abort"
EXIT_ABORT = 1


def render_ok_text(result: ContextOk) -> str:
    state = f", state {result.state}" if result.state else ""
    lines = [
        f"# context for {result.full_path} ({result.kind}{state})",
        f"# read these {len(result.documents)} documents completely, in this order, before any work on it:",
        *result.paths,
        f"# tests: {result.tests_dir}",
        *(f"# warning: {w}" for w in result.warnings),
    ]
    return "\n".join(lines)


def render_json(result: ContextOk | ContextAbort) -> str:
    if isinstance(result, ContextOk):
        fields = result._asdict()
        fields["documents"] = [d._asdict() for d in result.documents]
        return json.dumps({"status": STATUS_OK, **fields}, indent=2)
    return json.dumps({"status": STATUS_ABORT, **result._asdict()}, indent=2)


def context(start: Path, path: str, fmt: str) -> int:
    result = check_context(load_tree(start), path)
    if fmt == "json":
        print(render_json(result))
    elif isinstance(result, ContextOk):
        print(render_ok_text(result))
    else:
        print(result.message(), file=sys.stderr)
    return 0 if isinstance(result, ContextOk) else EXIT_ABORT


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", help="full path of the capability/feature/story")
    parser.add_argument("--format", choices=CONTEXT_FORMATS, default="text", help="output format (default: text)")
    parser.set_defaults(handler=lambda a: context(Path.cwd(), a.path, a.format))
