"""The pyproject text editor behind `spx init`: only insertions, validated by re-parsing; else hands off."""

from __future__ import annotations

from typing import Any

import pytest

from spx_python.setup.pytest_pyproject import IMPORT_MODE, MARKERS, TEST_PATTERNS, add_pytest_settings
from spx_python.toml_read import parse_toml


def parsed(text: str) -> dict[str, Any]:
    document = parse_toml(text)
    assert document is not None, text
    return document


def options(text: str) -> dict[str, Any]:
    table: dict[str, Any] = parsed(text)["tool"]["pytest"]["ini_options"]
    return table


def test_crlf_file_without_trailing_newline_gets_crlf_lines() -> None:
    text = '[project]\r\nname = "x"'
    edit = add_pytest_settings(text)
    assert edit.text.startswith(text + "\r\n\r\n[tool.pytest.ini_options]\r\n")
    assert "\n" not in edit.text.replace("\r\n", "")
    assert options(edit.text)["python_files"] == ["test_*.py", "*_test.py", *TEST_PATTERNS]


def test_lines_go_right_after_the_header_even_with_a_comment_and_later_tables() -> None:
    text = '[tool.pytest.ini_options]  # ours\nminversion = "8"\n\n[tool.black]\nline-length = 90\n'
    edit = add_pytest_settings(text)
    assert edit.added == ("python_files", "addopts", "markers")
    assert edit.text.endswith('minversion = "8"\n\n[tool.black]\nline-length = 90\n')
    assert options(edit.text)["addopts"] == [IMPORT_MODE]
    assert parsed(edit.text)["tool"]["black"] == {"line-length": 90}


def test_header_on_the_last_line_without_newline() -> None:
    edit = add_pytest_settings("[tool.pytest.ini_options]")
    assert set(options(edit.text)) == {"python_files", "addopts", "markers"}


@pytest.mark.parametrize(
    "text",
    [
        '[tool]\npytest.ini_options.minversion = "8"\n',  # dotted keys: no header line to insert after
        "[tool.pytest.ini_options\n",  # not TOML at all
    ],
)
def test_forms_it_does_not_edit_are_left_alone_with_instructions(text: str) -> None:
    edit = add_pytest_settings(text)
    assert edit.text == text
    assert edit.added == ()
    assert len(edit.warnings) == 1
    assert "pyproject.toml:" in edit.warnings[0]
    if "not valid TOML" not in edit.warnings[0]:  # the advice is TOML to paste under the table
        pasted = parsed(edit.warnings[0].split(":\n", 1)[1])
        assert pasted["python_files"] == ["test_*.py", "*_test.py", *TEST_PATTERNS]


def test_an_existing_addopts_is_kept_and_named() -> None:
    line = 'addopts = "--import-mode prepend"'
    edit = add_pytest_settings(f"[tool.pytest.ini_options]\n{line}\n")
    assert line + "\n" in edit.text
    assert any("addopts lacks --import-mode=importlib" in w for w in edit.warnings)


@pytest.mark.parametrize(
    ("line", "key", "extended"),
    [
        ('markers = ["slow: slow"]', "markers", ["slow: slow", *MARKERS]),
        ('markers = """\n  slow: slow\n"""', "markers", ["slow: slow", *MARKERS]),
        ('testpaths = ["tests"]', "testpaths", ["tests", "spx"]),
        ('python_files = "check_*.py test_*.py"', "python_files", ["check_*.py", "test_*.py", *TEST_PATTERNS]),
    ],
)
def test_an_existing_list_keeps_its_values_and_gains_spx_ones(line: str, key: str, extended: list[str]) -> None:
    text = f'[tool.pytest.ini_options]\n{line}\nminversion = "8"\n\n[tool.other]\nx = 1\n'
    edit = add_pytest_settings(text)
    assert options(edit.text)[key] == extended
    assert key in edit.extended
    assert edit.text.endswith('minversion = "8"\n\n[tool.other]\nx = 1\n')


def test_pytest_9_native_table_is_written_in_place_with_lists() -> None:
    text = '[tool.pytest]\nminversion = "9.0"\ntestpaths = ["tests"]\n'
    edit = add_pytest_settings(text)
    assert edit.table == "[tool.pytest]"
    native = parsed(edit.text)["tool"]["pytest"]
    assert "ini_options" not in native
    assert native["python_files"] == ["test_*.py", "*_test.py", *TEST_PATTERNS]
    assert native["testpaths"] == ["tests", "spx"]
    assert native["addopts"] == [IMPORT_MODE]


def test_equivalent_spellings_are_accepted_silently() -> None:
    text = (
        "[tool.pytest.ini_options]\n"
        'python_files = "test_*.py *.unit.test.py *.integration.test.py *.e2e.test.py"\n'
        'addopts = ["-ra", "--import-mode", "importlib"]\n'
        'markers = ["unit", "integration: x", "e2e: y", "slow: z"]\n'
        'testpaths = ["spx/", "tests"]\n'
    )
    edit = add_pytest_settings(text)
    assert (edit.text, edit.added, edit.extended, edit.warnings) == (text, (), (), ())
