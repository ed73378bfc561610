"""`spx init`: set up a project for spx: the product guide, the pytest settings, `.spx/` in `.gitignore`.

Never overwrites or takes away: `spx/CLAUDE.md` is written only when absent, the file holding the pytest
settings only gains keys and values (see `pytest_settings`), `.gitignore` only gains one line, and
`.claude/settings.json` (with `--allow-spx`) only gains the rule for spx. Everything is rendered before
anything is written; when the new pytest settings would collect fewer of the project's own tests, every
file is restored byte-for-byte and the lost tests are named. A second run changes nothing.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

from spx_python.config import PYPROJECT_NAME
from spx_python.errors import SpxError
from spx_python.setup.claude_permissions import SETTINGS_PATH, SPX_RULE, with_spx_rule
from spx_python.setup.init_files import FileChange, apply_changes, read_text, record_written, restore, unusable
from spx_python.setup.pytest_pyproject import TEST_PATTERNS
from spx_python.setup.pytest_settings import SETTINGS_FILES, settings_edit
from spx_python.setup.templates import GUIDE_TEMPLATE, TemplateVars, render, title_from_slug
from spx_python.spec.tree import PRODUCT_GUIDE_NAME, SPEC_ROOT_NAME
from spx_python.testrun.collection import collect
from spx_python.toml_read import parse_toml

GITIGNORE_NAME = ".gitignore"
STATE_DIR_ENTRY = ".spx/"
STATE_DIR_SPELLINGS = frozenset({".spx", ".spx/", "/.spx", "/.spx/", ".spx/*", "/.spx/*"})
DEFAULT_SLUG = "product"
GUIDE_PATH = f"{SPEC_ROOT_NAME}/{PRODUCT_GUIDE_NAME}"
MAX_NAMED_TESTS = 5


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


def _guide(root: Path, slug: str, today: str) -> list[FileChange]:
    if (root / GUIDE_PATH).exists():
        return []
    variables = TemplateVars(title=title_from_slug(slug), slug=slug, kind="product", bsp="", parent_path="", date=today)
    return [FileChange(GUIDE_PATH, None, render(GUIDE_TEMPLATE, variables), f"created {GUIDE_PATH}")]


def _pytest_settings(root: Path) -> tuple[list[FileChange], list[str]]:
    found = settings_edit(root)
    if isinstance(found, str):
        return [], [found]
    edit = found.edit
    if not edit.added and not edit.extended:
        return [], list(edit.warnings)
    what = [f"added {', '.join(edit.added)}"] if edit.added else []
    what += [f"extended {', '.join(edit.extended)}"] if edit.extended else []
    summary = f"{'created' if found.old is None else 'updated'} {found.name}: {' and '.join(what)} in {edit.table}"
    return [FileChange(found.name, found.old, edit.text, summary)], list(edit.warnings)


def _gitignore(root: Path) -> list[FileChange]:
    text = read_text(root / GITIGNORE_NAME)
    new_text = with_gitignore_entry(text)
    if new_text is None:
        return []
    verb = "created" if text is None else "updated"
    return [FileChange(GITIGNORE_NAME, text, new_text, f"{verb} {GITIGNORE_NAME}: added {STATE_DIR_ENTRY}")]


def _named(tests: frozenset[str]) -> str:
    names = sorted(tests)
    more = f" (+{len(names) - MAX_NAMED_TESTS} more)" if len(names) > MAX_NAMED_TESTS else ""
    return ", ".join(names[:MAX_NAMED_TESTS]) + more


def _permission(root: Path) -> list[FileChange]:
    try:
        text = read_text(root / SETTINGS_PATH)
    except (OSError, UnicodeDecodeError) as error:
        raise SpxError(unusable(SETTINGS_PATH, error, f"add {SPX_RULE} to its permissions.allow yourself")) from None
    new_text = with_spx_rule(text)
    if new_text is None:
        return []
    verb = "created" if text is None else "updated"
    return [FileChange(SETTINGS_PATH, text, new_text, f"{verb} {SETTINGS_PATH}: allowed {SPX_RULE}")]


def plan_init(root: Path, today: str, *, allow_spx: bool = False) -> tuple[list[FileChange], list[str]]:
    """Every file `spx init` would write (rendered, not written) and the warnings; no I/O but reading.

    `allow_spx`: also add the Claude Code permission rule for `spx` calls (SpxError when it cannot)."""
    try:
        pyproject = read_text(root / PYPROJECT_NAME)
    except (OSError, UnicodeDecodeError):
        pyproject = None
    changes = _guide(root, project_slug(root, pyproject), today)
    warnings: list[str] = []
    guide = root / GUIDE_PATH
    if guide.exists() and not guide.is_file():
        warnings.append(f"{GUIDE_PATH}: not a file — remove it and run `spx init` again to write the product guide")
    pytest_changes, pytest_warnings = _pytest_settings(root)
    changes += pytest_changes
    warnings += pytest_warnings
    try:
        changes += _gitignore(root)
    except (OSError, UnicodeDecodeError) as error:
        warnings.append(unusable(GITIGNORE_NAME, error, f"add {STATE_DIR_ENTRY} to it yourself"))
    if allow_spx:
        changes += _permission(root)
    return changes, warnings


def init_project(root: Path, today: str, *, allow_spx: bool = False) -> InitReport:
    """Set up `root` for spx; `today` (YYYY-MM-DD) dates the product guide."""
    changes, warnings = plan_init(root, today, allow_spx=allow_spx)
    settings_change = any(change.path in SETTINGS_FILES for change in changes)
    before = collect(root) if settings_change else None
    if before is not None and before.tests is None:
        warnings.append(
            f"pytest --collect-only could not run ({before.problem}) — the project's tests were not counted"
        )
    created = apply_changes(root, changes)
    if before is not None and before.tests is not None:
        after = collect(root)
        lost = before.tests - (after.tests or frozenset())
        if after.tests is None or lost:
            restore(root, changes, created)
            why = (
                f"pytest refuses the new settings ({after.problem})"
                if after.tests is None
                else (f"pytest would no longer collect {len(lost)} of the project's tests: {_named(lost)}")
            )
            raise SpxError(
                f"{root}: {why} — every file is back as it was; add spx's test file patterns "
                f"({', '.join(TEST_PATTERNS)}) to the project's pytest settings yourself, keeping its own"
            )
    record_written(root, changes)
    return InitReport(tuple(change.summary for change in changes), tuple(warnings))
