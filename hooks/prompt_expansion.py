"""UserPromptExpansion: gate and journal a workflow command the user typed."""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _bootstrap import main

main("prompt_expansion")
