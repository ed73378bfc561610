"""All DESIGN.md §6 figures side by side, in one run: hooks, status/next/--help, 10k scaling, memory, stamp.

Usage: `.venv/bin/python benchmarks/all.py [--quick]`. Each benchmark script runs as its own process
(same machine, one after the other); their full output is shown, then a summary table built from the
`RESULT <label> <value>` lines they print. Every floor is the real interpreter binary, never a shim.
These are measurements to read, not timed tests: nothing here fails the test suite.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import machine_note

HERE = Path(__file__).resolve().parent
RESULT_PREFIX = "RESULT "
# script, rounds flag with its full / quick value
SCRIPTS = (
    ("hook_bench.py", ("--runs", "30", "10")),
    ("status_bench.py", ("--rounds", "21", "7")),
    ("stamp_bench.py", ("--rounds", "11", "5")),
)
# label as printed by a script, what is measured, limit (None: shown, not judged), unit
SUMMARY: tuple[tuple[str, str, float | None, str], ...] = (
    ("skill", "PreToolUse(Skill) decision deep in a 1,010-container tree vs `python3 -I -S` floor", 1.5, "x"),
    ("skill_changed", "the same decision right after an earlier story's test file is touched", None, "x"),
    ("protect", "Bash/Write/Edit gate (`ls -la`) vs `python3 -I -S` floor", 1.5, "x"),
    ("status", "spx spec status --format json, 1,010 containers vs `python -c` floor", 2.0, "x"),
    ("status_changed", "the same status right after a test file is touched (tree worked out)", None, "x"),
    ("next", "spx spec next, 1,010 containers vs floor", 2.0, "x"),
    ("help", "spx --help vs floor", 2.0, "x"),
    ("scale", "status time above the floor, 10,010 vs 1,010 containers", 10.0, "x"),
    ("memory", "peak memory of status, 1,010 containers", 64.0, " MiB"),
    ("memory10k", "peak memory of status, 10,010 containers", 64.0, " MiB"),
    ("stamp", "stamp vs the bare pytest it wraps (20 files)", 1.10, "x"),
)


def run_script(name: str, args: list[str]) -> dict[str, float]:
    print(f"\n=== {name} {' '.join(args)}", flush=True)
    result = subprocess.run([sys.executable, str(HERE / name), *args], capture_output=True, text=True, check=False)
    lines = result.stdout.rstrip().splitlines()
    print("\n".join(line for line in lines if not line.startswith(RESULT_PREFIX)))
    if result.returncode != 0:
        print(result.stderr.rstrip(), file=sys.stderr)
    found = {}
    for line in lines:
        if line.startswith(RESULT_PREFIX):
            _, label, value = line.split()
            found[label] = float(value)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="fewer rounds (noisier)")
    quick = parser.parse_args().quick
    found: dict[str, float] = {}
    for script, (flag, full, short) in SCRIPTS:
        found.update(run_script(script, [flag, short if quick else full]))
    print(f"\nmachine: {machine_note()}")
    print("\n| measure | result | limit | |\n| --- | --- | --- | --- |")
    for label, what, limit, unit in SUMMARY:
        value = found.get(label)
        shown = "n/a" if value is None else f"{value:.2f}{unit}"
        if limit is None:
            print(f"| {what} | {shown} | none | |")
            continue
        verdict = "" if value is None else ("OK" if value <= limit else "OVER")
        print(f"| {what} | {shown} | ≤ {limit:g}{unit} | {verdict} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
