"""A small real project for the ledger tests: a `calc` package, a spec tree whose tests import it,
a `git init` repository, and helpers to break code, record review verdicts and read ledgers (tests only).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from cli_runner import run_spx

from spx_python.evidence.ledger import Ledger, parse_ledger
from spx_python.evidence.review_verdicts import files_digest
from spx_python.spec.tree import LEDGER_NAME, PRODUCT_GUIDE_NAME, SPEC_ROOT_NAME, TESTS_DIR_NAME
from spx_python.workflow.journal import append_event

CAPABILITY = "21-math.capability"
FEATURE = f"{CAPABILITY}/21-arith.feature"
ADD_STORY = f"{FEATURE}/21-add.story"
SUB_STORY = f"{FEATURE}/32-sub.story"
PYPROJECT = """\
[project]
name = "calc"
version = "0.1.0"

[tool.pytest.ini_options]
pythonpath = ["src"]
"""
CALC = "def add(a: int, b: int) -> int:\n    return a + b\n\n\ndef sub(a: int, b: int) -> int:\n    return a - b\n"
BROKEN_ADD = "return a + b + 1"
ADD_TEST = "from calc import add\n\n\ndef test_add() -> None:\n    assert add(2, 3) == 5\n"
ADD_EDGE_TEST = 'from calc import add\n\n\ndef test_add_is_named() -> None:\n    assert add.__name__ == "add"\n'
SUB_TEST = "from calc import sub\n\n\ndef test_sub() -> None:\n    assert sub(5, 3) == 2\n"
FEATURE_TEST = "from calc import add, sub\n\n\ndef test_round_trip() -> None:\n    assert sub(add(4, 3), 3) == 4\n"
FAILING_TEST = "def test_not_yet() -> None:\n    assert 1 == 2\n"
PASSING_TEST = "def test_ok() -> None:\n    assert True\n"
CALC_MODULE = "src/calc/__init__.py"
GIT_IDENTITY = ("-c", "user.email=dev@example.com", "-c", "user.name=dev")


def container_dir(project: Path, full_path: str) -> Path:
    return project / SPEC_ROOT_NAME / full_path


def add_container(project: Path, full_path: str, tests: dict[str, str] | None = None) -> Path:
    directory = container_dir(project, full_path)
    directory.mkdir(parents=True, exist_ok=True)
    slug, kind = directory.name.split("-", 1)[1].rsplit(".", 1)
    (directory / f"{slug}.{kind}.md").write_text(f"# {slug}\n\nThe {slug} {kind}.\n")
    for name, text in (tests or {}).items():
        write_test(project, full_path, name, text)
    return directory


def write_test(project: Path, full_path: str, name: str, text: str) -> Path:
    path = container_dir(project, full_path) / TESTS_DIR_NAME / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def make_project(root: Path, *, require_review: bool = True) -> Path:
    """capability → feature (one integration test) → stories add (two unit tests) and sub (one); git-committed."""
    (root / SPEC_ROOT_NAME).mkdir(parents=True)
    (root / SPEC_ROOT_NAME / PRODUCT_GUIDE_NAME).write_text("# calc\n")
    review_setting = "" if require_review else "\n[tool.spx]\nrequire_review = false\n"
    (root / "pyproject.toml").write_text(PYPROJECT + review_setting)
    (root / "src" / "calc").mkdir(parents=True)
    (root / CALC_MODULE).write_text(CALC)
    (root / ".gitignore").write_text(".spx/\n__pycache__/\n")
    add_container(root, CAPABILITY)
    add_container(root, FEATURE, {"arith.integration.test.py": FEATURE_TEST})
    add_container(root, ADD_STORY, {"add.unit.test.py": ADD_TEST, "edge.unit.test.py": ADD_EDGE_TEST})
    add_container(root, SUB_STORY, {"sub.unit.test.py": SUB_TEST})
    git(root, "init", "-q")
    commit_all(root, "initial")
    return root


def git(project: Path, *args: str) -> str:
    result = subprocess.run(["git", *GIT_IDENTITY, *args], cwd=project, capture_output=True, text=True, check=True)
    return result.stdout


def commit_all(project: Path, message: str) -> None:
    git(project, "add", "-A")
    git(project, "commit", "-q", "--allow-empty", "-m", message)


def break_add(project: Path) -> None:
    module = project / CALC_MODULE
    module.write_text(module.read_text().replace("return a + b", BROKEN_ADD))


def record_verdict(project: Path, full_path: str, decision: str = "APPROVED") -> None:
    """Append a review verdict as `spx review` records it: the reviewed files (the container's spec and
    tests, and the calc source) pinned by their digest."""
    directory = container_dir(project, full_path)
    reviewed = [p for p in directory.rglob("*.*.md") if p.is_file()] + list(directory.glob("tests/*.py"))
    files = sorted(p.relative_to(project).as_posix() for p in [*reviewed, project / CALC_MODULE])
    event = {"time": "2026-11-25T10:00:00Z", "session": None, "story": full_path, "step": "review"}
    details = {"reason": "test", "report": "", "digest": files_digest(project, files), "files": files}
    append_event(project, {**event, "decision": decision, **details})


def stamp(project: Path, full_path: str, *extra: str) -> str:
    """Stamp a container (approving it first: every level needs its review); returns stdout, asserts success."""
    record_verdict(project, full_path)
    result = run_spx("spec", "test", "--stamp", *extra, full_path, cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def stamp_tree(project: Path) -> None:
    for path in (ADD_STORY, SUB_STORY, FEATURE, CAPABILITY):
        stamp(project, path)


def ledger_bytes(project: Path, full_path: str) -> bytes:
    return (container_dir(project, full_path) / LEDGER_NAME).read_bytes()


def read_ledger(project: Path, full_path: str) -> Ledger:
    return parse_ledger(ledger_bytes(project, full_path), full_path)
