"""`spx init`: set up a project for spx: the product guide, the pytest settings, `.spx/` in `.gitignore`.

Never overwrites or rewrites anything: `spx/CLAUDE.md` is written only when absent, pyproject.toml only
gains missing keys (see `pytest_config`), `.gitignore` only gains one line. A second run changes nothing.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

from spx_python.atomic import write_atomic
from spx_python.config import PYPROJECT_NAME
from spx_python.create import write_new_file
from spx_python.pytest_config import SRC_DIR, TABLE_NAME, add_pytest_settings, parse_toml
from spx_python.templates import GUIDE_TEMPLATE, TemplateVars, render, title_from_slug
from spx_python.tree import PRODUCT_GUIDE_NAME, SPEC_ROOT_NAME

GITIGNORE_NAME = ".gitignore"
STATE_DIR_ENTRY = ".spx/"
STATE_DIR_SPELLINGS = frozenset({".spx", ".spx/", "/.spx", "/.spx/", ".spx/*", "/.spx/*"})
# pytest reads these before pyproject.toml: settings written to pyproject.toml would be ignored.
PRECEDING_CONFIGS = ("pytest.toml", ".pytest.toml", "pytest.ini", ".pytest.ini")
DEFAULT_SLUG = "product"
GUIDE_PATH = f"{SPEC_ROOT_NAME}/{PRODUCT_GUIDE_NAME}"


class InitReport(NamedTuple):
    changes: tuple[str, ...]
    warnings: tuple[str, ...]


def project_slug(root: Path, pyproject_text: str | None) -> str:
    """The kebab-case name of the project: pyproject's [project].name, else the directory name."""
    name = root.resolve().name
    if pyproject_text:
        project = (parse_toml(pyproject_text) or {}).get("project", {})
        if isinstance(project, dict) and isinstance(project.get("name"), str):
            name = project["name"]
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or DEFAULT_SLUG


def with_gitignore_entry(text: str | None) -> str | None:
    """`.gitignore` text with `.spx/` added, or None when it is already ignored."""
    if text is not None and any(line.strip() in STATE_DIR_SPELLINGS for line in text.splitlines()):
        return None
    if not text:
        return STATE_DIR_ENTRY + "\n"
    newline = "\r\n" if "\r\n" in text else "\n"
    return text + ("" if text.endswith("\n") else newline) + STATE_DIR_ENTRY + newline


def _read_text(path: Path) -> str | None:
    try:
        return path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return None


def _unusable(name: str, error: OSError | UnicodeDecodeError, what: str) -> str:
    why = "not UTF-8 text" if isinstance(error, UnicodeDecodeError) else f"cannot read it ({error.strerror})"
    return f"{name}: {why} — left alone; {what}"


def _guide(root: Path, slug: str, today: str) -> list[str]:
    guide = root / SPEC_ROOT_NAME / PRODUCT_GUIDE_NAME
    if guide.exists():
        return []
    variables = TemplateVars(title=title_from_slug(slug), slug=slug, kind="product", bsp="", parent_path="", date=today)
    text = render(GUIDE_TEMPLATE, variables)  # before mkdir: a failed render leaves no empty spx/ behind
    guide.parent.mkdir(exist_ok=True)
    write_new_file(guide, text)
    return [f"created {GUIDE_PATH}"]


def _pytest_settings(root: Path, text: str | None) -> tuple[list[str], list[str]]:
    edit = add_pytest_settings(text, src_layout=(root / SRC_DIR).is_dir())
    warnings = list(edit.warnings)
    warnings += [
        f"{name}: pytest reads it before {PYPROJECT_NAME}, so the settings below {TABLE_NAME} are ignored — "
        "put python_files, addopts and markers there"
        for name in PRECEDING_CONFIGS
        if (root / name).exists()
    ]
    if not edit.added:
        return [], warnings
    write_atomic(root / PYPROJECT_NAME, edit.text.encode("utf-8"))
    verb = "created" if text is None else "updated"
    return [f"{verb} {PYPROJECT_NAME}: added {', '.join(edit.added)} to {TABLE_NAME}"], warnings


def _gitignore(root: Path) -> list[str]:
    path = root / GITIGNORE_NAME
    text = _read_text(path)
    new_text = with_gitignore_entry(text)
    if new_text is None:
        return []
    write_atomic(path, new_text.encode("utf-8"))
    return [f"{'created' if text is None else 'updated'} {GITIGNORE_NAME}: added {STATE_DIR_ENTRY}"]


def init_project(root: Path, today: str) -> InitReport:
    """Set up `root` for spx; `today` (YYYY-MM-DD) dates the product guide."""
    warnings: list[str] = []
    unreadable: OSError | UnicodeDecodeError | None = None
    try:
        pyproject = _read_text(root / PYPROJECT_NAME)
    except (OSError, UnicodeDecodeError) as error:
        pyproject, unreadable = None, error
    changes = _guide(root, project_slug(root, pyproject), today)
    if not (root / GUIDE_PATH).is_file():
        warnings.append(f"{GUIDE_PATH}: not a file — remove it and run `spx init` again to write the product guide")
    if unreadable is not None:
        warnings.append(_unusable(PYPROJECT_NAME, unreadable, "add the pytest settings yourself"))
    else:
        pytest_changes, pytest_warnings = _pytest_settings(root, pyproject)
        changes += pytest_changes
        warnings += pytest_warnings
    try:
        changes += _gitignore(root)
    except (OSError, UnicodeDecodeError) as error:
        warnings.append(_unusable(GITIGNORE_NAME, error, f"add {STATE_DIR_ENTRY} to it yourself"))
    return InitReport(tuple(changes), tuple(warnings))
