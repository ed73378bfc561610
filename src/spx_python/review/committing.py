"""`spx commit`: commit exactly what an APPROVED, still-current review covered, and nothing else.

Staged: the reviewed files (specs, tests and helpers, the source the review covered), the ledgers
(`pass.csv`) of the container's subtree, deletions of tracked test files, and the set-up the story's
context needs when it is not committed yet — the documents `spx spec context` reads (`spx/CLAUDE.md`, the
specs and ADRs up the chain) and the files `spx init` wrote, as it wrote them — so a fresh clone of the
commit loads the story's context. Refused: no verdict, a REJECTED verdict, a verdict whose files changed
since, or other files already staged.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from spx_python import git
from spx_python.errors import SpxError
from spx_python.evidence.review_verdicts import Verdict, latest_verdict, stale_reason
from spx_python.setup.init_files import unchanged_since_init
from spx_python.spec.context import ContextOk, check_context
from spx_python.spec.tree import Container, scan

COMMIT_TYPE = "feat"
REFS_TRAILER = "Refs"
MAX_NAMED_FILES = 10


@dataclass(frozen=True)
class CommitPlan:
    top: Path
    paths: tuple[Path, ...]
    message: str


def commit_message(container: Container) -> str:
    segments = container.path.split("/")
    parent = segments[-2] if len(segments) > 1 else segments[-1]
    scope = parent.split("-", 1)[-1].rsplit(".", 1)[0]
    return f"{COMMIT_TYPE}({scope}): implement {container.slug} {container.kind}\n\n{REFS_TRAILER}: {container.path}\n"


def approved_verdict(project_root: Path, container: Container) -> Verdict:
    """The latest verdict, if it is APPROVED and still vouches for the container; else SpxError saying what to do."""
    full_path = container.path
    verdict = latest_verdict(project_root, full_path)
    if verdict is None:
        raise SpxError(f"{full_path}: never reviewed — run `spx review {full_path}` first")
    if not verdict.approved:
        raise SpxError(
            f"{full_path}: the latest review ({verdict.time}) is {verdict.decision} — fix the findings in "
            f"{verdict.report}, then run `spx review {full_path}` again"
        )
    stale = stale_reason(project_root, verdict, container)
    if stale is not None:
        raise SpxError(f"{full_path}: {stale} at {verdict.time} — run `spx review {full_path}` again, then commit")
    return verdict


def _named(paths: Iterable[Path], top: Path) -> str:
    names = sorted(path.relative_to(top).as_posix() for path in paths)
    shown = ", ".join(names[:MAX_NAMED_FILES])
    return shown + (f" (+{len(names) - MAX_NAMED_FILES} more)" if len(names) > MAX_NAMED_FILES else "")


def setup_files(root: Path, top: Path, container: Container) -> list[Path]:
    """What a fresh clone needs to load the container's context, and HEAD lacks: the context's documents
    not committed yet, and the files `spx init` wrote that still hold exactly what it wrote."""
    context = check_context(scan(root), container.path)
    documents = [root / name for name in context.paths] if isinstance(context, ContextOk) else []
    return git.not_in_head(top, documents) + uncommitted_init_files(root, top)


def uncommitted_init_files(root: Path, top: Path) -> list[Path]:
    """The files `spx init` wrote, still as it wrote them, that differ from HEAD (or are untracked)."""
    changed = set(git.changed_files(top))
    return [path for path in unchanged_since_init(root) if path in changed]


def plan_commit(project_root: Path, container: Container) -> CommitPlan:
    root = project_root.resolve()
    top = git.toplevel(root)
    if top is None:
        raise SpxError(f"{root}: not inside a git work tree — run `git init` (and commit a baseline) first")
    verdict = approved_verdict(root, container)
    reviewed = [root / name for name in verdict.files]
    containers = list(container.walk())
    ledgers = [c.ledger_file for c in containers if c.ledger_file.is_file()]
    deleted = git.deleted_files(top, [c.tests_dir for c in containers])
    setup = setup_files(root, top, container)
    paths = tuple(sorted({p for p in reviewed if p.exists()} | set(ledgers) | set(deleted) | set(setup)))
    unrelated = set(git.staged_files(top)) - set(paths)
    if unrelated:
        raise SpxError(
            f"{container.path}: other files are already staged: {_named(unrelated, top)} — unstage them "
            "(`git restore --staged <file>`) or commit them separately, then run spx commit again"
        )
    return CommitPlan(top, paths, commit_message(container))


def commit(project_root: Path, container: Container) -> str:
    """Stage the plan's files, commit them, and return the new commit's SHA."""
    plan = plan_commit(project_root, container)
    git.add(plan.top, plan.paths)
    if not git.staged_files(plan.top):
        raise SpxError(f"{container.path}: nothing to commit — the reviewed files are already committed")
    return git.commit(plan.top, plan.message)
