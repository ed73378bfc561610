"""A container's test files: `tests/*.{unit,integration,e2e}.test.py`, and which entries cannot be one.

Standard library only (hooks import it through `tree`). A test file's name is recorded in `pass.csv`,
a comma-separated file, so a name with a comma or a control character cannot be a test file; neither can
a directory or a link that leads nowhere. Such entries are reported as problems, never silently dropped.
"""

from __future__ import annotations

import os

from spx_python.names import TESTS_DIR_NAME, TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator

TEST_FILE_SUFFIXES = (".unit.test.py", ".integration.test.py", ".e2e.test.py")
LEDGER_FIELD_SEPARATOR = ","
NOT_A_TEST_FILE = (
    "named like a test file but not a readable regular file (a directory, a broken or looping link) — "
    "replace it with a test file or remove it"
)
UNRECORDABLE_NAME = (
    "a test file name with a comma or a control character cannot be recorded in pass.csv — "
    "rename it (letters, digits, -, _ and spaces are fine)"
)


def _is_regular_file(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file()
    except OSError:  # a symbolic-link loop, a file that vanished
        return False


def _test_entries(location: str) -> list[os.DirEntry[str]]:
    """Entries of `<location>/tests/` whose names are test-file names, whatever they are."""
    try:
        with os.scandir(os.path.join(location, TESTS_DIR_NAME)) as entries:
            return [e for e in entries if e.name.endswith(TEST_FILE_SUFFIXES)]
    except (FileNotFoundError, NotADirectoryError):
        return []


def why_not_a_test_file(entry: os.DirEntry[str]) -> str | None:
    """None for a usable test file, else the problem with this entry."""
    if LEDGER_FIELD_SEPARATOR in entry.name or not entry.name.isprintable():
        return UNRECORDABLE_NAME
    return None if _is_regular_file(entry) else NOT_A_TEST_FILE


def classify_test_entries(location: str) -> Iterator[tuple[os.DirEntry[str], str | None]]:
    """Each test-file-named entry of the container at `location` with its problem (None: a good test file)."""
    for entry in _test_entries(location):
        yield entry, why_not_a_test_file(entry)


def test_names(location: str) -> tuple[str, ...]:
    """The names of the container's usable test files, sorted."""
    return tuple(sorted(entry.name for entry, problem in classify_test_entries(location) if problem is None))


__all__ = ["TESTS_DIR_NAME"]  # imported from spx_python.names and re-exported for the modules that import it here
