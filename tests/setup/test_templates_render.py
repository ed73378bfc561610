"""The jinja2 templates in templates/ render with exactly the documented variables.

A user notices a broken template as a crash of `spx spec create` / `spx init` (an undefined variable)
or as a spec that lacks the sections context loading and the review rely on.
"""

from __future__ import annotations

from pathlib import Path

import jinja2
import jinja2.meta
import pytest

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"
DOCUMENTED_VARIABLES = ("title", "slug", "kind", "bsp", "parent_path", "date")
SPEC_SECTIONS = ("## Purpose", "## Requirements", "## Test Strategy", "## Outcomes", "## Architectural Constraints")
ADR_SECTIONS = ("## Context", "## Decision", "## Consequences", "## Compliance")
DATE = "2026-01-28"

# kind -> (template, parent_path, heading prefix, test file suffix at that level)
SPEC_KINDS = {
    "capability": ("capability.md.j2", "", "# Capability: ", ".e2e.test.py"),
    "feature": ("feature.md.j2", "21-core-cli.capability", "# Feature: ", ".integration.test.py"),
    "story": ("story.md.j2", "21-core-cli.capability/54-commands.feature", "# Story: ", ".unit.test.py"),
}


def render(template: str, **variables: str) -> str:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,  # noqa: S701 - markdown output, never HTML
    )
    return environment.get_template(template).render(**variables)


def variables(kind: str, parent_path: str, slug: str = "error-style") -> dict[str, str]:
    return {"title": "Error style", "slug": slug, "kind": kind, "bsp": "37", "parent_path": parent_path, "date": DATE}


@pytest.mark.parametrize("kind", sorted(SPEC_KINDS))
def test_spec_templates_have_every_section_and_level_named_test_files(kind: str) -> None:
    template, parent, heading, suffix = SPEC_KINDS[kind]
    text = render(template, **variables(kind, parent))

    assert text.startswith(heading + "Error style\n")
    assert all(section in text for section in SPEC_SECTIONS)
    assert "```gherkin\nGIVEN" in text
    assert f"(tests/error-style{suffix})" in text
    assert "{{" not in text and "{#" not in text


@pytest.mark.parametrize(
    ("parent_path", "scope"), [("", "the whole product"), ("21-core-cli.capability", "21-core-cli")]
)
def test_adr_template_has_an_unnumbered_title_and_the_adr_sections(parent_path: str, scope: str) -> None:
    text = render("adr.md.j2", **variables("adr", parent_path))

    assert text.startswith("# ADR: Error style\n")
    assert all(section in text for section in ADR_SECTIONS)
    assert scope in text
    assert f"<!-- {parent_path + '/' if parent_path else ''}37-error-style.adr.md · created {DATE}" in text


def test_product_guide_explains_tree_workflow_commands_and_ledger() -> None:
    text = render("CLAUDE.md.j2", title="Todo app", slug="todo-app", kind="product", bsp="", parent_path="", date=DATE)

    assert text.startswith("# Todo app: product guide")
    for section in ("## The tree", "## The ledger: pass.csv", "## The workflow", "## Commands"):
        assert section in text
    assert "/spx-python:orchestrating-python" in text


@pytest.mark.parametrize("template", sorted(p.name for p in TEMPLATES_DIR.glob("*.j2")))
def test_every_template_documents_its_variables_and_needs_no_others(template: str) -> None:
    source = (TEMPLATES_DIR / template).read_text(encoding="utf-8")
    header = source.split("-#}", 1)[0]
    assert source.startswith("{#-")
    assert all(f"    {name} " in header for name in DOCUMENTED_VARIABLES)

    environment = jinja2.Environment(autoescape=False)  # noqa: S701 - markdown output
    used = jinja2.meta.find_undeclared_variables(environment.parse(source))
    assert used <= set(DOCUMENTED_VARIABLES)
