"""PreToolUse (Write|Edit|MultiEdit|NotebookEdit|Bash): refuse hand edits of pass.csv and .spx/."""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _bootstrap import main

main("protect")
