"""The test files a spec's Test Files tables list. Pure, standard library only.

A row of a markdown table whose first cell names a test file — as a link into the container's `tests/`
(`[x.unit.test.py](tests/x.unit.test.py)`) or as the bare name — lists that file. Rows still holding a
template placeholder (`[{slug}...]`, `[harness]`) name no file. Every listed file must exist and pass
before the container can be stamped: a spec that promises a test nobody wrote is not done.
"""

from __future__ import annotations

import re

TABLE_ROW = re.compile(r"^\s*\|(?P<cell>[^|]*)\|")
LINKED = re.compile(r"\]\(\s*(?:\./)?tests/(?P<name>[^)\s]+\.test\.py)\s*\)")
BARE = re.compile(r"^`?(?:tests/)?(?P<name>[A-Za-z0-9_.-]+\.test\.py)`?$")


def listed_test_files(spec_text: str) -> tuple[str, ...]:
    """The test file names (relative to `tests/`) the spec's tables list, in first-seen order, no repeats."""
    names: dict[str, None] = {}
    for line in spec_text.splitlines():
        row = TABLE_ROW.match(line)
        if row is None:
            continue
        cell = row.group("cell").strip()
        found = LINKED.search(cell) or BARE.match(cell)
        if found is not None:
            names.setdefault(found.group("name"), None)
    return tuple(names)


def missing_listed(spec_text: str, present: tuple[str, ...]) -> tuple[str, ...]:
    """Listed test files that are not in the container's `tests/`."""
    return tuple(name for name in listed_test_files(spec_text) if name not in present)
