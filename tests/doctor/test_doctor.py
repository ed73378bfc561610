"""`spx doctor`: a healthy project is all ok (exit 0); each problem, provoked for real, gets its own line naming
it and its fix (exit 1), in text and in `--format json` alike. One runtime and one venv with pytest are built
for the module (uv, from its cache or the package index); every project is a real git repository."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from cli_runner import REPO_ROOT
from review_projects import git
from runtime_plugin import SYSTEM_PATH, uv_dir
from toolchain_projects import spx, user_env

from spx_python.runtime.location import PINS_FILE
from spx_python.setup.pytest_pyproject import IMPORT_MODE, MARKERS, TEST_PATTERNS

pytestmark = pytest.mark.slow

OWN_TEST = "tests/test_own.py"
SPX_TEST = "spx/21-a.capability/21-f.feature/21-s.story/tests/s.unit.test.py"
TESTS = "def test_one() -> None:\n    assert True\n"
PYPROJECT = '[project]\nname = "p"\nversion = "0"\n'
ALL_OK = "all ok"
SYSTEM_PYTHON = "/usr/bin/python3"  # no third-party packages (Debian, PEP 668)


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A ready spx runtime (under an XDG data dir) and a venv holding the runtime's pinned pytest."""
    base = tmp_path_factory.mktemp("doctor-shared")
    build_env = user_env(XDG_DATA_HOME=str(base / "xdg"), PATH=f"{uv_dir(base)}:{SYSTEM_PATH}")
    installed = spx("runtime", "install", cwd=base, env=build_env)
    assert installed.returncode == 0, installed.stderr
    pin = next(line for line in PINS_FILE.read_text().splitlines() if line.startswith("pytest=="))
    uv = str(uv_dir(base) / "uv")
    subprocess.run([uv, "venv", "-q", str(base / "venv")], check=True, env=build_env, timeout=300)
    subprocess.run([uv, "pip", "install", "-q", "--python", str(base / "venv" / "bin" / "python"), pin],
                   check=True, env=build_env, timeout=300)  # fmt: skip
    return {"xdg": base / "xdg", "venv": base / "venv"}


def doctor_env(shared: dict[str, Path], home: Path, **extra: str) -> dict[str, str]:
    """A user's shell outside Claude Code: system PATH, its own HOME, spx's runtime ready."""
    home.mkdir(exist_ok=True)
    return user_env(HOME=str(home), XDG_DATA_HOME=str(shared["xdg"]), **extra)


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


def new_project(tmp_path: Path, shared: dict[str, Path], *, repository: bool = True) -> Path:
    root = tmp_path / "project"
    write(root, {"pyproject.toml": PYPROJECT, OWN_TEST: TESTS, ".gitignore": ".venv\n"})
    (root / ".venv").symlink_to(shared["venv"])
    if repository:
        git(root, "init", "-q", "-b", "main")
        git(root, "config", "user.email", "doctor@example.com")
        git(root, "config", "user.name", "Doctor")
    return root


def commit_all(root: Path) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "chore: set up")


def healthy(tmp_path: Path, shared: dict[str, Path], env: dict[str, str], *, allow: bool = True) -> Path:
    root = new_project(tmp_path, shared)
    initialised = spx("init", *(["--allow-spx"] if allow else []), cwd=root, env=env)
    assert initialised.returncode == 0, initialised.stderr
    write(root, {SPX_TEST: TESTS})
    commit_all(root)
    return root


def lines(output: str) -> dict[str, str]:
    """`check name` → its whole line."""
    found: dict[str, str] = {}
    for line in output.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0] in ("ok", "problem"):
            found[parts[1]] = line
    return found


def problems(output: str) -> dict[str, str]:
    return {name: line for name, line in lines(output).items() if line.startswith("problem")}


def as_json(root: Path, env: dict[str, str]) -> dict[str, Any]:
    done = spx("doctor", "--format", "json", cwd=root, env=env)
    document: dict[str, Any] = json.loads(done.stdout)
    assert done.returncode == (1 if document["summary"]["problems"] else 0)
    return document


def test_a_healthy_project_is_all_ok(tmp_path: Path, shared: dict[str, Path]) -> None:
    env = doctor_env(shared, tmp_path / "home")
    root = healthy(tmp_path, shared, env)
    done = spx("doctor", cwd=root, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert problems(done.stdout) == {}
    found = lines(done.stdout)
    assert f"ready: {shared['xdg']}/spx-python/runtime/" in found["runtime"]
    assert f"(found by {root}/.venv)" in found["environment"]
    assert "from the project's environment" in found["pytest"]
    assert "from spx's runtime" in found["mypy"]
    assert "1 of the project's own tests collected" in found["project-tests"]
    assert "1 of 1 spx test files collected" in found["spx-tests"]
    assert f"`Bash(spx *)` in {root}/.claude/settings.json" in found["permission"]
    assert done.stdout.rstrip().endswith(ALL_OK)
    document = as_json(root, env)
    assert document["summary"] == {"ok": len(found), "problems": 0}
    assert {c["check"] for c in document["checks"]} == set(found)


def test_outside_a_git_repository_git_says_so(tmp_path: Path, shared: dict[str, Path]) -> None:
    env = doctor_env(shared, tmp_path / "home")
    root = new_project(tmp_path, shared, repository=False)
    assert spx("init", "--allow-spx", cwd=root, env=env).returncode == 0
    done = spx("doctor", cwd=root, env=env)
    assert done.returncode == 1
    assert problems(done.stdout) == {
        "git": f"problem  git              {root} is not in a git repository — run `git init` and commit a baseline"
    }


def test_without_spx_init_the_pytest_settings_are_missing(tmp_path: Path, shared: dict[str, Path]) -> None:
    env = doctor_env(shared, tmp_path / "home")
    root = new_project(tmp_path, shared)
    write(root, {".claude/settings.json": '{"permissions": {"allow": ["Bash(spx *)"]}}'})
    commit_all(root)
    done = spx("doctor", cwd=root, env=env)
    assert done.returncode == 1
    found = problems(done.stdout)
    assert set(found) == {"project", "pytest-settings"}
    assert "pyproject.toml: spx's pytest settings are missing (" in found["pytest-settings"]
    assert found["pytest-settings"].endswith("— run `spx init`")
    assert found["project"].endswith(f"no spx/ at {root} or above — run `spx init` in the project root")


def test_a_project_whose_own_tests_are_not_collected(tmp_path: Path, shared: dict[str, Path]) -> None:
    env = doctor_env(shared, tmp_path / "home")
    root = healthy(tmp_path, shared, env)
    spx_only = ", ".join(f'"{pattern}"' for pattern in TEST_PATTERNS)  # what the old `spx init` left behind
    markers = ", ".join(f'"{marker}"' for marker in MARKERS)
    write(root, {"pyproject.toml": f"{PYPROJECT}\n[tool.pytest.ini_options]\npython_files = [{spx_only}]\n"
                 f'addopts = ["{IMPORT_MODE}"]\nmarkers = [{markers}]\n'})  # fmt: skip
    commit_all(root)
    done = spx("doctor", cwd=root, env=env)
    found = problems(done.stdout)
    assert done.returncode == 1
    assert found["project-tests"].endswith(
        f"none of the project's test files is collected: {OWN_TEST} — keep the project's own python_files / "
        "testpaths in pyproject.toml next to spx's"
    )
    assert "1 of 1 spx test files collected" in lines(done.stdout)["spx-tests"]


def test_without_a_permission_rule_the_fix_is_allow_spx(tmp_path: Path, shared: dict[str, Path]) -> None:
    env = doctor_env(shared, tmp_path / "home")
    root = healthy(tmp_path, shared, env, allow=False)
    done = spx("doctor", cwd=root, env=env)
    assert done.returncode == 1
    assert problems(done.stdout) == {
        "permission": "problem  permission       no rule allows `spx` calls — run `spx init --allow-spx`"
    }


def test_uncommitted_setup_rides_along_with_the_first_story_commit(tmp_path: Path, shared: dict[str, Path]) -> None:
    env = doctor_env(shared, tmp_path / "home")
    root = new_project(tmp_path, shared)
    commit_all(root)
    assert spx("init", "--allow-spx", cwd=root, env=env).returncode == 0
    done = spx("doctor", cwd=root, env=env)
    assert done.returncode == 1
    [setup] = problems(done.stdout).values()
    assert "spx's set-up files are not committed: .claude/settings.json, .gitignore, pyproject.toml (+1 more)" in setup
    assert setup.endswith("— they ride along with the first story's `spx commit`, or commit them now")


def test_an_override_naming_no_python_is_a_problem(tmp_path: Path, shared: dict[str, Path]) -> None:
    env = doctor_env(shared, tmp_path / "home", SPX_PYTHON="envs/nothing")
    root = healthy(tmp_path, shared, env)
    done = spx("doctor", cwd=root, env=env)
    assert done.returncode == 1
    found = problems(done.stdout)
    assert set(found) == {"environment"}
    assert f"{root}/envs/nothing/bin/python: no python here (SPX_PYTHON=envs/nothing) — point it at" in (
        found["environment"]
    )
    assert "pytest" not in lines(done.stdout)  # no tool line for an environment that cannot run


def test_a_runtime_not_set_up_names_the_install_command(tmp_path: Path, shared: dict[str, Path]) -> None:
    """The plugin's launcher on a bare system python3, told to run from source: no runtime, no tools of its own."""
    empty = tmp_path / "data"
    empty.mkdir()
    env = doctor_env(shared, tmp_path / "home")
    root = healthy(tmp_path, shared, env)
    launcher = [SYSTEM_PYTHON, str(REPO_ROOT / "scripts" / "spx"), "doctor"]
    plugin_env = {**env, "SPX_PLUGIN_DATA": str(empty), "SPX_RUNTIME": "source"}
    done = subprocess.run(launcher, cwd=root, env=plugin_env, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 1, done.stdout + done.stderr
    runtime = problems(done.stdout)["runtime"]
    assert f"spx's runtime is not set up at {empty}/runtime/" in runtime
    assert runtime.endswith("— run `spx runtime install` (it needs the package index once)")
    assert "active in this session" in lines(done.stdout)["hooks"]  # SessionStart exports SPX_PLUGIN_DATA


def test_spx_installed_with_its_tools_needs_no_plugin_runtime(tmp_path: Path, shared: dict[str, Path]) -> None:
    """`spx` from an environment that has the review tools (a pip install; here the dev venv) lacks nothing."""
    empty = tmp_path / "data"
    empty.mkdir()
    env = doctor_env(shared, tmp_path / "home")
    root = healthy(tmp_path, shared, env)
    done = spx("doctor", cwd=root, env={**env, "SPX_PLUGIN_DATA": str(empty)})
    assert "runtime" not in problems(done.stdout), done.stdout
    assert "spx runs from its own environment" in lines(done.stdout)["runtime"]


def test_hooks_read_from_the_settings_files(tmp_path: Path, shared: dict[str, Path]) -> None:
    env = doctor_env(shared, tmp_path / "home")
    root = healthy(tmp_path, shared, env)
    write(tmp_path / "home", {".claude/settings.json": '{"enabledPlugins": {"spx-python@spx-python": true}}'})
    enabled = lines(spx("doctor", cwd=root, env=env).stdout)["hooks"]
    assert enabled.startswith("ok") and f"spx-python@spx-python enabled in {tmp_path}/home/.claude/settings.json" in (
        enabled
    )
    write(root, {".claude/settings.local.json": '{"disableAllHooks": true}'})
    done = spx("doctor", cwd=root, env=env)
    assert problems(done.stdout)["hooks"].endswith(
        f"{root}/.claude/settings.local.json: disableAllHooks is true, so spx's hooks never run — remove "
        "disableAllHooks from it"
    )


def test_json_has_the_same_verdicts_as_text(tmp_path: Path, shared: dict[str, Path]) -> None:
    env = doctor_env(shared, tmp_path / "home")
    root = healthy(tmp_path, shared, env, allow=False)
    text = spx("doctor", cwd=root, env=env).stdout
    document = as_json(root, env)
    verdicts = {c["check"]: c["ok"] for c in document["checks"]}
    assert verdicts == {name: line.startswith("ok") for name, line in lines(text).items()}
    [permission] = [c for c in document["checks"] if c["check"] == "permission"]
    assert permission == {"check": "permission", "ok": False, "detail": "no rule allows `spx` calls",
                          "fix": "run `spx init --allow-spx`"}  # fmt: skip
    assert document["summary"] == {"ok": len(verdicts) - 1, "problems": 1}
