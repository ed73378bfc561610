"""`spx` entry point: flat dispatch to one module per subcommand, errors turned into messages in one place.

The commands are a table (`cli/commands.py`); each command module exposes `register(parser)`, which adds
the command's arguments and sets `handler`, a function of the parsed namespace that calls the command's
plain-value function and returns the exit code. Only the module of the command that runs is imported
(`spx --help` imports none), and command modules import heavy dependencies (jinja2,
subprocess-heavy code) lazily, inside their functions, so `spx spec status` stays fast.
"""

from __future__ import annotations

import argparse
import os
import sys

from spx_python import __version__
from spx_python.cli.commands import COMMANDS, GROUPS, selected
from spx_python.cli.parser import Parser
from spx_python.errors import SpxError
from spx_python.names import TYPE_CHECKING

if TYPE_CHECKING:  # start-up pays for no `typing`
    from collections.abc import Callable, Sequence

EXIT_INTERNAL_ERROR = 3
FILE_SYSTEM_ADVICE = (
    "fix that path (a file where a directory belongs, or the reverse; permissions; free space), then retry"
)
STATE_DIR_ADVICE = "move the odd entry away (spx recreates what it needs), then retry"


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The `spx` parser. Given `argv` that names a command, only that command is imported and registered; given
    one that names none (`spx --help`, a typo), every command is listed by name and help, which is all the help
    shows of them. Without `argv`: every command, registered in full."""
    parser: argparse.ArgumentParser = Parser(
        prog="spx",
        description="Spec tree, test-evidence ledger and workflow for hook-enforced, test-first Python work.",
    )
    parser.add_argument("--version", action="version", version=f"spx {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True
    groups: dict[str, argparse._SubParsersAction[argparse.ArgumentParser]] = {}
    wanted = None if argv is None else selected(list(argv))
    for words, module, help_text in COMMANDS:
        if wanted is not None and words != wanted:
            continue  # each sub-parser costs start-up; parsing the command named needs only its own
        *group, name = words.split()
        target = commands
        if group:
            if group[0] not in groups:
                group_parser = commands.add_parser(group[0], help=GROUPS[group[0]])
                groups[group[0]] = group_parser.add_subparsers(dest=f"{group[0]}_command", metavar="SUBCOMMAND")
                groups[group[0]].required = True
            target = groups[group[0]]
        command = target.add_parser(name, help=help_text)
        if argv is None or words == wanted:
            __import__(module)  # not importlib: importing that package costs every start-up
            sys.modules[module].register(command)
    return parser


def file_system_message(error: OSError) -> str:
    """`path: what is wrong — what to do` for an OSError that escaped a command."""
    from spx_python.workflow.journal import STATE_DIR_NAME  # noqa: PLC0415 - an error path: start-up does not pay for it

    path = str(error.filename) if error.filename is not None else "spx"
    reason = error.strerror or type(error).__name__
    if STATE_DIR_NAME in os.path.normpath(path).split(os.sep):
        return f"{path}: {reason} — {STATE_DIR_NAME}/ must be a directory of spx's own files; {STATE_DIR_ADVICE}"
    return f"{path}: {reason} — {FILE_SYSTEM_ADVICE}"


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser(argv).parse_args(argv)
    if not hasattr(args, "handler"):  # a command the quick selection missed: parse again with every command
        args = build_parser().parse_args(argv)
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
    """The console script: `main`, then out without the interpreter's teardown of what the command loaded
    (every `with` block has closed and every file is written by then; only the standard streams are flushed)."""
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # the reader went away (`spx spec status | head`): nothing more to say
        pass
    except OSError:
        code = code or 1
    os._exit(code)


if __name__ == "__main__":
    run()
