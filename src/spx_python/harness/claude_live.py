"""Run the Claude Code CLI and hand each stream-json event to a callback as it arrives (a live transcript).

Standard library only. `claude_harness.OfflineClaude.run` returns when the CLI has finished; the
demo wants to print every step while the run is going, so this module reads the CLI's stdout line by
line instead and still returns the same `ClaudeRun` at the end::

    with OfflineClaude(home, scenario) as claude:
        run = run_live(claude, prompt, project, print_event, plugin_dirs=[repo], allowed_tools=["Bash"])

`stream_command` is the generic part (any argv and environment: the demo's `--model real` mode uses
it with the user's own environment); `run_live` adds the offline harness's environment: system `PATH`
only (the model's `spx` is the plugin's launcher, which SessionStart puts on PATH), sealed.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from spx_python.harness.claude_cli import DEFAULT_TIMEOUT, CommandResult, ExtraPath, HarnessError
from spx_python.harness.claude_offline import ClaudeRun, OfflineClaude, print_args
from spx_python.harness.stream_json import parse_stream

EventSink = Callable[[Mapping[str, Any]], None]


def _event_of(line: str) -> Mapping[str, Any] | None:
    try:
        event = json.loads(line)
    except json.JSONDecodeError:
        return None
    return event if isinstance(event, Mapping) else None


def _drain(stream: Any, into: list[str]) -> threading.Thread:
    thread = threading.Thread(target=lambda: into.extend(stream), name="claude-stderr", daemon=True)
    thread.start()
    return thread


def stream_command(
    argv: Sequence[str], cwd: Path, environment: Mapping[str, str], on_event: EventSink,
    timeout: float = DEFAULT_TIMEOUT,
) -> CommandResult:
    """Run `argv`, calling `on_event` for each JSON line of stdout as it comes; kill the group on timeout."""
    started = time.monotonic()
    stdout_lines: list[str] = []
    stderr_lines: list[str] = []
    expired = threading.Event()
    with subprocess.Popen(
        list(argv), cwd=cwd, env=dict(environment), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
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
                event = _event_of(line)
                if event is not None:
                    on_event(event)
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
            f"{argv[0]}: `{' '.join(argv[1:4])} …` did not finish within {timeout:.0f} s — "
            f"see its output: stdout tail {stdout[-1500:]!r}, stderr tail {stderr[-1500:]!r}"
        )
    return CommandResult(tuple(argv), process.returncode, stdout, stderr, time.monotonic() - started)


def run_live(
    claude: OfflineClaude,
    prompt: str,
    cwd: Path,
    on_event: EventSink,
    *,
    plugin_dirs: Sequence[Path] = (),
    allowed_tools: Sequence[str] = (),
    extra_args: Sequence[str] = (),
    extra_path: Sequence[ExtraPath] = (),
    timeout: float = DEFAULT_TIMEOUT,
) -> ClaudeRun:
    """`OfflineClaude.run`, streamed: `on_event` sees every event while the CLI runs (always sealed)."""
    errors_before = len(claude.model.errors)
    argv = [str(claude.binary), *print_args(prompt, plugin_dirs, None, allowed_tools, extra_args)]
    result = stream_command(argv, cwd, claude.environment(extra_path), on_event, timeout)
    new_errors = claude.model.errors[errors_before:]
    if new_errors:
        raise HarnessError(f"{cwd}: the scripted model's scenario raised — fix the turn:\n{new_errors[0]}")
    return ClaudeRun(result, parse_stream(result.stdout))
