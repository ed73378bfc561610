"""`spx` entry point: flat dispatch to one module per subcommand, errors turned into messages in one place.

Each command module exposes `register(subparsers)`; it sets `handler`, a function of the parsed
namespace that calls the command's plain-value function and returns the exit code. Command modules
import heavy dependencies (jinja2, yaml, subprocess-heavy code) lazily, inside their functions, so
`spx spec status` stays fast.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from spx_python import __version__
from spx_python.cli import (
    commit,
    demo,
    init,
    review,
    runtime,
    spec_context,
    spec_create,
    spec_next,
    spec_status,
    spec_test,
    spec_verify,
    workflow,
)
from spx_python.errors import SpxError
from spx_python.journal import STATE_DIR_NAME

Registrar = Callable[["argparse._SubParsersAction[argparse.ArgumentParser]"], None]

SPEC_COMMANDS: list[Registrar] = [
    spec_status.register,
    spec_next.register,
    spec_test.register,
    spec_verify.register,
    spec_context.register,
    spec_create.register,
]
TOP_COMMANDS: list[Registrar] = [init.register, review.register, commit.register, workflow.register, demo.register,
                                 runtime.register]
EXIT_INTERNAL_ERROR = 3
FILE_SYSTEM_ADVICE = (
    "fix that path (a file where a directory belongs, or the reverse; permissions; free space), then retry"
)
STATE_DIR_ADVICE = "move the odd entry away (spx recreates what it needs), then retry"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="spx",
        description="Spec tree, test-evidence ledger and workflow for hook-enforced, test-first Python work.",
    )
    parser.add_argument("--version", action="version", version=f"spx {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True
    spec = commands.add_parser("spec", help="the spec tree: status, next, tests and the ledger")
    spec_commands = spec.add_subparsers(dest="spec_command", metavar="SUBCOMMAND")
    spec_commands.required = True
    for register in SPEC_COMMANDS:
        register(spec_commands)
    for register in TOP_COMMANDS:
        register(commands)
    return parser


def file_system_message(error: OSError) -> str:
    """`path: what is wrong — what to do` for an OSError that escaped a command."""
    path = str(error.filename) if error.filename is not None else "spx"
    reason = error.strerror or type(error).__name__
    if STATE_DIR_NAME in Path(path).parts:
        return f"{path}: {reason} — {STATE_DIR_NAME}/ must be a directory of spx's own files; {STATE_DIR_ADVICE}"
    return f"{path}: {reason} — {FILE_SYSTEM_ADVICE}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except SpxError as error:
        print(f"spx: {error.message}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("spx: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except OSError as error:  # the file system, not a bug: a file where a directory belongs, permissions, a full disk
        print(f"spx: {file_system_message(error)}", file=sys.stderr)
        return 1
    except Exception as error:  # a bug: still one line, and a distinct exit code
        print(f"spx: internal error: {type(error).__name__}: {error} — please report this", file=sys.stderr)
        return EXIT_INTERNAL_ERROR


def run() -> None:
    raise SystemExit(main())


if __name__ == "__main__":
    run()
