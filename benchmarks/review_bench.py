"""Benchmark: `spx review` on a generated 20-file story (10 source modules, 10 test files); time per tool.

Run: `.venv/bin/python benchmarks/review_bench.py [--runs 3]`. It generates the project in a temp dir
(git init, baseline commit without the story's work), then reviews the story `runs` times in-process.
The first run is cold (empty mypy cache), later runs warm. mypy, ruff and pytest run concurrently,
so the wall time is about the slowest tool, not their sum.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from spx_python.review.gate import review
from spx_python.spec.project import resolve_full_path

MODULES = 10
STORY = "21-bench.capability/21-gen.feature/21-many.story"
PACKAGE = "benchpkg"
MODULE_TEMPLATE = '''"""Generated module {n}."""

from __future__ import annotations

FACTOR_{n} = {n}


def scale_{n}(values: list[int]) -> list[int]:
    return [value * FACTOR_{n} for value in values]


def total_{n}(values: list[int]) -> int:
    if not values:
        return 0
    return sum(scale_{n}(values))
'''
TEST_TEMPLATE = """from __future__ import annotations

from {package}.mod_{n:02d} import FACTOR_{n}, scale_{n}, total_{n}


def test_scale_{n}_multiplies_each_value() -> None:
    assert scale_{n}([1, 2]) == [FACTOR_{n}, 2 * FACTOR_{n}]


def test_total_{n}_of_nothing_is_zero() -> None:
    assert total_{n}([]) == 0


def test_total_{n}_sums_the_scaled_values() -> None:
    assert total_{n}([1, 2]) == 3 * FACTOR_{n}
"""


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, timeout=60)


def generate(root: Path) -> None:
    write(root / "pyproject.toml", f'[project]\nname = "{PACKAGE}"\nversion = "0"\n\n'
          '[tool.pytest.ini_options]\npythonpath = ["src"]\n')  # fmt: skip
    write(root / ".gitignore", ".spx/\n__pycache__/\n")
    write(root / "spx" / "CLAUDE.md", "# bench\n")
    story = root / "spx" / STORY
    for directory in (story.parent.parent, story.parent, story):
        slug, kind = directory.name.split("-", 1)[1].rsplit(".", 1)
        write(directory / f"{slug}.{kind}.md", f"# {slug}\n")
    write(root / "src" / PACKAGE / "__init__.py", '"""Generated package."""\n')
    git(root, "init", "-q")
    git(root, "-c", "user.email=b@example.com", "-c", "user.name=B", "add", "--all")
    git(root, "-c", "user.email=b@example.com", "-c", "user.name=B", "commit", "-q", "-m", "baseline")
    for n in range(1, MODULES + 1):
        write(root / "src" / PACKAGE / f"mod_{n:02d}.py", MODULE_TEMPLATE.format(n=n))
        write(story / "tests" / f"mod{n:02d}.unit.test.py", TEST_TEMPLATE.format(package=PACKAGE, n=n))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory(prefix="spx-review-bench-") as temp:
        root = Path(temp).resolve()
        generate(root)
        container = resolve_full_path(root, STORY)
        rows: list[dict[str, float]] = []
        for index in range(runs):
            started = time.perf_counter()
            outcome = review(root, container)
            wall = time.perf_counter() - started
            row = {run.name: run.seconds for run in outcome.tools}
            row["wall"] = wall
            rows.append(row)
            label = "cold" if index == 0 else "warm"
            split = "  ".join(f"{name} {seconds:6.2f}s" for name, seconds in row.items())
            files = len(outcome.scope.test_files) + len(outcome.scope.source_files)
            print(f"run {index + 1} ({label}): {outcome.decision} on {files} files — {split}")
        if runs > 1:
            warm = rows[1:]
            medians = {name: statistics.median(r[name] for r in warm) for name in warm[0]}
            print("warm median: " + "  ".join(f"{name} {seconds:6.2f}s" for name, seconds in medians.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
