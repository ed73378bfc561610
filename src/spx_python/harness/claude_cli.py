"""Find the pinned Claude Code CLI and run it sealed off from the network and the user's own setup.

Standard library only. The CLI is `$SPX_CLAUDE_BIN` if set, else
`<repo>/tools/claude-code/node_modules/.bin/claude` (installed by `./scripts/dev setup`); its version
must equal the pin in `tools/claude-code/package.json`. Every run gets `isolated_environment`: a
throw-away `HOME`, the API at a loopback URL, a dummy key, the "no nonessential traffic" switches,
a refusing proxy for anything else, and none of the caller's `ANTHROPIC_*` / `CLAUDE_*` / `SPX_*` /
proxy / XDG / Python-environment variables (facts §5).

`PATH` is what a user's machine has: the system directories (`/usr/local/bin:/usr/bin:/bin`) plus the
directory of `node` when it lives elsewhere (the CLI is a node program) — never the caller's PATH, so
the development `.venv` cannot answer the model's `spx`, `pytest` or `python3`. A run that needs more
says why with `ExtraPath(directory, reason)`. `registries_reachable=True` leaves the refusing proxy
out (the package registries are reachable, with the machine's `PIP_*` / `UV_*` configuration): only
for a first session that provisions the plugin's runtime.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from spx_python.errors import SpxError

CLAUDE_BIN_ENV = "SPX_CLAUDE_BIN"
PINNED_PACKAGE = "@anthropic-ai/claude-code"
CLI_DIR = Path("tools") / "claude-code"
CLI_PACKAGE_JSON = CLI_DIR / "package.json"
CLI_BIN = CLI_DIR / "node_modules" / ".bin" / "claude"
SETUP_HINT = "run ./scripts/dev setup"
DUMMY_API_KEY = "sk-ant-offline-harness-dummy"
DEFAULT_TIMEOUT = 60.0
UNREACHABLE = "http://127.0.0.1:9"  # the discard port: refused, never forwarded
SYSTEM_DIRECTORIES = ("/usr/local/bin", "/usr/bin", "/bin")
NODE = "node"
_DROPPED_PREFIXES = ("ANTHROPIC_", "CLAUDE_", "SPX_")
# A caller's Python environment must not choose the user's: these select an interpreter or a venv.
_PYTHON_ENVIRONMENT = ("VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT", "CONDA_PREFIX", "CONDA_DEFAULT_ENV", "PYTHONPATH",
                       "PYTHONHOME", "PYTHONUSERBASE", "PYENV_VERSION")
_DROPPED_NAMES = frozenset(
    {"CLAUDECODE", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "XDG_CONFIG_HOME", "XDG_DATA_HOME",
     "XDG_CACHE_HOME", "XDG_STATE_HOME", *_PYTHON_ENVIRONMENT}
)
OFFLINE_SWITCHES: Mapping[str, str] = {
    "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1",
    "DISABLE_AUTOUPDATER": "1",
    "DISABLE_ERROR_REPORTING": "1",
    "DISABLE_TELEMETRY": "1",
}


class HarnessError(SpxError):
    """The offline Claude Code harness cannot do what was asked (missing CLI, timeout, broken scenario)."""


@dataclass(frozen=True)
class ExtraPath:
    """A directory one run puts before the system directories on `PATH`, and why that run needs it."""

    directory: Path
    reason: str

    def __post_init__(self) -> None:
        if not self.reason.strip():
            raise HarnessError(f"{self.directory}: an extra PATH entry needs a reason — say why the run needs it")


@dataclass(frozen=True)
class CommandResult:
    argv: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def source_root() -> Path:
    """The checkout this module runs from (`src/spx_python/harness/` → three levels up)."""
    return Path(__file__).resolve().parents[3]


def locate_claude(root: Path | None = None, environ: Mapping[str, str] | None = None) -> Path:
    """The CLI to run: `$SPX_CLAUDE_BIN`, else the pinned install under `root` (default: this checkout)."""
    environ = os.environ if environ is None else environ
    override = environ.get(CLAUDE_BIN_ENV)
    binary = Path(override) if override else (root or source_root()) / CLI_BIN
    if not (binary.is_file() and os.access(binary, os.X_OK)):
        origin = f"${CLAUDE_BIN_ENV}" if override else "the pinned Claude Code CLI"
        raise HarnessError(f"{binary}: {origin} is missing or not executable — {SETUP_HINT}")
    return binary


def pinned_version(root: Path | None = None) -> str:
    """The exact version pinned in `tools/claude-code/package.json`."""
    package_json = (root or source_root()) / CLI_PACKAGE_JSON
    try:
        return str(json.loads(package_json.read_text(encoding="utf-8"))["dependencies"][PINNED_PACKAGE])
    except (OSError, ValueError, KeyError, TypeError) as error:
        problem = f"cannot read the {PINNED_PACKAGE} pin ({error})"
        raise HarnessError(f"{package_json}: {problem} — restore the file") from error


def installed_version(binary: Path) -> str:
    """`claude --version`'s first word (e.g. `2.1.197`), run sealed like every other call."""
    with tempfile.TemporaryDirectory(prefix="spx-claude-version-") as home:
        environment = isolated_environment(Path(home), UNREACHABLE, UNREACHABLE, os.environ)
        result = run_command(binary, ["--version"], Path(home), environment, timeout=30.0)
    words = result.stdout.split()
    if not result.ok or not words:
        problem = f"`--version` failed (exit {result.returncode}: {result.stderr.strip()})"
        raise HarnessError(f"{binary}: {problem} — {SETUP_HINT}")
    return words[0]


def system_path(inherited_path: str | None) -> str:
    """The system directories, plus the directory of the `node` found on `inherited_path` if it is elsewhere."""
    directories = list(SYSTEM_DIRECTORIES)
    node = shutil.which(NODE, path=inherited_path)
    if node is not None and str(Path(node).parent) not in directories:
        directories.append(str(Path(node).parent))
    return os.pathsep.join(directories)


def isolated_environment(
    home: Path,
    api_base_url: str,
    proxy_url: str,
    inherited: Mapping[str, str],
    *,
    extra_path: Sequence[ExtraPath] = (),
    registries_reachable: bool = False,
) -> dict[str, str]:
    """The environment for one CLI run: `inherited` minus anything that could leak, a system PATH, the seal.

    Sealed (the default), every proxy variable names the refusing proxy; `registries_reachable` leaves
    them out so pip/uv can reach the package registries (first-use provisioning).
    """
    kept = {
        name: value
        for name, value in inherited.items()
        if not name.upper().startswith(_DROPPED_PREFIXES) and name.upper() not in _DROPPED_NAMES
    }
    path = os.pathsep.join([*(str(entry.directory) for entry in extra_path), system_path(inherited.get("PATH"))])
    proxies = dict.fromkeys(("HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy"), proxy_url)
    no_proxy = dict.fromkeys(("NO_PROXY", "no_proxy"), "127.0.0.1,localhost")
    seal = {} if registries_reachable else {**proxies, **no_proxy}
    return {
        **kept, **seal, **OFFLINE_SWITCHES, "PATH": path,
        "HOME": str(home), "ANTHROPIC_BASE_URL": api_base_url, "ANTHROPIC_API_KEY": DUMMY_API_KEY,
    }


def _drain(stream: IO[str] | None, into: list[str]) -> threading.Thread:
    thread = threading.Thread(target=lambda: into.extend(stream or ()), name="claude-stderr", daemon=True)
    thread.start()
    return thread


def run_command(
    binary: Path,
    args: Sequence[str],
    cwd: Path,
    environment: Mapping[str, str],
    timeout: float = DEFAULT_TIMEOUT,
    *,
    on_line: Callable[[str], object] | None = None,
) -> CommandResult:
    """Run `binary args` in `cwd`, handing each stdout line to `on_line` as it comes (a live transcript);
    on timeout kill its whole process group and raise `HarnessError`."""
    argv = (str(binary), *args)
    started = time.monotonic()
    stdout_lines: list[str] = []
    stderr_lines: list[str] = []
    expired = threading.Event()
    with subprocess.Popen(
        argv, cwd=cwd, env=dict(environment), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, bufsize=1, start_new_session=True,
    ) as process:

        def kill() -> None:
            expired.set()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)

        timer = threading.Timer(timeout, kill)
        timer.start()
        stderr_thread = _drain(process.stderr, stderr_lines)
        try:
            for line in process.stdout or ():
                stdout_lines.append(line)
                if on_line is not None:
                    on_line(line)
            process.wait()
        except BaseException:
            kill()
            raise
        finally:
            timer.cancel()
            stderr_thread.join(timeout=5)
    stdout, stderr = "".join(stdout_lines), "".join(stderr_lines)
    if expired.is_set():
        raise HarnessError(
            f"{binary}: `{' '.join(args[:3])} …` did not finish within {timeout:.0f} s — "
            f"see its output: stdout tail {stdout[-1500:]!r}, stderr tail {stderr[-1500:]!r}"
        )
    return CommandResult(argv, process.returncode, stdout, stderr, time.monotonic() - started)
