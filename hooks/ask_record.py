"""PreToolUse (AskUserQuestion): journal that the model asked the user."""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _bootstrap import main

main("ask_record")
