"""What the story changed: the commit its work began at (the base) and the lines added or changed since.

The base, in order: the commit HEAD was at when the story's current cycle started (its first
understanding-specs launch in the journal after its last APPROVED review: the journal's time, resolved
with `git rev-list --before`), else the merge-base with the default branch, else HEAD. The hooks stay
as they are: the journal already holds when the step ran, and git knows which commit was current then.

Changed lines are the work tree against the base: `git diff -U0 BASE` (staged, unstaged and committed
since) plus untracked files, which are new as a whole. Without git (or before a first commit) every
line is new, and the gate judges the whole of each file as it always did.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spx_python import git
from spx_python.workflow.journal import read_events
from spx_python.workflow.machine import ALLOW, APPROVED, REVIEW_STEP, UNDERSTANDING

DEFAULT_BRANCHES = ("origin/HEAD", "main", "master", "origin/main", "origin/master")
HUNK_RE = re.compile(r"^@@ -\d+(?:,\d+)? \+(?P<start>\d+)(?:,(?P<count>\d+))? @@")
NEW_FILE_PREFIX = "+++ "
DEV_NULL = "/dev/null"
DESTINATION_PREFIX = "b/"
STARTED_DECISIONS = frozenset({ALLOW, "launched"})
FOUND_BY_STORY = "the story's understanding-specs step"
FOUND_BY_MERGE_BASE = "merge-base with {branch}"
FOUND_BY_HEAD = "HEAD (no story start recorded, no default branch)"
FOUND_BY_NO_COMMITS = "no commits yet: every line is new"
FOUND_BY_BEFORE_HISTORY = "the story started before the first commit: every line is new"
FOUND_BY_NO_GIT = "not a git work tree: every line is new"

LineSet = frozenset[int] | None  # None: the whole file is new


@dataclass(frozen=True)
class Changes:
    """Lines changed since `base`, per absolute path; a path absent from `lines` is unchanged."""

    base: str | None
    found_by: str
    lines: Mapping[Path, LineSet] = field(default_factory=dict)
    everything_new: bool = False  # no git or no commits: every file counts as new

    def of(self, path: Path) -> LineSet:
        """The changed lines of `path` (None: all of it), frozenset() when the story did not touch it."""
        if self.everything_new:
            return None
        return self.lines.get(path.resolve(), frozenset())

    def changed(self, path: Path, line: int) -> bool:
        lines = self.of(path)
        return lines is None or line in lines

    def as_json(self) -> dict[str, Any]:
        return {"commit": self.base, "found_by": self.found_by}


EVERYTHING_NEW = Changes(None, FOUND_BY_NO_GIT, everything_new=True)


def parse_diff(text: str, root: Path) -> dict[Path, frozenset[int]]:
    """Added line numbers (in the new file) per file of a `git diff -U0` (prefixes a/ b/)."""
    result: dict[Path, set[int]] = {}
    current: set[int] | None = None
    for line in text.splitlines():
        if line.startswith(NEW_FILE_PREFIX):
            name = line[len(NEW_FILE_PREFIX) :].rstrip("\t")
            current = (
                None
                if name == DEV_NULL
                else result.setdefault((root / name.removeprefix(DESTINATION_PREFIX)).resolve(), set())
            )
            continue
        match = HUNK_RE.match(line)
        if match and current is not None:
            start, count = int(match["start"]), int(match["count"] or 1)
            current.update(range(start, start + count))
    return {path: frozenset(lines) for path, lines in result.items()}


def story_start(events: Iterable[Mapping[str, Any]], story: str) -> str | None:
    """The journal time of the story's first understanding-specs launch after its last APPROVED review."""
    start: str | None = None
    for event in events:
        if event.get("story") != story:
            continue
        step, decision = event.get("step"), event.get("decision")
        if step == REVIEW_STEP and decision == APPROVED:
            start = None
        elif step == UNDERSTANDING and decision in STARTED_DECISIONS and start is None:
            time = event.get("time")
            start = time if isinstance(time, str) else None
    return start


def find_base(root: Path, story: str) -> tuple[str | None, str]:
    """(base commit, how it was found) for a work tree with at least one commit."""
    events, _ = read_events(root)
    started = story_start(events, story)
    if started is not None:
        commit = git.commit_at(root, started)
        return commit, f"{FOUND_BY_STORY} ({started})" if commit else FOUND_BY_BEFORE_HISTORY
    found = git.merge_base(root, DEFAULT_BRANCHES)
    if found is not None:
        return found[1], FOUND_BY_MERGE_BASE.format(branch=found[0])
    return git.head_commit(root), FOUND_BY_HEAD


def story_changes(project_root: Path, story: str) -> Changes:
    """What the story changed in the work tree containing `project_root`."""
    top = git.toplevel(project_root)
    if top is None:
        return EVERYTHING_NEW
    if not git.has_head(top):
        return Changes(None, FOUND_BY_NO_COMMITS, everything_new=True)
    base, found_by = find_base(project_root, story)
    if base is None:
        return Changes(None, found_by, everything_new=True)
    lines: dict[Path, LineSet] = dict(parse_diff(git.diff_zero_context(top, base), top))
    lines.update((path.resolve(), None) for path in git.untracked_files(top))
    return Changes(base, found_by, lines)
