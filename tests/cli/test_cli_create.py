"""`spx spec create` as a user runs it: BSP numbering over the shared number space, templates, refusals."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_runner import run_spx
from spec_builders import container, new_project

from spx_python.spec.tree import scan

CAPABILITY = "21-app.capability"
FEATURE = f"{CAPABILITY}/21-core.feature"
STORY = f"{FEATURE}/21-first.story"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return new_project(tmp_path)


def create(project: Path, *args: str) -> str:
    result = run_spx("spec", "create", *args, cwd=project)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def refused(project: Path, *args: str) -> str:
    before = sorted(p.relative_to(project).as_posix() for p in project.rglob("*"))
    result = run_spx("spec", "create", *args, cwd=project)
    assert result.returncode != 0, result.stdout
    assert result.stdout == ""
    assert sorted(p.relative_to(project).as_posix() for p in project.rglob("*")) == before, "nothing is created"
    return result.stderr


def test_first_capability_is_21_with_its_rendered_spec(project: Path) -> None:
    assert create(project, "capability", "app") == CAPABILITY
    spec = project / "spx" / CAPABILITY / "app.capability.md"
    text = spec.read_text()
    assert text.startswith("# Capability: App\n")
    assert "## Outcomes" in text
    assert "{{" not in text
    assert not (project / "spx" / CAPABILITY / "tests").exists()
    assert scan(project).problems == ()


def test_appending_after_21_32_43_gives_71(project: Path) -> None:
    for name in ("21-a.capability", "32-b.capability", "43-c.capability"):
        container(project, name)
    assert create(project, "capability", "d") == "71-d.capability"


def test_after_20_with_21_next_goes_to_20_at_54(project: Path) -> None:
    container(project, "20-a.capability")
    container(project, "21-b.capability")
    assert create(project, "capability", "between", "--after", "20") == "20@54-between.capability"


def test_after_a_nested_number(project: Path) -> None:
    for name in ("20-a.capability", "20@54-b.capability", "21-c.capability"):
        container(project, name)
    assert create(project, "capability", "x", "--after", "20@54") == "20@76-x.capability"


def test_before_21_gives_15(project: Path) -> None:
    container(project, "21-a.capability")
    assert create(project, "capability", "early", "--before", "21") == "15-early.capability"


def test_after_the_last_54_gives_76(project: Path) -> None:
    container(project, CAPABILITY)
    container(project, f"{CAPABILITY}/21-core.feature")
    container(project, f"{CAPABILITY}/54-more.feature")
    assert create(project, "feature", "late", "--in", CAPABILITY, "--after", "54") == f"{CAPABILITY}/76-late.feature"


def test_adrs_and_containers_share_the_number_space(project: Path) -> None:
    container(project, FEATURE)
    adr = create(project, "adr", "storage", "--in", FEATURE)
    assert adr == f"spx/{FEATURE}/21-storage.adr.md"
    assert (project / adr).read_text().startswith("# ADR: Storage\n")
    assert create(project, "story", "first", "--in", FEATURE) == f"{FEATURE}/60-first.story"
    assert create(project, "adr", "errors", "--in", FEATURE, "--before", "60") == f"spx/{FEATURE}/40-errors.adr.md"


def test_product_level_adr_by_default(project: Path) -> None:
    container(project, CAPABILITY)
    assert create(project, "adr", "baseline", "--before", "21") == "spx/15-baseline.adr.md"
    assert scan(project).adr_names == ("15-baseline.adr.md",)


def test_story_spec_names_its_parent_and_test_file(project: Path) -> None:
    container(project, FEATURE)
    path = create(project, "story", "parse-args", "--in", f"spx/{FEATURE}/")
    assert path == f"{FEATURE}/21-parse-args.story"
    text = (project / "spx" / path / "parse-args.story.md").read_text()
    assert text.startswith("# Story: Parse args\n")
    assert FEATURE in text
    assert "tests/parse-args.unit.test.py" in text
    assert scan(project).find(path) is not None


def test_existing_container_without_spec_gets_its_spec_in_place(project: Path) -> None:
    container(project, FEATURE, spec=False)
    assert create(project, "feature", "core", "--in", CAPABILITY) == FEATURE
    assert (project / "spx" / FEATURE / "core.feature.md").is_file()
    found = scan(project).find(FEATURE)
    assert found is not None
    assert found.spec_name == "core.feature.md"


@pytest.mark.parametrize("slug", ["Login", "login_form", "-login", "login-", "log--in", "löwe", "a b"])
def test_refuses_a_slug_that_is_not_kebab_case(project: Path, slug: str) -> None:
    message = refused(project, "capability", "--", slug)
    assert "kebab-case" in message


def test_refuses_an_existing_slug(project: Path) -> None:
    for path in (CAPABILITY, FEATURE, STORY):
        container(project, path)
    assert "already exists" in refused(project, "story", "first", "--in", FEATURE)
    assert "already exists" in refused(project, "feature", "core", "--in", CAPABILITY)


def test_refuses_a_story_without_in(project: Path) -> None:
    container(project, FEATURE)
    assert "--in" in refused(project, "story", "lonely")


def test_refuses_a_story_in_a_capability(project: Path) -> None:
    container(project, FEATURE)
    message = refused(project, "story", "misplaced", "--in", CAPABILITY)
    assert "cannot be created in a capability" in message
    assert "feature" in message


def test_refuses_an_adr_in_a_story(project: Path) -> None:
    container(project, STORY)
    message = refused(project, "adr", "choice", "--in", STORY)
    assert "stories hold no ADRs" in message


def test_refuses_after_a_number_no_sibling_has(project: Path) -> None:
    container(project, "21-a.capability")
    message = refused(project, "capability", "b", "--after", "33")
    assert "no sibling numbered 33" in message
    assert "21" in message


def test_refuses_a_malformed_number_and_both_placements(project: Path) -> None:
    container(project, "21-a.capability")
    assert "not a BSP number" in refused(project, "capability", "b", "--after", "7")
    assert "not allowed with" in refused(project, "capability", "b", "--after", "21", "--before", "21")


def test_refuses_a_bare_parent_name_with_a_suggestion(project: Path) -> None:
    container(project, FEATURE)
    assert f"did you mean {FEATURE}" in refused(project, "story", "s", "--in", "21-core.feature")
