"""`spx review`'s engine: scope the container, run every check, decide, record the report and the verdict.

mypy, ruff, the story's pytest run and the project's existing suite run concurrently (each is a
subprocess; threads only wait on them); the AST checks run in-process meanwhile. Every check always
runs, so one review reports everything. Findings on lines the story did not change are pre-existing
(`preexisting`): listed and counted, never blocking.
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from spx_python import git
from spx_python.evidence.ledger import utc_timestamp
from spx_python.evidence.review_verdicts import files_digest
from spx_python.review.changes import EVERYTHING_NEW, Changes, story_changes
from spx_python.review.checks import ast_rules
from spx_python.review.checks.suppressions import check_comments
from spx_python.review.checks.test_quality import check_tests_prove_something
from spx_python.review.checks.tool_config import module_name, mypy_sections, weakened_mypy, weakened_ruff
from spx_python.review.coverage_gate import evaluate, unmeasurable
from spx_python.review.findings import OUTCOME_HOOK, SYNTAX_ERROR, Finding, deduplicate
from spx_python.review.preexisting import as_judged, separate
from spx_python.review.report import write_report
from spx_python.review.scope import ReviewScope, build_scope
from spx_python.review.settings import ProjectSettings, load_pyproject, load_settings, ruff_config_source
from spx_python.review.suite_guard import run_existing_suite
from spx_python.review.tests_run import run_tests
from spx_python.review.tools import ToolRun, run_mypy, run_ruff
from spx_python.review.verdict import ReviewOutcome, decide, journal_event
from spx_python.spec.tree import Container
from spx_python.testrun.integrity import outcome_hooks
from spx_python.toolchain.resolve import resolve_toolchain
from spx_python.workflow.journal import append_event

AST_CHECKS = "ast-checks"
NO_SOURCE = (
    "no project source found to measure — put the package under src/ or name it in pyproject.toml "
    "([project] name, or the hatch/setuptools `packages` list)"
)


def _read(path: Path) -> str | Finding:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return Finding(path.as_posix(), 0, SYNTAX_ERROR, f"cannot read as UTF-8 text: {error}")


def config_findings(settings: ProjectSettings, scope: ReviewScope) -> list[Finding]:
    """The project's mypy and ruff configuration that switches checks off for the reviewed files, and
    conftest hooks that could rewrite the test outcomes."""
    root, pyproject = settings.root, load_pyproject(settings.root)
    modules = [module_name(path, settings.source_roots) for path in scope.checked_files]
    findings = weakened_mypy(root, mypy_sections(root, pyproject), modules)
    for use in outcome_hooks(root, scope.test_files):
        findings.append(Finding(scope.relative(use.path), use.line, OUTCOME_HOOK, f"{use.what} in a conftest"))
    source = ruff_config_source(root, pyproject)
    if source is not None:
        findings += weakened_ruff(root, source[0], source[1], [scope.relative(p) for p in scope.checked_files])
    return findings


def run_ast_checks(
    scope: ReviewScope, settings: ProjectSettings | None = None, changes: Changes = EVERYTHING_NEW
) -> ToolRun:
    """The gate's own checks: the syntax-tree rules, suppression comments and (with settings) the mypy config."""
    started = time.perf_counter()
    findings: list[Finding] = [] if settings is None else config_findings(settings, scope)
    constants: dict[str, ast_rules.Constant] = {}
    for path in scope.source_files:
        text = _read(path)
        if isinstance(text, Finding):
            findings.append(text)
            continue
        name = scope.relative(path)
        findings.extend(ast_rules.check_source_file(name, text, changes.of(path)))
        findings.extend(check_comments(name, text))
        for value, constant in ast_rules.module_constants(name, text).items():
            constants.setdefault(value, constant)
    test_files = set(scope.test_files)
    for path in scope.test_side_files:
        text = _read(path)
        if isinstance(text, Finding):
            findings.append(text)
            continue
        findings.extend(ast_rules.check_test_file(scope.relative(path), text, constants))
        if path in test_files:
            findings.extend(check_tests_prove_something(scope.relative(path), text))
        findings.extend(check_comments(scope.relative(path), text))
    return ToolRun(AST_CHECKS, (), time.perf_counter() - started, tuple(findings))


def changed_paths(project_root: Path, changes: Changes) -> list[Path] | None:
    """The files the story changed (since its base; everything when there is no base)."""
    if not changes.everything_new:
        return sorted(changes.lines)
    top = git.toplevel(project_root)
    return None if top is None else git.changed_files(top)


def review(project_root: Path, container: Container, settings: ProjectSettings | None = None) -> ReviewOutcome:
    """Run the whole gate on `container` (no files written)."""
    root = project_root.resolve()
    settings = settings or load_settings(root)
    changes = story_changes(root, container.path)
    scope = build_scope(container, settings, changed_paths(root, changes))
    digest = files_digest(root, [scope.relative(p) for p in scope.reviewed_files])  # before: edits mid-run show
    toolchain = resolve_toolchain(root, os.environ)  # the one environment rule, probed once for the three tools
    with ThreadPoolExecutor(max_workers=4) as pool:
        tests_future = pool.submit(run_tests, settings, scope, toolchain)
        suite_future = pool.submit(run_existing_suite, settings, toolchain, changes.base)
        mypy_future = pool.submit(run_mypy, settings, scope, toolchain)
        ruff_future = pool.submit(run_ruff, settings, scope, toolchain)
        ast_run = run_ast_checks(scope, settings, changes)
        test_run, mypy_run, ruff_run = tests_future.result(), mypy_future.result(), ruff_future.result()
        suite_run = suite_future.result()
    if settings.source_roots:
        coverage = evaluate(scope, test_run.coverage, settings.coverage_threshold, changes)
    else:
        coverage = unmeasurable(scope, settings.coverage_threshold, NO_SOURCE)
    tools = (test_run.tool, mypy_run, ruff_run, ast_run, *(() if suite_run is None else (suite_run,)))
    findings = [f for run in tools for f in run.findings]
    if test_run.tool.ok:
        findings.extend(coverage.findings)
    findings = separate(deduplicate(findings), scope, changes, settings.source_roots)
    tools = as_judged(tools, findings)
    decision, reason = decide(findings, coverage, test_run.counts.get("tests", 0))
    return ReviewOutcome(
        full_path=container.path,
        time=utc_timestamp(),
        decision=decision,
        reason=reason,
        findings=tuple(findings),
        tools=tools,
        coverage=coverage,
        scope=scope,
        digest=digest,
        test_counts=test_run.counts,
        toolchain=toolchain,
        changes=changes,
    )


def record(project_root: Path, outcome: ReviewOutcome) -> Path:
    """Write the report and append the verdict event; return the report's project-relative path."""
    report = write_report(project_root, outcome)
    append_event(project_root, journal_event(outcome, report.as_posix()))
    return report
