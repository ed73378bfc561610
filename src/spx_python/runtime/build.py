"""Build one runtime venv from the pins: uv when it is on PATH, else `python3 -m venv` + pip.

Both compile the installed packages to bytecode (pip does by default, uv with `--compile-bytecode`): the
runtime's pytest, mypy and jinja2 are imported by every `spx` call, and a user (or CI) with
PYTHONDONTWRITEBYTECODE=1 would otherwise compile them from source on each one.

Standard library only. Every installer command's output goes to the provisioning log; a failure
becomes one `ProvisionError` line naming what is missing and what to run once it is fixed. The
marker (digest, python, installer, tool versions, seconds) is written last, atomically: a directory
without it is an interrupted build.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from spx_python.atomic import write_atomic
from spx_python.errors import SpxError
from spx_python.evidence.ledger import utc_timestamp
from spx_python.runtime.location import marker_path, python_version, runtime_python

UV = "uv"
PIP = "pip"
INSTALL_TIMEOUT_SECONDS = 15 * 60
TOOL_PACKAGES = ("pytest", "pytest-cov", "coverage", "mypy", "ruff", "jinja2", "uv")
RETRY_ADVICE = "then run `spx runtime install`"
VERSIONS_SCRIPT = (
    "import json, sys\nfrom importlib import metadata\nversions = {}\n"
    "for name in sys.argv[1:]:\n"
    "    try:\n        versions[name] = metadata.version(name)\n"
    "    except metadata.PackageNotFoundError:\n        pass\n"
    "print(json.dumps(versions))\n"
)


class ProvisionError(SpxError):
    """The runtime could not be set up; the message is one line with what to do."""


def find_uv(environ: Mapping[str, str]) -> str | None:
    return shutil.which(UV, path=environ.get("PATH", ""))


def build_commands(installer: str, uv: str, base_python: str, runtime: Path, pins: Path) -> list[list[str]]:
    """The two commands that make `runtime` a venv holding exactly the pins."""
    python = str(runtime_python(runtime))
    if installer == UV:
        return [
            [uv, "venv", "--quiet", "--python", base_python, str(runtime)],
            [uv, "pip", "install", "--compile-bytecode", "--python", python, "-r", str(pins)],
        ]
    return [
        [base_python, "-m", "venv", str(runtime)],
        [python, "-m", "pip", "install", "--disable-pip-version-check", "-r", str(pins)],
    ]


def last_error_line(text: str) -> str:
    """The installer's own verdict: the last line mentioning an error, else the last non-empty line."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for line in reversed(lines):
        if "error" in line.lower() or "no matching distribution" in line.lower():
            return line
    return lines[-1] if lines else "no output"


def failure(runtime: Path, log: Path, step_output: str, installer: str) -> ProvisionError:
    if installer == PIP and "ensurepip" in step_output:
        return ProvisionError(
            f"{runtime}: python3 -m venv cannot create the runtime because ensurepip is not available — "
            f"install the python3-venv package (e.g. `sudo apt install python3-venv`) or uv, {RETRY_ADVICE}"
        )
    return ProvisionError(
        f"{runtime}: could not install spx's runtime (pytest, mypy, ruff, jinja2): {last_error_line(step_output)} "
        f"— check the network or the package index settings (log: {log}), {RETRY_ADVICE} once online"
    )


def run_step(command: Sequence[str], environ: Mapping[str, str], log: IO[str]) -> tuple[int, str]:
    """Run one installer command with its output appended to the log; its exit code and its output."""
    log.write("$ " + " ".join(command) + "\n")
    log.flush()
    try:
        result = subprocess.run(
            command, env=dict(environ), stdin=subprocess.DEVNULL, capture_output=True, text=True,
            timeout=INSTALL_TIMEOUT_SECONDS, check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        log.write(f"error: {error}\n")
        return 1, f"error: {error}"
    output = result.stdout + result.stderr
    log.write(output)
    log.flush()
    return result.returncode, output


def tool_versions(runtime: Path, environ: Mapping[str, str]) -> dict[str, str]:
    result = subprocess.run(
        [str(runtime_python(runtime)), "-I", "-c", VERSIONS_SCRIPT, *TOOL_PACKAGES],
        env=dict(environ), capture_output=True, text=True, timeout=60, check=False,
    )
    loaded: Any = json.loads(result.stdout) if result.returncode == 0 else {}
    return {str(name): str(version) for name, version in loaded.items()}


def build(runtime: Path, pins: Path, base_python: str, environ: Mapping[str, str], log: IO[str]) -> dict[str, Any]:
    """Create the venv, install the pins, write the marker last; on failure remove the directory and raise."""
    started = time.monotonic()
    uv = find_uv(environ)
    installer = UV if uv else PIP
    log.write(f"== {utc_timestamp()} spx runtime build {runtime.name} with {installer} ({base_python}) ==\n")
    for command in build_commands(installer, uv or UV, base_python, runtime, pins):
        code, output = run_step(command, environ, log)
        if code != 0:
            shutil.rmtree(runtime, ignore_errors=True)
            raise failure(runtime, Path(log.name), output, installer)
    marker = {
        "digest": runtime.name,
        "python": base_python,
        "python_version": python_version(),
        "installer": installer,
        "tools": tool_versions(runtime, environ),
        "seconds": round(time.monotonic() - started, 1),
        "created": utc_timestamp(),
    }
    write_atomic(marker_path(runtime), (json.dumps(marker, indent=2) + "\n").encode())
    log.write(f"== ready in {marker['seconds']} s ==\n")
    return marker
