"""Benchmark: `spx spec status` / `spx spec next` / `spx --help` vs the interpreter floor, and the 10k scaling.

On the generated 1,010-container tree (`spec_tree`: 300 stories stamped with tests and ledgers) the
commands alternate with `python -c "import json, re, os"` of spx's own interpreter (the real binary),
median of `--rounds`. Then the same status on 10,010 containers: its time over the 1,010 figure
(limit ~10: linear) and the peak memory of both (limit 64 MiB). The commands' figures are for a tree in use
(unchanged since an earlier run remembered it); `changed` is status right after a test file is touched, when
nothing remembered holds and the whole tree is worked out again (no limit: shown so it is not hidden).
Usage: `.venv/bin/python benchmarks/status_bench.py [--rounds N]`.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import FLOOR_COMMAND, SPX, after_a_change, machine_note, medians, peak_mib, result
from spec_tree import LARGE, generate

LIMIT = 2.0
SCALE_LIMIT = 10.0
MEMORY_LIMIT_MIB = 64.0
STATUS = (SPX, "spec", "status", "--format", "json")
COMMANDS = {"status": STATUS, "next": (SPX, "spec", "next"), "help": (SPX, "--help")}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=21)
    rounds = parser.parse_args().rounds
    print(f"machine: {machine_note()}; median of {rounds} interleaved rounds")
    with tempfile.TemporaryDirectory(prefix="spx-status-bench-") as directory:
        small, large = Path(directory, "small"), Path(directory, "large")
        count = generate(small)
        times = medians({"floor": FLOOR_COMMAND, **COMMANDS}, small, rounds)
        floor = times["floor"]
        print(f"tree: {count} containers")
        print(f"floor    {' '.join(FLOOR_COMMAND)}  {floor * 1000:7.1f} ms")
        for name, command in COMMANDS.items():
            ratio = times[name] / floor
            shown = " ".join(command[1:])
            print(f"{name:8} {shown:35} {times[name] * 1000:7.1f} ms  ratio {ratio:4.2f} (limit {LIMIT})")
            result(name, ratio)
        touched = next(small.glob("spx/*/*/*/tests/*.py"))
        changed = after_a_change(STATUS, small, touched, max(3, rounds // 2))
        print(f"changed  status right after {touched.name} of the first story is touched: {changed * 1000:7.1f} ms  "
              f"ratio {changed / floor:4.2f} (the whole tree worked out again; no limit)")  # fmt: skip
        result("status_changed", changed / floor)
        large_count = generate(large, LARGE)
        scale_rounds = max(3, rounds // 4)
        big = medians({"floor": FLOOR_COMMAND, "status": STATUS}, large, scale_rounds)
        scale = (big["status"] - big["floor"]) / (times["status"] - floor)
        print(f"tree: {large_count} containers; median of {scale_rounds}")
        print(f"status   {big['status'] * 1000:7.1f} ms; above the floor {scale:.1f}x the {count}-container figure "
              f"(whole process: {big['status'] / times['status']:.1f}x; limit ~{SCALE_LIMIT:g})")  # fmt: skip
        result("scale", scale)
        for label, root, containers in (("memory", small, count), ("memory10k", large, large_count)):
            peak = peak_mib(STATUS, root)
            print(f"peak memory of status on {containers} containers: {peak:.1f} MiB (limit {MEMORY_LIMIT_MIB:g})")
            result(label, peak)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
