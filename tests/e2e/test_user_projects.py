"""A user's first story, end to end, in three project shapes: the plugin installed like a user, system PATH only.

For each shape the plugin is installed with `claude plugin marketplace add` + `claude plugin install`
into a private HOME whose plugin data directory holds the runtime provisioned once per test session
(`plugin_runtime`). One sealed session of the scripted model (`demo.first_story`) then runs
`spx init .`, `spx spec create …`, writes the specs and takes the count-words story through the
four skills, `spx review` (APPROVED), `spx spec test --stamp` and `spx commit`. The shapes:

* `bare`: the package skeleton in git and nothing else — no virtual environment at all;
* `uv`: a uv project whose `dev` extra holds pytest, mypy and ruff but not pytest-cov, synced with
  `uv sync --extra dev` before the session (registries reachable during set-up only);
* `venv`: a plain `.venv` made with `/usr/bin/python3 -m venv` holding pytest only.

What a user would check: the story is Passing, its commit exists and a fresh clone of it loads the
story's context, the verdicts say which environment ran the tests, the project's environment is
unchanged (no pytest-cov slipped into it), and nothing tried to leave the machine.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from spx_python.demo.first_story import BLOCKED_PREFIX, DONE_PREFIX, FIRST_STORY, first_story_agent
from spx_python.demo.project import GITIGNORE_NAME, init_repository, run_spx, run_tool
from spx_python.demo.runner import ALLOWED_TOOLS
from spx_python.evidence.state import State
from spx_python.harness.claude_offline import ClaudeRun, OfflineClaude
from spx_python.harness.plugin_install import install_as_user, share_runtime
from spx_python.harness.scripted_program import program_turns
from spx_python.harness.stream_json import ToolCall
from spx_python.spec.bsp import STORY
from spx_python.spec.tree import SPEC_ROOT_NAME

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

SESSION_TIMEOUT = 600.0
SET_UP_TIMEOUT = 600.0
BARE, UV, VENV = "bare", "uv", "venv"
SHAPES = (BARE, UV, VENV)
SYSTEM_PYTHON = "/usr/bin/python3"
VENV_DIR = ".venv"
NO_ENVIRONMENT = "no project environment found"
UV_PYPROJECT = """\
[project]
name = "textstats"
version = "0.1.0"
description = "Word counts and frequencies for plain text."
requires-python = ">=3.10"
dependencies = []

[project.optional-dependencies]
dev = ["pytest>=8", "mypy>=1.10", "ruff>=0.6"]
"""
PROMPT = "Set spx up in this project and implement its first story, count-words, test-first."


@dataclass(frozen=True)
class Outcome:
    shape: str
    root: Path
    run: ClaudeRun
    outbound: tuple[object, ...]

    @property
    def story(self) -> str:
        """The story's full path, as `spx spec create story` made it."""
        found = sorted((self.root / SPEC_ROOT_NAME).rglob(f"*-{FIRST_STORY.slug}.{STORY}"))
        assert found, f"[{self.shape}] no story was created: {self.run.result_text}"
        return found[0].relative_to(self.root / SPEC_ROOT_NAME).as_posix()

    def bash_calls(self) -> list[ToolCall]:
        return list(self.run.stream.calls_to("Bash"))

    def output_of(self, prefix: str) -> str:
        """What the model saw from its (last) Bash call starting with `prefix`."""
        calls = [c for c in self.bash_calls() if str(c.input["command"]).startswith(prefix)]
        assert calls, f"the model never ran `{prefix} …`: {self.run.result_text}"
        result = self.run.stream.result_of(calls[-1])
        assert result is not None, f"no result for {calls[-1]}"
        return result.content


def _shape_up(shape: str, root: Path) -> None:
    """The project before the session: its package skeleton, and the environment of `shape`, committed."""
    init_repository(root)
    with (root / GITIGNORE_NAME).open("a", encoding="utf-8") as ignore:
        ignore.write(f"{VENV_DIR}/\n")
    if shape == UV:
        (root / "pyproject.toml").write_text(UV_PYPROJECT, encoding="utf-8")
        uv = Path(sys.executable).parent / "uv"
        assert uv.is_file(), f"{uv}: the dev extra must install uv (pyproject.toml [dev])"
        run_tool([str(uv), "sync", "--quiet", "--extra", "dev", "--python", SYSTEM_PYTHON], root)
    elif shape == VENV:
        run_tool([SYSTEM_PYTHON, "-m", "venv", VENV_DIR], root)
        run_tool([str(root / VENV_DIR / "bin" / "python"), "-m", "pip", "install", "--quiet", "pytest"], root)
    run_tool(["git", "add", "-A"], root)
    run_tool(["git", "commit", "-q", "-m", f"chore: textstats skeleton ({shape})"], root)


@pytest.fixture(scope="module", params=SHAPES)
def outcome(
    request: pytest.FixtureRequest,
    claude_binary: Path,
    repo_root: Path,
    plugin_runtime: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Outcome:
    shape = str(request.param)
    base = tmp_path_factory.mktemp(f"user-{shape}")
    root = base / "textstats"
    root.mkdir()
    _shape_up(shape, root)
    scenario = program_turns(lambda: first_story_agent(root.resolve()))
    with OfflineClaude(base / "home", scenario, binary=claude_binary) as claude:
        plugin = install_as_user(claude, repo_root, base / "published")
        share_runtime(plugin_runtime, plugin.data)
        run = claude.run(PROMPT, cwd=root, allowed_tools=ALLOWED_TOOLS, timeout=SESSION_TIMEOUT)
    return Outcome(shape, root.resolve(), run, claude.proxy.attempts)


def test_the_session_loads_the_installed_plugin_and_sends_nothing_outside(outcome: Outcome) -> None:
    assert outcome.run.command.ok, outcome.run.describe()
    assert outcome.run.init.plugin_errors == ()
    assert "spx-python" in outcome.run.init.plugin_names()
    assert outcome.outbound == ()


def test_the_story_is_reviewed_stamped_committed_and_passing(outcome: Outcome) -> None:
    text = outcome.run.result_text or ""
    assert text.startswith(DONE_PREFIX), f"[{outcome.shape}] the agent stopped: {text.removeprefix(BLOCKED_PREFIX)}"
    assert "APPROVED" in outcome.output_of("spx review ")
    status = json.loads(run_spx(outcome.root, "spec", "status", outcome.story, "--format", "json").stdout)
    (container,) = [c for c in _flatten(status["containers"]) if c["path"] == outcome.story]
    assert container["state"] == State.PASSING.value, status


def _flatten(containers: list[dict[str, object]]) -> list[dict[str, object]]:
    found: list[dict[str, object]] = []
    for container in containers:
        found.append(container)
        children = container.get("children", [])
        found.extend(_flatten(children if isinstance(children, list) else []))
    return found


def test_a_fresh_clone_of_the_story_commit_loads_its_context(outcome: Outcome, tmp_path: Path) -> None:
    head = run_tool(["git", "log", "-1", "--name-only", "--format=%s"], outcome.root).stdout
    assert f"{SPEC_ROOT_NAME}/{outcome.story}/tests/{FIRST_STORY.test_name}" in head, head
    clone = tmp_path / "clone"
    run_tool(["git", "clone", "-q", str(outcome.root), str(clone)], tmp_path)
    context = run_spx(clone, "spec", "context", outcome.story, check=False)
    assert context.returncode == 0, f"[{outcome.shape}] {context.stdout}{context.stderr}"


def test_the_verdicts_name_the_environment_that_ran_the_tests(outcome: Outcome) -> None:
    review = outcome.output_of("spx review ")
    stamp = outcome.output_of("spx spec test --stamp ")
    if outcome.shape == BARE:
        assert NO_ENVIRONMENT in review, review
    else:
        project_env = str(outcome.root / VENV_DIR)
        assert project_env in review, review
        assert project_env in stamp, stamp


def test_the_projects_own_environment_is_left_as_it_was(outcome: Outcome) -> None:
    python = outcome.root / VENV_DIR / "bin" / "python"
    if outcome.shape == BARE:
        assert not python.exists()
        return
    probe = subprocess.run([str(python), "-c", "import pytest_cov"], capture_output=True, text=True, check=False)
    assert probe.returncode != 0, f"pytest-cov was installed into the project's {VENV_DIR}"
