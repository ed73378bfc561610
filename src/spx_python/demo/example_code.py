"""The work the scripted agent does in `spx demo`: each story's tests and implementation, as text.

Pure data, written by the agent with the Write tool while the hooks watch. The tests import the
constants the implementation defines, use no mocks, and pass `spx review` (mypy --strict, ruff,
coverage, AST scans) against the implementation.
"""

from __future__ import annotations

PACKAGE = "textstats"

COUNT_TESTS = f"""\
from __future__ import annotations

import pytest

from {PACKAGE}.words import count_words


def test_words_are_counted_across_any_whitespace() -> None:
    assert count_words("the cat\\tsat\\n on the mat") == 6


@pytest.mark.parametrize("text", ["", "   ", "\\n\\t "])
def test_blank_text_holds_no_words(text: str) -> None:
    assert count_words(text) == 0
"""

WORDS_MODULE = '''\
"""Splitting a text into words, and counting them."""

from __future__ import annotations


def split_words(text: str) -> list[str]:
    """The whitespace-separated words of `text`, in order."""
    return text.split()


def count_words(text: str) -> int:
    """How many words `text` holds; blank text holds none."""
    return len(split_words(text))
'''

TOP_TESTS = f"""\
from __future__ import annotations

import pytest

from {PACKAGE}.frequency import LIMIT_MUST_BE_POSITIVE, top_words


def test_the_most_frequent_words_come_first_case_insensitively() -> None:
    assert top_words("Apple pie and apple tart and APPLE jam", 2) == [("apple", 3), ("and", 2)]


def test_equal_counts_are_in_alphabetical_order() -> None:
    assert top_words("pear fig apple", 2) == [("apple", 1), ("fig", 1)]


def test_a_limit_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match=LIMIT_MUST_BE_POSITIVE):
        top_words("any text", 0)
"""

FREQUENCY_MODULE = f'''\
"""The most frequent words of a text."""

from __future__ import annotations

from collections import Counter

from {PACKAGE}.words import split_words

LIMIT_MUST_BE_POSITIVE = "limit must be at least 1"


def top_words(text: str, limit: int) -> list[tuple[str, int]]:
    """Up to `limit` (word, count) pairs, lower-cased, most frequent first, ties alphabetical."""
    if limit < 1:
        raise ValueError(LIMIT_MUST_BE_POSITIVE)
    counts = Counter(word.lower() for word in split_words(text))
    ranked = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))
    return ranked[:limit]
'''
