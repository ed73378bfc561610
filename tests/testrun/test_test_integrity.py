"""Which tests a file defines, and which conftest hooks could rewrite a run's outcomes (real files, no pytest run)."""

from __future__ import annotations

from pathlib import Path

from spx_python.testrun.integrity import (
    base_name,
    clean_environment,
    conftest_files,
    defined_tests,
    outcome_hooks,
    unrun_tests,
)

MODULE = """\
import pytest


@pytest.fixture
def test_data() -> int:
    return 1


def test_one() -> None:
    assert True


async def test_two() -> None:
    assert True


def helper() -> None:
    pass


class TestGroup:
    def test_three(self) -> None:
        assert True


class Helpers:
    def test_not_collected(self) -> None:
        assert True
"""


def test_the_tests_pytest_collects_by_default_are_found_with_their_lines() -> None:
    assert [(t.name, t.line) for t in defined_tests(MODULE)] == [("test_one", 9), ("test_two", 13), ("test_three", 22)]
    assert defined_tests("def test_(:\n") == []


def test_a_parametrized_case_counts_for_its_function(tmp_path: Path) -> None:
    path = tmp_path / "a.unit.test.py"
    path.write_text(MODULE)
    assert base_name("test_one[1-2]") == "test_one"
    assert [t.name for t in unrun_tests(path, ["test_one[1]", "test_three"])] == ["test_two"]
    assert unrun_tests(tmp_path / "missing.unit.test.py", []) == []


def test_conftests_from_the_project_root_down_to_the_tests_directory_apply(tmp_path: Path) -> None:
    root = tmp_path / "project"
    tests = root / "spx" / "21-a.capability" / "tests"
    tests.mkdir(parents=True)
    (tmp_path / "conftest.py").write_text("def pytest_runtest_call(item):\n    pass\n")  # outside the project
    (root / "conftest.py").write_text("import pytest\n\n\n@pytest.fixture\ndef value() -> int:\n    return 1\n")
    (root / "spx" / "conftest.py").write_text('pytest_plugins = ["evil"]\n')
    hooks = (
        "def pytest_collection_modifyitems(items):\n    pass\n\n\ndef pytest_pyfunc_call(pyfuncitem):\n    return 1\n"
    )
    (tests / "conftest.py").write_text(hooks)
    test_file = tests / "a.e2e.test.py"
    expected = sorted([tests / "conftest.py", root / "conftest.py", root / "spx" / "conftest.py"])
    assert conftest_files(root, [test_file]) == expected
    uses = {(path.relative_to(root).as_posix(), line, what) for path, line, what in outcome_hooks(root, [test_file])}
    assert uses == {
        ("spx/conftest.py", 1, "`pytest_plugins` (loading plugins)"),
        ("spx/21-a.capability/tests/conftest.py", 5, "the hook `pytest_pyfunc_call`"),
    }


def test_plugins_loaded_by_addopts_are_found_in_every_pytest_config_format(tmp_path: Path) -> None:
    (tmp_path / "pytest.ini").write_text("[pytest]\naddopts =\n    -ra\n    -p evil.plugin\n    -p no:cacheprovider\n")
    (tmp_path / "pyproject.toml").write_text('[tool.pytest.ini_options]\naddopts = ["-x", "-p", "other"]\n')
    (tmp_path / "setup.cfg").write_text('[tool:pytest]\naddopts = "-pthird" --strict-markers\n')
    found = {(path.name, line, what) for path, line, what in outcome_hooks(tmp_path, [])}
    assert found == {
        ("pytest.ini", 4, "`-p evil.plugin` in addopts (loading a plugin)"),
        ("pyproject.toml", 2, "`-p other` in addopts (loading a plugin)"),
        ("setup.cfg", 2, "`-p third` in addopts (loading a plugin)"),
    }


def test_the_test_run_never_sees_variables_that_change_what_pytest_runs() -> None:
    environ = {"HOME": "/h", "PYTEST_ADDOPTS": "-k x", "PYTEST_PLUGINS": "evil", "PYTHONPATH": "/evil"}
    assert clean_environment(environ) == {"HOME": "/h"}
