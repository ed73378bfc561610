"""`spx review` on a corpus of small real projects: one clean, one per blocking rule.

Real mypy, ruff, pytest and pytest-cov run on each temp project (no mocks). Each bad sample must be
REJECTED naming exactly its rule and line, and nothing else that blocks.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from review_projects import IMPLEMENTATION, STORY, STORY_DIR, TEST_FILE, blocking, make_project, review_json

pytestmark = pytest.mark.slow

TRIPLE = "src/calc/sub/deep/triple.py"

EXPECTED: dict[str, tuple[str, str, int]] = {
    "mypy": ("mypy:arg-type", IMPLEMENTATION, 17),
    "ruff-bugbear": ("ruff:B006", IMPLEMENTATION, 16),
    "ruff-bandit": ("ruff:S324", IMPLEMENTATION, 23),
    "failing-test": ("pytest", TEST_FILE, 13),
    "low-coverage": ("coverage", IMPLEMENTATION, 21),
    "mocking": ("mocking", TEST_FILE, 3),
    "monkeypatch": ("mocking", TEST_FILE, 17),
    "sys-path": ("sys-path-edit", TEST_FILE, 7),
    "bare-except": ("bare-except", IMPLEMENTATION, 19),
    "repeated-literal": ("repeated-literal", IMPLEMENTATION, 17),
    "test-literal-constant": ("test-literal-constant", TEST_FILE, 19),
    "deep-relative-import": ("deep-relative-import", TRIPLE, 5),
    "skipped-test": ("skipped-test", f"{STORY_DIR}/tests/skip.unit.test.py", 8),
    "blanket-suppression": ("blanket-suppression", f"{STORY_DIR}/tests/loose.unit.test.py", 7),
    "outcome-hook": ("outcome-hook", "conftest.py", 9),
    "vacuous-test": ("test-without-assert", f"{STORY_DIR}/tests/vacuous.unit.test.py", 6),
}


def test_clean_project_is_approved_with_report_and_journal_event(tmp_path: Path) -> None:
    root = make_project(tmp_path, cold=True)  # a first review: no mypy cache yet
    code, result = review_json(root)
    assert (code, result["verdict"], blocking(result)) == (0, "APPROVED", set())
    assert result["coverage"]["percent"] == 100.0
    report = root / result["report"]
    assert report.is_file() and "**Verdict: APPROVED**" in report.read_text()
    assert result["files"] == [f"spx/{STORY}/add.story.md", TEST_FILE, IMPLEMENTATION]


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_each_bad_sample_is_rejected_for_exactly_its_rule(tmp_path: Path, case: str) -> None:
    root = make_project(tmp_path, case)
    code, result = review_json(root)
    assert (code, result["verdict"]) == (1, "REJECTED"), result["reason"]
    assert blocking(result) == {EXPECTED[case]}
    finding = next(f for f in result["findings"] if f["blocking"])
    assert finding["why"] and finding["fix"]


def test_a_test_deselected_by_the_projects_addopts_did_not_run(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    with (root / "pyproject.toml").open("a") as handle:  # the [tool.pytest.ini_options] table is the last one
        handle.write('addopts = "-k \'not sums\'"\n')
    code, result = review_json(root)
    assert (code, blocking(result)) == (1, {("test-not-run", TEST_FILE, 8)})


def test_a_tool_that_cannot_run_rejects_with_the_reason(tmp_path: Path) -> None:
    root = make_project(tmp_path, "broken-ruff-config")
    code, result = review_json(root)
    assert (code, result["verdict"], blocking(result)) == (1, "REJECTED", {("tool-error", "", 0)})
    assert "line-length" in result["reason"]


def test_coverage_threshold_comes_from_the_projects_tool_spx_table(tmp_path: Path) -> None:
    root = make_project(tmp_path, "low-coverage")
    with (root / "pyproject.toml").open("a") as handle:
        handle.write("\n[tool.spx]\ncoverage_threshold = 50\n")
    code, result = review_json(root)
    assert (code, result["verdict"], result["coverage"]["threshold"]) == (0, "APPROVED", 50.0)


MEAN_DEF = "def mean(values: list[int]) -> float:"


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("pyproject.toml", '\n[tool.coverage.run]\nomit = ["src/calc/arith.py"]\n'),
        ("pyproject.toml", '\n[tool.coverage.report]\nexclude_also = ["def mean"]\n'),
        (".coveragerc", "[report]\nexclude_lines =\n    def mean\n"),
        (IMPLEMENTATION, None),  # `# pragma: no cover` on the untested function
    ],
)
def test_the_project_cannot_exclude_untested_code_from_coverage(tmp_path: Path, name: str, text: str | None) -> None:
    root = make_project(tmp_path, "low-coverage")
    target = root / name
    if text is None:
        target.write_text(target.read_text().replace(MEAN_DEF, MEAN_DEF + "  # pragma: no cover"))
    else:
        with target.open("a") as handle:
            handle.write(text)
    code, result = review_json(root)
    assert (code, blocking(result)) == (1, {EXPECTED["low-coverage"]})


@pytest.mark.parametrize(
    ("case", "config"),
    [
        ("mypy", '\n[[tool.mypy.overrides]]\nmodule = "calc.arith"\ndisable_error_code = ["arg-type"]\n'),
        ("ruff-bugbear", '\n[tool.ruff.lint.per-file-ignores]\n"src/calc/arith.py" = ["B006"]\n'),
        ("ruff-bugbear", '\n[tool.ruff.lint]\nignore = ["B006"]\n'),
    ],
)
def test_the_projects_own_tool_configuration_is_used_when_it_has_one(tmp_path: Path, case: str, config: str) -> None:
    root = make_project(tmp_path, case)
    with (root / "pyproject.toml").open("a") as handle:
        handle.write(config)
    code, result = review_json(root)
    assert (code, result["verdict"], blocking(result)) == (0, "APPROVED", set())


@pytest.mark.parametrize(
    ("config", "line"),
    [
        ('[[tool.mypy.overrides]]\nmodule = "calc.*"\nignore_errors = true\n', 11),
        ("[tool.mypy]\nignore_errors = true\n", 10),
        ('[[tool.mypy.overrides]]\nmodule = ["other", "calc.arith"]\ndisallow_untyped_defs = false\n', 11),
    ],
)
def test_a_mypy_config_that_switches_checks_off_for_the_story_is_a_finding(
    tmp_path: Path, config: str, line: int
) -> None:
    root = make_project(tmp_path, "mypy")
    with (root / "pyproject.toml").open("a") as handle:
        handle.write("\n" + config)
    code, result = review_json(root)
    assert code == 1
    assert ("weakened-config", "pyproject.toml", line) in blocking(result)  # mypy itself may say nothing


def test_a_weakened_mypy_section_for_modules_outside_the_review_is_left_alone(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    (root / "mypy.ini").write_text("[mypy]\n\n[mypy-legacy.*]\nignore_errors = True\n")
    code, result = review_json(root)
    assert (code, result["verdict"]) == (0, "APPROVED")


def test_a_project_cannot_switch_off_a_whole_blocking_family(tmp_path: Path) -> None:
    root = make_project(tmp_path, "ruff-bugbear")
    with (root / "pyproject.toml").open("a") as handle:
        handle.write('\n[tool.ruff.lint]\nselect = ["E"]\nignore = ["B"]\n')
    code, result = review_json(root)
    assert (code, blocking(result)) == (1, {EXPECTED["ruff-bugbear"]})


@pytest.mark.parametrize(
    "config",
    [
        '[tool.ruff.lint.per-file-ignores]\n"src/**" = ["B", "S"]\n',
        '[tool.ruff.lint.extend-per-file-ignores]\n"*.py" = ["ALL"]\n',
    ],
)
def test_a_per_file_ignore_of_a_blocking_ruff_family_is_a_finding(tmp_path: Path, config: str) -> None:
    root = make_project(tmp_path, "ruff-bugbear")
    with (root / "pyproject.toml").open("a") as handle:
        handle.write("\n" + config)
    code, result = review_json(root)
    assert (code, blocking(result)) == (1, {("weakened-config", "pyproject.toml", 10)})  # ruff itself is silenced


def test_a_ruff_exclude_cannot_hide_the_reviewed_files(tmp_path: Path) -> None:
    root = make_project(tmp_path, "ruff-bugbear")
    with (root / "pyproject.toml").open("a") as handle:
        handle.write('\n[tool.ruff]\nextend-exclude = ["src"]\nforce-exclude = true\n')
    code, result = review_json(root)
    assert (code, blocking(result)) == (1, {EXPECTED["ruff-bugbear"]})


def test_a_syntax_error_is_one_finding_and_the_tests_that_cannot_import_it_fail(tmp_path: Path) -> None:
    root = make_project(tmp_path, "syntax-error")
    code, result = review_json(root)
    assert (code, result["verdict"]) == (1, "REJECTED")
    assert blocking(result) == {("syntax-error", IMPLEMENTATION, 16), ("pytest", TEST_FILE, 5)}
