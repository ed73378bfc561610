"""Running the project's own mypy and ruff and turning their output into findings.

Each tool comes from the toolchain (`spx_python.toolchain`: the one environment rule): the project's
own mypy/ruff when its environment has them, else spx's runtime's (mypy still checks against the
project's interpreter). A tool that times out or fails to start yields a `ToolRun` with `error` set:
the gate then rejects ("absence = failure"); missing from both the project and spx's runtime, too.

Policy: the project's own mypy/ruff configuration is used when it has one, but mypy always runs with
`--strict` and ruff always with `--extend-select B,S`. The configuration's ignores of specific codes
(`S603`) still hold; ignoring a whole family (`S`, `B`) does not, and neither does excluding the
reviewed files (`--no-force-exclude`); per-file ignores of a family are `review.checks.tool_config` findings.
Only B and S findings block.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from spx_python.evidence.cache_frame import CACHE_DIR as SPX_CACHE_DIR
from spx_python.review.findings import MYPY_PREFIX, RUFF_PREFIX, SYNTAX_ERROR, TOOL_ERROR, Finding
from spx_python.review.ruff_waivers import waived_in_tests, waiver_arguments
from spx_python.review.scope import ReviewScope
from spx_python.review.settings import (
    SHIPPED_MYPY_CONFIG,
    SHIPPED_RUFF_CONFIG,
    SRC_DIR,
    ProjectSettings,
    load_pyproject,
    ruff_config,
)
from spx_python.toolchain.resolve import (
    MISSING,
    MYPY,
    PYTEST,
    RUFF,
    Toolchain,
    lent_environment,
    missing_message,
    mypy_argv,
    ruff_argv,
)

CACHE_DIR = Path(SPX_CACHE_DIR)
TIMEOUTS = {MYPY: 900.0, RUFF: 300.0}
BLOCKING_RUFF_RE = re.compile(r"^[BS]\d")
TEST_SIDE_EXEMPT_RUFF = frozenset({"S101"})  # assert is how pytest tests check things
MYPY_LINE_RE = re.compile(
    r"^(?P<file>.+?):(?P<line>\d+):(?:[\d:]+:)?\s*(?P<severity>error|note|warning): (?P<message>.*)$"
)
MYPY_CODE_RE = re.compile(r"\s+\[(?P<code>[a-z0-9-]+)\]$")
MYPY_SYNTAX_CODE = "syntax"
OUTPUT_TAIL_LINES = 30
REASON_LIMIT = 300
NOISE_LINE_RE = re.compile(r"^[\s|^~-]*$")  # blank lines and caret/pipe decorations of error snippets


@dataclass(frozen=True)
class ToolRun:
    name: str
    command: tuple[str, ...]
    seconds: float
    findings: tuple[Finding, ...] = ()
    error: str | None = None
    output: str = ""

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True)
class Completed:
    returncode: int
    stdout: str
    stderr: str
    seconds: float


def tail(text: str, lines: int = OUTPUT_TAIL_LINES) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def one_line(text: str, limit: int = REASON_LIMIT) -> str:
    """Tool output as one line: meaningful lines joined by ' / ', keeping the end (where causes are)."""
    lines = [line.strip() for line in text.splitlines() if not NOISE_LINE_RE.match(line)]
    joined = " / ".join(lines)
    return joined if len(joined) <= limit else "…" + joined[-limit:]


def execute(
    command: Sequence[str],
    cwd: Path,
    timeout: float,
    env: Mapping[str, str] | None = None,
    base: Mapping[str, str] | None = None,
) -> Completed | str:
    """Run a command with `env` over `base` (default: our environment); the result, or why it could not run."""
    started = time.perf_counter()
    full_env = {**(os.environ if base is None else base), **(env or {})}
    try:
        done = subprocess.run(
            list(command), cwd=cwd, env=full_env, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return f"`{Path(command[0]).name}` did not finish within {timeout:.0f} s"
    except OSError as error:
        return f"`{command[0]}` could not start: {error.strerror or error}"
    return Completed(done.returncode, done.stdout, done.stderr, time.perf_counter() - started)


def tool_error_run(name: str, command: Sequence[str], seconds: float, error: str, output: str = "") -> ToolRun:
    finding = Finding("", 0, TOOL_ERROR, f"{name} could not run: {error}")
    return ToolRun(name, tuple(command), seconds, (finding,), error, output)


def _batches(scope: ReviewScope) -> list[list[Path]]:
    """Split files so no mypy run sees two modules of the same name (test files share names across stories)."""
    batches: list[list[Path]] = [list(scope.source_files)]
    seen: dict[str, int] = defaultdict(int)
    for path in scope.test_side_files:
        index = seen[path.name]
        seen[path.name] += 1
        while len(batches) <= index:
            batches.append([])
        batches[index].append(path)
    return [batch for batch in batches if batch]


def mypy_command(settings: ProjectSettings, mypy: Sequence[str], files: Iterable[Path]) -> list[str]:
    """`mypy` is the toolchain's argv that runs mypy against the project's interpreter (`mypy_argv`)."""
    command = [*mypy, "--strict", "--no-color-output", "--show-error-codes", "--no-error-summary"]
    command += ["--no-pretty", "--show-absolute-path", "--cache-dir", str(settings.root / CACHE_DIR / MYPY)]
    if not settings.has_mypy_config:
        command += ["--config-file", str(SHIPPED_MYPY_CONFIG)]
    return command + [str(path) for path in files]


def mypy_search_path(settings: ProjectSettings) -> str:
    bases = {str(r if r.name == SRC_DIR else r.parent) for r in settings.source_roots} or {str(settings.root)}
    return os.pathsep.join(sorted(bases))


def parse_mypy(output: str, scope: ReviewScope) -> list[Finding]:
    findings: list[Finding] = []
    for line in output.splitlines():
        match = MYPY_LINE_RE.match(line)
        if match is None or match["severity"] != "error":
            continue
        message = match["message"]
        code_match = MYPY_CODE_RE.search(message)
        code = code_match["code"] if code_match else "error"
        message = message[: code_match.start()] if code_match else message
        file = scope.relative(Path(match["file"]))
        rule = SYNTAX_ERROR if code == MYPY_SYNTAX_CODE else f"{MYPY_PREFIX}:{code}"
        findings.append(Finding(file, int(match["line"]), rule, message.strip()))
    return findings


def run_mypy(settings: ProjectSettings, scope: ReviewScope, toolchain: Toolchain) -> ToolRun:
    if not scope.checked_files:  # mypy without targets is a usage error; there is simply nothing to check
        return ToolRun(MYPY, (), 0.0)
    if toolchain.tool(MYPY).source == MISSING:
        return tool_error_run(MYPY, [MYPY], 0.0, missing_message(toolchain, MYPY))
    with tempfile.TemporaryDirectory(prefix="spx-mypy-") as scratch:  # pytest lent for the tests' imports
        base = lent_environment(toolchain, (PYTEST,), Path(scratch), os.environ)
        return _mypy_batches(settings, scope, mypy_argv(toolchain), base)


def _mypy_batches(settings: ProjectSettings, scope: ReviewScope, mypy: list[str], base: dict[str, str]) -> ToolRun:
    findings: list[Finding] = []
    seconds = 0.0
    command: list[str] = mypy
    outputs: list[str] = []
    for batch in _batches(scope):
        command = mypy_command(settings, mypy, batch)
        done = execute(command, settings.root, TIMEOUTS[MYPY], {"MYPYPATH": mypy_search_path(settings)}, base)
        if isinstance(done, str):
            return tool_error_run(MYPY, command, seconds, done)
        seconds += done.seconds
        outputs.append(done.stdout + done.stderr)
        parsed = parse_mypy(done.stdout, scope)
        if done.returncode not in (0, 1) and not parsed:  # 2 without file:line errors: crash, bad config
            output = done.stdout + done.stderr
            return tool_error_run(MYPY, command, seconds, one_line(output), output)
        findings.extend(parsed)
    return ToolRun(MYPY, tuple(command), seconds, tuple(findings), None, tail("\n".join(outputs)))


def ruff_command(settings: ProjectSettings, ruff: Sequence[str], files: Iterable[Path]) -> list[str]:
    command = [*ruff, "check", "--output-format", "json", "--no-fix", "--exit-zero", "--extend-select", "B,S"]
    command += ["--cache-dir", str(settings.root / CACHE_DIR / RUFF)]
    if not settings.has_ruff_config:
        command += ["--config", str(SHIPPED_RUFF_CONFIG)]
    else:  # the project's test waivers reach spx's test files too
        config = ruff_config(settings.root, load_pyproject(settings.root), SHIPPED_RUFF_CONFIG)
        command += waiver_arguments(waived_in_tests(config))
    if settings.ruff_ignores:  # `--extend-select` re-enables what the config ignored: ignore it again
        command += ["--ignore", ",".join(settings.ruff_ignores)]
    return [*command, "--no-force-exclude", *(str(path) for path in files)]  # an `exclude` cannot hide them


def parse_ruff(output: str, scope: ReviewScope) -> list[Finding]:
    """Findings from `ruff check --output-format json`; raises ValueError on malformed output."""
    test_side = {scope.relative(p) for p in scope.test_side_files}
    findings: list[Finding] = []
    for item in json.loads(output or "[]"):
        code = item.get("code") or ""
        file = scope.relative(Path(item["filename"]))
        line = int((item.get("location") or {}).get("row") or 0)
        if not code:
            findings.append(Finding(file, line, SYNTAX_ERROR, str(item.get("message", "syntax error"))))
            continue
        blocking = bool(BLOCKING_RUFF_RE.match(code)) and not (code in TEST_SIDE_EXEMPT_RUFF and file in test_side)
        findings.append(Finding(file, line, f"{RUFF_PREFIX}:{code}", str(item.get("message", "")), blocking))
    return findings


def run_ruff(settings: ProjectSettings, scope: ReviewScope, toolchain: Toolchain) -> ToolRun:
    if not scope.checked_files:  # ruff without paths would check the whole working directory
        return ToolRun(RUFF, (), 0.0)
    if toolchain.tool(RUFF).source == MISSING:
        return tool_error_run(RUFF, [RUFF], 0.0, missing_message(toolchain, RUFF))
    command = ruff_command(settings, ruff_argv(toolchain), scope.checked_files)
    done = execute(command, settings.root, TIMEOUTS[RUFF])
    if isinstance(done, str):
        return tool_error_run(RUFF, command, 0.0, done)
    if done.returncode != 0:  # with --exit-zero, only a broken configuration or invocation gets here
        return tool_error_run(RUFF, command, done.seconds, one_line(done.stderr or done.stdout), done.stderr)
    try:
        findings = parse_ruff(done.stdout, scope)
    except (ValueError, KeyError, TypeError) as error:
        return tool_error_run(RUFF, command, done.seconds, f"unreadable JSON output ({error})", done.stdout)
    return ToolRun(RUFF, tuple(command), done.seconds, tuple(findings), None, tail(done.stderr))
