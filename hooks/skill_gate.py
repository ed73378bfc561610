"""PreToolUse (Skill): allow or refuse a workflow skill call and journal the decision."""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _bootstrap import main

main("skill_gate")
