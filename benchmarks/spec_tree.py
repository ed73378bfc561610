"""The benchmark spec tree: 10 capabilities of features of stories, the first third of the stories stamped.

`generate(root)` writes 10 x 10 features x 9 stories = 1,010 containers; `generate(root, LARGE)`
10 x 20 x 49 = 10,010 (BSP numbers stop at 99, so the larger tree is wider, not longer). Stories are
stamped in BSP order (a test file and a ledger each) until a third of them are; then every feature and
capability whose stories all pass is stamped too, so the earlier part of the tree rolls up to Passing
and the next story (`next_story`) lies deep in it: a Skill decision on that story has to prove every
earlier story Passing, the worst case for the BSP-order check.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from spec_builders import container, new_project, write_ledger

CAPABILITIES = 10
SMALL = (10, 9)  # features per capability, stories per feature: 1,010 containers
LARGE = (20, 49)  # 10,010 containers
STAMPED_SHARE = 3  # one story in STAMPED_SHARE carries tests and a ledger
BSP_FIRST, BSP_LAST = 10, 99


def _name(index: int, count: int, slug: str, kind: str) -> str:
    step = (BSP_LAST - BSP_FIRST) // count
    return f"{BSP_FIRST + index * step}-{slug}{index}.{kind}"


def story_paths(shape: tuple[int, int] = SMALL) -> list[str]:
    features, stories = shape
    return [
        f"{_name(c, CAPABILITIES, 'cap', 'capability')}/{_name(f, features, 'feat', 'feature')}/"
        f"{_name(s, stories, 'story', 'story')}"
        for c in range(CAPABILITIES)
        for f in range(features)
        for s in range(stories)
    ]


def next_story(shape: tuple[int, int] = SMALL) -> str:
    """The first story that is not stamped: every story before it in BSP order is Passing."""
    stories = story_paths(shape)
    return stories[len(stories) // STAMPED_SHARE]


def generate(root: Path, shape: tuple[int, int] = SMALL) -> int:
    """Write the tree under `root` (a git repository); returns its number of containers."""
    new_project(root)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    stories = story_paths(shape)
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
