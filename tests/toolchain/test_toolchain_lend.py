"""What is lent from spx's runtime, and what the probe reads back (pure parts, plus one real overlay)."""

from __future__ import annotations

import subprocess
import sys
from importlib import metadata
from pathlib import Path

from toolchain_projects import make_venv

from spx_python.toolchain.lend import closure, lend, required_names, runtime_requires, top_level_entries
from spx_python.toolchain.probe import normalize, parse_probe

GRAPH = {"pytest-cov": ["pytest", "coverage"], "pytest": ["pluggy", "iniconfig"], "coverage": [], "pluggy": []}


def test_requirements_of_extras_are_not_lent() -> None:
    requirements = ["pluggy<2,>=1.5", 'colorama>=0.4; sys_platform == "win32"', 'hypothesis; extra == "dev"']
    assert required_names(requirements) == ["pluggy", "colorama"]


def test_only_what_the_project_lacks_and_the_runtime_has_is_lent() -> None:
    def project_has(name: str) -> bool:
        return name in {"pytest", "pluggy", "iniconfig"}

    assert closure(["pytest_cov"], GRAPH.get, project_has) == ["pytest-cov", "coverage"]
    assert closure(["pytest"], GRAPH.get, lambda _name: False) == ["pytest", "pluggy"]  # iniconfig: runtime lacks it


def test_top_level_entries_skip_scripts_caches_and_path_files() -> None:
    files = ["pytest/__init__.py", "_pytest/main.py", "py.py", "__pycache__/py.cpython-311.pyc",
             "pytest-9.0.dist-info/RECORD", "../../../bin/pytest", "pytest-cov.pth"]  # fmt: skip
    assert top_level_entries(files) == {"pytest", "_pytest", "py.py", "pytest-9.0.dist-info"}


def test_the_probe_reads_its_json_after_any_chatter() -> None:
    out = 'Resolved 3 packages\n{"executable": "/p/bin/python", "version": "3.12.1", "packages": {"Pytest_Cov": "5"}}\n'
    found = parse_probe(out)
    assert found is not None and found.has("pytest-cov") and found.packages == {"pytest-cov": "5"}
    assert parse_probe("Traceback (most recent call last):\n") is None
    assert normalize("Zope.Interface") == "zope-interface"


def test_a_lent_pytest_cov_plugin_loads_in_a_bare_venv(tmp_path: Path) -> None:
    python = make_venv(tmp_path / "venv")
    lent = lend(closure(["pytest-cov"], runtime_requires, lambda _name: False), tmp_path / "lent")
    done = subprocess.run(
        [str(python), "-m", "pytest", "--version", "--version"], env={"PYTHONPATH": str(lent)},
        capture_output=True, text=True, timeout=120, check=False, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert f"pytest-cov-{metadata.version('pytest-cov')}" in done.stdout + done.stderr
    assert (
        not (tmp_path / "venv" / "lib")
        .joinpath(f"python{sys.version_info[0]}.{sys.version_info[1]}")
        .joinpath("site-packages", "pytest")
        .exists()
    )  # the venv itself stays bare
