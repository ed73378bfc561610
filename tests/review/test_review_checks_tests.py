"""The review gate's check that tests prove something (pure: file name and text in, findings out)."""

from __future__ import annotations

import pytest

from spx_python.review.checks.test_quality import check_tests_prove_something

FILE = "spx/21-a.capability/tests/a.e2e.test.py"


def rules(text: str) -> list[tuple[str, int]]:
    return sorted((f.rule, f.line) for f in check_tests_prove_something(FILE, text))


@pytest.mark.parametrize("test", ["assert True", "assert 'done'", "assert (x, 'message')", "assert x == x"])
def test_an_assertion_that_cannot_fail_is_a_finding(test: str) -> None:
    assert rules(f"def test_a(x: int = 1) -> None:\n    {test}\n") == [("vacuous-assert", 2)]


def test_a_test_that_asserts_nothing_is_a_finding() -> None:
    text = "def test_a() -> None:\n    run()\n\n\nclass TestB:\n    def test_c(self) -> None:\n        pass\n"
    assert rules(text) == [("test-without-assert", 1), ("test-without-assert", 6)]


@pytest.mark.parametrize(
    "body",
    [
        "assert run() == 2",
        "with pytest.raises(ValueError):\n        run()",
        "pytest.fail('unreachable')",
        "assert_sorted(run())",
        "check_output(run())",
    ],
)
def test_assertions_raises_blocks_and_named_checking_helpers_count(body: str) -> None:
    assert rules(f"import pytest\n\n\ndef test_a() -> None:\n    {body}\n") == []


def test_catching_assertion_errors_without_raising_again_is_a_finding() -> None:
    text = (
        "def test_a() -> None:\n"
        "    try:\n        assert run() == 2\n    except AssertionError:\n        print('no')\n"
        "    try:\n        assert run() == 3\n    except (ValueError, Exception) as error:\n"
        "        raise RuntimeError from error\n"
        "    try:\n        assert run() == 4\n    except ValueError:\n        pass\n"
    )
    assert rules(text) == [("swallowed-failure", 4)]


def test_helpers_and_fixtures_are_not_tests() -> None:
    fixture = "import pytest\n\n\n@pytest.fixture\ndef test_data() -> int:\n    return 1\n"
    text = fixture + "\n\ndef helper() -> None:\n    run()\n"
    assert rules(text) == []
