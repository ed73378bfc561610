"""Shared benchmark helpers: whole-process timings against the interpreter's own start-up, in one loop.

Every floor and every command runs on the REAL interpreter binary (`os.path.realpath` of this venv's
python), never through a launcher such as a pyenv shim, which costs 50 to 65 ms by itself and would
hide what spx costs. Commands alternate inside each round (same machine conditions); the median of
the rounds is reported. Scripts print `RESULT <label> <value>` lines that `all.py` collects.
"""

from __future__ import annotations

import compileall
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
VENV_PYTHON = sys.executable  # spx's own interpreter (the venv's python: a symlink to the binary, not a shim)
REAL_PYTHON = os.path.realpath(sys.executable)  # the binary itself: what `python3` resolves to after any shim
SPX = str(Path(sys.executable).parent / "spx")
FLOOR_CODE = "import json, re, os"
FLOOR_COMMAND = (VENV_PYTHON, "-c", FLOOR_CODE)
HOOK_FLOOR_COMMAND = (REAL_PYTHON, "-I", "-S", "-c", FLOOR_CODE)

Run = tuple[Sequence[str], bytes]  # argv and what it reads on stdin


def compile_package() -> None:
    """Write spx's bytecode first, as an installed package has it: with PYTHONDONTWRITEBYTECODE set (as on
    the development machine) an edited module would otherwise be compiled again by every measured run."""
    compileall.compile_dir(str(REPO_ROOT / "src" / "spx_python"), quiet=1)
    compileall.compile_dir(str(REPO_ROOT / "hooks"), quiet=1)


compile_package()


def run_once(command: Sequence[str], cwd: Path, stdin: bytes = b"") -> float:
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, input=stdin, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)}: exit {result.returncode}: {result.stderr.decode()[-400:]}")
    return elapsed


def interleaved(runs: Mapping[str, Run], cwd: Path, rounds: int) -> dict[str, float]:
    """Median seconds per run; the runs alternate inside each round so they share machine conditions."""
    samples: dict[str, list[float]] = {name: [] for name in runs}
    for command, stdin in runs.values():  # warm-up: page cache, pyc files, spx's blob cache
        run_once(command, cwd, stdin)
    for _ in range(rounds):
        for name, (command, stdin) in runs.items():
            samples[name].append(run_once(command, cwd, stdin))
    return {name: statistics.median(values) for name, values in samples.items()}


def after_a_change(command: Sequence[str], cwd: Path, touched: Path, rounds: int, stdin: bytes = b"") -> float:
    """Median seconds of `command` run right after `touched` gets a new identity (same bytes, new times): what
    was remembered about the tree no longer holds, so the run works the tree out again."""
    samples = []
    for _ in range(rounds):
        os.utime(touched)
        samples.append(run_once(command, cwd, stdin))
    return statistics.median(samples)


def medians(commands: Mapping[str, Sequence[str]], cwd: Path, rounds: int) -> dict[str, float]:
    """`interleaved` for commands that read nothing on stdin."""
    return interleaved({name: (command, b"") for name, command in commands.items()}, cwd, rounds)


PEAK_RSS_CODE = (
    "import resource, subprocess, sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def peak_mib(command: Sequence[str], cwd: Path) -> float:
    """Peak resident memory of one run of `command` (ru_maxrss of a child: KiB on Linux)."""
    out = subprocess.run([REAL_PYTHON, "-c", PEAK_RSS_CODE, *command], cwd=cwd, capture_output=True, text=True,
                         check=True)  # fmt: skip
    return int(out.stdout.strip()) / 1024


def machine_note() -> str:
    return (
        f"{os.cpu_count()} CPUs ({platform.machine()}), {platform.system()} {platform.release()}, "
        f"CPython {platform.python_version()} at {REAL_PYTHON}"
    )


def result(label: str, value: float) -> None:
    print(f"RESULT {label} {value:.3f}")
