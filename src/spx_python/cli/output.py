"""Terminal conventions shared by the commands: colour only on a TTY and never when NO_COLOR is set."""

from __future__ import annotations

import os
import sys

from spx_python.names import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import TextIO

ALL_PASSING = "All containers are Passing: nothing left to do."
EMPTY_TREE = "No containers under spx/ yet — create one with `spx spec create capability NAME`."


def use_colour(stream: TextIO = sys.stdout) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    return stream.isatty() and os.environ.get("TERM") != "dumb"
