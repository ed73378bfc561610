"""Run the Claude Code CLI and hand each stream-json event to a callback as it arrives (a live transcript).

Standard library only. The streaming itself is `claude_cli.run_command(on_line=...)`; this module names the
two ways the demo uses it::

    with OfflineClaude(home, scenario) as claude:
        run = run_live(claude, prompt, project, print_event, plugin_dirs=[repo], allowed_tools=["Bash"])

`stream_command` runs any argv with any environment (the demo's `--model real` mode uses it with the user's
own environment); `run_live` is `OfflineClaude.run` with `on_event`: system `PATH` only (the model's `spx`
is the plugin's launcher, which SessionStart puts on PATH), sealed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from spx_python.harness.claude_cli import DEFAULT_TIMEOUT, CommandResult, ExtraPath, run_command
from spx_python.harness.claude_offline import ClaudeRun, OfflineClaude
from spx_python.harness.stream_json import EventSink, events_to


def stream_command(
    argv: Sequence[str], cwd: Path, environment: Mapping[str, str], on_event: EventSink,
    timeout: float = DEFAULT_TIMEOUT,
) -> CommandResult:
    """Run `argv`, calling `on_event` for each JSON line of stdout as it comes; kill the group on timeout."""
    return run_command(Path(argv[0]), argv[1:], cwd, environment, timeout, on_line=events_to(on_event))


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
    return claude.run(
        prompt, cwd, plugin_dirs=plugin_dirs, allowed_tools=allowed_tools, extra_args=extra_args,
        extra_path=extra_path, timeout=timeout, on_event=on_event,
    )
