"""Running the real `spx` console script of this environment, as a user would (tests only)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SPX = str(Path(sys.executable).parent / "spx")


def run_spx(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    return subprocess.run([SPX, *args], cwd=cwd, capture_output=True, text=True, env=full_env, timeout=120, check=False)


def spx_json(*args: str, cwd: Path) -> dict[str, object]:
    """The JSON document a successful `spx <args>` prints (the command must exit 0)."""
    result = run_spx(*args, cwd=cwd)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert isinstance(document, dict)
    return document
