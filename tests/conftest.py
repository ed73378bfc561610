"""Shared pytest configuration for the whole suite, and the order its modules are handed to the xdist workers."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_runner import REPO_ROOT

# Slowest first: the end-to-end modules (a few tests, each a real Claude Code session of 10-60 s), then the
# other `slow` ones, then the rest in collection order. pytest-xdist's `--dist loadscope` hands out whole modules
# in this order (`--no-loadscope-reorder`, pyproject.toml); its default order, most tests first, left the long
# one-test modules for last, and one worker ran them alone while the other sat idle.
COST_RANKS = (("e2e", 0), ("slow", 1))
CHEAP_RANK = len(COST_RANKS)


def cost_rank(item: pytest.Item) -> int:
    return next((rank for marker, rank in COST_RANKS if item.get_closest_marker(marker)), CHEAP_RANK)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=cost_rank)  # stable: collection order within each rank


@pytest.fixture
def repo_root() -> Path:
    return REPO_ROOT
