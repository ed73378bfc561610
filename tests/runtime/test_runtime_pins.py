"""One source of truth for versions: every runtime dependency of pyproject.toml is pinned in the runtime's pins."""

from __future__ import annotations

import re
from typing import Any

from cli_runner import REPO_ROOT
from runtime_plugin import PINS

from spx_python.toml_read import parse_toml

REQUIREMENT = re.compile(r"^([A-Za-z0-9._-]+)\s*(?:>=\s*([0-9.]+))?")
PIN = re.compile(r"^([A-Za-z0-9._-]+)==([0-9][^ ;]*)(?:\s*;\s*(.+))?$")
REVIEW_TOOLS = ("pytest", "pytest-cov", "coverage", "mypy", "ruff", "uv")


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


def pinned() -> dict[str, list[str]]:
    """name → every pinned version (a universal lock may pin one per python range)."""
    pins: dict[str, list[str]] = {}
    for line in (REPO_ROOT / PINS).read_text(encoding="utf-8").splitlines():
        match = PIN.match(line.strip())
        if match:
            pins.setdefault(normalized(match[1]), []).append(match[2])
    return pins


def declared(group: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for requirement in group:
        match = REQUIREMENT.match(requirement)
        assert match, requirement
        found[normalized(match[1])] = match[2] or "0"
    return found


def pyproject() -> dict[str, Any]:
    parsed = parse_toml((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert parsed is not None
    return parsed


def test_every_runtime_dependency_is_pinned_at_a_version_it_allows() -> None:
    project = pyproject()["project"]
    assert isinstance(project, dict)
    pins = pinned()
    for name, minimum in declared(project["dependencies"]).items():
        assert name in pins, f"{name} is a dependency in pyproject.toml but not pinned in {PINS}"
        assert all(version(v) >= version(minimum) for v in pins[name]), (name, minimum, pins[name])


def test_the_review_toolchain_is_pinned_within_the_dev_extra() -> None:
    project = pyproject()["project"]
    assert isinstance(project, dict)
    dev = declared(project["optional-dependencies"]["dev"])
    pins = pinned()
    for tool in REVIEW_TOOLS:
        assert tool in pins, f"{tool} is not pinned in {PINS}"
        if tool in dev:
            assert all(version(v) >= version(dev[tool]) for v in pins[tool]), (tool, dev[tool], pins[tool])


def test_every_line_is_an_exact_pin_or_a_comment() -> None:
    for line in (REPO_ROOT / PINS).read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        assert not stripped or stripped.startswith("#") or PIN.match(stripped), line
