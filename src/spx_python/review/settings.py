"""What the review gate needs to know about the user's project: its configs, source roots and threshold.

Read from the project's `pyproject.toml` (`[tool.spx] coverage_threshold`, `[tool.mypy]`, `[tool.ruff]`,
package lists) and the presence of `mypy.ini`, `ruff.toml` and friends.
"""

from __future__ import annotations

import configparser
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spx_python.config import COVERAGE_THRESHOLD_KEY, EXISTING_SUITE_KEY, PYPROJECT_NAME, check_keys
from spx_python.errors import SpxError
from spx_python.toml_read import load_toml

CONFIG_DIR = Path(__file__).parent / "config"
SHIPPED_MYPY_CONFIG = CONFIG_DIR / "mypy.ini"
SHIPPED_RUFF_CONFIG = CONFIG_DIR / "ruff.toml"
SHIPPED_COVERAGE_CONFIG = CONFIG_DIR / "coverage.ini"  # always used: the project's cannot exclude code
SETUP_CFG = "setup.cfg"
SRC_DIR = "src"
DEFAULT_COVERAGE_THRESHOLD = 80.0
DEFAULT_SUITE_BUDGET = 600.0  # seconds the project's existing suite may take in a review
THRESHOLD_KEY = COVERAGE_THRESHOLD_KEY
MYPY_CONFIG_FILES = ("mypy.ini", ".mypy.ini")
RUFF_CONFIG_FILES = ("ruff.toml", ".ruff.toml")
MYPY_SECTION = "mypy"
RUFF_SECTION = "ruff"
NOT_SOURCE_DIRS = frozenset({"tests", "test", "spx", "docs", "benchmarks", "examples", "scripts", "build", "dist"})
RUFF_IGNORE_KEYS = ("ignore", "extend-ignore")
SPECIFIC_RULE_RE = re.compile(r"^[A-Z]+[0-9]{3,4}$")  # S603 yes; a whole family ("S", "B9") no
INIT_FILE = "__init__.py"
PY_SUFFIX = ".py"


@dataclass(frozen=True)
class ProjectSettings:
    root: Path
    coverage_threshold: float
    has_mypy_config: bool
    has_ruff_config: bool
    source_roots: tuple[Path, ...]
    ruff_ignores: tuple[str, ...] = ()
    suite_budget: float | None = DEFAULT_SUITE_BUDGET  # None: the existing suite is not run (off)

    def is_source(self, path: Path) -> bool:
        return path.suffix == PY_SUFFIX and any(path == r or r in path.parents for r in self.source_roots)


def load_pyproject(root: Path) -> dict[str, Any]:
    return _load_toml(root / PYPROJECT_NAME)


def _tool(pyproject: dict[str, Any], name: str) -> dict[str, Any] | None:
    tool = pyproject.get("tool")
    section = tool.get(name) if isinstance(tool, dict) else None
    return section if isinstance(section, dict) else None


def coverage_threshold(root: Path, pyproject: dict[str, Any]) -> float:
    section = _tool(pyproject, "spx") or {}
    check_keys(section, root / PYPROJECT_NAME)
    value = section.get(THRESHOLD_KEY, DEFAULT_COVERAGE_THRESHOLD)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 100:
        raise SpxError(
            f"{root / PYPROJECT_NAME}: [tool.spx] {THRESHOLD_KEY} = {value!r} is not a percentage — "
            "set a number greater than 0 and at most 100 (default 80)"
        )
    return float(value)


def suite_budget(root: Path, pyproject: dict[str, Any]) -> float | None:
    """`[tool.spx] existing_suite`: true (the default budget), false (off), or a budget in seconds."""
    value = (_tool(pyproject, "spx") or {}).get(EXISTING_SUITE_KEY, True)
    if value is True:
        return DEFAULT_SUITE_BUDGET
    if value is False:
        return None
    if isinstance(value, int | float) and value > 0:
        return float(value)
    raise SpxError(
        f"{root / PYPROJECT_NAME}: [tool.spx] {EXISTING_SUITE_KEY} = {value!r} is not a switch or a time budget — "
        f"set true ({DEFAULT_SUITE_BUDGET:g} s), false (do not run the existing suite), or a number of seconds"
    )


def _setup_cfg_has(root: Path, section: str) -> bool:
    parser = configparser.ConfigParser()
    try:
        parser.read(root / SETUP_CFG, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError):
        return False
    return parser.has_section(section)


def has_mypy_config(root: Path, pyproject: dict[str, Any]) -> bool:
    return (
        any((root / name).is_file() for name in MYPY_CONFIG_FILES)
        or _tool(pyproject, MYPY_SECTION) is not None
        or _setup_cfg_has(root, MYPY_SECTION)
    )


def has_ruff_config(root: Path, pyproject: dict[str, Any]) -> bool:
    return any((root / name).is_file() for name in RUFF_CONFIG_FILES) or _tool(pyproject, RUFF_SECTION) is not None


def _load_toml(path: Path) -> dict[str, Any]:
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        return {}
    return load_toml(content, str(path), "fix the file")


def ruff_ignores(config: dict[str, Any]) -> tuple[str, ...]:
    """Specific rule codes a ruff config ignores (top level and `[lint]`), to re-apply after `--extend-select`."""
    lint = config.get("lint")
    sections = [config, lint if isinstance(lint, dict) else {}]
    codes = {str(code) for section in sections for key in RUFF_IGNORE_KEYS for code in section.get(key) or []}
    return tuple(sorted(code for code in codes if SPECIFIC_RULE_RE.match(code)))


def ruff_config_source(root: Path, pyproject: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """The project's own ruff configuration at its root (file name, content), or None when it has none."""
    for name in RUFF_CONFIG_FILES:
        if (root / name).is_file():
            return name, _load_toml(root / name)
    section = _tool(pyproject, RUFF_SECTION)
    return None if section is None else (PYPROJECT_NAME, section)


def ruff_config(root: Path, pyproject: dict[str, Any], shipped: Path) -> dict[str, Any]:
    """The ruff configuration that applies at the project root: its own file or section, else `shipped`."""
    source = ruff_config_source(root, pyproject)
    if source is None or (source[0] == PYPROJECT_NAME and not source[1]):  # an empty [tool.ruff]: the shipped rules
        return _load_toml(shipped)
    return source[1]


def _is_python_package(path: Path) -> bool:
    return path.is_dir() and path.name.isidentifier() and any(path.rglob(f"*{PY_SUFFIX}"))


def _declared_packages(root: Path, pyproject: dict[str, Any]) -> list[Path]:
    """Packages named in pyproject: hatch wheel `packages`, setuptools `packages`, or the project name."""
    names: list[str] = []
    hatch = (((_tool(pyproject, "hatch") or {}).get("build") or {}).get("targets") or {}).get("wheel") or {}
    setuptools = _tool(pyproject, "setuptools") or {}
    for listed in (hatch.get("packages"), setuptools.get("packages")):
        if isinstance(listed, list):
            names.extend(str(item) for item in listed)
    project = pyproject.get("project")
    if isinstance(project, dict) and isinstance(project.get("name"), str):
        names.append(project["name"].replace("-", "_").replace(".", "_").lower())
    return [root / name for name in names if _is_python_package(root / name)]


def source_roots(root: Path, pyproject: dict[str, Any]) -> tuple[Path, ...]:
    """The project's own source: `src/` (src layout), else declared packages, else top-level packages."""
    src = root / SRC_DIR
    if src.is_dir():
        return (src,)
    declared = _declared_packages(root, pyproject)
    if declared:
        return tuple(sorted(set(declared)))
    found = [
        child
        for child in sorted(root.iterdir())
        if child.name not in NOT_SOURCE_DIRS and not child.name.startswith(".") and (child / INIT_FILE).is_file()
    ]
    return tuple(found)


def load_settings(root: Path) -> ProjectSettings:
    pyproject = load_pyproject(root)
    return ProjectSettings(
        root=root,
        coverage_threshold=coverage_threshold(root, pyproject),
        has_mypy_config=has_mypy_config(root, pyproject),
        has_ruff_config=has_ruff_config(root, pyproject),
        source_roots=source_roots(root, pyproject),
        ruff_ignores=ruff_ignores(ruff_config(root, pyproject, SHIPPED_RUFF_CONFIG)),
        suite_budget=suite_budget(root, pyproject),
    )
