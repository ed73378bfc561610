"""PreToolUse (Write|Edit|MultiEdit|NotebookEdit|Bash and mcp__ tools): refuse hand edits of protected files."""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _bootstrap import main

main("protect")
