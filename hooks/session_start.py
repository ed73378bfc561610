"""SessionStart: put spx on PATH and inject the current story and step."""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _bootstrap import main

main("session_start")
