"""Clean as you code: in an existing codebase the review judges what the story changed and guards the old suite.

Each test builds the legacy project of `legacy_projects` in a real git repo, writes a story on top and
runs the real `spx review` (real mypy, ruff, pytest, coverage).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from legacy_projects import (
    MODULE,
    NEW_CODE,
    OLD_SUITE_TEST,
    STORY,
    STORY_TEST,
    STORY_TESTS,
    UNTESTED_CODE,
    add_story_work,
    commit,
    lines_of,
    make_legacy,
    minutes_ago,
    record_story_start,
    write,
)
from review_projects import review_json

from spx_python.review.findings import REGRESSION, REPEATED_LITERAL, SUITE_NOT_GUARDED, WEAKENED_CONFIG

APPROVED, REJECTED = "APPROVED", "REJECTED"
UNTYPED_DEF = "mypy:no-untyped-def"
UNTYPED_CALL = "mypy:no-untyped-call"
MAGIC_VALUE = "ruff:PLR2004"


def story_findings(result: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for f in result["findings"] if not f["preexisting"]]


def preexisting(result: dict[str, Any]) -> set[tuple[str, str]]:
    return {(f["rule"], f["file"]) for f in result["findings"] if f["preexisting"]}


def test_clean_tested_new_work_in_old_code_is_approved_without_touching_old_lines(tmp_path: Path) -> None:
    root = make_legacy(tmp_path)
    old_text = (root / MODULE).read_text(encoding="utf-8")
    add_story_work(root)

    code, result = review_json(root, STORY)

    assert (result["verdict"], code) == (APPROVED, 0), result["reason"]
    assert (root / MODULE).read_text(encoding="utf-8").startswith(old_text)
    old = preexisting(result)
    assert (UNTYPED_DEF, MODULE) in old  # old signatures, untyped: listed, not blocking
    assert (REPEATED_LITERAL, MODULE) in old  # "hundred" three times in old code
    assert (UNTYPED_CALL, MODULE) in old  # the new typed code calls the old untyped `scale`
    assert not any(f["blocking"] for f in result["findings"] if f["preexisting"])
    old_findings = [f for f in result["findings"] if f["preexisting"]]
    assert result["counts"]["preexisting"] == len(old_findings)
    assert result["counts"]["blocking"] == 0
    assert not [f for f in result["findings"] if "thousand" in f["message"]]  # NS_("thousand", "thousand")
    assert not [f for f in story_findings(result) if f["rule"] == MAGIC_VALUE]  # the project's tests/* waiver
    assert result["base"]["found_by"] == "merge-base with main"
    judged = result["coverage"]["files"][MODULE]
    assert judged == 100.0  # the story's lines; the old `rounded` is covered only by the project's suite
    assert result["coverage"]["whole_files"][MODULE] < judged
    report = (root / result["report"]).read_text(encoding="utf-8")
    assert f"- pre-existing (on lines the story did not change; never blocking): {len(old_findings)}" in report
    assert f"## Pre-existing findings ({len(old_findings)}, not blocking)" in report
    assert "| mypy | clean | 0 |" in report  # the old module's mypy errors do not make mypy's row blocking


def test_untested_new_code_is_rejected_naming_only_the_new_lines(tmp_path: Path) -> None:
    root = make_legacy(tmp_path)
    add_story_work(root, NEW_CODE + UNTESTED_CODE)
    body = lines_of(root, "loud") + lines_of(root, "marked")

    code, result = review_json(root, STORY)

    assert (result["verdict"], code) == (REJECTED, 1)
    coverage = [f for f in result["findings"] if f["rule"] == "coverage"]
    assert [(f["file"], f["line"]) for f in coverage] == [(MODULE, min(body))]
    assert f"never run: lines {min(body)}-{max(body)})" in coverage[0]["message"]
    assert {f["rule"] for f in result["findings"] if f["blocking"]} == {"coverage"}


def break_scale(root: Path) -> None:
    """The story changes what the old `scale` returns for hundreds (and its own test expects the new word)."""
    text = (root / MODULE).read_text(encoding="utf-8")
    write(
        root,
        MODULE,
        text.replace('        return "hundred"\n    return "unit"', '        return "hundreds"\n    return "unit"'),
    )
    add_story_work(root, NEW_CODE, STORY_TESTS.replace('"hundred"', '"hundreds"'))


def test_a_story_that_breaks_an_existing_test_is_rejected_naming_that_test(tmp_path: Path) -> None:
    root = make_legacy(tmp_path)
    break_scale(root)

    code, result = review_json(root, STORY)

    assert (result["verdict"], code) == (REJECTED, 1)
    regressions = [f for f in result["findings"] if f["rule"] == REGRESSION]
    assert [(f["file"], f["blocking"]) for f in regressions] == [(OLD_SUITE_TEST, True), (OLD_SUITE_TEST, True)]
    named = " ".join(f["message"] for f in regressions)
    assert f"{OLD_SUITE_TEST}::ScaleTest::test_hundred" in named
    assert f"{OLD_SUITE_TEST}::ScaleTest::test_describe" in named
    assert "regression in the existing suite" in result["reason"]


def test_a_test_that_already_failed_at_the_base_is_listed_not_blamed_on_the_story(tmp_path: Path) -> None:
    root = make_legacy(tmp_path)
    suite = (root / OLD_SUITE_TEST).read_text(encoding="utf-8")
    write(root, OLD_SUITE_TEST, suite.replace('rounded(120), "hundred"', 'rounded(120), "a hundred"'))
    commit(root, "an old suite with a failing test", minutes_ago(50))
    add_story_work(root)

    code, result = review_json(root, STORY)

    assert (result["verdict"], code) == (APPROVED, 0), result["reason"]
    [old] = [f for f in result["findings"] if f["rule"] == REGRESSION]
    assert (old["blocking"], old["preexisting"]) == (False, True)
    assert f"{OLD_SUITE_TEST}::ScaleTest::test_rounded" in old["message"]
    assert "fails at the story's base commit too" in old["message"]


def test_the_suite_guard_can_be_switched_off(tmp_path: Path) -> None:
    root = make_legacy(tmp_path)
    break_scale(root)
    with (root / "pyproject.toml").open("a", encoding="utf-8") as handle:
        handle.write("\n[tool.spx]\nexisting_suite = false\n")

    code, result = review_json(root, STORY)

    assert (result["verdict"], code) == (APPROVED, 0), result["reason"]
    assert "existing suite" not in {tool["name"] for tool in result["tools"]}


def test_lines_committed_since_the_story_started_are_the_story_s(tmp_path: Path) -> None:
    root = make_legacy(tmp_path)
    record_story_start(root, minutes_ago(30))
    add_story_work(root, NEW_CODE + UNTESTED_CODE)
    commit(root, "wip: the story's first half", minutes_ago(10))

    code, result = review_json(root, STORY)

    assert result["base"]["found_by"].startswith("the story's understanding-specs step")
    assert (result["verdict"], code) == (REJECTED, 1)  # committed or not, the untested lines are the story's
    assert [f["rule"] for f in result["findings"] if f["blocking"]] == ["coverage"]


def test_switching_mypy_off_for_a_module_is_refused_whichever_spelling(tmp_path: Path) -> None:
    spellings = {
        "disallow_untyped_defs = false": "disallow_untyped_defs",
        'disable_error_code = ["no-untyped-def", "no-untyped-call"]': "disable_error_code",
        "ignore_errors = true": "ignore_errors",
    }
    for number, (setting, key) in enumerate(spellings.items()):
        root = make_legacy(tmp_path / str(number))
        add_story_work(root)
        override = f'\n[[tool.mypy.overrides]]\nmodule = "legacy.*"\n{setting}\n'
        with (root / "pyproject.toml").open("a", encoding="utf-8") as handle:
            handle.write(override)

        code, result = review_json(root, STORY)

        refused = [f for f in result["findings"] if f["rule"] == WEAKENED_CONFIG]
        assert (result["verdict"], code) == (REJECTED, 1), setting
        assert len(refused) == 1 and f"`{key} = " in refused[0]["message"], setting
        assert "errors on lines the story did not change are pre-existing" in refused[0]["message"]
        assert "# type: ignore[code]" in refused[0]["message"]


def test_the_story_s_own_tests_stay_fully_strict(tmp_path: Path) -> None:
    root = make_legacy(tmp_path)
    add_story_work(root, NEW_CODE, STORY_TESTS + "\n\ndef helper(x):\n    return x\n")

    code, result = review_json(root, STORY)

    assert (result["verdict"], code) == (REJECTED, 1)
    assert (UNTYPED_DEF, STORY_TEST) in {(f["rule"], f["file"]) for f in result["findings"] if f["blocking"]}


def test_a_suite_over_its_time_budget_is_reported_not_guarded_and_does_not_block(tmp_path: Path) -> None:
    root = make_legacy(tmp_path)
    write(root, "tests/test_slow.py", "import time\n\n\ndef test_slow():\n    time.sleep(30)\n")
    commit(root, "a slow old test", minutes_ago(50))
    with (root / "pyproject.toml").open("a", encoding="utf-8") as handle:
        handle.write("\n[tool.spx]\nexisting_suite = 3\n")
    add_story_work(root)

    code, result = review_json(root, STORY)

    assert (result["verdict"], code) == (APPROVED, 0), result["reason"]
    [note] = [f for f in result["findings"] if f["rule"] == SUITE_NOT_GUARDED]
    assert note["blocking"] is False
    assert "did not finish within its 3 s budget" in note["message"]
