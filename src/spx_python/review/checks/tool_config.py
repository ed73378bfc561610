"""mypy and ruff configuration that switches checks off for the reviewed code (pure logic over parsed configs).

The gate runs mypy with `--strict`, which beats the config's global flags but not its per-module
sections: `[[tool.mypy.overrides]]` / `[mypy-pkg.*]` with `ignore_errors = true` or a strict flag
turned off silence mypy for those modules. Those are blocking findings when the section matches a
reviewed module; so is a global `ignore_errors = true`. One policy whichever the spelling: a
`disable_error_code` (global or per-module; it beats `--strict` either way) naming a code that a strict
flag enables (`STRICT_ERROR_CODES`: `no-untyped-def` is `disallow_untyped_defs = false` spelled
differently) is the same finding. Disabling other codes (`arg-type`) stays the project's choice, like
ruff's specific ignores. The accepted alternative is named in the finding: legacy lines need no
exemption (the gate reports their findings as pre-existing), a false positive gets a per-line ignore.

ruff: `--extend-select B,S` beats a config's `ignore` of a family, but not its `per-file-ignores`
(nor `extend-per-file-ignores`, which a command line cannot cancel), so a per-file ignore of a
blocking family (`B`, `S`, `S1`, `ALL`) that matches a reviewed file is a blocking finding.
"""

from __future__ import annotations

import configparser
import fnmatch
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spx_python.config import PYPROJECT_NAME
from spx_python.review.findings import WEAKENED_CONFIG, Finding
from spx_python.review.settings import MYPY_CONFIG_FILES, MYPY_SECTION, PY_SUFFIX, SETUP_CFG, SRC_DIR

IGNORE_ERRORS = "ignore_errors"
WEAKENING_WHEN_TRUE = frozenset({IGNORE_ERRORS, "implicit_reexport"})
STRICT_FLAGS = frozenset(
    {
        "disallow_any_generics",
        "disallow_subclassing_any",
        "disallow_untyped_calls",
        "disallow_untyped_defs",
        "disallow_incomplete_defs",
        "check_untyped_defs",
        "disallow_untyped_decorators",
        "warn_redundant_casts",
        "warn_unused_ignores",
        "warn_return_any",
        "no_implicit_reexport",
        "strict_equality",
        "extra_checks",
        "strict",
    }
)
DISABLE_ERROR_CODE = "disable_error_code"
STRICT_ERROR_CODES = frozenset(  # the error codes --strict's flags turn on
    {
        "no-untyped-def",
        "no-untyped-call",
        "type-arg",
        "untyped-decorator",
        "redundant-cast",
        "unused-ignore",
        "no-any-return",
        "comparison-overlap",
        "annotation-unchecked",
    }
)
MODULE_SECTION_PREFIX = f"{MYPY_SECTION}-"
TRUE_WORDS = frozenset({"true", "yes", "on", "1"})
ALL_MODULES = "*"
ALTERNATIVE = (
    "remove it: errors on lines the story did not change are pre-existing and do not block; "
    "a justified false positive gets `# type: ignore[code]  # reason` on its line"
)
RUFF_PER_FILE_KEYS = ("per-file-ignores", "extend-per-file-ignores")
BLOCKING_FAMILY_RE = re.compile(r"^(ALL|[BS][0-9]{0,2})$")


@dataclass(frozen=True)
class Section:
    """One mypy config section: global (`patterns` = ("*",)) or per-module."""

    file: str  # project-relative
    patterns: tuple[str, ...]
    options: Mapping[str, Any]
    per_module: bool


def _flag(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return value.strip().lower() in TRUE_WORDS
    return None


def _weakens(key: str, flag: bool | None, per_module: bool) -> bool:
    """Global flags lose to `--strict`, except `ignore_errors`; per-module ones win over it."""
    if key in WEAKENING_WHEN_TRUE:
        return flag is True and (per_module or key == IGNORE_ERRORS)
    return key in STRICT_FLAGS and flag is False and per_module


def _codes(value: Any) -> list[str]:
    items = value.split(",") if isinstance(value, str) else value if isinstance(value, list) else []
    return [str(item).strip() for item in items]


def weakening_keys(section: Section) -> list[str]:
    return [
        key
        for key, value in section.options.items()
        if _weakens(key.replace("-", "_"), _flag(value), section.per_module)
        or (key.replace("-", "_") == DISABLE_ERROR_CODE and STRICT_ERROR_CODES.intersection(_codes(value)))
    ]


def _pyproject_sections(mypy: Mapping[str, Any]) -> Iterator[Section]:
    yield Section(PYPROJECT_NAME, (ALL_MODULES,), mypy, False)
    overrides = mypy.get("overrides")
    for entry in overrides if isinstance(overrides, list) else []:
        if isinstance(entry, dict):
            modules = entry.get("module")
            patterns = (modules,) if isinstance(modules, str) else tuple(str(m) for m in modules or ())
            yield Section(PYPROJECT_NAME, patterns, entry, True)


def _ini_sections(name: str, text: str) -> Iterator[Section]:
    parser = configparser.ConfigParser()
    try:
        parser.read_string(text, source=name)
    except configparser.Error:
        return
    for title in parser.sections():
        if title == MYPY_SECTION:
            yield Section(name, (ALL_MODULES,), dict(parser[title]), False)
        elif title.startswith(MODULE_SECTION_PREFIX):
            patterns = tuple(p.strip() for p in title[len(MODULE_SECTION_PREFIX) :].split(",") if p.strip())
            yield Section(name, patterns, dict(parser[title]), True)


def mypy_sections(root: Path, pyproject: Mapping[str, Any]) -> list[Section]:
    """Every mypy section of the project's config files (pyproject.toml, mypy.ini, .mypy.ini, setup.cfg)."""
    tool = pyproject.get("tool")
    mypy = tool.get(MYPY_SECTION) if isinstance(tool, dict) else None
    sections = list(_pyproject_sections(mypy)) if isinstance(mypy, dict) else []
    for name in (*MYPY_CONFIG_FILES, SETUP_CFG):
        try:
            text = (root / name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        sections.extend(_ini_sections(name, text))
    return sections


def matches(pattern: str, module: str) -> bool:
    """mypy's module patterns: `pkg.*` is pkg and everything under it; `*` inside matches one or more parts."""
    if pattern == ALL_MODULES:
        return True
    if pattern.endswith(".*") and (module == pattern[:-2] or module.startswith(pattern[:-1])):
        return True
    return fnmatch.fnmatchcase(module, pattern)


def module_name(path: Path, source_roots: Iterable[Path]) -> str:
    """The module name mypy gives a file: dotted from its source root, else the file's stem."""
    for root in source_roots:
        base = root if root.name == SRC_DIR else root.parent
        if base in path.parents:
            parts = path.relative_to(base).with_suffix("").parts
            return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
    return path.name.removesuffix(PY_SUFFIX)


def _line(root: Path, section: Section, key: str) -> int:
    """The line of `key =` after the section's first mention (0 when not found)."""
    try:
        lines = (root / section.file).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return 0
    marker = section.patterns[0] if section.per_module else MYPY_SECTION
    start = next((n for n, text in enumerate(lines) if marker in text), 0)
    key_re = re.compile(rf"^\s*{re.escape(key)}\s*=")
    return next((n + 1 for n, text in enumerate(lines[start:], start) if key_re.match(text)), 0)


def weakened_mypy(root: Path, sections: Iterable[Section], modules: Iterable[str]) -> list[Finding]:
    """Findings for config sections that weaken mypy for any of the reviewed `modules`."""
    names = sorted(set(modules))
    findings: list[Finding] = []
    for section in sections:
        hit = next((m for m in names if any(matches(p, m) for p in section.patterns)), None)
        if hit is None:
            continue
        for key in weakening_keys(section):
            scope = f"for `{', '.join(section.patterns)}`" if section.per_module else "for every module"
            value = section.options[key]
            shown = str(value).lower() if isinstance(value, bool) else value
            message = f"`{key} = {shown}` {scope} switches mypy's checks off (it covers {hit}) — {ALTERNATIVE}"
            findings.append(Finding(section.file, _line(root, section, key), WEAKENED_CONFIG, message))
    return findings


def per_file_tables(config: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    lint = config.get("lint")
    for section in (config, lint if isinstance(lint, dict) else {}):
        for key in RUFF_PER_FILE_KEYS:
            table = section.get(key)
            if isinstance(table, dict):
                yield key, table


def glob_matches(pattern: str, relative: str) -> bool:
    name = relative.rsplit("/", 1)[-1]
    return fnmatch.fnmatchcase(relative, pattern.removeprefix("./")) or fnmatch.fnmatchcase(name, pattern)


def _pattern_line(root: Path, file: str, pattern: str) -> int:
    try:
        lines = (root / file).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return 0
    return next((n + 1 for n, text in enumerate(lines) if f'"{pattern}"' in text or f"'{pattern}'" in text), 0)


def weakened_ruff(root: Path, file: str, config: Mapping[str, Any], reviewed: Iterable[str]) -> list[Finding]:
    """Per-file ignores of a blocking ruff family that match a reviewed file (project-relative paths)."""
    names = sorted(set(reviewed))
    findings: list[Finding] = []
    for key, table in per_file_tables(config):
        for pattern, codes in table.items():
            families = [str(c) for c in codes or [] if BLOCKING_FAMILY_RE.match(str(c))]
            hit = next((name for name in names if glob_matches(str(pattern), name)), None)
            if families and hit is not None:
                message = (
                    f"`{key}` gives {pattern!r} {families} and so exempts {hit} from ruff's blocking rules — "
                    "remove it: findings on unchanged lines are pre-existing and do not block; a justified "
                    "false positive gets `# noqa: CODE - reason` on its line"
                )
                findings.append(Finding(file, _pattern_line(root, file, str(pattern)), WEAKENED_CONFIG, message))
    return findings
