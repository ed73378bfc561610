"""Project settings from `[tool.spx]` in the project's `pyproject.toml`. Standard library only.

Hooks read this, so it stays cheap: the file is read as bytes and `tomllib` is imported only when the
file mentions `[tool.spx]`. On Python 3.10, whose standard library has no TOML parser, `tomli` is used
when importable; where it is not (the hooks run with `-S`), the defaults apply.

    [tool.spx]
    max_rejections = 3         # review rejections of one story before the hooks refuse another coding round
    coverage_threshold = 80    # % of the changed source the review gate requires (read by spx review)
    require_review = true      # a story's stamp needs a current APPROVED `spx review`
    python = ".venv/bin/python"  # the project's interpreter, when spx cannot find it (env SPX_PYTHON wins)
    existing_suite = 600       # the project's own tests run in every review: true (600 s), false, or seconds
"""

from __future__ import annotations

import os

from spx_python.errors import SpxError
from spx_python.names import PYPROJECT_NAME, TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: the Bash/Write/Edit gate imports this module before every tool call
    from pathlib import Path
    from typing import Any
SECTION_MARK = b"[tool.spx]"
MAX_REJECTIONS_KEY = "max_rejections"
REQUIRE_REVIEW_KEY = "require_review"
COVERAGE_THRESHOLD_KEY = "coverage_threshold"
PYTHON_KEY = "python"
EXISTING_SUITE_KEY = "existing_suite"
KNOWN_KEYS = (MAX_REJECTIONS_KEY, COVERAGE_THRESHOLD_KEY, REQUIRE_REVIEW_KEY, PYTHON_KEY, EXISTING_SUITE_KEY)
DEFAULT_MAX_REJECTIONS = 3


def _toml_loads(text: str) -> dict[str, Any] | None:
    from spx_python.toml_read import load_toml, toml_parser  # noqa: PLC0415 - only for a pyproject with [tool.spx]

    try:
        toml_parser()
    except ModuleNotFoundError:  # Python 3.10 without tomli (the hooks run with -S)
        return None
    return load_toml(text, PYPROJECT_NAME, "fix it; spx reads [tool.spx] from it")


def spx_settings(project_root: Path | str) -> dict[str, Any]:
    """The `[tool.spx]` table, or {} when there is none (or no TOML parser on Python 3.10)."""
    source = os.path.join(project_root, PYPROJECT_NAME)
    try:
        with open(source, "rb") as stream:
            data = stream.read()
    except OSError:
        return {}
    section = settings_from_bytes(data)
    check_keys(section, source)
    return section


def check_keys(section: dict[str, Any], source: Path | str) -> None:
    """A key spx does not read is a typo that would silently keep the default: refuse it, naming the keys."""
    unknown = sorted(key for key in section if key not in KNOWN_KEYS)
    if not unknown:
        return
    import difflib  # noqa: PLC0415 - only on this error

    close = difflib.get_close_matches(unknown[0], KNOWN_KEYS, n=1)
    hint = f"did you mean {close[0]}? " if close else ""
    raise SpxError(
        f"{source}: [tool.spx] has an unknown key {unknown[0]!r} — {hint}spx reads only {', '.join(KNOWN_KEYS)}"
    )


def settings_from_bytes(data: bytes) -> dict[str, Any]:
    """The `[tool.spx]` table of a pyproject.toml's bytes, exactly as `spx_settings` would read it."""
    if SECTION_MARK not in data:
        return {}
    document = _toml_loads(data.decode("utf-8", errors="replace"))
    section = (document or {}).get("tool", {}).get("spx", {})
    return section if isinstance(section, dict) else {}


def max_rejections(project_root: Path | str) -> int:
    value = spx_settings(project_root).get(MAX_REJECTIONS_KEY, DEFAULT_MAX_REJECTIONS)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise SpxError(
            f"{os.path.join(project_root, PYPROJECT_NAME)}: [tool.spx] {MAX_REJECTIONS_KEY} = {value!r} "
            "must be a whole number of at least 1 — fix it"
        )
    return value


def review_required(project_root: Path) -> bool:
    """`[tool.spx] require_review` (default true; anything but `false` keeps the review rule)."""
    return spx_settings(project_root).get(REQUIRE_REVIEW_KEY, True) is not False


__all__ = ["PYPROJECT_NAME"]  # imported from spx_python.names and re-exported for the modules that import it here
