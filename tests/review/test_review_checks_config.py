"""Which mypy configuration sections switch checks off for reviewed modules (pure: parsed config in)."""

from __future__ import annotations

from pathlib import Path

import pytest

from spx_python.review.checks.tool_config import (
    Section,
    matches,
    module_name,
    weakened_mypy,
    weakened_ruff,
    weakening_keys,
)


@pytest.mark.parametrize(
    ("pattern", "module", "expected"),
    [
        ("calc.*", "calc", True),
        ("calc.*", "calc.arith", True),
        ("calc.*", "calculator", False),
        ("calc.arith", "calc.arith", True),
        ("calc.*.impl", "calc.sub.impl", True),
        ("other", "calc.arith", False),
    ],
)
def test_module_patterns_match_as_mypy_matches_them(pattern: str, module: str, expected: bool) -> None:
    assert matches(pattern, module) is expected


def test_module_names_come_from_the_source_root_and_test_files_by_stem(tmp_path: Path) -> None:
    src = tmp_path / "src"
    assert module_name(src / "calc" / "arith.py", [src]) == "calc.arith"
    assert module_name(src / "calc" / "__init__.py", [src]) == "calc"
    assert module_name(tmp_path / "calc" / "arith.py", [tmp_path / "calc"]) == "calc.arith"
    assert module_name(tmp_path / "spx" / "tests" / "add.unit.test.py", [src]) == "add.unit.test"


def test_per_module_sections_weaken_but_global_strict_flags_lose_to_the_command_line() -> None:
    options = {"ignore_errors": "True", "disallow-untyped-defs": False, "warn_return_any": True, "strict": False}
    assert weakening_keys(Section("mypy.ini", ("calc.*",), options, True)) == [
        "ignore_errors",
        "disallow-untyped-defs",
        "strict",
    ]
    assert weakening_keys(Section("mypy.ini", ("*",), options, False)) == ["ignore_errors"]
    assert weakening_keys(Section("mypy.ini", ("calc.*",), {"disable_error_code": ["arg-type"]}, True)) == []


def test_a_finding_names_the_config_line_and_the_module_it_covers(tmp_path: Path) -> None:
    (tmp_path / "mypy.ini").write_text("[mypy]\nstrict = True\n\n[mypy-calc.*]\nignore_errors = True\n")
    section = Section("mypy.ini", ("calc.*",), {"ignore_errors": "True"}, True)
    [finding] = weakened_mypy(tmp_path, [section], ["calc.arith", "add.unit.test"])
    assert (finding.file, finding.line, finding.rule) == ("mypy.ini", 5, "weakened-config")
    assert "calc.arith" in finding.message
    assert weakened_mypy(tmp_path, [section], ["other.module"]) == []


def test_a_per_file_ruff_ignore_of_a_blocking_family_is_found_for_the_files_it_matches(tmp_path: Path) -> None:
    (tmp_path / "ruff.toml").write_text('[lint.per-file-ignores]\n"src/**" = ["S1", "E501"]\n"x.py" = ["B"]\n')
    config = {"lint": {"per-file-ignores": {"src/**": ["S1", "E501"], "x.py": ["B"]}}}
    [finding] = weakened_ruff(tmp_path, "ruff.toml", config, ["src/calc/arith.py"])
    assert (finding.file, finding.line, finding.rule) == ("ruff.toml", 2, "weakened-config")
    assert "src/calc/arith.py" in finding.message
    specific = {"per-file-ignores": {"**/tests/**": ["S101"], "*.py": ["SIM102", "BLE001"]}}
    assert weakened_ruff(tmp_path, "ruff.toml", specific, ["spx/a/tests/x.unit.test.py", "src/a.py"]) == []


def test_disabling_a_code_a_strict_flag_enables_is_the_same_as_turning_the_flag_off() -> None:
    strict_codes = {"disable_error_code": ["arg-type", "no-untyped-def"]}
    ini_spelling = {"disable_error_code": "no-untyped-call, arg-type"}
    assert weakening_keys(Section("pyproject.toml", ("calc.*",), strict_codes, True)) == ["disable_error_code"]
    assert weakening_keys(Section("mypy.ini", ("calc.*",), ini_spelling, True)) == ["disable_error_code"]
    assert weakening_keys(Section("mypy.ini", ("*",), strict_codes, False)) == ["disable_error_code"]
