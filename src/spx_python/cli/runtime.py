"""`spx runtime [status] [--format json]`, `spx runtime install [--force]`, `spx runtime path`.

The plugin's own runtime (a venv with spx's dependencies and pytest, pytest-cov, mypy, ruff, uv at the
versions pinned in `spx_python/runtime/requirements.txt`). Standard library only: these commands run
under a bare python3 too, which is how a failed first provisioning is retried (`spx runtime install`).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from spx_python.errors import SpxError
from spx_python.runtime.location import (
    PINS_FILE,
    base_python,
    bin_dir,
    current_digest,
    data_dir,
    is_ready,
    log_path,
    read_marker,
    ready_runtime,
    runtime_dir,
)
from spx_python.runtime.provision import provision

FORMATS = ("text", "json")
NOT_READY_ADVICE = "run `spx runtime install`, which needs the package index once"


def status_document() -> dict[str, Any]:
    data = data_dir(os.environ)
    digest = current_digest()
    runtime = runtime_dir(data, digest)
    ready = is_ready(runtime, digest)
    marker = read_marker(runtime) if ready else None
    return {
        "data_dir": str(data),
        "runtime": str(runtime),
        "ready": ready,
        "digest": digest,
        "pins": str(PINS_FILE),
        "log": str(log_path(data)),
        "python": marker.get("python") if marker else None,
        "installer": marker.get("installer") if marker else None,
        "seconds": marker.get("seconds") if marker else None,
        "tools": marker.get("tools", {}) if marker else {},
    }


def show_status(fmt: str) -> int:
    document = status_document()
    if fmt == "json":
        print(json.dumps(document, indent=2))
        return 0
    state = "ready" if document["ready"] else f"not set up — {NOT_READY_ADVICE}"
    print(f"runtime: {document['runtime']} ({state})")
    print(f"pins: {document['pins']} (digest {document['digest']})")
    if document["ready"]:
        print(f"python: {document['python']} (installed with {document['installer']} in {document['seconds']} s)")
        tools = ", ".join(f"{name} {version}" for name, version in sorted(document["tools"].items()))
        print(f"tools: {tools}")
    print(f"log: {document['log']}")
    return 0


def say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def install(force: bool) -> int:
    runtime = provision(os.environ, base_python(os.environ), say, force=force)
    print(runtime)
    return 0


def show_path() -> int:
    runtime = ready_runtime(os.environ)
    if runtime is None:
        raise SpxError(f"{runtime_dir(data_dir(os.environ), current_digest())}: spx's runtime is not set up — "
                       + NOT_READY_ADVICE)
    print(bin_dir(runtime))
    return 0


def register(parser: argparse.ArgumentParser) -> None:
    parser.set_defaults(handler=lambda a: show_status(a.format), format="text")
    actions = parser.add_subparsers(dest="runtime_command", metavar="SUBCOMMAND")
    status = actions.add_parser("status", help="where the runtime is, whether it is ready, its tool versions")
    status.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    status.set_defaults(handler=lambda a: show_status(a.format))
    setup = actions.add_parser("install", help="set the runtime up now (idempotent; needs the package index once)")
    setup.add_argument("--force", action="store_true", help="rebuild it even when it is ready")
    setup.set_defaults(handler=lambda a: install(a.force))
    where = actions.add_parser("path", help="print the runtime's bin directory")
    where.set_defaults(handler=lambda _a: show_path())

