"""The only module that runs git: plain subprocess, `-z` output split on NUL, a timeout on every call.

Inherited `GIT_*` variables are stripped (a hook or an outer git process must not redirect us to
another repository or index). Every path crossing this module's boundary is an absolute `Path`.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from spx_python.errors import SpxError

GIT = "git"
GIT_ENV_PREFIX = "GIT_"
TIMEOUT_SECONDS = 60.0
COMMIT_TIMEOUT_SECONDS = 600.0  # the user's own pre-commit hooks run inside `git commit`
NUL = "\0"
HEAD = "HEAD"


@dataclass(frozen=True)
class GitResult:
    returncode: int
    stdout: str
    stderr: str


def _environment() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(GIT_ENV_PREFIX)}
    env["GIT_TERMINAL_PROMPT"] = "0"
    return env


def run_git(cwd: Path, args: Sequence[str], *, timeout: float = TIMEOUT_SECONDS, stdin: str | None = None) -> GitResult:
    """Run `git ARGS` in `cwd`; raise SpxError when git is missing or times out (never on exit status)."""
    try:
        done = subprocess.run(
            [GIT, *args],
            cwd=cwd,
            input="" if stdin is None else stdin,  # never inherit our stdin
            env=_environment(),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except (FileNotFoundError, NotADirectoryError):
        if not Path(cwd).is_dir():
            raise SpxError(f"{cwd}: no such directory — run spx from inside the project") from None
        raise SpxError(f"{cwd}: git is not installed or not on PATH — install git") from None
    except subprocess.TimeoutExpired:
        raise SpxError(f"{cwd}: `git {' '.join(args)}` took longer than {timeout:.0f} s — retry") from None
    return GitResult(done.returncode, done.stdout, done.stderr)


def _checked(cwd: Path, args: Sequence[str], *, timeout: float = TIMEOUT_SECONDS) -> str:
    result = run_git(cwd, args, timeout=timeout)
    if result.returncode != 0:
        detail = result.stderr.strip().splitlines()[-1] if result.stderr.strip() else f"exit {result.returncode}"
        raise SpxError(f"{cwd}: `git {' '.join(args)}` failed: {detail}")
    return result.stdout


def _split(output: str) -> list[str]:
    return [item for item in output.split(NUL) if item]


def toplevel(cwd: Path) -> Path | None:
    """The work tree root containing `cwd`, or None when `cwd` is not inside a git work tree."""
    result = run_git(cwd, ["rev-parse", "--show-toplevel"])
    if result.returncode != 0:
        return None
    return Path(result.stdout.strip()).resolve()


def has_head(root: Path) -> bool:
    return run_git(root, ["rev-parse", "--verify", "--quiet", HEAD]).returncode == 0


def _absolute(root: Path, names: list[str]) -> list[Path]:
    return [root / name for name in names]


def changed_files(root: Path) -> list[Path]:
    """Files differing from HEAD (staged or not) plus untracked, not-ignored ones; before a first commit, all."""
    if has_head(root):
        changed = _split(_checked(root, ["diff", "--name-only", "-z", "--no-renames", HEAD, "--"]))
    else:
        changed = _split(_checked(root, ["ls-files", "-z", "--full-name"]))
    untracked = _split(_checked(root, ["ls-files", "-z", "--full-name", "--others", "--exclude-standard"]))
    return sorted(set(_absolute(root, changed + untracked)))


def staged_files(root: Path) -> list[Path]:
    """Paths whose index entry differs from HEAD (or every indexed path before a first commit)."""
    if has_head(root):
        names = _split(_checked(root, ["diff", "--cached", "--name-only", "-z", "--no-renames", HEAD, "--"]))
    else:
        names = _split(_checked(root, ["ls-files", "-z", "--full-name", "--cached"]))
    return _absolute(root, names)


def add(root: Path, paths: Sequence[Path]) -> None:
    """Stage exactly these paths (additions, modifications and deletions); never the whole tree."""
    if not paths:
        return
    relative = [path.relative_to(root).as_posix() for path in paths]
    _checked(root, ["add", "--all", "--", *relative])


def commit(root: Path, message: str) -> str:
    """Commit the index with `message` (the user's hooks run) and return the new commit's SHA."""
    args = ["commit", "--quiet", "--file", "-", "--cleanup=strip"]
    result = run_git(root, args, timeout=COMMIT_TIMEOUT_SECONDS, stdin=message)
    if result.returncode != 0:
        detail = (result.stderr.strip() or result.stdout.strip() or f"exit {result.returncode}").splitlines()[-1]
        raise SpxError(f"{root}: git commit failed: {detail} — fix the cause, then run spx commit again")
    return _checked(root, ["rev-parse", HEAD]).strip()


def deleted_files(root: Path, under: Sequence[Path]) -> list[Path]:
    """Tracked files below the given directories that are gone from the work tree."""
    existing = [path.relative_to(root).as_posix() for path in under if path.exists()]
    if not existing:
        return []
    return _absolute(root, _split(_checked(root, ["ls-files", "-z", "--full-name", "--deleted", "--", *existing])))


def not_in_head(root: Path, paths: Sequence[Path]) -> list[Path]:
    """The given existing paths that HEAD does not hold (all of them before a first commit)."""
    existing = [path for path in paths if path.exists()]
    if not existing or not has_head(root):
        return existing
    relative = [path.relative_to(root).as_posix() for path in existing]
    held = set(_split(_checked(root, ["ls-tree", "-r", "-z", "--name-only", "--full-name", HEAD, "--", *relative])))
    return [path for path, name in zip(existing, relative, strict=True) if name not in held]


def _commit_or_none(root: Path, args: Sequence[str]) -> str | None:
    result = run_git(root, args)
    sha = result.stdout.strip().splitlines()[0] if result.returncode == 0 and result.stdout.strip() else ""
    return sha or None


def commit_at(root: Path, time: str) -> str | None:
    """The commit HEAD's first-parent history was at when `time` (ISO-8601) came, or None (none that old)."""
    return _commit_or_none(root, ["rev-list", "-1", "--first-parent", f"--before={time}", HEAD])


def merge_base(root: Path, branches: Sequence[str]) -> tuple[str, str] | None:
    """(branch, merge-base of HEAD with it) for the first of `branches` that exists, or None."""
    for branch in branches:
        if run_git(root, ["rev-parse", "--verify", "--quiet", f"{branch}^{{commit}}"]).returncode != 0:
            continue
        sha = _commit_or_none(root, ["merge-base", HEAD, branch])
        if sha is not None:
            return branch, sha
    return None


def head_commit(root: Path) -> str | None:
    return _commit_or_none(root, ["rev-parse", "--verify", "--quiet", HEAD])


def diff_zero_context(root: Path, base: str) -> str:
    """`git diff -U0 BASE` of the work tree (staged and unstaged), paths unquoted, no renames."""
    args = ["-c", "core.quotePath=false", "diff", "-U0", "--no-color", "--no-ext-diff", "--no-renames"]
    return _checked(root, [*args, "--src-prefix=a/", "--dst-prefix=b/", base, "--"])


def untracked_files(root: Path) -> list[Path]:
    return _absolute(root, _split(_checked(root, ["ls-files", "-z", "--full-name", "--others", "--exclude-standard"])))


def export_tree(root: Path, commit: str, destination: Path) -> None:
    """Write the files of `commit` under `destination` (`git archive`: the repository is only read)."""
    import io  # noqa: PLC0415 - only the existing-suite guard needs these, and only after a failure
    import tarfile  # noqa: PLC0415

    try:
        done = subprocess.run(
            [GIT, "archive", "--format=tar", commit],
            cwd=root,
            env=_environment(),
            capture_output=True,
            timeout=COMMIT_TIMEOUT_SECONDS,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise SpxError(f"{root}: `git archive {commit}` could not run ({error}) — retry") from None
    if done.returncode != 0:
        raise SpxError(f"{root}: `git archive {commit}` failed: {done.stderr.decode(errors='replace').strip()}")
    with tarfile.open(fileobj=io.BytesIO(done.stdout)) as archive:
        if hasattr(tarfile, "data_filter"):
            archive.extractall(destination, filter="data")
        else:  # Python 3.10 before 3.10.12: no extraction filters; the archive is the user's own commit
            archive.extractall(destination)  # noqa: S202


def version(cwd: Path) -> str | None:
    """`git --version`'s version number, or None when git is not installed."""
    try:
        result = run_git(cwd, ["--version"])
    except SpxError:
        return None
    if result.returncode != 0:
        return None
    return result.stdout.strip().rpartition(" ")[2] or None
