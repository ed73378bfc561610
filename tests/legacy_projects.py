"""A legacy-style project for the clean-as-you-code review tests, built in a real git repo.

Its committed baseline: an untyped flat package (`legacy/words.py`) with repeated literals, a gettext
pair, and a function no spx test runs (the project's own suite covers it); an existing unittest-style
suite under `tests/`; pytest 9's native `[tool.pytest]` (naming `spx` and its test files, as `spx init`
leaves it); ruff waiving a rule for `tests/*`. The story's
work (a spec, its tests, new code appended to the old module) is written on top, uncommitted.
"""

from __future__ import annotations

import json
import os
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

from review_projects import git

STORY = "21-words.capability/21-labels.feature/21-scale-label.story"
STORY_DIR = f"spx/{STORY}"
STORY_TEST = f"{STORY_DIR}/tests/label.unit.test.py"
MODULE = "legacy/words.py"
OLD_SUITE_TEST = "tests/test_words.py"
LEGACY_BRANCH = "main"

PYPROJECT = """\
[project]
name = "legacy"
version = "0.1.0"
requires-python = ">=3.10"

[tool.pytest]
testpaths = ["tests", "spx"]
python_files = ["test_*.py", "*.test.py"]
pythonpath = ["."]

[tool.ruff.lint]
select = ["E", "F", "PLR2004"]

[tool.ruff.lint.per-file-ignores]
"tests/*" = ["PLR2004"]
"""

OLD_MODULE = '''\
"""Old word helpers, untyped, as legacy modules are."""

import gettext

_ = gettext.gettext


def NS_(singular, plural):
    return singular


def scale(n):
    if n >= 1000:
        return NS_("thousand", "thousand")
    if n >= 100:
        return "hundred"
    return "unit"


def describe(n):
    if scale(n) == "hundred":
        return "hundred-ish"
    return _("small")


def rounded(n):
    if n >= 100:
        return "hundred"
    return None
'''

OLD_SUITE = """\
import unittest

from legacy.words import describe, rounded, scale


class ScaleTest(unittest.TestCase):
    def test_hundred(self):
        self.assertEqual(scale(150), "hundred")

    def test_describe(self):
        self.assertEqual(describe(150), "hundred-ish")

    def test_rounded(self):
        self.assertEqual(rounded(120), "hundred")
        self.assertIsNone(rounded(5))
"""

SPECS = {
    "spx/CLAUDE.md": "# Specs\n",
    "spx/21-words.capability/words.capability.md": "# Words\n\nWords for numbers.\n",
    "spx/21-words.capability/21-labels.feature/labels.feature.md": "# Labels\n\nLabels for numbers.\n",
    f"{STORY_DIR}/scale-label.story.md": "# Scale label\n\nA number's scale as a label.\n",
}

NEW_CODE = '''

SCALE_PREFIX = "scale: "


def scale_label(n: int) -> str:
    """The scale of `n` as a display label (new, typed, calling the old untyped `scale`)."""
    return SCALE_PREFIX + str(scale(n))
'''

UNTESTED_CODE = '''

def shout(word: str) -> str:
    """Never run by the story's tests."""
    loud = word.upper()
    marked = loud + "!"
    return marked
'''

STORY_TESTS = """\
from __future__ import annotations

from legacy.words import SCALE_PREFIX, scale_label


def test_scale_label_names_the_scale() -> None:
    assert scale_label(150) == SCALE_PREFIX + "hundred"


def test_scale_label_of_small_numbers() -> None:
    assert len(scale_label(5)) == 11
"""


def write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def minutes_ago(minutes: int) -> str:
    """An ISO-8601 UTC time, as the hooks write it in the journal and git accepts it as a date."""
    moment = datetime.now(timezone.utc) - timedelta(minutes=minutes)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def commit(root: Path, message: str, when: str) -> None:
    env = {**os.environ, "GIT_COMMITTER_DATE": when, "GIT_AUTHOR_DATE": when}
    subprocess.run(["git", "add", "-A"], cwd=root, check=True, timeout=60)
    subprocess.run(["git", "commit", "-q", "-m", message], cwd=root, check=True, timeout=60, env=env)


def make_legacy(tmp_path: Path) -> Path:
    """The legacy project, committed (an hour ago), with the story's spec added and uncommitted."""
    root = tmp_path / "legacy-project"
    root.mkdir(parents=True)
    git(root, "init", "-q", "-b", LEGACY_BRANCH)
    git(root, "config", "user.email", "reviewer@example.com")
    git(root, "config", "user.name", "Reviewer")
    write(root, "pyproject.toml", PYPROJECT)
    write(root, ".gitignore", ".spx/\n__pycache__/\n")
    write(root, "legacy/__init__.py", "")
    write(root, MODULE, OLD_MODULE)
    write(root, OLD_SUITE_TEST, OLD_SUITE)
    commit(root, "legacy code", minutes_ago(60))
    for relative, text in SPECS.items():
        write(root, relative, text)
    return root


def add_story_work(root: Path, code: str = NEW_CODE, tests: str = STORY_TESTS) -> None:
    with (root / MODULE).open("a", encoding="utf-8") as handle:
        handle.write(code)
    write(root, STORY_TEST, tests)


def record_story_start(root: Path, when: str) -> None:
    """The journal event the understanding-specs hook writes when the story's cycle starts."""
    event = {"time": when, "session": "s", "story": STORY, "step": "understanding-specs", "decision": "allow"}
    write(root, ".spx/workflow.jsonl", json.dumps(event) + "\n")


def lines_of(root: Path, text: str) -> list[int]:
    """Line numbers of `root/MODULE` that contain `text`."""
    lines = (root / MODULE).read_text(encoding="utf-8").splitlines()
    return [number for number, line in enumerate(lines, start=1) if text in line]
