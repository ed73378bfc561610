"""Stop: keep an orchestrated story going until its sequence is complete."""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _bootstrap import main

main("stop")
