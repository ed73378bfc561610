"""`spx demo [--keep DIR] [--model scripted|real]` (the work is in `spx_python.demo.runner`)."""

from __future__ import annotations

import argparse

SCRIPTED = "scripted"  # = demo.runner.SCRIPTED; repeated here so `spx --help` imports nothing heavy
MODEL_CHOICES = (SCRIPTED, "real")


def _run(args: argparse.Namespace) -> int:
    from spx_python.demo.runner import demo  # noqa: PLC0415 - keep `spx spec status` start-up fast

    return demo(args.keep, args.model, _print_now)


def _print_now(line: str) -> None:
    print(line, flush=True)  # live: the run's lines as they happen, not when a buffer fills


def register(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Create a small example project (git, spx init, one capability, one feature, two stories), then "
        "run the real Claude Code CLI with the spx-python plugin on it: /spx-python:orchestrating-python. "
        "The default model is a built-in scripted agent (offline, no credentials) that makes three mistakes "
        "the hooks refuse; its spx runs on the plugin's own runtime (set up once from the package registries "
        "into $SPX_PLUGIN_DATA or ~/.cache/spx-python/demo-plugin-data). --model real uses your own Claude "
        "Code login instead."
    )
    parser.add_argument("--keep", metavar="DIR", help="create the project in DIR (new or empty) instead of a temp dir")
    parser.add_argument(
        "--model", choices=MODEL_CHOICES, default=SCRIPTED,
        help="scripted: the built-in offline agent (default); real: the real service with your credentials",
    )
    parser.set_defaults(handler=_run)
