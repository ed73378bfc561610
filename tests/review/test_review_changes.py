"""What a story changed: its base from the journal and the changed lines of a `git diff -U0`."""

from __future__ import annotations

from pathlib import Path

from legacy_projects import STORY as LEGACY_STORY
from legacy_projects import commit, minutes_ago, record_story_start, write
from review_projects import git

from spx_python.evidence.review_verdicts import REVIEW_STEP
from spx_python.review.changes import (
    EVERYTHING_NEW,
    FOUND_BY_BEFORE_HISTORY,
    Changes,
    parse_diff,
    story_changes,
    story_start,
)
from spx_python.review.ruff_waivers import SPX_TEST_GLOB, waived_in_tests, waiver_arguments

STORY = "21-a.capability/21-b.feature/21-c.story"
DIFF = """\
diff --git a/pkg/mod.py b/pkg/mod.py
index 1111111..2222222 100644
--- a/pkg/mod.py
+++ b/pkg/mod.py
@@ -3 +3 @@ def f():
-    return 1
+    return 2
@@ -10,0 +11,3 @@ def g():
+def h():
+    pass
+
@@ -20,2 +23,0 @@ def k():
-    gone
-    gone
diff --git a/pkg/old.py b/pkg/old.py
deleted file mode 100644
--- a/pkg/old.py
+++ /dev/null
@@ -1 +0,0 @@
-x = 1
"""


def event(step: str, decision: str, time: str, story: str = STORY) -> dict[str, str]:
    return {"story": story, "step": step, "decision": decision, "time": time}


def test_the_diff_gives_the_new_line_numbers_of_added_and_changed_lines(tmp_path: Path) -> None:
    lines = parse_diff(DIFF, tmp_path)
    assert lines == {(tmp_path / "pkg/mod.py").resolve(): frozenset({3, 11, 12, 13})}


def test_unchanged_files_have_no_changed_lines_and_new_files_are_changed_throughout(tmp_path: Path) -> None:
    new, old = (tmp_path / "new.py").resolve(), (tmp_path / "old.py").resolve()
    changes = Changes("abc", "merge-base with main", {new: None})
    assert changes.changed(new, 99)
    assert not changes.changed(old, 1)
    assert EVERYTHING_NEW.changed(old, 1)


def test_the_story_starts_at_its_first_understanding_step_after_its_last_approval() -> None:
    events = [
        event("understanding-specs", "allow", "2026-01-01T00:00:00.000Z"),
        event("understanding-specs", "allow", "2026-01-01T01:00:00.000Z"),
        event(REVIEW_STEP, "APPROVED", "2026-01-02T00:00:00.000Z"),
        event("understanding-specs", "deny", "2026-01-03T00:00:00.000Z"),
        event("understanding-specs", "allow", "2026-01-03T01:00:00.000Z", story="other.story"),
        event("understanding-specs", "launched", "2026-01-04T00:00:00.000Z"),
        event("understanding-specs", "allow", "2026-01-05T00:00:00.000Z"),
    ]
    assert story_start(events[:3], STORY) is None
    assert story_start(events[:2], STORY) == "2026-01-01T00:00:00.000Z"
    assert story_start(events, STORY) == "2026-01-04T00:00:00.000Z"


def test_the_project_s_test_waivers_reach_spx_tests_but_never_a_blocking_family() -> None:
    config = {"lint": {"per-file-ignores": {"tests/*": ["PLR2004", "S101", "S"], "src/*": ["E501"]}}}
    assert waived_in_tests(config) == ("PLR2004", "S101")
    assert waiver_arguments(("PLR2004",)) == [
        "--config",
        f'lint.extend-per-file-ignores = {{ "{SPX_TEST_GLOB}" = ["PLR2004"] }}',
    ]
    assert waiver_arguments(()) == []


def test_a_story_started_before_the_first_commit_has_every_line_new(tmp_path: Path) -> None:
    root = tmp_path.resolve()
    record_story_start(root, minutes_ago(120))
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.email", "reviewer@example.com")
    git(root, "config", "user.name", "Reviewer")
    write(root, "pkg/mod.py", "x = 1\n")
    commit(root, "the story's work, committed", minutes_ago(60))

    changes = story_changes(root, LEGACY_STORY)

    assert (changes.base, changes.found_by) == (None, FOUND_BY_BEFORE_HISTORY)
    assert changes.changed(root / "pkg/mod.py", 1)
