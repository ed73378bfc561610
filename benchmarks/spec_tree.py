"""The benchmark spec tree: capabilities x 10 features x 9 stories, the first third of the stories stamped.

`generate(root, capabilities=10)` writes 10 + 100 + 900 = 1,010 containers; `capabilities=100` writes
10,100. Stories are stamped in BSP order (a test file and a ledger each) until a third of them are,
then every feature and capability whose stories all pass is stamped too, so the earlier part of the
tree rolls up to Passing and the next story (`next_story`) lies deep in it: a Skill decision on that
story has to prove every earlier story Passing, the worst case for the BSP-order check.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from spec_builders import container, new_project, write_ledger

FEATURES, STORIES = 10, 9
STAMPED_SHARE = 3  # one story in STAMPED_SHARE carries tests and a ledger


def _name(index: int, slug: str, kind: str) -> str:
    return f"{21 + index * 7}-{slug}{index}.{kind}"


def story_paths(capabilities: int) -> list[str]:
    return [
        f"{_name(c, 'cap', 'capability')}/{_name(f, 'feat', 'feature')}/{_name(s, 'story', 'story')}"
        for c in range(capabilities)
        for f in range(FEATURES)
        for s in range(STORIES)
    ]


def next_story(capabilities: int) -> str:
    """The first story that is not stamped: every story before it in BSP order is Passing."""
    return story_paths(capabilities)[len(story_paths(capabilities)) // STAMPED_SHARE]


def generate(root: Path, capabilities: int = 10) -> int:
    """Write the tree under `root` (a git repository); returns its number of containers."""
    new_project(root)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    stories = story_paths(capabilities)
    stamped = set(stories[: len(stories) // STAMPED_SHARE])
    parents: dict[str, list[str]] = {}
    for story in stories:
        feature = story.rsplit("/", 1)[0]
        capability = feature.split("/", 1)[0]
        for path in (capability, feature):
            if path not in parents:
                container(root, path)
                parents[path] = []
        parents[feature].append(story)
        parents[capability].append(story)
        directory = container(root, story, tests=("behaviour.unit.test.py",))
        if story in stamped:
            write_ledger(directory)
    for path in sorted(parents, key=lambda p: -p.count("/")):  # features before their capability
        if all(story in stamped for story in parents[path]):
            write_ledger(root / "spx" / path)
    return len(stories) + len(parents)
