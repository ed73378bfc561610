"""The one environment rule, branch by branch, as `spx spec test` shows it: real environments in temp dirs,
`spx` run with a controlled environment (system PATH, no VIRTUAL_ENV from the shell that launched pytest)."""

from __future__ import annotations

import json
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
from review_projects import STORY, make_project
from toolchain_projects import ignore_environments, make_venv, spx, user_env

from spx_python.toolchain.detect import candidates, uv_selection

PASSED = "3 passed"
VERSION = "{}.{}.{}".format(*sys.version_info[:3])
LEDGER = Path("spx", STORY, "pass.csv")


def project(tmp_path: Path, spx_table: str = "") -> Path:
    root = make_project(tmp_path)
    ignore_environments(root)
    if spx_table:
        with (root / "pyproject.toml").open("a", encoding="utf-8") as handle:
            handle.write(f"\n[tool.spx]\n{spx_table}\n")
    return root


def spec_test(root: Path, env: dict[str, str]) -> str:
    done = spx("spec", "test", STORY, cwd=root, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert PASSED in done.stdout
    return done.stdout


def test_tool_spx_python_names_the_interpreter(tmp_path: Path) -> None:
    root = project(tmp_path, 'python = "envs/configured"')
    python = make_venv(root / "envs" / "configured")
    make_venv(root / ".venv")  # a .venv exists too: the explicit setting wins
    out = spec_test(root, user_env())
    assert f'environment: python {VERSION} at {python} (found by [tool.spx] python = "envs/configured")' in out


def test_spx_python_variable_wins_over_the_pyproject_setting(tmp_path: Path) -> None:
    root = project(tmp_path, 'python = "envs/configured"')
    make_venv(root / "envs" / "configured")
    python = make_venv(tmp_path / "elsewhere")
    out = spec_test(root, user_env(SPX_PYTHON=str(python)))
    assert f"environment: python {VERSION} at {python} (found by SPX_PYTHON={python})" in out


def test_an_override_naming_no_python_is_refused_not_silently_replaced(tmp_path: Path) -> None:
    root = project(tmp_path, 'python = "envs/missing"')
    make_venv(root / ".venv")
    done = spx("spec", "test", "--stamp", STORY, cwd=root, env=user_env())
    assert done.returncode == 1
    assert done.stderr.strip() == (
        f"spx: {root / 'envs' / 'missing' / 'bin' / 'python'}: no python here ([tool.spx] python = "
        '"envs/missing") — point it at a virtual environment or its bin/python, or remove the setting to let '
        "spx find the environment"
    )
    assert not (root / LEDGER).exists()


@pytest.mark.parametrize(
    ("variable", "where", "with_dot_venv", "variable_wins"),
    [
        ("VIRTUAL_ENV", "active", True, True),  # an activated environment wins over <root>/.venv
        ("UV_PROJECT_ENVIRONMENT", "project/envs/uv-env", False, True),
        ("CONDA_PREFIX", "conda-env", False, True),
        ("CONDA_PREFIX", "conda-env", True, False),  # <root>/.venv comes before conda
    ],
)
def test_an_environment_variable_names_the_environment_in_its_turn(
    tmp_path: Path, variable: str, where: str, with_dot_venv: bool, variable_wins: bool
) -> None:
    root = project(tmp_path)
    named = make_venv(tmp_path / where)
    dot_venv = make_venv(root / ".venv") if with_dot_venv else named
    out = spec_test(root, user_env(**{variable: str(tmp_path / where)}))
    found_by = f"{variable}={tmp_path / where}" if variable_wins else str(root / ".venv")
    python = named if variable_wins else dot_venv
    assert f"environment: python {VERSION} at {python} (found by {found_by})" in out


def test_without_any_environment_spx_says_loudly_it_uses_its_own_runtime(tmp_path: Path) -> None:
    root = project(tmp_path)
    out = spec_test(root, user_env())
    assert f"warning: no project environment found; using spx's runtime python {VERSION} at {sys.executable}" in out
    assert f"environment: python {VERSION} at {sys.executable} (no project environment found; using spx runtime)" in out
    assert f"pytest {metadata.version('pytest')} (spx runtime)" in out.split("environment: ")[1]


def test_a_uv_project_runs_through_uv_run_with_its_dev_extra_or_group(tmp_path: Path) -> None:
    extra = {"project": {"optional-dependencies": {"dev": ["pytest"]}}, "tool": {"uv": {}}}
    group = {"dependency-groups": {"dev": ["pytest"]}}
    assert uv_selection(extra) == ("--extra", "dev")
    assert uv_selection(group) == ("--group", "dev")
    assert uv_selection({"tool": {"uv": {}}}) == ()
    (tmp_path / "uv.lock").write_text("")
    found = next(candidates(tmp_path, extra, {}, lambda name: f"/bin/{name}"))
    assert (found.kind, found.prefix, found.found_by) == (
        "uv",
        ("/bin/uv", "run", "--extra", "dev", "python"),
        "uv project (uv run --extra dev)",
    )


@pytest.mark.parametrize(
    ("tool", "pyproject"),
    [
        ("poetry", {"tool": {"poetry": {}}}),
        ("pdm", {"tool": {"pdm": {}}}),
        ("hatch", {"tool": {"hatch": {"envs": {}}}}),
    ],
)
def test_poetry_hatch_and_pdm_are_asked_only_when_their_tool_is_on_path(
    tmp_path: Path, tool: str, pyproject: dict[str, Any]
) -> None:
    absent = [c.kind for c in candidates(tmp_path, pyproject, {}, lambda _name: None)]
    present = list(candidates(tmp_path, pyproject, {}, lambda name: f"/bin/{name}"))
    assert absent == [".venv"]
    assert [c.kind for c in present] == [tool, ".venv"]
    assert present[0].ask[0] == f"/bin/{tool}"


def test_status_fresh_names_the_environment_on_stderr_and_keeps_stdout_json(tmp_path: Path) -> None:
    root = project(tmp_path)
    python = make_venv(root / ".venv")
    done = spx("spec", "status", "--fresh", "--format", "json", cwd=root, env=user_env())
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)  # the data, untouched
    assert f"environment: python {VERSION} at {python} (found by {root / '.venv'})" in done.stderr
