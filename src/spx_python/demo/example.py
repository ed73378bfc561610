"""The example project of `spx demo`: a tiny text-statistics package, one capability, one feature, two stories.

Pure data. `project.create_project` writes the specs (real Gherkin) into a fresh `spx/` tree; the
scripted agent (`agent`) writes each story's tests and implementation (`example_code`) while the hooks
watch, exactly as a real model following the skills would.
"""

from __future__ import annotations

from dataclasses import dataclass

from spx_python.demo.example_code import COUNT_TESTS, FREQUENCY_MODULE, PACKAGE, TOP_TESTS, WORDS_MODULE

CAPABILITY_SLUG = "text-stats"
FEATURE_SLUG = "words"
PRODUCT_TITLE = "textstats"


@dataclass(frozen=True)
class ExampleStory:
    """One story: its spec, and the work the disciplined agent does for it (test file, source file)."""

    slug: str
    spec: str
    test_name: str
    test_text: str
    source: str  # path relative to the project root
    source_text: str


PYPROJECT = f"""\
[project]
name = "{PACKAGE}"
version = "0.1.0"
description = "Word counts and frequencies for plain text (the spx demo project)."
requires-python = ">=3.10"
"""

GITIGNORE = ".spx/\n__pycache__/\n.mypy_cache/\n.ruff_cache/\n.pytest_cache/\n.coverage\n"

PACKAGE_INIT = '"""Word counts and frequencies for plain text."""\n'

PRODUCT_GUIDE = f"""\
# {PRODUCT_TITLE}: product guide

{PRODUCT_TITLE} answers two questions about a plain text: how many words it holds, and which words it
uses most. It is a library (`src/{PACKAGE}/`), fully typed, standard library only.

- Every item under this directory is referred to by its full path, e.g.
  `21-{CAPABILITY_SLUG}.capability/21-{FEATURE_SLUG}.feature/21-count-words.story`.
- Tests live in each item's `tests/` and are named `*.unit.test.py` (stories), `*.integration.test.py`
  (features) or `*.e2e.test.py` (capabilities). `pass.csv` ledgers are written only by
  `spx spec test --stamp`.
"""

CAPABILITY_SPEC = """\
# Capability: Text statistics

## Purpose

Let a writer see at a glance how long a text is and which words it leans on.

## Requirements

- Counting and ranking work on any Python string, including empty and whitespace-only text.
- Invalid requests fail with a message that says what to pass instead.

## Test Strategy

| Component | Level | Harness | Rationale |
| --- | --- | --- | --- |
| word counting and ranking | 1 (unit) | none | pure functions over strings, proved by the stories |

Escalation: none; the capability is proved by its stories' unit tests alone.

## Outcomes

### 1. A writer gets both statistics from one library

```gherkin
GIVEN a text
WHEN the writer asks for its word count and its most frequent words
THEN both answers come from the textstats package, computed the same way
```
"""

FEATURE_SPEC = """\
# Feature: Words

## Purpose

Split a text into words once, and build the counts on top of that one rule.

## Requirements

- A word is a maximal run of non-whitespace characters (what `str.split()` returns).
- Ranking compares words case-insensitively.

## Test Strategy

| Component | Level | Harness | Rationale |
| --- | --- | --- | --- |
| splitting, counting, ranking | 1 (unit) | none | proved by the stories' own tests |

Escalation: none; this feature is proved by its stories' unit tests alone.

## Outcomes

### 1. Counting and ranking agree on what a word is

```gherkin
GIVEN a text with words separated by spaces, tabs and newlines
WHEN its words are counted and ranked
THEN both use the same words
```
"""

COUNT_SPEC = f"""\
# Story: Count words

## Purpose

A writer learns how many words a text holds.

## Requirements

- `{PACKAGE}.words.count_words(text)` returns the number of whitespace-separated words.
- Empty or whitespace-only text holds zero words.

## Test Strategy

| Component | Level | Harness | Rationale |
| --- | --- | --- | --- |
| count_words | 1 (unit) | none | a pure function of a string |

## Outcomes

### 1. Words are counted across any whitespace

```gherkin
GIVEN the text "the cat\\tsat\\n on the mat"
WHEN its words are counted
THEN the count is 6
```

#### Test Files

| File | Level | Harness |
| --- | --- | --- |
| [count-words.unit.test.py](tests/count-words.unit.test.py) | 1 (unit) | none |

### 2. Blank text holds no words

```gherkin
GIVEN an empty text, or one made only of whitespace
WHEN its words are counted
THEN the count is 0
```

#### Test Files

| File | Level | Harness |
| --- | --- | --- |
| [count-words.unit.test.py](tests/count-words.unit.test.py) | 1 (unit) | none |
"""

TOP_SPEC = f"""\
# Story: Top words

## Purpose

A writer sees which words a text uses most, to spot repetition.

## Requirements

- `{PACKAGE}.frequency.top_words(text, limit)` returns up to `limit` pairs `(word, count)`, words
  lower-cased, the most frequent first, equal counts in alphabetical order.
- A `limit` below 1 is refused with `ValueError` whose message is the constant
  `{PACKAGE}.frequency.LIMIT_MUST_BE_POSITIVE`.

## Test Strategy

| Component | Level | Harness | Rationale |
| --- | --- | --- | --- |
| top_words | 1 (unit) | none | a pure function of a string and a number |

Constants the tests import from the implementation:

| Constant | Meaning |
| --- | --- |
| {PACKAGE}.frequency.LIMIT_MUST_BE_POSITIVE | the refusal of a limit below 1 |

## Outcomes

### 1. The most frequent words come first, case-insensitively

```gherkin
GIVEN the text "Apple pie and apple tart and APPLE jam"
WHEN the top 2 words are asked for
THEN the answer is ("apple", 3) then ("and", 2)
```

#### Test Files

| File | Level | Harness |
| --- | --- | --- |
| [top-words.unit.test.py](tests/top-words.unit.test.py) | 1 (unit) | none |

### 2. A limit below 1 is refused

```gherkin
GIVEN any text
WHEN the top 0 words are asked for
THEN a ValueError says the limit must be at least 1
```

#### Test Files

| File | Level | Harness |
| --- | --- | --- |
| [top-words.unit.test.py](tests/top-words.unit.test.py) | 1 (unit) | none |
"""

STORIES = (
    ExampleStory("count-words", COUNT_SPEC, "count-words.unit.test.py", COUNT_TESTS,
                 f"src/{PACKAGE}/words.py", WORDS_MODULE),
    ExampleStory("top-words", TOP_SPEC, "top-words.unit.test.py", TOP_TESTS,
                 f"src/{PACKAGE}/frequency.py", FREQUENCY_MODULE),
)


def story_by_slug(slug: str) -> ExampleStory | None:
    return next((story for story in STORIES if story.slug == slug), None)
