"""Reading TOML: the one place that picks the parser (`tomllib`, or `tomli` on Python 3.10) and words a parse error.

Cheap to import (hooks read `[tool.spx]` through it): the parser itself is imported on first use.
"""

from __future__ import annotations

import sys

from spx_python.errors import SpxError
from spx_python.names import TYPE_CHECKING

if TYPE_CHECKING:
    from types import ModuleType
    from typing import Any


def toml_parser() -> ModuleType:
    """`tomllib`, or `tomli` on Python 3.10 (ModuleNotFoundError where it is not importable, e.g. under `-S`)."""
    if sys.version_info >= (3, 11):
        import tomllib  # noqa: PLC0415 - only when a TOML file is read

        return tomllib
    import tomli  # noqa: PLC0415

    return tomli


def parse_toml(text: str) -> dict[str, Any] | None:
    """The parsed document, or None when `text` is not valid TOML."""
    parser = toml_parser()
    try:
        document: dict[str, Any] = parser.loads(text)
    except parser.TOMLDecodeError:
        return None
    return document


def load_toml(content: str | bytes, source: str, remedy: str) -> dict[str, Any]:
    """The parsed document; invalid TOML (or UTF-8) is an SpxError `source: not valid TOML (why) — remedy`."""
    parser = toml_parser()
    try:
        document: dict[str, Any] = parser.loads(content.decode() if isinstance(content, bytes) else content)
    except (parser.TOMLDecodeError, UnicodeDecodeError) as error:
        raise SpxError(f"{source}: not valid TOML ({error}) — {remedy}") from None
    return document
