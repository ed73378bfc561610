"""The project's test-file lint waivers, extended to spx's test files (pure logic).

A project's ruff `per-file-ignores` for its tests (`"tests/*" = ["S101", "PLR2004"]`) do not match
`spx/**/tests/*.test.py`, so rules it waives in tests would hit spx's test files. The patterns that
match a typical test path (`SAMPLE_TEST_PATHS`) are the project's test conventions; their codes reach
spx's tests through one `--config` override. A blocking family (`S`, `B`, `ALL`) never travels:
exempting tests from it is itself a `weakened-config` finding.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from spx_python.review.checks.tool_config import BLOCKING_FAMILY_RE, glob_matches, per_file_tables

SAMPLE_TEST_PATHS = (
    "tests/test_example.py",
    "tests/unit/test_example.py",
    "tests/example_test.py",
    "test/test_example.py",
    "tests/conftest.py",
)
SPX_TEST_GLOB = "spx/**/tests/*.py"
CONFIG_OPTION = "--config"


def waived_in_tests(config: Mapping[str, Any]) -> tuple[str, ...]:
    """Codes the project's ruff configuration waives for its test files (blocking families left out)."""
    codes: set[str] = set()
    for _, table in per_file_tables(config):
        for pattern, listed in table.items():
            if any(glob_matches(str(pattern), sample) for sample in SAMPLE_TEST_PATHS):
                codes.update(str(code) for code in listed or [] if not BLOCKING_FAMILY_RE.match(str(code)))
    return tuple(sorted(codes))


def waiver_arguments(codes: tuple[str, ...]) -> list[str]:
    """ruff arguments that give spx's test files the project's test waivers (none when there are none)."""
    if not codes:
        return []
    listed = ", ".join(f'"{code}"' for code in codes)
    return [CONFIG_OPTION, f'lint.extend-per-file-ignores = {{ "{SPX_TEST_GLOB}" = [{listed}] }}']
