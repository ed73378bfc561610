"""What a new user trips over on the command line: odd files on disk, and the next step named in every output.

Real subprocesses of `spx` in real temp directories; each error is one line naming the path and what to do.
"""

from __future__ import annotations

import json
import os
import pty
import subprocess
from pathlib import Path

import pytest
from cli_runner import SPX, run_spx
from hook_runner import FIRST, gate, workflow_project
from ledger_builders import (
    ADD_STORY,
    CAPABILITY,
    FAILING_TEST,
    break_add,
    make_project,
    record_verdict,
    stamp,
    write_test,
)
from spec_builders import container, new_project

STORY = "21-app.capability/21-core.feature/21-first.story"
INTERNAL_ERROR = "internal error"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    new_project(tmp_path)
    container(tmp_path, "21-app.capability")
    container(tmp_path, "21-app.capability/21-core.feature")
    container(tmp_path, STORY, tests=("a.unit.test.py",))
    return tmp_path


def one_line_error(result: subprocess.CompletedProcess[str], *words: str) -> str:
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert INTERNAL_ERROR not in lines[0]
    for word in words:
        assert word in lines[0]
    return lines[0]


@pytest.mark.parametrize("kind", ["directory", "looping link"])
def test_a_test_file_that_is_no_file_is_a_problem_not_a_crash(project: Path, kind: str) -> None:
    odd = project / "spx" / STORY / "tests" / "odd.unit.test.py"
    if kind == "directory":
        odd.mkdir()
    else:
        odd.symlink_to(odd.name)
    for command in (("spec", "status"), ("spec", "test", STORY), ("spec", "verify", "--cached")):
        result = run_spx(*command, cwd=project)
        assert result.returncode == 0, result.stderr
        assert f"spx/{STORY}/tests/odd.unit.test.py: named like a test file but not a readable" in result.stdout
    tested = run_spx("spec", "test", STORY, cwd=project)
    assert "a.unit.test.py" in tested.stdout


def test_a_spx_file_instead_of_a_directory_is_named(tmp_path: Path) -> None:
    (tmp_path / "spx").write_text("#!/bin/sh\n")
    (tmp_path / "sub").mkdir()
    for command in (("spec", "status"), ("spec", "next"), ("init",)):
        line = one_line_error(run_spx(*command, cwd=tmp_path / "sub" if command[0] == "spec" else tmp_path))
        assert "spx: is not a directory" in line
        assert "rename or move it" in line
    assert (tmp_path / "spx").read_text() == "#!/bin/sh\n"


def test_spec_test_on_a_story_without_tests_says_where_to_write_them(project: Path) -> None:
    bare = "21-app.capability/21-core.feature/32-empty.story"
    container(project, bare)
    result = run_spx("spec", "test", bare, cwd=project)
    assert result.returncode == 0, result.stderr
    assert f"no test files yet — write them as spx/{bare}/tests/<name>.unit.test.py" in result.stdout
    assert f"/spx-python:testing-python {bare}" in result.stdout


def test_spec_test_on_a_parent_without_tests_says_how_it_completes(project: Path) -> None:
    result = run_spx("spec", "test", "21-app.capability", cwd=project)
    assert "no test files of its own — a capability may rely on its children's tests" in result.stdout
    assert "`spx spec test --stamp 21-app.capability`" in result.stdout


@pytest.fixture
def calc(tmp_path: Path) -> Path:
    return make_project(tmp_path / "calc")


@pytest.mark.slow
def test_spec_test_names_the_next_step(calc: Path) -> None:
    unstamped = run_spx("spec", "test", ADD_STORY, cwd=calc)
    assert unstamped.stdout.rstrip().splitlines()[-1] == (
        f"next: every test file passes — run `spx review {ADD_STORY}`, then `spx spec test --stamp {ADD_STORY}`"
    )
    write_test(calc, ADD_STORY, "wip.unit.test.py", FAILING_TEST)
    failing = run_spx("spec", "test", ADD_STORY, cwd=calc)
    assert failing.returncode == 0  # work in progress is no error
    assert f"next: make wip.unit.test.py pass (pytest's output is above), then run `spx spec test {ADD_STORY}`" in (
        failing.stdout
    )


@pytest.mark.slow
def test_stamp_output_is_the_stamp_verdict_not_the_old_ledger_diagnosis(calc: Path) -> None:
    stamp(calc, ADD_STORY)
    passing = run_spx("spec", "test", ADD_STORY, cwd=calc)
    assert "next:" not in passing.stdout  # Passing and current: nothing to do
    write_test(
        calc,
        ADD_STORY,
        "add.unit.test.py",
        "from calc import add\n\n\ndef test_add() -> None:\n    assert add(1, 1) == 2\n",
    )
    stale = run_spx("spec", "test", ADD_STORY, cwd=calc)
    assert "ledger: Stale" in stale.stdout
    assert f"run `spx review {ADD_STORY}`, then `spx spec test --stamp {ADD_STORY}`" in stale.stdout
    record_verdict(calc, ADD_STORY)
    stamped = run_spx("spec", "test", "--stamp", ADD_STORY, cwd=calc)
    assert stamped.returncode == 0, stamped.stdout
    report = stamped.stdout[stamped.stdout.index(f"\nspx/{ADD_STORY}\n") :]
    assert not any(line.startswith("stale") for line in report.splitlines())  # the table alone shows it
    assert "re-stamp" not in report
    assert "ledger: Stale" not in report
    assert report.rstrip().endswith(f"stamped spx/{ADD_STORY}/pass.csv: 2 test file(s) — the story is now Passing")


@pytest.mark.slow
def test_a_refused_stamp_says_only_why(calc: Path) -> None:
    refused = run_spx("spec", "test", "--stamp", CAPABILITY, cwd=calc)
    assert refused.returncode == 1
    report = refused.stdout[refused.stdout.index(f"\nspx/{CAPABILITY}\n") :]
    assert "next:" not in report
    assert f"stamp refused: spx/{CAPABILITY}/pass.csv left unchanged" in report


def test_force_without_stamp_names_the_command_with_the_path(project: Path) -> None:
    result = run_spx("spec", "test", "--force", STORY, cwd=project)
    assert result.returncode == 2
    assert f"run `spx spec test --stamp --force {STORY}`" in result.stderr


@pytest.mark.parametrize("fmt", ["text", "table", "markdown"])
def test_an_empty_tree_says_so_in_every_text_format(tmp_path: Path, fmt: str) -> None:
    new_project(tmp_path)
    (tmp_path / "spx" / "notes").mkdir()
    result = run_spx("spec", "status", "--format", fmt, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "No containers under spx/ yet — create one with `spx spec create capability NAME`." in result.stdout
    assert "All containers are Passing" not in result.stdout
    assert "spx/notes" in result.stdout
    assert "not a valid container name" in result.stdout


def test_next_on_a_tree_with_problems_notes_them_on_stderr_only(project: Path) -> None:
    (project / "spx" / "21-app.capability" / "32-No Spec.feature").mkdir()
    result = run_spx("spec", "next", cwd=project)
    assert result.returncode == 0
    assert result.stdout == f"{STORY}\n"
    assert result.stderr == "spx: note: 1 other problem(s) in spx/ — `spx spec status` names them\n"


def test_next_names_the_problem_of_the_container_it_points_at(project: Path) -> None:
    (project / "spx" / "21-app.capability" / "21-core.feature" / "core.feature.md").unlink()
    result = run_spx("spec", "next", cwd=project)
    assert result.stdout == f"{STORY}\n"
    assert result.stderr == (
        "spx: note: spx/21-app.capability/21-core.feature: no spec file — create core.feature.md "
        "(`spx spec create` writes one)\n"
    )


@pytest.mark.parametrize(
    ("typo", "meant"),
    [
        ("21-app.capability/21-cor.feature", "21-app.capability/21-core.feature"),
        ("21-ap.capability", "21-app.capability"),
        ("21-app.capability/21-core.feature/21-frist.story", STORY),
    ],
)
def test_a_typo_in_a_path_gets_the_one_closest_full_path(project: Path, typo: str, meant: str) -> None:
    container(project, "21-app.capability/32-cli.feature")
    line = one_line_error(run_spx("spec", "test", typo, cwd=project), "no such container")
    assert line.endswith(f"— did you mean {meant}?")


def test_a_path_like_nothing_in_the_tree_is_shown_a_real_example(project: Path) -> None:
    line = one_line_error(run_spx("spec", "status", "54-zzz.capability", cwd=project), "no such container")
    assert f"e.g. {STORY} (`spx spec status` lists them all)" in line
    empty = new_project(project / "empty")
    line = one_line_error(run_spx("spec", "next", "54-zzz.capability", cwd=empty), "no such container")
    assert "spx/ has no containers yet: `spx spec create capability NAME`" in line


@pytest.mark.parametrize("kind", ["binary", "directory"])
def test_a_broken_ledger_names_the_exact_restamp_command(project: Path, kind: str) -> None:
    ledger = project / "spx" / STORY / "pass.csv"
    if kind == "binary":
        ledger.write_bytes(b"\xff\x00" * 1000)
    else:
        ledger.mkdir()
    line = one_line_error(run_spx("spec", "status", cwd=project), f"spx/{STORY}/pass.csv")
    assert f"re-stamp with `spx spec test --stamp {STORY}`" in line
    assert "PATH" not in line


def test_reviewing_a_story_without_tests_says_where_they_go(project: Path) -> None:
    bare = "21-app.capability/21-core.feature/32-empty.story"
    container(project, bare)
    result = run_spx("review", bare, cwd=project)
    assert result.returncode == 1
    assert "REJECTED" in result.stdout
    assert "write its tests first in its tests/ directory (`tests/<name>.unit.test.py` in a story" in result.stdout
    assert "<container>" not in result.stdout


def test_stamping_a_story_without_tests_names_the_skill_to_run(project: Path) -> None:
    bare = "21-app.capability/21-core.feature/32-empty.story"
    container(project, bare)
    result = run_spx("spec", "test", "--stamp", bare, cwd=project)
    assert result.returncode == 1
    assert f"write its tests first (`/spx-python:testing-python {bare}` in Claude Code)" in result.stdout


@pytest.mark.parametrize(
    ("odd", "words"),
    [
        ("32-cli.feature ", "'32-cli.feature ' has leading or trailing whitespace — rename it to '32-cli.feature'"),
        (
            "32-my cli.feature",
            "contains whitespace; slugs are lower-case kebab-case — rename it to '32-my-cli.feature'",
        ),
        (
            "32-My_Cli.feature",
            "contains underscores; slugs are lower-case kebab-case — rename it to '32-my-cli.feature'",
        ),
        ("32-Cli.feature", "has upper-case letters; slugs are lower-case kebab-case — rename it to '32-cli.feature'"),
        ("100-cli.feature", "BSP numbers are two digits from 10 to 99 (got 100)"),
    ],
)
def test_a_misnamed_directory_is_a_problem_with_the_name_to_use(project: Path, odd: str, words: str) -> None:
    (project / "spx" / "21-app.capability" / odd).mkdir()
    result = run_spx("spec", "status", cwd=project)
    assert result.returncode == 0, result.stderr
    assert f"spx/21-app.capability/{odd}: not a valid container name — {words}" in result.stdout


def test_an_adr_in_a_story_is_named(project: Path) -> None:
    (project / "spx" / STORY / "15-db.adr.md").write_text("# db\n")
    result = run_spx("spec", "status", "--format", "json", cwd=project)
    problems = json.loads(result.stdout)["problems"]
    assert {
        "path": f"spx/{STORY}",
        "message": "stories hold no ADRs (found 15-db.adr.md) — move them to the parent feature or capability",
    } in problems


def test_an_adr_for_a_story_is_sent_to_its_feature(project: Path) -> None:
    line = one_line_error(run_spx("spec", "create", "adr", "storage", "--in", STORY, cwd=project))
    feature = "21-app.capability/21-core.feature"
    assert line == f"spx: --in {STORY}: stories hold no ADRs — create it in the feature: `--in {feature}`"


@pytest.mark.slow
def test_workflow_status_of_a_story_stamped_without_the_hooks_says_nothing_is_left(calc: Path) -> None:
    stamp(calc, ADD_STORY)
    result = run_spx("workflow", "status", ADD_STORY, cwd=calc)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1].startswith("  next: nothing — its ledger is Passing")
    reset = run_spx("workflow", "reset", ADD_STORY, "--yes", cwd=calc)
    assert reset.returncode == 0, reset.stderr
    again = run_spx("workflow", "status", ADD_STORY, cwd=calc)
    assert "spx-python:understanding-specs" in again.stdout  # the user asked to start it over


@pytest.mark.parametrize("command", [("spec", "test", "--stamp"), ("review",), ("workflow", "status")])
def test_a_misspelt_tool_spx_key_is_refused_not_silently_ignored(project: Path, command: tuple[str, ...]) -> None:
    (project / "pyproject.toml").write_text("[tool.spx]\nrequire_review = false\ncoverage_treshold = 90\n")
    result = run_spx(*command, STORY, cwd=project)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        f"spx: {project / 'pyproject.toml'}: [tool.spx] has an unknown key 'coverage_treshold' — did you mean "
        "coverage_threshold? spx reads only max_rejections, coverage_threshold, require_review, python, existing_suite"
    )
    assert not (project / "spx" / STORY / "pass.csv").exists()


def test_the_hooks_refuse_on_a_misspelt_tool_spx_key_with_the_same_fix(tmp_path: Path) -> None:
    project = workflow_project(tmp_path)
    (project / "pyproject.toml").write_text("[tool.spx]\nmax_rejection = 5\n")
    result = gate(project, "understanding-specs", FIRST)
    assert (result.decision, result.rule) == ("deny", "project.spx-error")
    assert "[tool.spx] has an unknown key 'max_rejection' — did you mean max_rejections?" in result.reason


def test_a_src_layout_without_pythonpath_gets_a_hint_when_the_tests_fail(project: Path) -> None:
    (project / "src" / "calc").mkdir(parents=True)
    (project / "src" / "calc" / "__init__.py").write_text("def one() -> int:\n    return 1\n")
    test = project / "spx" / STORY / "tests" / "a.unit.test.py"
    test.write_text("from calc import one\n\n\ndef test_one() -> None:\n    assert one() == 1\n")
    failing = run_spx("spec", "test", STORY, cwd=project)
    assert "ModuleNotFoundError" in failing.stdout
    assert "run `spx init` again: it adds that setting" in failing.stdout
    assert run_spx("init", cwd=project).returncode == 0
    passing = run_spx("spec", "test", STORY, cwd=project)
    assert "1 passed" in passing.stdout
    assert "hint:" not in passing.stdout


def _keys(value: object) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


def test_every_json_key_spx_prints_is_documented(project: Path, repo_root: Path) -> None:
    (project / "spx" / "21-app.capability" / "32-Bad.feature").mkdir()
    documented = (repo_root / "docs" / "json-output.md").read_text()
    outputs = [
        ("spec", "status", "--format", "json"),
        ("spec", "next", "--format", "json"),
        ("spec", "context", STORY, "--format", "json"),
        ("workflow", "status", STORY, "--format", "json"),
        ("review", STORY, "--format", "json"),
        ("workflow", "log", "--format", "json"),
        ("doctor", "--format", "json"),
    ]
    for command in outputs:
        result = run_spx(*command, cwd=project)
        assert result.returncode in (0, 1), result.stderr  # a review may reject
        document = json.loads(result.stdout)
        exempt = _keys(document.get("coverage", {}).get("files", {})) if isinstance(document, dict) else set()
        for key in _keys(document) - {"Passing", "Unknown", "Pending", "Stale", "Regressed"} - exempt:
            assert f'"{key}"' in documented, f"{' '.join(command)}: key {key!r} is not in docs/json-output.md"


def test_an_overlong_slug_is_a_usage_error_not_a_crash(project: Path) -> None:
    result = run_spx("spec", "create", "capability", "a" * 300, cwd=project)
    assert result.returncode == 2
    assert result.stderr == f"spx: '{'a' * 40}…': slug of 300 characters — use at most 100 (it names a directory)\n"
    assert sorted(p.name for p in (project / "spx").iterdir()) == ["21-app.capability", "CLAUDE.md"]


def test_a_file_named_like_a_container_is_a_problem(project: Path) -> None:
    (project / "spx" / "21-app.capability" / "32-cli.feature").write_text("oops\n")
    result = run_spx("spec", "status", cwd=project)
    assert result.returncode == 0, result.stderr
    assert (
        "spx/21-app.capability/32-cli.feature: a file named like a container — containers are directories; "
        "remove it or make it one"
    ) in result.stdout


@pytest.mark.parametrize(
    ("odd", "warning"),
    [
        ("pyproject.toml", "pyproject.toml: cannot read it (Is a directory) — left alone; add the pytest settings"),
        (".gitignore", ".gitignore: cannot read it (Is a directory) — left alone; add .spx/ to it yourself"),
        ("spx/CLAUDE.md", "spx/CLAUDE.md: not a file — remove it and run `spx init` again"),
    ],
)
def test_init_warns_about_a_directory_where_it_writes_a_file(tmp_path: Path, odd: str, warning: str) -> None:
    (tmp_path / odd).mkdir(parents=True)
    result = run_spx("init", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"spx: warning: {warning}" in result.stderr
    assert INTERNAL_ERROR not in result.stderr
    assert (tmp_path / odd).is_dir()


def test_init_leaves_a_gitignore_that_is_not_utf8_alone(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_bytes(b"\xff\xfe*.pyc\n")
    result = run_spx("init", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "spx: warning: .gitignore: not UTF-8 text — left alone; add .spx/ to it yourself" in result.stderr
    assert (tmp_path / ".gitignore").read_bytes() == b"\xff\xfe*.pyc\n"


@pytest.mark.parametrize("odd", ["file", "journal directory"])
@pytest.mark.parametrize("command", [("workflow", "status"), ("workflow", "reset", STORY, "--yes"), ("review", STORY)])
def test_a_broken_state_directory_is_one_line_not_an_internal_error(
    project: Path, odd: str, command: tuple[str, ...]
) -> None:
    if odd == "file":
        (project / ".spx").write_text("not a directory\n")
    else:
        (project / ".spx" / "workflow.jsonl").mkdir(parents=True)
    line = one_line_error(run_spx(*command, cwd=project), ".spx")
    assert ".spx/ must be a directory of spx's own files; move the odd entry away" in line


def test_a_pyproject_directory_stops_review_with_one_line(project: Path) -> None:
    (project / "pyproject.toml").mkdir()
    line = one_line_error(run_spx("review", STORY, cwd=project))
    assert line == (
        f"spx: {project / 'pyproject.toml'}: Is a directory — fix that path (a file where a directory belongs, "
        "or the reverse; permissions; free space), then retry"
    )


def test_pytest_refusing_the_projects_options_is_explained(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.pytest.ini_options]\naddopts = "--no-such-flag"\n')
    result = run_spx("spec", "test", STORY, cwd=project)
    assert result.returncode == 1
    line = result.stderr.strip().splitlines()[-1]  # after pytest's own message
    assert line.startswith("spx: ")
    assert "pytest stopped with exit code 4" in line
    assert "it refused its options (its message is above): check [tool.pytest.ini_options]" in line
    assert "--no-such-flag" in result.stdout + result.stderr  # pytest's own message is shown


@pytest.mark.slow
def test_fresh_status_says_what_to_do_about_a_regression(calc: Path) -> None:
    stamp(calc, ADD_STORY)
    break_add(calc)
    result = run_spx("spec", "status", "--fresh", cwd=calc)
    assert (
        f"regression: spx/{ADD_STORY}/tests/add.unit.test.py — spec and test unchanged since the stamp, "
        "and it now fails — fix the code"
    ) in result.stderr


def test_a_scoped_status_shows_the_full_path_of_its_top_container(project: Path) -> None:
    result = run_spx("spec", "status", "21-app.capability/21-core.feature", cwd=project)
    assert result.stdout.splitlines()[0] == "21-core.feature [Pending] (21-app.capability/21-core.feature)"
    assert result.stdout.splitlines()[1] == f"  21-first.story [Pending] ({STORY})"


def test_an_empty_workflow_log_says_so(project: Path) -> None:
    assert run_spx("workflow", "log", cwd=project).stdout == "no events in .spx/workflow.jsonl\n"
    run_spx("workflow", "reset", STORY, "--yes", cwd=project)
    later = run_spx("workflow", "log", "--since", "2999-01-01", cwd=project)
    assert later.stdout == "no events in .spx/workflow.jsonl since 2999-01-01\n"
    assert json.loads(run_spx("workflow", "log", "--since", "2999-01-01", "--format", "json", cwd=project).stdout) == []


@pytest.mark.slow
def test_spec_test_on_a_feature_says_its_children_come_first(calc: Path) -> None:
    feature = "21-math.capability/21-arith.feature"
    result = run_spx("spec", "test", feature, cwd=calc)
    assert result.stdout.rstrip().splitlines()[-1] == (
        f"next: every test file passes — once every child is Passing (`spx spec next {feature}` names what is left), "
        f"record it with `spx spec test --stamp {feature}`"
    )


def test_a_manual_rejection_honours_json_and_refuses_an_empty_finding(project: Path) -> None:
    empty = run_spx("review", STORY, "--reject", "  ", cwd=project)
    assert empty.returncode == 2
    assert "--reject needs the finding itself" in empty.stderr
    result = run_spx(
        "review", STORY, "--reject", "src/x.py:3 — asserts a private — use the API", "--format", "json", cwd=project
    )
    assert result.returncode == 1
    document = json.loads(result.stdout)
    assert (document["path"], document["verdict"]) == (STORY, "REJECTED")
    assert document["findings"] == [
        {
            "file": "",
            "line": 0,
            "rule": "manual-checklist",
            "message": "src/x.py:3 — asserts a private — use the API",
            "blocking": True,
        }
    ]
    assert (project / document["report"]).is_file()


def test_from_a_monorepo_root_the_projects_below_are_named(tmp_path: Path) -> None:
    new_project(tmp_path / "packages" / "app")
    (tmp_path / "node_modules" / "dep" / "spx").mkdir(parents=True)  # never a suggestion
    line = one_line_error(run_spx("spec", "status", cwd=tmp_path))
    assert line == f"spx: {tmp_path}: no spx/ directory here or in any parent — the project is below: `cd packages/app`"
    inside = run_spx("spec", "status", cwd=tmp_path / "packages" / "app")
    assert inside.returncode == 0, inside.stderr


def test_init_in_a_subdirectory_of_a_project_refuses_unless_asked_explicitly(project: Path) -> None:
    inner = project / "src" / "pkg"
    inner.mkdir(parents=True)
    line = one_line_error(run_spx("init", cwd=inner))
    assert line == (
        f"spx: {inner}: inside the project at {project}, which already has spx/ — run `spx init` there; "
        "to start a separate project here, run `spx init .`"
    )
    assert not (inner / "spx").exists()
    assert not (inner / "pyproject.toml").exists()
    assert run_spx("init", ".", cwd=inner).returncode == 0
    assert (inner / "spx" / "CLAUDE.md").is_file()
    again = run_spx("init", cwd=inner)  # now a project of its own: plain `spx init` is idempotent there
    assert again.returncode == 0, again.stderr


def test_a_tests_file_instead_of_a_directory_is_a_problem(project: Path) -> None:
    feature = project / "spx" / "21-app.capability" / "21-core.feature"
    (feature / "tests").write_text("def test_x(): pass\n")
    result = run_spx("spec", "status", cwd=project)
    assert "spx/21-app.capability/21-core.feature/tests: not a directory — tests/ holds the container's test files" in (
        result.stdout
    )


@pytest.mark.parametrize("name", ["a,b.unit.test.py", "tab\there.unit.test.py"])
def test_a_test_file_name_the_ledger_cannot_hold_is_a_problem_and_never_stamped(project: Path, name: str) -> None:
    tests = project / "spx" / STORY / "tests"
    (tests / name).write_text("def test_ok() -> None:\n    assert True\n")
    status = run_spx("spec", "status", cwd=project)
    assert status.returncode == 0, status.stderr
    assert "a test file name with a comma or a control character cannot be recorded in pass.csv" in status.stdout
    (project / "pyproject.toml").write_text("[tool.spx]\nrequire_review = false\n")
    stamped = run_spx("spec", "test", "--stamp", STORY, cwd=project)
    assert stamped.returncode == 0, stamped.stdout
    assert name not in (project / "spx" / STORY / "pass.csv").read_text()
    assert run_spx("spec", "status", cwd=project).returncode == 0  # the ledger stays readable


def test_workflow_status_without_hook_activity_points_at_the_evidence(project: Path) -> None:
    result = run_spx("workflow", "status", cwd=project)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("no story has entered the hooks' workflow sequence")
    assert "`spx spec status` shows each story's evidence" in result.stdout


def test_a_duplicate_number_is_told_a_free_number_that_skips_adrs(project: Path) -> None:
    capability = project / "spx" / "21-app.capability"
    container(project, "21-app.capability/21-zeta.feature")
    (capability / "40-storage.adr.md").write_text("# storage\n")
    result = run_spx("spec", "status", cwd=project)
    assert (
        "spx/21-app.capability/21-zeta.feature: duplicate BSP 21 among siblings (also 21-core.feature) — "
        "rename this one to 30-zeta.feature (a free number after it)"
    ) in result.stdout


def test_a_missing_product_guide_is_a_problem_before_any_context_load(project: Path) -> None:
    (project / "spx" / "CLAUDE.md").unlink()
    result = run_spx("spec", "status", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "spx/CLAUDE.md: missing (or not a file) — every context load starts with it; `spx init` writes one" in (
        result.stdout
    )


def test_ctrl_d_at_the_reset_question_is_a_no(project: Path) -> None:
    """On a terminal `spx workflow reset` asks; end-of-input (Ctrl-D) must decline, not crash."""
    main, secondary = pty.openpty()
    process = subprocess.Popen(
        [SPX, "workflow", "reset", STORY],
        cwd=project,
        stdin=secondary,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "NO_COLOR": "1"},
    )
    os.close(secondary)
    os.write(main, b"\x04")
    out, err = process.communicate(timeout=60)
    os.close(main)
    assert process.returncode == 1, err
    assert out.decode().rstrip().endswith(f"{STORY}: not reset")
    assert INTERNAL_ERROR not in err.decode()
