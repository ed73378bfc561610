"""`spx spec context` as a user runs it: the reading order, and the abort protocol (exit 1)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_runner import run_spx
from spec_builders import container, new_project, write_ledger

from spx_python.spec.context import ContextAbort, ContextOk, check_context
from spx_python.spec.tree import scan

CAPABILITY = "21-app.capability"
FEATURE = f"{CAPABILITY}/32-core.feature"
STORY = f"{FEATURE}/54-first.story"
ADR = "# ADR: x\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    new_project(tmp_path)
    spx = tmp_path / "spx"
    for path in (CAPABILITY, FEATURE, STORY):
        container(tmp_path, path)
    for adr in ("15-baseline.adr.md", "76-late.adr.md"):
        (spx / adr).write_text(ADR)
    for adr in ("54-api.adr.md", "10-first.adr.md"):
        (spx / CAPABILITY / adr).write_text(ADR)
    (spx / FEATURE / "21-storage.adr.md").write_text(ADR)
    (spx / FEATURE / "60-later.story").mkdir()  # a sibling: not part of the story's context
    return tmp_path


EXPECTED_ORDER = [
    "spx/CLAUDE.md",
    "spx/15-baseline.adr.md",
    "spx/76-late.adr.md",
    f"spx/{CAPABILITY}/app.capability.md",
    f"spx/{CAPABILITY}/10-first.adr.md",
    f"spx/{CAPABILITY}/54-api.adr.md",
    f"spx/{FEATURE}/core.feature.md",
    f"spx/{FEATURE}/21-storage.adr.md",
    f"spx/{STORY}/first.story.md",
]


def listed_paths(stdout: str) -> list[str]:
    return [line for line in stdout.splitlines() if line and not line.startswith("#")]


def test_lists_guide_specs_and_adrs_in_reading_order(project: Path) -> None:
    result = run_spx("spec", "context", STORY, cwd=project)
    assert result.returncode == 0, result.stderr
    assert listed_paths(result.stdout) == EXPECTED_ORDER
    assert all((project / path).is_file() for path in listed_paths(result.stdout))
    assert result.stdout.startswith(f"# context for {STORY} (story, state Unknown)")
    assert f"# tests: spx/{STORY}/tests/" in result.stdout


def test_feature_context_stops_at_the_feature(project: Path) -> None:
    result = run_spx("spec", "context", f"spx/{FEATURE}/", cwd=project)
    assert listed_paths(result.stdout) == EXPECTED_ORDER[:-1]


def test_json_lists_documents_with_roles_and_the_state(project: Path) -> None:
    write_ledger(project / "spx" / STORY)
    result = run_spx("spec", "context", STORY, "--format", "json", cwd=project)
    document = json.loads(result.stdout)
    assert document["status"] == "ok"
    assert [d["path"] for d in document["documents"]] == EXPECTED_ORDER
    assert [d["role"] for d in document["documents"]][-3:] == ["feature spec", "feature ADR", "story spec"]
    assert document["state"] == "Passing"
    assert any("already Passing" in w for w in document["warnings"])


def test_prds_are_read_after_their_level(project: Path) -> None:
    (project / "spx" / "todo.prd.md").write_text("# PRD\n")
    result = run_spx("spec", "context", STORY, cwd=project)
    assert listed_paths(result.stdout)[:2] == ["spx/CLAUDE.md", "spx/todo.prd.md"]


def assert_abort(project: Path, path: str, phase: str, expected_path: str) -> dict[str, str]:
    text = run_spx("spec", "context", path, cwd=project)
    assert text.returncode == 1
    assert text.stdout == ""
    assert text.stderr.startswith(f"CONTEXT INGESTION FAILED: {path}")
    assert f"phase: {phase}" in text.stderr
    assert f"expected path: {expected_path}" in text.stderr
    assert "remediation: ask the user" in text.stderr or "remediation: run `spx init`" in text.stderr
    result = run_spx("spec", "context", path, "--format", "json", cwd=project)
    assert result.returncode == 1
    document: dict[str, str] = json.loads(result.stdout)
    assert (document["status"], document["phase"], document["expected_path"]) == ("abort", phase, expected_path)
    return document


def test_abort_without_the_product_guide(project: Path) -> None:
    (project / "spx" / "CLAUDE.md").unlink()
    document = assert_abort(project, STORY, "product", "spx/CLAUDE.md")
    assert "spx init" in document["remediation"]


def test_abort_when_the_feature_has_no_spec(project: Path) -> None:
    (project / "spx" / FEATURE / "core.feature.md").unlink()
    document = assert_abort(project, STORY, "feature", f"spx/{FEATURE}/core.feature.md")
    assert document["missing"] == "the feature spec"
    assert "/spx-python:managing-specs" in document["remediation"]
    assert f"spx spec create feature core --in {CAPABILITY}" in document["remediation"]
    assert f"/spx-python:understanding-specs {STORY}" in document["remediation"]


def test_abort_when_the_story_has_two_spec_files(project: Path) -> None:
    (project / "spx" / STORY / "other.story.md").write_text("# other\n")
    document = assert_abort(project, STORY, "story", f"spx/{STORY}/first.story.md")
    assert "2 spec files (first.story.md, other.story.md)" in document["reason"]


def test_abort_when_the_spec_file_is_misnamed(project: Path) -> None:
    spec = project / "spx" / CAPABILITY / "app.capability.md"
    spec.rename(spec.with_name("application.capability.md"))
    document = assert_abort(project, STORY, "capability", f"spx/{CAPABILITY}/app.capability.md")
    assert "application.capability.md" in document["reason"]


def test_abort_for_a_bare_name_suggests_the_full_path(project: Path) -> None:
    result = run_spx("spec", "context", "54-first.story", cwd=project)
    assert result.returncode == 1
    assert "phase: locate" in result.stderr
    assert f"did you mean {STORY}" in result.stderr


def test_check_context_is_importable_for_the_hook(project: Path) -> None:
    tree = scan(project)
    ok = check_context(tree, STORY)
    assert isinstance(ok, ContextOk)
    assert list(ok.paths) == EXPECTED_ORDER
    (project / "spx" / CAPABILITY / "app.capability.md").unlink()
    abort = check_context(scan(project), STORY)
    assert isinstance(abort, ContextAbort)
    assert abort.phase == "capability"
    assert abort.message().splitlines()[-1] == "Cannot proceed with implementation until this document exists."
