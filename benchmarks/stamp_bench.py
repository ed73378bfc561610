"""Benchmark: `spx spec test --stamp` vs the bare pytest command it wraps, on a story with 20 test files.

Both commands alternate inside each round (same machine conditions); the bare command is exactly the
argv `spx` builds (`spx_python.testrun.pytest_run.pytest_argv`: same interpreter, options, junit report and
files). Prints the medians and the ratio; the target (DESIGN.md §6) is ≤ 1.10.
Usage: `.venv/bin/python benchmarks/stamp_bench.py [--rounds N]`.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import SPX, machine_note, medians, result

from spx_python.testrun.pytest_run import pytest_argv
from spx_python.toolchain.resolve import PYTEST, pytest_launch, resolve_toolchain

STORY = "21-bench.capability/21-load.feature/21-many.story"
TEST_FILES = 20
CASES_PER_FILE = 5
TARGET_RATIO = 1.10
PYPROJECT = '[project]\nname = "bench"\nversion = "0"\n\n[tool.spx]\nrequire_review = false\n'


def test_module(index: int) -> str:
    cases = "".join(
        f"\n\ndef test_case_{case}() -> None:\n    assert sorted(range({index + case}, 0, -1))[0] == 1\n"
        for case in range(CASES_PER_FILE)
    )
    return f"from __future__ import annotations{cases}\n"


def build(root: Path) -> list[str]:
    """A project whose story has TEST_FILES test files; returns their root-relative paths."""
    (root / "pyproject.toml").write_text(PYPROJECT)
    directory = root / "spx" / STORY
    (directory / "tests").mkdir(parents=True)
    (root / "spx" / "CLAUDE.md").write_text("# bench\n")
    for path in ("21-bench.capability", "21-bench.capability/21-load.feature", STORY):
        slug, kind = path.rsplit("/", 1)[-1].split("-", 1)[1].rsplit(".", 1)
        (root / "spx" / path / f"{slug}.{kind}.md").write_text(f"# {slug}\n")
    names = []
    for index in range(TEST_FILES):
        name = f"case{index:02d}.unit.test.py"
        (directory / "tests" / name).write_text(test_module(index + 1))
        names.append(os.path.relpath(directory / "tests" / name, root))
    return names


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=11)
    rounds = parser.parse_args().rounds
    with tempfile.TemporaryDirectory(prefix="spx-stamp-bench-") as scratch:
        root = Path(scratch).resolve()
        files = build(root)
        toolchain = resolve_toolchain(root, os.environ)
        launch = pytest_launch(toolchain, (PYTEST,), root / ".bench-lent", os.environ)
        bare = pytest_argv(root, launch, files, root / ".bench-report.xml")
        stamp = (SPX, "spec", "test", "--stamp", STORY)
        results = medians({"pytest": bare, "stamp": stamp}, root, rounds)
        ledger_rows = (root / "spx" / STORY / "pass.csv").read_text().count(".unit.test.py")
    ratio = results["stamp"] / results["pytest"]
    print(f"machine: {machine_note()}; {TEST_FILES} test files x {CASES_PER_FILE} cases; median of {rounds}")
    print(f"bare pytest (same argv)      {results['pytest'] * 1000:7.1f} ms")
    print(f"spx spec test --stamp        {results['stamp'] * 1000:7.1f} ms  (ledger rows: {ledger_rows})")
    print(f"ratio {ratio:.3f} (target <= {TARGET_RATIO:.2f}): {'OK' if ratio <= TARGET_RATIO else 'OVER TARGET'}")
    result("stamp", ratio)


if __name__ == "__main__":
    main()
