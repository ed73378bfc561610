"""Terminal conventions shared by the commands: colour only on a TTY and never when NO_COLOR is set."""

from __future__ import annotations

import os
import sys
from typing import TextIO


def use_colour(stream: TextIO = sys.stdout) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    return stream.isatty() and os.environ.get("TERM") != "dumb"
