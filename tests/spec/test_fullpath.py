"""Full paths are the only way to name a container; everything else is refused with a way forward."""

from __future__ import annotations

from pathlib import Path

import pytest
from spec_builders import container, new_project

from spx_python.spec.fullpath import PathRefused, Refusal, check, resolve
from spx_python.spec.tree import SpecTree, scan

STORY = "21-core-cli.capability/54-commands.feature/54-run.story"


@pytest.fixture
def tree(tmp_path: Path) -> SpecTree:
    new_project(tmp_path)
    container(tmp_path, "21-core-cli.capability")
    container(tmp_path, "21-core-cli.capability/54-commands.feature")
    container(tmp_path, STORY)
    container(tmp_path, "32-other.capability")
    container(tmp_path, "32-other.capability/21-f.feature")
    container(tmp_path, "32-other.capability/21-f.feature/54-run.story")
    return scan(tmp_path)


@pytest.mark.parametrize("text", [STORY, f"spx/{STORY}", f"{STORY}/", f"spx/{STORY}/"])
def test_accepted_spellings(tree: SpecTree, text: str) -> None:
    assert resolve(tree, text).path == STORY


def test_bare_name_is_refused_with_every_candidate(tree: SpecTree) -> None:
    with pytest.raises(PathRefused) as caught:
        resolve(tree, "54-run.story")
    message = caught.value.message
    assert "ambiguous" in message
    assert f"did you mean {STORY} or 32-other.capability/21-f.feature/54-run.story?" in message


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("story-54", "not NN-slug"),
        (f"/{STORY}", "absolute"),
        ("21-core-cli.capability/../32-other.capability", "'..'"),
        ("21-core-cli.capability\\54-commands.feature", "backslash"),
        ("21-core-cli.capability//54-commands.feature", "empty"),
        ("21-core-cli.capability/54-run.story", "cannot follow a capability"),
        ("21-core-cli.capability/54-commands.feature/99-nope.story", "no such container"),
        ("21-core-cli.capabilit\u0443", "non-ASCII"),  # Cyrillic u look-alike
        ("21-core-cli.capability\x00", "control"),
        ("", "empty path"),
        ("x" * 5000, "too long"),
    ],
)
def test_refusals_say_why(tree: SpecTree, text: str, reason: str) -> None:
    result = check(tree, text)
    assert isinstance(result, Refusal)
    assert reason in result.reason
    message = result.message(text)
    assert "did you mean" in message or "give the full path, e.g." in message


def test_misspelt_number_suggests_same_slug(tree: SpecTree) -> None:
    result = check(tree, "21-core-cli.capability/54-commands.feature/55-run.story")
    assert isinstance(result, Refusal)
    assert STORY in result.suggestions
