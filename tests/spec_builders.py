"""Builders for real spec trees on disk (tests only): containers, spec files, test files, ledgers."""

from __future__ import annotations

import subprocess
from pathlib import Path

from spx_python.evidence.blob import file_blob_sha
from spx_python.evidence.ledger import ChildEntry, Ledger, LedgerRow, format_ledger
from spx_python.spec.tree import LEDGER_NAME, PRODUCT_GUIDE_NAME, SPEC_ROOT_NAME, TESTS_DIR_NAME

STAMP_TIME = "2026-11-25T10:00:00Z"
PASSING_TEST = "def test_ok() -> None:\n    assert True\n"


def new_project(root: Path, *, git: bool = False) -> Path:
    (root / SPEC_ROOT_NAME).mkdir(parents=True, exist_ok=True)
    (root / SPEC_ROOT_NAME / PRODUCT_GUIDE_NAME).write_text("# product guide\n")
    if git:
        subprocess.run(["git", "init", "-q", str(root)], check=True)
    return root


def container(root: Path, full_path: str, *, spec: bool = True, tests: tuple[str, ...] = ()) -> Path:
    """Create the container directory for `full_path` with its spec file and the named test files."""
    directory = root / SPEC_ROOT_NAME / full_path
    directory.mkdir(parents=True, exist_ok=True)
    name = directory.name
    slug, kind = name.split("-", 1)[1].rsplit(".", 1)
    if spec:
        (directory / f"{slug}.{kind}.md").write_text(f"# {slug}\n\nA {kind}.\n")
    for test in tests:
        (directory / TESTS_DIR_NAME).mkdir(exist_ok=True)
        (directory / TESTS_DIR_NAME / test).write_text(PASSING_TEST)
    return directory


def write_ledger(directory: Path, *, tests: tuple[str, ...] | None = None) -> Path:
    """Record the container's current spec, tests (all by default) and children's ledgers as a ledger."""
    name = directory.name
    slug, kind = name.split("-", 1)[1].rsplit(".", 1)
    names = (
        tests if tests is not None else tuple(sorted(p.name for p in (directory / TESTS_DIR_NAME).glob("*.test.py")))
    )
    rows = tuple(LedgerRow(n, file_blob_sha(directory / TESTS_DIR_NAME / n), STAMP_TIME) for n in names)
    children = tuple(
        ChildEntry(child.name, file_blob_sha(child / LEDGER_NAME))
        for child in sorted(p for p in directory.iterdir() if p.is_dir() and p.name != TESTS_DIR_NAME)
        if (child / LEDGER_NAME).exists()
    )
    ledger = Ledger(file_blob_sha(directory / f"{slug}.{kind}.md"), STAMP_TIME, children, rows)
    path = directory / LEDGER_NAME
    path.write_bytes(format_ledger(ledger))
    return path
