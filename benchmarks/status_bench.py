"""Benchmark: `spx spec status --format json` and `spx spec next` on a generated 1,000-container tree.

Prints median whole-process times against `python3 -c "import json, re, os"` run in the same loop,
and the ratios (DESIGN.md §6: ≤ 2). Usage: `.venv/bin/python benchmarks/status_bench.py [--rounds N]`.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from common import FLOOR_COMMAND, SPX, machine_note, medians
from spec_builders import container, new_project, write_ledger

CAPABILITIES, FEATURES, STORIES = 10, 9, 10  # 10 + 90 + 900 = 1,000 containers
LIMIT = 2.0


def generate(root: Path) -> int:
    """A realistic tree: most stories stamped (hashing work), the rest in progress."""
    new_project(root)
    count = 0
    for c in range(CAPABILITIES):
        cap = f"{21 + c * 7}-cap{c}.capability"
        container(root, cap)
        count += 1
        for f in range(FEATURES):
            feat = f"{cap}/{21 + f * 8}-feat{f}.feature"
            container(root, feat)
            count += 1
            for s in range(STORIES):
                story = container(root, f"{feat}/{21 + s * 7}-story{s}.story", tests=(f"s{s}.unit.test.py",))
                count += 1
                if c < CAPABILITIES - 1:
                    write_ledger(story)
            if c < CAPABILITIES - 1:
                write_ledger(root / "spx" / feat)
    return count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=21)
    rounds = parser.parse_args().rounds
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        count = generate(root)
        results = medians(
            {
                "floor": FLOOR_COMMAND,
                "direct": (sys.executable, "-c", "import json, re, os"),
                "status": (SPX, "spec", "status", "--format", "json"),
                "next": (SPX, "spec", "next"),
            },
            root,
            rounds,
        )
    floor = results["floor"]
    print(f"tree: {count} containers; {rounds} rounds; {machine_note()}")
    print(f"floor  python3 -c 'import json, re, os'  {floor * 1000:7.1f} ms")
    print(f"       (same, venv interpreter directly: {results['direct'] * 1000:.1f} ms; python3 may be a shim)")
    ok = True
    for name in ("status", "next"):
        ratio = results[name] / floor
        ok &= ratio <= LIMIT
        print(f"{name:6} spx spec {name:<25} {results[name] * 1000:7.1f} ms  ratio {ratio:4.2f} (limit {LIMIT})")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
