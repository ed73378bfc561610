"""Which file holds the project's pytest settings — found the way pytest 9 finds it — and spx's edit of it.

pytest reads the first of: pytest.toml, .pytest.toml, pytest.ini, .pytest.ini (always, even without
settings), pyproject.toml with a [tool.pytest] / [tool.pytest.ini_options] table, tox.ini with [pytest],
setup.cfg with [tool:pytest]. spx writes where pytest reads; with none of them, into pyproject.toml. Writing
anywhere else would be ignored, or would take the project's settings away from pytest.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from spx_python.config import PYPROJECT_NAME
from spx_python.setup.init_files import read_text, unusable
from spx_python.setup.pytest_ini import INI_SECTIONS, add_ini_settings, has_section
from spx_python.setup.pytest_pyproject import PYTEST_TOML_NAMES, SRC_DIR, ConfigEdit, add_pytest_settings
from spx_python.toml_read import parse_toml

ALWAYS_READ = (*PYTEST_TOML_NAMES, "pytest.ini", ".pytest.ini")
READ_WITH_SECTION = ("tox.ini", "setup.cfg")
SETTINGS_FILES = frozenset({*ALWAYS_READ, PYPROJECT_NAME, *INI_SECTIONS})


class SettingsEdit(NamedTuple):
    name: str  # the file, relative to the project root
    old: str | None  # its text before (None: no file)
    edit: ConfigEdit


def _readable(path: Path) -> str | None:
    try:
        return read_text(path)
    except (OSError, UnicodeDecodeError):
        return None


def _has_pyproject_settings(text: str | None) -> bool:
    tool = (parse_toml(text) or {}).get("tool") if text else None
    return isinstance(tool, dict) and "pytest" in tool


def settings_file(root: Path) -> str:
    """The name of the file pytest reads its settings from in `root` (pyproject.toml when none)."""
    for name in ALWAYS_READ:
        if (root / name).is_file():
            return name
    if _has_pyproject_settings(_readable(root / PYPROJECT_NAME)):
        return PYPROJECT_NAME
    for name in READ_WITH_SECTION:
        text = _readable(root / name)
        if text is not None and has_section(text, INI_SECTIONS[name]):
            return name
    return PYPROJECT_NAME


def settings_edit(root: Path) -> SettingsEdit | str:
    """spx's edit of the project's pytest settings (pure but for reading), or why the file cannot be read."""
    name = settings_file(root)
    try:
        text = read_text(root / name)
    except (OSError, UnicodeDecodeError) as error:
        return unusable(name, error, "add the pytest settings yourself")
    src_layout = (root / SRC_DIR).is_dir()
    if name in INI_SECTIONS:
        return SettingsEdit(name, text, add_ini_settings(text or "", name, src_layout=src_layout))
    return SettingsEdit(name, text, add_pytest_settings(text, src_layout=src_layout, name=name))
