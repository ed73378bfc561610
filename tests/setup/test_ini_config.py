"""The INI editor behind `spx init` for pytest.ini / tox.ini / setup.cfg: the project's values stay, spx's are
added, everything else is byte-for-byte; a form it does not edit is left alone with lines to paste."""

from __future__ import annotations

import configparser

import pytest

from spx_python.setup.pytest_ini import add_ini_settings
from spx_python.setup.pytest_pyproject import MARKERS, TEST_PATTERNS


def section(text: str, name: str) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read_string(text)
    return dict(parser[name])


def test_existing_values_keep_theirs_in_front_and_the_rest_of_the_file_is_untouched() -> None:
    text = "[tox]\nenvlist = py\n\n[pytest]\ntestpaths =\n    tests\n    docs\nmarkers =\n    slow: s\n"
    text += "\n[flake8]\nx = 1\n"
    edit = add_ini_settings(text, "tox.ini")
    assert edit.extended == ("testpaths", "markers")
    assert edit.text.startswith("[tox]\nenvlist = py\n\n[pytest]\n")
    assert edit.text.endswith("\n[flake8]\nx = 1\n")
    options = section(edit.text, "pytest")
    assert options["testpaths"].split() == ["tests", "docs", "spx"]
    assert options["markers"].strip().splitlines() == ["slow: s", *MARKERS]
    assert options["python_files"].split() == ["test_*.py", "*_test.py", *TEST_PATTERNS]


def test_setup_cfg_gains_its_tool_pytest_section_when_absent() -> None:
    edit = add_ini_settings("[metadata]\nname = p", "setup.cfg", src_layout=True)
    assert edit.text.startswith("[metadata]\nname = p\n\n[tool:pytest]\n")
    assert section(edit.text, "tool:pytest")["pythonpath"] == "src"


def test_a_second_edit_changes_nothing() -> None:
    once = add_ini_settings("[pytest]\n", "pytest.ini").text
    again = add_ini_settings(once, "pytest.ini")
    assert (again.text, again.added, again.extended) == (once, (), ())


@pytest.mark.parametrize(
    ("text", "advice"),
    [
        ("[pytest]\n  python_files = t_*.py\n", True),  # an indented key: no `key =` line to rewrite
        ("[pytest\npython_files = t_*.py\n", False),  # not INI at all
    ],
)
def test_forms_it_does_not_edit_are_left_alone_with_lines_to_paste(text: str, advice: bool) -> None:
    edit = add_ini_settings(text, "pytest.ini")
    assert edit.text == text
    assert edit.added == () and edit.extended == ()
    assert len(edit.warnings) == 1
    assert edit.warnings[0].startswith("pytest.ini: ")
    assert ("(replacing a line of the same key):\n" in edit.warnings[0]) is advice
    if advice:
        pasted = "[pytest]\n" + edit.warnings[0].split("(replacing a line of the same key):\n", 1)[1]
        assert section(pasted, "pytest")["addopts"] == "--import-mode=importlib"
