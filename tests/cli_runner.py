"""Running the real `spx` console script of this environment, as a user would (tests only)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SPX = str(Path(sys.executable).parent / "spx")


def run_spx(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    return subprocess.run([SPX, *args], cwd=cwd, capture_output=True, text=True, env=full_env, timeout=120, check=False)
