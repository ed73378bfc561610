"""Every Python example in the skills and their references passes the review's own tools: mypy --strict and
ruff with the shipped configuration and `--extend-select B,S` (a model copies what the skills show).

The examples use a made-up package `todo`; its modules do not exist, so mypy is told not to report the
missing imports (their names are then `Any`) — everything else is checked as the review checks it."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from cli_runner import REPO_ROOT

from spx_python.review.settings import load_settings
from spx_python.review.tools import mypy_command, ruff_command

PYTHON_BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)
TOOLS = Path(sys.executable).parent


def examples() -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for document in sorted((REPO_ROOT / "skills").rglob("*.md")):
        for number, block in enumerate(PYTHON_BLOCK.findall(document.read_text(encoding="utf-8")), start=1):
            found.append((f"{document.relative_to(REPO_ROOT)} #{number}", block))
    return found


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[Path, str]:
    """Each example as a test module of its own in a project without tool configs (the review's shipped ones)."""
    directory = tmp_path_factory.mktemp("examples") / "tests"
    directory.mkdir()
    files = {directory / f"example_{n}.unit.test.py": label for n, (label, _) in enumerate(examples())}
    for (path, _), (_, block) in zip(files.items(), examples(), strict=True):
        path.write_text(block, encoding="utf-8")
    return files


def test_the_skills_hold_python_examples() -> None:
    assert len(examples()) >= 7


def test_every_example_passes_mypy_strict_as_the_review_runs_it(written: dict[Path, str]) -> None:
    settings = load_settings(next(iter(written)).parent.parent)
    for path, label in written.items():
        command = mypy_command(settings, [str(TOOLS / "mypy")], [path])
        done = subprocess.run(
            [*command[:-1], "--disable-error-code", "import-not-found", str(path)],
            capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
        assert done.returncode == 0, f"{label}:\n{done.stdout}"


def test_every_example_passes_ruff_as_the_review_runs_it(written: dict[Path, str]) -> None:
    settings = load_settings(next(iter(written)).parent.parent)
    command = ruff_command(settings, [str(TOOLS / "ruff")], written)
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)
    findings = [(f["filename"].rsplit("/", 1)[-1], f["code"], f["message"]) for f in json.loads(done.stdout)]
    assert findings == [], "\n".join(f"{p.name}: {label}" for p, label in written.items())
