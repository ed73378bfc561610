"""`spx`'s argparse parser class: argparse's layout, with the terminal width looked up through `os`.

argparse's own lookup (`shutil.get_terminal_size`) runs at every `add_argument` and imports `shutil`,
and with it `lzma`, `bz2` and `zlib`: ~2 ms of every `spx` start-up for a width only `--help` uses.
"""

from __future__ import annotations

import argparse
import os
import sys

from spx_python.names import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

FALLBACK_COLUMNS = 80
MARGIN = 2  # what argparse takes off the terminal's width


def terminal_columns() -> int:
    """`shutil.get_terminal_size().columns`: $COLUMNS, else the terminal of stdout, else 80."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns if columns > 0 else FALLBACK_COLUMNS


class HelpFormatter(argparse.HelpFormatter):
    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24, width: int | None = None):
        super().__init__(
            prog, indent_increment, max_help_position, terminal_columns() - MARGIN if width is None else width
        )


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose help uses `HelpFormatter`; its sub-parsers are of this class too."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)
