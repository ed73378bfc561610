"""The review gate's check of suppression comments (pure: file name and text in, findings out)."""

from __future__ import annotations

import pytest

from spx_python.review.checks.suppressions import check_comments
from spx_python.review.findings import BLANKET_SUPPRESSION

FILE = "src/pkg/mod.py"


def lines(text: str) -> list[int]:
    findings = check_comments(FILE, text)
    assert all(f.rule == BLANKET_SUPPRESSION and f.blocking for f in findings)
    return [f.line for f in findings]


@pytest.mark.parametrize(
    "comment",
    [
        "# type: ignore",
        "#type:ignore",
        "# type: ignore  # the checker is wrong",
        "# noqa",
        "# NOQA",
        "# noqa: S",
        "# noqa: S324, B",
        "# ruff: noqa",
        "# flake8: noqa",
        "# mypy: ignore-errors",
        "# mypy: allow-untyped-defs",
        "# mypy: disable-error-code=arg-type",
    ],
)
def test_a_suppression_that_names_no_specific_code_is_a_finding_at_its_line(comment: str) -> None:
    assert lines(f"x = 1\ny = 2  {comment}\n") == [2]


@pytest.mark.parametrize(
    "comment",
    [
        "# type: ignore[arg-type]",
        "# type: ignore[arg-type, misc]  # third-party stub is wrong",
        "# noqa: S603",
        "# noqa: S603, B008 - reason",
        "# ruff: noqa: E501",
        "# mypy: enable-error-code=possibly-undefined",
        "# a comment that mentions typing",
    ],
)
def test_specific_suppressions_and_ordinary_comments_are_fine(comment: str) -> None:
    assert lines(f"x = 1  {comment}\n") == []


def test_only_real_comments_count_not_text_in_strings() -> None:
    assert lines('TEXT = "# type: ignore and # noqa"\n') == []


def test_a_file_that_does_not_tokenize_keeps_the_findings_before_the_error() -> None:
    assert lines('x = (1,  # noqa\n"""unterminated\n') == [1]
