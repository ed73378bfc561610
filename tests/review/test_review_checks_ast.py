"""The review gate's AST checks, on source text (pure functions: no tools run)."""

from __future__ import annotations

from pathlib import Path

import pytest

from spx_python.review.checks.ast_rules import Constant, check_source_file, check_test_file, module_constants
from spx_python.review.findings import Finding

TEST = "tests/x.unit.test.py"
SOURCE = "src/pkg/mod.py"


def rules(findings: list[Finding]) -> list[tuple[str, int]]:
    return [(f.rule, f.line) for f in findings]


MOCKING_SAMPLES = sorted((Path(__file__).parents[1] / "fixtures" / "review" / "mocking").glob("*.py"))


@pytest.mark.parametrize("sample", MOCKING_SAMPLES, ids=lambda p: p.stem)
def test_mocking_is_found_in_all_its_forms(sample: Path) -> None:
    """Each sample (tests/fixtures/review/mocking/NAME.lineN.py) must be rejected at line N."""
    line = int(sample.stem.rsplit(".line", 1)[1])
    assert rules(check_test_file(TEST, sample.read_text(), {})) == [("mocking", line)]


def test_monkeypatch_setenv_and_modules_named_like_mock_are_fine() -> None:
    text = "import mockito_free\n\ndef test_a(monkeypatch):\n    monkeypatch.setenv('HOME', '/tmp')\n"
    assert check_test_file(TEST, text, {}) == []


@pytest.mark.parametrize(
    "text",
    ["import sys\nsys.path.insert(0, 'x')\n", "import sys\nsys.path.append('x')\n", "import sys\nsys.path = []\n",
     "import sys\nsys.path += ['x']\n", "import sys\nsys.path[0] = 'x'\n"],
)  # fmt: skip
def test_sys_path_edits_are_found(text: str) -> None:
    assert rules(check_test_file(TEST, text, {})) == [("sys-path-edit", 2)]
    assert rules(check_source_file(SOURCE, text)) == [("sys-path-edit", 2)]


def test_relative_imports_deep_in_tests_from_two_levels_in_source_from_three() -> None:
    assert check_test_file(TEST, "from .helpers import make\n", {}) == []
    assert rules(check_test_file(TEST, "from ..helpers import make\n", {})) == [("deep-relative-import", 1)]
    assert check_source_file(SOURCE, "from ..models import Model\n") == []
    assert rules(check_source_file(SOURCE, "from ...models import Model\n")) == [("deep-relative-import", 1)]


def test_bare_except_is_found_but_typed_except_is_fine() -> None:
    text = "try:\n    pass\nexcept ValueError:\n    pass\ntry:\n    pass\nexcept:\n    pass\n"
    assert rules(check_source_file(SOURCE, text)) == [("bare-except", 7)]


def test_a_repeated_string_literal_is_reported_at_its_second_use() -> None:
    text = 'def a():\n    return "utf-8"\n\n\ndef b():\n    return "utf-8"\n'
    findings = check_source_file(SOURCE, text)
    assert rules(findings) == [("repeated-literal", 6)]
    assert "appears 2 times (lines 2, 6)" in findings[0].message


def test_docstrings_fstrings_annotations_and_short_strings_do_not_count_as_repeats() -> None:
    text = (
        '"""Doc."""\n'
        "def a(x: 'Thing') -> 'Thing':\n"
        '    """Doc."""\n'
        "    return f'value {x}' + ', ' + ', '\n"
        "def b(x: 'Thing') -> str:\n"
        "    return f'value {x}'\n"
    )
    assert check_source_file(SOURCE, text) == []


def test_a_test_asserting_an_implementation_constant_literal_is_reported() -> None:
    constants = module_constants(SOURCE, 'OVERFLOW = "result too large"\nlower = "not a constant"\n')
    assert constants == {"result too large": Constant("OVERFLOW", SOURCE, 1)}
    text = 'def test_a():\n    message = "result too large"\n    assert f() == "result too large"\n'
    findings = check_test_file(TEST, text, constants)
    assert rules(findings) == [("test-literal-constant", 3)]
    assert "src/pkg/mod.py:1 defines as `OVERFLOW`" in findings[0].message


def test_a_file_that_does_not_parse_is_one_syntax_finding() -> None:
    assert rules(check_source_file(SOURCE, "def broken(:\n")) == [("syntax-error", 1)]
    assert [f.rule for f in check_test_file(TEST, "x = \0\n", {})] == ["syntax-error"]


def test_translation_calls_are_not_repeated_literals() -> None:
    text = (
        "from gettext import gettext, ngettext\n"
        "def f(n: int) -> list[str]:\n"
        '    return [NS_("thousand", "thousand"), _("thousand"), ngettext("file", "file", n),\n'
        '            gettext("file"), tr.pgettext("ctx", "file"), N_("ctx")]\n'
    )
    assert check_source_file(SOURCE, text) == []


def test_a_repetition_is_placed_on_the_line_the_story_added_else_on_the_old_second_copy() -> None:
    text = 'A = "same"\nB = "same"\nC = "other"\nD = "same"\n'
    assert rules(check_source_file(SOURCE, text, frozenset({4}))) == [("repeated-literal", 4)]
    assert rules(check_source_file(SOURCE, text, frozenset({3}))) == [("repeated-literal", 2)]
    assert rules(check_source_file(SOURCE, text)) == [("repeated-literal", 2)]
