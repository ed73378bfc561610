"""Review-gate building blocks on real files, journals and git repos (no tools run)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from review_projects import IMPLEMENTATION, STORY, git, make_project

from spx_python import git as spx_git
from spx_python.errors import SpxError
from spx_python.evidence.review_verdicts import files_digest, is_current, latest_verdict
from spx_python.review.coverage_gate import line_ranges
from spx_python.review.scope import build_scope
from spx_python.review.settings import load_settings, ruff_ignores
from spx_python.spec.project import resolve_full_path
from spx_python.workflow.journal import append_event

FILES = ["src/calc/arith.py", "src/calc/__init__.py"]


def review_event(story: str, decision: str, digest: str, files: list[str]) -> dict[str, object]:
    return {"time": "2026-11-25T04:00:00Z", "session": None, "story": story, "step": "review",
            "decision": decision, "reason": "r", "report": ".spx/reviews/r.md", "digest": digest, "findings": 0,
            "files": files}  # fmt: skip


def test_latest_verdict_is_the_last_review_event_of_that_container(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    assert latest_verdict(root, STORY) is None
    digest = files_digest(root, FILES)
    append_event(root, review_event(STORY, "REJECTED", digest, FILES))
    append_event(root, review_event(STORY, "APPROVED", digest, FILES))
    append_event(root, review_event("21-math.capability", "REJECTED", digest, FILES))
    append_event(root, {"story": STORY, "step": "coding-python", "decision": "allow"})
    verdict = latest_verdict(root, STORY)
    assert verdict is not None and verdict.approved and verdict.files == tuple(FILES)
    assert is_current(root, verdict)
    (root / IMPLEMENTATION).write_text("changed = True\n")
    assert not is_current(root, verdict)


def test_digest_depends_on_content_and_notices_a_deleted_file(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    before = files_digest(root, FILES)
    assert files_digest(root, list(reversed(FILES))) == before
    (root / IMPLEMENTATION).unlink()
    assert files_digest(root, FILES) != before


@pytest.mark.parametrize("value", ["80", 0, 101, True])
def test_a_bad_coverage_threshold_is_refused_with_the_fix(tmp_path: Path, value: object) -> None:
    root = make_project(tmp_path)
    shown = f'"{value}"' if isinstance(value, str) else str(value).lower()
    with (root / "pyproject.toml").open("a") as handle:
        handle.write(f"\n[tool.spx]\ncoverage_threshold = {shown}\n")
    with pytest.raises(SpxError, match=r"coverage_threshold .* is not a percentage — set a number"):
        load_settings(root)


@pytest.mark.parametrize(("setting", "budget"), [("", 600.0), ("true", 600.0), ("false", None), ("90", 90.0)])
def test_the_existing_suite_is_on_with_a_budget_unless_switched_off(
    tmp_path: Path, setting: str, budget: object
) -> None:
    root = make_project(tmp_path)
    if setting:
        with (root / "pyproject.toml").open("a") as handle:
            handle.write(f"\n[tool.spx]\nexisting_suite = {setting}\n")
    assert load_settings(root).suite_budget == budget


@pytest.mark.parametrize("value", ['"fast"', "0", "-5"])
def test_a_bad_existing_suite_setting_is_refused_with_the_fix(tmp_path: Path, value: str) -> None:
    root = make_project(tmp_path)
    with (root / "pyproject.toml").open("a") as handle:
        handle.write(f"\n[tool.spx]\nexisting_suite = {value}\n")
    with pytest.raises(SpxError, match=r"existing_suite .* is not a switch or a time budget — set true"):
        load_settings(root)


def test_settings_find_src_layout_and_absent_tool_configs(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    settings = load_settings(root)
    assert (settings.source_roots, settings.has_mypy_config, settings.has_ruff_config) == (
        (root / "src",),
        False,
        False,
    )
    (root / "mypy.ini").write_text("[mypy]\n")
    with (root / "pyproject.toml").open("a") as handle:
        handle.write("\n[tool.ruff]\nline-length = 100\n")
    assert (load_settings(root).has_mypy_config, load_settings(root).has_ruff_config) == (True, True)


def test_flat_layout_source_is_the_package_named_by_the_project(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    (root / "src").rename(root / "lib")
    (root / "lib" / "calc").rename(root / "calc")
    assert load_settings(root).source_roots == (root / "calc",)


def test_scope_is_the_changed_source_else_the_source_the_tests_import(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    container = resolve_full_path(root, STORY)
    settings = load_settings(root)
    changed = build_scope(container, settings, spx_git.changed_files(root))
    assert ([p.name for p in changed.source_files], changed.source_changed) == (["arith.py"], True)
    git(root, "add", "--all")
    git(root, "commit", "-q", "-m", "feat: add")
    imported = build_scope(container, settings, spx_git.changed_files(root))
    assert ([p.name for p in imported.source_files], imported.source_changed) == (["arith.py"], False)
    feature = build_scope(resolve_full_path(root, "21-math.capability/21-arith.feature"), settings, [])
    assert [p.name for p in feature.test_files] == ["add.unit.test.py"]


def test_changed_files_before_the_first_commit_are_all_files(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "a.py").write_text("x = 1\n")
    assert spx_git.changed_files(tmp_path.resolve()) == [tmp_path.resolve() / "a.py"]
    (tmp_path / "plain").mkdir()
    assert spx_git.toplevel(tmp_path.resolve()) == tmp_path.resolve()


def test_specific_ruff_ignores_are_kept_and_whole_families_are_not() -> None:
    config = {"extend-ignore": ["B008"], "lint": {"ignore": ["S603", "S", "E501", "B9"]}}
    assert ruff_ignores(config) == ("B008", "E501", "S603")


def test_missing_lines_are_shown_as_ranges() -> None:
    assert line_ranges([7, 3, 4, 5, 9, 10]) == "3-5, 7, 9-10"
    assert line_ranges([]) == ""
