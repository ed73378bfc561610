"""`spx spec status` and `spx spec next` as a user runs them: real subprocesses of the console script."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from cli_runner import SPX, run_spx
from spec_builders import container, new_project, write_ledger

STORY_A = "21-app.capability/21-core.feature/21-first.story"
STORY_B = "21-app.capability/21-core.feature/32-second.story"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    new_project(tmp_path)
    container(tmp_path, "21-app.capability")
    container(tmp_path, "21-app.capability/21-core.feature")
    write_ledger(container(tmp_path, STORY_A, tests=("a.unit.test.py",)))
    container(tmp_path, STORY_B, tests=("b.unit.test.py",))
    return tmp_path


def test_text_status_shows_states_full_paths_and_next(project: Path) -> None:
    result = run_spx("spec", "status", cwd=project)
    assert result.returncode == 0, result.stderr
    assert f"21-first.story [Passing] ({STORY_A})" in result.stdout
    assert f"32-second.story [Pending] ({STORY_B})" in result.stdout
    assert f"next: {STORY_B}" in result.stdout
    assert "\033[" not in result.stdout


def test_status_works_from_a_subdirectory(project: Path) -> None:
    result = run_spx("spec", "next", cwd=project / "spx" / STORY_A)
    assert result.stdout.strip() == STORY_B


def test_json_status_is_machine_readable(project: Path) -> None:
    document = json.loads(run_spx("spec", "status", "--format", "json", cwd=project).stdout)
    feature = document["containers"][0]["children"][0]
    assert [c["state"] for c in feature["children"]] == ["Passing", "Pending"]
    assert document["next"] == STORY_B
    assert document["summary"]["Passing"] == 1


@pytest.mark.parametrize(
    ("fmt", "marker"), [("table", "STATE"), ("markdown", "| State |"), ("mermaid", "flowchart TD")]
)
def test_other_formats(project: Path, fmt: str, marker: str) -> None:
    result = run_spx("spec", "status", "--format", fmt, cwd=project)
    assert result.returncode == 0
    assert marker in result.stdout
    assert STORY_B in result.stdout or "32-second.story" in result.stdout


def test_mermaid_colours_nodes_by_state(project: Path) -> None:
    out = run_spx("spec", "status", "--format", "mermaid", cwd=project).stdout
    assert out.startswith("```mermaid\n") and out.rstrip().endswith("```")
    assert '["21-first.story<br/>Passing"]:::passing' in out
    assert "classDef passing fill:#2da44e" in out


def test_scoped_status_and_next(project: Path) -> None:
    result = run_spx("spec", "status", "21-app.capability/21-core.feature/21-first.story", cwd=project)
    assert "32-second" not in result.stdout
    scoped = run_spx("spec", "next", STORY_A, cwd=project)
    assert scoped.stdout.strip().startswith("All containers are Passing")


def test_next_json_and_all_passing_answer(project: Path) -> None:
    assert json.loads(run_spx("spec", "next", "--format", "json", cwd=project).stdout)["next"] == STORY_B
    write_ledger(project / "spx" / STORY_B)
    write_ledger(project / "spx/21-app.capability/21-core.feature")
    write_ledger(project / "spx/21-app.capability")
    result = run_spx("spec", "next", cwd=project)
    assert result.returncode == 0
    assert result.stdout.strip() == "All containers are Passing: nothing left to do."
    assert json.loads(run_spx("spec", "next", "--format", "json", cwd=project).stdout) == {
        "next": None,
        "all_passing": True,
    }


def test_problems_are_listed(project: Path) -> None:
    (project / "spx/21-Bad.capability").mkdir()
    result = run_spx("spec", "status", cwd=project)
    assert result.returncode == 0
    assert "Problems (1):" in result.stdout
    assert "spx/21-Bad.capability: not a valid container name" in result.stdout


def one_line_error(result: subprocess.CompletedProcess[str], code: int, *words: str) -> None:
    assert result.returncode == code
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0]


def test_no_spx_directory(tmp_path: Path) -> None:
    one_line_error(run_spx("spec", "status", cwd=tmp_path), 1, "no spx/ directory", "spx init")


def test_bare_name_is_refused(project: Path) -> None:
    one_line_error(run_spx("spec", "next", "32-second.story", cwd=project), 1, "did you mean", STORY_B)


def test_path_not_found(project: Path) -> None:
    one_line_error(run_spx("spec", "status", "99-nope.capability", cwd=project), 1, "no such container")


def test_malformed_ledger_names_file_and_line(project: Path) -> None:
    (project / "spx" / STORY_A / "pass.csv").write_bytes(b"garbage\n")
    one_line_error(run_spx("spec", "status", cwd=project), 1, f"spx/{STORY_A}/pass.csv:1:", "--stamp")


def test_unreadable_ledger_is_one_line(project: Path) -> None:
    """A ledger nobody can read (a symlink loop defeats even root) is named, with what to do."""
    ledger = project / "spx" / STORY_A / "pass.csv"
    ledger.unlink()
    ledger.symlink_to(ledger)
    one_line_error(run_spx("spec", "status", cwd=project), 1, f"spx/{STORY_A}/pass.csv", "cannot read")


def test_usage_errors_exit_2(project: Path) -> None:
    result = run_spx("spec", "status", "--format", "xml", cwd=project)
    assert result.returncode == 2
    assert "invalid choice: 'xml'" in result.stderr
    assert run_spx("frobnicate", cwd=project).returncode == 2


def test_colour_only_on_a_tty_and_never_with_no_color(project: Path) -> None:
    def on_tty(env: dict[str, str]) -> str:
        leader, follower = os.openpty()
        subprocess.run([SPX, "spec", "status"], cwd=project, stdout=follower, env=env, check=True, timeout=60)
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        os.close(leader)
        return b"".join(chunks).decode()

    base = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    assert "\033[32m[Passing]" in on_tty({**base, "TERM": "xterm"})
    assert "\033[" not in on_tty({**base, "TERM": "xterm", "NO_COLOR": "1"})
