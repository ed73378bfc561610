"""Shared benchmark helpers: whole-process timing of commands against the Python start-up floor, in one loop."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

FLOOR_COMMAND = ("python3", "-c", "import json, re, os")
REPO_ROOT = Path(__file__).resolve().parent.parent
SPX = str(Path(sys.executable).parent / "spx")


def run_once(command: Sequence[str], cwd: Path, stdin: bytes | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, input=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def medians(commands: dict[str, Sequence[str]], cwd: Path, rounds: int, stdin: bytes | None = None) -> dict[str, float]:
    """Median seconds per command; the commands alternate inside each round so they share machine conditions."""
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for command in commands.values():  # warm-up: page cache, pyc files
        run_once(command, cwd, stdin)
    for _ in range(rounds):
        for name, command in commands.items():
            samples[name].append(run_once(command, cwd, stdin))
    return {name: statistics.median(values) for name, values in samples.items()}


def machine_note() -> str:
    return f"{os.cpu_count()} CPUs, {sys.platform}, Python {sys.version.split()[0]}"
