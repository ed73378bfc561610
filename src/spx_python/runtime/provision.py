"""Provision the plugin's runtime once: locked, idempotent, recovering from an interrupted run.

Standard library only. `provision(environ, base_python, say)` returns the ready runtime dir. A ready
runtime costs one small file read. Otherwise it takes `<data>/runtime.lock` (`fcntl.flock`; a second
process says once that it waits, for at most `LOCK_WAIT_SECONDS`, then finds the runtime ready),
removes a half-built directory, builds (see `build`), and removes the runtime dirs of older pins.
Progress goes through `say` (the caller prints); installer output goes to `<data>/runtime/provision.log`.
A failed build is remembered in `<data>/runtime/last-failure.json` (see `retry_after`).
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from spx_python.atomic import write_atomic
from spx_python.runtime.build import ProvisionError, build, find_uv
from spx_python.runtime.location import (
    PINS_FILE,
    data_dir,
    is_ready,
    lock_path,
    log_path,
    pins_digest,
    python_version,
    runtime_dir,
    runtimes_dir,
)

Say = Callable[[str], None]
LOCK_WAIT_SECONDS = 15 * 60
LOCK_POLL_SECONDS = 0.2
DIGEST_DIR = re.compile(r"[0-9a-f]{12}")
TOOLS_SUMMARY = "pytest, mypy, ruff, jinja2"
FAILURE_FILE_NAME = "last-failure.json"
RETRY_AFTER_SECONDS = 5 * 60  # an offline `spx` call does not pay for a new attempt each time


@contextmanager
def held_lock(data: Path, say: Say, wait_seconds: float = LOCK_WAIT_SECONDS) -> Iterator[None]:
    """Hold `<data>/runtime.lock`; wait (saying so once) while another process holds it."""
    data.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(lock_path(data), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        deadline = time.monotonic() + wait_seconds
        waiting = False
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not waiting:
                    say(f"spx: another process is setting up spx's runtime in {runtimes_dir(data)}; "
                        f"waiting for it (up to {wait_seconds / 60:.0f} min) …")
                    waiting = True
                if time.monotonic() > deadline:
                    raise ProvisionError(
                        f"{lock_path(data)}: another process has held this lock for {wait_seconds / 60:.0f} min "
                        "— let it finish (see provision.log beside it), then run `spx runtime install`"
                    ) from None
                time.sleep(LOCK_POLL_SECONDS)
        yield
    finally:
        os.close(descriptor)  # closing releases the flock


def remove_other_runtimes(data: Path, keep: str) -> None:
    """After a successful build: the dirs of older pins (or another python) go."""
    for entry in os.scandir(runtimes_dir(data)):
        if entry.is_dir(follow_symlinks=False) and entry.name != keep and DIGEST_DIR.fullmatch(entry.name):
            shutil.rmtree(entry.path, ignore_errors=True)


def failure_path(data: Path) -> Path:
    return runtimes_dir(data) / FAILURE_FILE_NAME


def recent_failure(data: Path, digest: str, within: float) -> str | None:
    """The one-line message of a build of these pins that failed less than `within` seconds ago."""
    try:
        with open(failure_path(data), encoding="utf-8") as stored:
            failure = json.load(stored)
        fresh = failure["digest"] == digest and time.time() - float(failure["time"]) < within
        return str(failure["message"]) if fresh else None
    except (OSError, ValueError, KeyError, TypeError):
        return None


def remember_failure(data: Path, digest: str, message: str) -> None:
    record = {"digest": digest, "time": time.time(), "message": message}
    write_atomic(failure_path(data), json.dumps(record).encode())


def occasion(data: Path, force: bool) -> str:
    """Why this build happens, as the user sees it."""
    if force:
        return "rebuilding as asked"
    others = [e for e in os.scandir(runtimes_dir(data)) if DIGEST_DIR.fullmatch(e.name)]
    return "its pinned tools or python changed" if others else "first use"


def provision(
    environ: Mapping[str, str],
    base_python: str,
    say: Say,
    *,
    force: bool = False,
    retry_after: float = 0,
    pins_file: Path = PINS_FILE,
) -> Path:
    """The ready runtime dir for these pins and this python, built now if needed.

    `retry_after` > 0: a build of these pins that failed less than that many seconds ago is not retried;
    its message is raised again (the launcher's choice; `spx runtime install` always tries).
    """
    data = data_dir(environ)
    pins = pins_file.read_bytes()
    digest = pins_digest(pins, python_version())
    runtime = runtime_dir(data, digest)
    if not force and is_ready(runtime, digest):
        return runtime
    failed = recent_failure(data, digest, retry_after) if retry_after else None
    if failed is not None:
        raise ProvisionError(failed)
    with held_lock(data, say):
        if not force and is_ready(runtime, digest):
            return runtime  # another process built it while this one waited
        shutil.rmtree(runtime, ignore_errors=True)  # an interrupted build, or --force
        runtimes_dir(data).mkdir(parents=True, exist_ok=True)
        installer = "uv" if find_uv(environ) else "python3 -m venv + pip"
        say(f"spx: {occasion(data, force)} — setting up its runtime ({TOOLS_SUMMARY}) in {runtime} with {installer} …")
        try:
            with open(log_path(data), "a", encoding="utf-8") as log:
                marker = build(runtime, pins_file, base_python, environ, log)
        except ProvisionError as error:
            remember_failure(data, digest, error.message)
            raise
        failure_path(data).unlink(missing_ok=True)
        remove_other_runtimes(data, digest)
    say(f"spx: runtime ready in {marker['seconds']} s")
    return runtime
