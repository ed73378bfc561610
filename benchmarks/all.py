"""All DESIGN.md §6 ratios side by side, in one run: hook vs floor, status/next vs floor, stamp vs pytest.

Usage: `.venv/bin/python benchmarks/all.py [--quick]`. Each benchmark script runs as its own process
(same machine, one after the other); their full output is shown, then a summary table of the ratios.
These are measurements to read, not timed tests: nothing here fails the test suite.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
RATIO_RE = re.compile(r"ratio (?P<ratio>\d+\.\d+)")
# script, label as printed by the script, what is measured, limit, rounds flag for a full / quick run
BENCHMARKS = (
    ("hook_bench.py", "skill", "PreToolUse(Skill) decision vs python3 floor", 1.5, ("--runs", "30", "10")),
    ("hook_bench.py", "protect", "Write/Edit/Bash gate vs python3 floor", 1.5, None),
    ("status_bench.py", "status", "spx spec status --format json (1,000 containers)", 2.0, ("--rounds", "21", "7")),
    ("status_bench.py", "next", "spx spec next, 1,000 containers vs floor", 2.0, None),
    ("stamp_bench.py", "ratio", "stamp vs the bare pytest it wraps (20 files)", 1.10, ("--rounds", "11", "5")),
)


def run_script(name: str, args: list[str]) -> str:
    print(f"\n=== {name} {' '.join(args)}", flush=True)
    result = subprocess.run([sys.executable, str(HERE / name), *args], capture_output=True, text=True, check=False)
    print(result.stdout.rstrip())
    if result.returncode not in (0, 1):
        print(result.stderr.rstrip(), file=sys.stderr)
    return result.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds (noisier)")
    quick = parser.parse_args().quick
    outputs: dict[str, str] = {}
    for script, _, _, _, rounds in BENCHMARKS:
        if rounds is not None and script not in outputs:
            flag, full, short = rounds
            outputs[script] = run_script(script, [flag, short if quick else full])
    print("\n| measure | ratio | limit | |\n| --- | --- | --- | --- |")
    for script, label, what, limit, _ in BENCHMARKS:
        found = {
            line.split()[0]: float(match["ratio"])
            for line in outputs[script].splitlines()
            if line.strip() and (match := RATIO_RE.search(line))
        }
        ratio = found.get(label)
        shown = "n/a" if ratio is None else f"{ratio:.2f}"
        verdict = "" if ratio is None else ("OK" if ratio <= limit else "OVER")
        print(f"| {what} | {shown} | ≤ {limit:g} | {verdict} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
