"""`spx review` and the stamp in the user's own environment: a tool the project lacks comes from spx's runtime,
coverage is still measured, and every result names the interpreter and where each tool came from."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
from review_projects import STORY, make_project
from toolchain_projects import (
    PYTHON_312,
    RUNTIME_BIN,
    SYSTEM_PATH,
    environment_line,
    ignore_environments,
    last_event,
    make_venv,
    review_json,
    spx,
    user_env,
)

pytestmark = pytest.mark.slow

TOOLS = ("pytest", "pytest-cov", "coverage", "mypy", "ruff")
RUNTIME = "spx runtime"
STAMPED = f"stamped spx/{STORY}/pass.csv: 1 test file(s) — the story is now Passing"
DEV_EXTRA = '\n[project.optional-dependencies]\ndev = ["pytest"]\n\n[tool.uv]\npackage = false\n'


def runtime_tool(name: str) -> dict[str, str]:
    return {"version": metadata.version(name), "source": RUNTIME}


def assert_approved_with_coverage(result: dict[str, Any]) -> None:
    assert (result["verdict"], result["findings"]) == ("APPROVED", []), result["reason"]
    assert result["coverage"]["percent"] == 100.0
    assert result["coverage"]["files"] == {"src/calc/arith.py": 100.0}


def stamp_names(root: Path, env: dict[str, str], python: Path | str) -> str:
    done = spx("spec", "test", "--stamp", STORY, cwd=root, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert STAMPED in done.stdout
    line = environment_line(done.stdout)
    assert line.startswith("python ") and f" at {python} (" in line
    return line


def test_a_bare_venv_on_another_python_borrows_every_tool_and_coverage_is_measured(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    ignore_environments(root)
    python = make_venv(root / ".venv", PYTHON_312)  # no pytest, pytest-cov, mypy or ruff; python 3.12, spx on 3.11
    env = user_env()
    result = review_json(root, env)
    assert_approved_with_coverage(result)
    assert result["environment"] == {
        "python": str(python),
        "version": "3.12.1",
        "found_by": str(root / ".venv"),
        "kind": ".venv",
        "tools": {name: runtime_tool(name) for name in TOOLS},
    }
    assert last_event(root)["environment"] == result["environment"]
    report = (root / result["report"]).read_text(encoding="utf-8")
    assert f"## Environment\n\npython 3.12.1 at `{python}`\n" in report
    assert f"| pytest-cov | {metadata.version('pytest-cov')} | spx runtime |" in report
    line = stamp_names(root, env, python)
    assert line.startswith(f"python 3.12.1 at {python} (found by {root / '.venv'}) · pytest ")
    assert not list(root.rglob("*.dist-info"))  # nothing was installed into the project


def test_without_any_environment_the_review_says_it_used_spx_runtime(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    env = user_env()
    done = spx("review", STORY, cwd=root, env=env)
    assert done.returncode == 0, done.stdout
    assert done.stdout.startswith(f"APPROVED: {STORY}\n")
    assert "  warning: no project environment found; using spx's runtime python " in done.stdout
    line = environment_line(done.stdout.replace("  environment: ", "environment: "))
    assert line.startswith(f"python {'{}.{}.{}'.format(*sys.version_info[:3])} at {sys.executable} (no project")
    assert all(f"{name} {metadata.version(name)} (spx runtime)" in line for name in TOOLS)
    stamp_names(root, env, sys.executable)


def uv(*args: str, cwd: Path) -> None:
    done = subprocess.run(
        [str(RUNTIME_BIN / "uv"), *args], cwd=cwd, env=user_env(UV_PYTHON_DOWNLOADS="never"),
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


def test_a_uv_project_with_pytest_in_its_dev_extra_but_no_pytest_cov_is_approved(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    ignore_environments(root)
    with (root / "pyproject.toml").open("a", encoding="utf-8") as handle:
        handle.write(DEV_EXTRA)
    uv("sync", "--extra", "dev", "--python", sys.executable, cwd=root)  # the seed's set-up: pytest only
    env = user_env()  # uv is not on PATH: spx uses the one beside its runtime's python
    result = review_json(root, env)
    assert_approved_with_coverage(result)
    environment = result["environment"]
    assert (environment["kind"], environment["found_by"]) == ("uv", "uv project (uv run --extra dev)")
    assert environment["python"] == str(root / ".venv" / "bin" / "python")
    assert environment["tools"]["pytest"]["source"] == "project"
    assert {name: environment["tools"][name] for name in ("pytest-cov", "mypy", "ruff")} == {
        name: runtime_tool(name) for name in ("pytest-cov", "mypy", "ruff")
    }
    line = stamp_names(root, env, root / ".venv" / "bin" / "python")
    assert "(found by uv project (uv run --extra dev)) · pytest " in line and " (project) · pytest-cov " in line


def test_a_venv_with_its_own_pytest_keeps_it_and_borrows_only_pytest_cov(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    ignore_environments(root)
    python = make_venv(root / ".venv")
    uv("pip", "install", "--python", str(python), "pytest<9", cwd=root)  # an older pytest than spx's own
    result = review_json(root, user_env())
    assert_approved_with_coverage(result)
    tools = result["environment"]["tools"]
    assert tools["pytest"]["source"] == "project" and tools["pytest"]["version"].startswith("8.")
    assert tools["pytest-cov"] == runtime_tool("pytest-cov")
    assert tools["coverage"] == runtime_tool("coverage")


POETRY_TABLE = "\n[tool.poetry]\npackage-mode = false\n"


def test_a_poetry_project_runs_in_the_environment_poetry_names(tmp_path: Path) -> None:
    tool = tmp_path / "poetry-tool"
    make_venv(tool)
    uv("pip", "install", "--python", str(tool / "bin" / "python"), "poetry", cwd=tmp_path)
    root = make_project(tmp_path)
    with (root / "pyproject.toml").open("a", encoding="utf-8") as handle:
        handle.write(POETRY_TABLE)
    settings = {f"POETRY_{key}": str(tmp_path / key.lower()) for key in ("VIRTUALENVS_PATH", "CACHE_DIR", "CONFIG_DIR")}
    env = user_env(PATH=f"{tool / 'bin'}{os.pathsep}{SYSTEM_PATH}", **settings)
    made = subprocess.run(
        [str(tool / "bin" / "poetry"), "env", "use", sys.executable], cwd=root, env=env,
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    (python,) = (tmp_path / "virtualenvs_path").glob("calc-*/bin/python")
    result = review_json(root, env)
    assert_approved_with_coverage(result)
    assert (result["environment"]["kind"], result["environment"]["python"]) == ("poetry", str(python))
    line = stamp_names(root, env, python)
    assert "(found by poetry (poetry env info -p))" in line
