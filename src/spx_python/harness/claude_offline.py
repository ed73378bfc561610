"""Run the real Claude Code CLI offline against a scripted model, and read what happened.

Standard library only. `OfflineClaude` starts a `ScriptedModel` (the fake Messages API) and a
`RefusingProxy` on 127.0.0.1, gives the CLI a private `HOME`, and runs it::

    from spx_python.harness.claude_offline import OfflineClaude
    from spx_python.harness.scripted_model import bash, say, skill_call

    scenario = [[say("Checking."), bash("echo hi")], [skill_call("spx-python:testing", "54-run")]]
    with OfflineClaude(tmp_path / "home", scenario) as claude:
        run = claude.run("implement the next story", cwd=project, plugin_dirs=[repo],
                         allowed_tools=["Bash"])
        run.init.plugin_names()                  # ("spx-python",)
        run.stream.hooks("PreToolUse")           # HookResponse(stdout, stderr, exit_code, …)
        run.stream.permission_denials            # the Skill call, if a hook denied it
        claude.model.requests[-1].last_tool_results()   # what the model saw last
        claude.proxy.attempts                    # () — nothing tried to leave the machine
        again = claude.run("continue", cwd=project, resume=run.session_id)

How a scenario is written (turns, blocks, callables that read the tool results) is in
`scripted_model`. Each `run` is `claude -p PROMPT --output-format stream-json --verbose
--include-hook-events [--plugin-dir DIR]… [--resume ID] [--allowedTools TOOL…]`; the
`--include-hook-events` flag is what makes every hook (not only SessionStart) appear in the stream.
Its `PATH` holds only system directories (see `claude_cli`); `registries_reachable=True` is for a
first session that may provision the plugin's runtime — every other run is sealed.
The plugin commands (`validate_plugin`, `add_marketplace`, `install_plugin`) use the same `HOME`,
so an installed plugin is what the next `run` loads. A turn callable that raises makes `run`
raise `HarnessError` with its traceback.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from spx_python.harness.claude_cli import (
    DEFAULT_TIMEOUT,
    CommandResult,
    ExtraPath,
    HarnessError,
    isolated_environment,
    locate_claude,
    run_command,
)
from spx_python.harness.refusing_proxy import RefusingProxy
from spx_python.harness.scripted_model import DEFAULT_FINAL_TEXT, ScriptedModel, Turn
from spx_python.harness.stream_json import ClaudeStream, EventSink, InitEvent, events_to, parse_stream

STREAM_FLAGS = ("--output-format", "stream-json", "--verbose", "--include-hook-events")
PLUGIN_MANIFEST = Path(".claude-plugin") / "plugin.json"
MARKETPLACE_MANIFEST = Path(".claude-plugin") / "marketplace.json"
LOCAL_ONLY = (".git", ".venv", ".tools", "node_modules", "__pycache__", ".mypy_cache", ".ruff_cache",
              ".pytest_cache", ".spx", "*.egg-info")


@dataclass(frozen=True)
class ClaudeRun:
    """One `claude -p` run: the process outcome and its parsed stream."""

    command: CommandResult
    stream: ClaudeStream

    @property
    def init(self) -> InitEvent:
        if self.stream.init is None:
            raise HarnessError(f"{self.command.argv[0]}: no system/init event in the stream — {self.describe()}")
        return self.stream.init

    @property
    def session_id(self) -> str:
        if self.stream.session_id is None:
            raise HarnessError(f"{self.command.argv[0]}: the stream names no session — {self.describe()}")
        return self.stream.session_id

    @property
    def result_text(self) -> str | None:
        return self.stream.result_text

    def describe(self) -> str:
        """Exit code plus output tails, for assertion messages."""
        return (
            f"exit {self.command.returncode}; stderr tail {self.command.stderr[-800:]!r}; "
            f"stdout tail {self.command.stdout[-800:]!r}"
        )


def print_args(
    prompt: str,
    plugin_dirs: Sequence[Path] = (),
    resume: str | None = None,
    allowed_tools: Sequence[str] = (),
    extra_args: Sequence[str] = (),
) -> list[str]:
    """The argument list of one print-mode run (plugin dirs made absolute: the CLI resolves them from cwd)."""
    args = ["-p", prompt, *STREAM_FLAGS]
    for directory in plugin_dirs:
        args += ["--plugin-dir", str(Path(directory).resolve())]
    if resume is not None:
        args += ["--resume", resume]
    args += list(extra_args)
    if allowed_tools:
        args += ["--allowedTools", *allowed_tools]  # variadic: keep it last
    return args


def stage_plugin_copy(source: Path, destination: Path) -> Path:
    """Copy a plugin checkout without its local-only parts (`.venv`, `node_modules`, `.git`, caches).

    `claude plugin install` from a directory marketplace copies the whole directory into
    `~/.claude/plugins/cache/` (observed: 647 MB for a checkout with its `.venv` and the CLI), so
    install from a staged copy that holds what a published repository would.
    """
    shutil.copytree(source, destination, ignore=shutil.ignore_patterns(*LOCAL_ONLY), symlinks=True)
    return destination


class OfflineClaude:
    """Context manager: scripted model + refusing proxy + private HOME, and the CLI calls that use them."""

    def __init__(
        self,
        home: Path,
        scenario: Sequence[Turn] = (),
        binary: Path | None = None,
        final_text: str = DEFAULT_FINAL_TEXT,
    ) -> None:
        self.home = home
        self.binary = binary or locate_claude()
        self.model = ScriptedModel(scenario, final_text)
        self.proxy = RefusingProxy()

    def __enter__(self) -> OfflineClaude:
        self.home.mkdir(parents=True, exist_ok=True)
        self.model.start()
        try:
            self.proxy.start()
        except BaseException:
            self.model.stop()
            raise
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        try:
            self.proxy.stop()
        finally:
            self.model.stop()

    def environment(self, extra_path: Sequence[ExtraPath] = (), registries_reachable: bool = False) -> dict[str, str]:
        """The environment a call of this harness gets: system PATH, sealed unless `registries_reachable`."""
        return isolated_environment(
            self.home, self.model.base_url, self.proxy.url, os.environ,
            extra_path=extra_path, registries_reachable=registries_reachable,
        )

    def command(
        self,
        args: Sequence[str],
        cwd: Path | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        *,
        extra_path: Sequence[ExtraPath] = (),
        registries_reachable: bool = False,
        on_line: Callable[[str], object] | None = None,
    ) -> CommandResult:
        """Any `claude ARGS` call (cwd defaults to HOME), sealed unless `registries_reachable`."""
        environment = self.environment(extra_path, registries_reachable)
        return run_command(self.binary, args, cwd or self.home, environment, timeout, on_line=on_line)

    def run(
        self,
        prompt: str,
        cwd: Path,
        *,
        plugin_dirs: Sequence[Path] = (),
        resume: str | None = None,
        allowed_tools: Sequence[str] = (),
        extra_args: Sequence[str] = (),
        timeout: float = DEFAULT_TIMEOUT,
        extra_path: Sequence[ExtraPath] = (),
        registries_reachable: bool = False,
        on_event: EventSink | None = None,
    ) -> ClaudeRun:
        """One print-mode run. `registries_reachable`: a first session that may provision the plugin's runtime;
        `on_event` sees every stream-json event while the CLI runs (a live transcript)."""
        errors_before = len(self.model.errors)
        args = print_args(prompt, plugin_dirs, resume, allowed_tools, extra_args)
        on_line = None if on_event is None else events_to(on_event)
        result = self.command(
            args, cwd, timeout, extra_path=extra_path, registries_reachable=registries_reachable, on_line=on_line
        )
        new_errors = self.model.errors[errors_before:]
        if new_errors:
            raise HarnessError(f"{cwd}: the scripted model's scenario raised — fix the turn:\n{new_errors[0]}")
        return ClaudeRun(result, parse_stream(result.stdout))

    def validate_plugin(self, directory: Path, strict: bool = False) -> CommandResult:
        """`claude plugin validate [--strict] DIR/.claude-plugin/plugin.json`: manifest, skills and hooks.

        Given the directory itself, the CLI validates only `marketplace.json` when one exists there
        (observed on 2.1.197), so broken skills and hooks would pass; naming the manifest file avoids that.
        """
        manifest = directory.resolve() / PLUGIN_MANIFEST
        return self.command(["plugin", "validate", *_strict_flag(strict), str(manifest)])

    def validate_marketplace(self, directory: Path, strict: bool = False) -> CommandResult:
        """`claude plugin validate [--strict] DIR/.claude-plugin/marketplace.json`."""
        manifest = directory.resolve() / MARKETPLACE_MANIFEST
        return self.command(["plugin", "validate", *_strict_flag(strict), str(manifest)])

    def add_marketplace(self, directory: Path) -> CommandResult:
        return self.command(["plugin", "marketplace", "add", str(directory.resolve())])

    def install_plugin(self, name: str, marketplace: str) -> CommandResult:
        return self.command(["plugin", "install", f"{name}@{marketplace}"])


def _strict_flag(strict: bool) -> list[str]:
    return ["--strict"] if strict else []
