"""Shared pytest configuration for the whole suite."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_runner import REPO_ROOT


@pytest.fixture
def repo_root() -> Path:
    return REPO_ROOT
