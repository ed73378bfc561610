"""The blob-SHA cache under .spx/cache/: reused only for an unchanged, non-racy file; never a stale Passing."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from cli_runner import spx_json
from same_tick import SAME_SIZE_FAILING
from spec_builders import container, new_project, write_ledger

from spx_python.evidence.blob import file_blob_sha
from spx_python.evidence.blob_cache import CACHE_NAME, COARSE_SETTLED_NS, SETTLED_NS, settled, trusted
from spx_python.evidence.cache_frame import CACHE_DIR

STORY = "21-app.capability/21-core.feature/21-first.story"
TEST_FILE = f"spx/{STORY}/tests/first.unit.test.py"
HOUR_NS = 3600 * 10**9


def _age(root: Path, seconds: int) -> None:
    """Move every spec file's timestamps `seconds` into the past (settled files are what the cache records)."""
    for path in (root / "spx").rglob("*"):
        if path.is_file():
            stat = path.stat()
            os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns - seconds * 10**9))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    new_project(tmp_path)
    capability = container(tmp_path, "21-app.capability")
    feature = container(tmp_path, "21-app.capability/21-core.feature")
    for directory in (container(tmp_path, STORY, tests=("first.unit.test.py",)), feature, capability):
        write_ledger(directory)
    _age(tmp_path, 60)
    time.sleep(2 * SETTLED_NS / 10**9)  # ctime cannot be set back: let the files settle
    return tmp_path


def _next(root: Path) -> dict[str, object]:
    return spx_json("spec", "next", "--format", "json", cwd=root)


def _cache(root: Path) -> dict[str, list[object]]:
    document = json.loads((root / CACHE_DIR / CACHE_NAME).read_text())
    entries = document["entries"]
    assert isinstance(entries, dict)
    return entries


def _write_cache(root: Path, entries: dict[str, list[object]], written_ns: int) -> None:
    cache = root / CACHE_DIR / CACHE_NAME
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text(json.dumps({"version": 1, "entries": entries}))
    os.utime(cache, ns=(written_ns, written_ns))


def _identity_row(path: Path, sha: str) -> list[object]:
    stat = path.stat()
    return [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, sha]


def test_status_records_settled_files_and_reuses_their_shas(project: Path) -> None:
    assert _next(project)["all_passing"] is True
    entries = _cache(project)
    assert entries[TEST_FILE][4] == file_blob_sha(project / TEST_FILE)
    assert _next(project)["all_passing"] is True  # the second run reads the SHAs from the cache


def test_a_file_rewritten_with_the_same_size_and_its_mtime_restored_is_stale(project: Path) -> None:
    assert _next(project)["all_passing"] is True
    test_file = project / TEST_FILE
    before = test_file.stat()
    test_file.write_text(SAME_SIZE_FAILING)
    os.utime(test_file, ns=(before.st_atime_ns, before.st_mtime_ns))  # same size, same mtime: only ctime moved
    assert test_file.stat().st_size == before.st_size
    assert _next(project) == {"next": STORY, "all_passing": False, "kind": "story", "state": "Stale"}


def test_an_entry_older_than_the_cache_file_is_used(project: Path) -> None:
    """A cached SHA is really read: a crafted wrong SHA for an unchanged file shows (Stale, the safe side)."""
    test_file = project / TEST_FILE
    _write_cache(project, {TEST_FILE: _identity_row(test_file, "0" * 40)}, test_file.stat().st_ctime_ns + HOUR_NS)
    assert _next(project)["state"] == "Stale"


def test_an_entry_as_new_as_the_cache_file_is_racy_and_rehashed(project: Path) -> None:
    """git's racy rule: the file may have changed within the tick the cache was written in, so it is hashed again."""
    test_file = project / TEST_FILE
    racy = test_file.stat().st_ctime_ns
    _write_cache(project, {TEST_FILE: _identity_row(test_file, "0" * 40)}, racy)
    assert _next(project)["all_passing"] is True


@pytest.mark.parametrize("garbage", [b"", b"\x00\xff not json", b"[1, 2]", b'{"version": 1, "entries": {"x": 5}}'])
def test_a_garbage_cache_file_is_ignored_and_rebuilt(project: Path, garbage: bytes) -> None:
    cache = project / CACHE_DIR / CACHE_NAME
    cache.parent.mkdir(parents=True)
    cache.write_bytes(garbage)
    assert _next(project)["all_passing"] is True
    assert _cache(project)[TEST_FILE][4] == file_blob_sha(project / TEST_FILE)


def test_a_file_not_yet_settled_is_hashed_but_not_recorded(project: Path) -> None:
    """A timestamp at or after the run's start (here: an hour ahead, whatever the machine's load) is not recorded."""
    test_file = project / TEST_FILE
    test_file.write_text(SAME_SIZE_FAILING)
    future = time.time_ns() + HOUR_NS
    os.utime(test_file, ns=(future, future))
    assert _next(project)["state"] == "Stale"
    cache = project / CACHE_DIR / CACHE_NAME
    assert not cache.exists() or TEST_FILE not in _cache(project)


def test_trust_needs_the_same_identity_and_timestamps_older_than_the_cache_write() -> None:
    ident = (10, 1_000, 1_000, 7)
    assert trusted(ident, ident, 1_001)
    assert not trusted(ident, ident, 1_000)  # same tick as the cache write: racy
    assert not trusted(ident, (10, 1_000, 1_001, 7), 2_000)  # rewritten: ctime moved
    assert not trusted(ident, (10, 1_000, 1_000, 8), 2_000)  # another inode (replaced by rename)
    assert not trusted(ident, (11, 1_000, 1_000, 7), 2_000)


def test_only_files_untouched_for_the_settle_time_are_recorded() -> None:
    started = 100 * COARSE_SETTLED_NS + 1
    early = started - SETTLED_NS - 1
    assert settled((1, early, early, 1), started)
    assert not settled((1, early, started - SETTLED_NS, 1), started)


def test_whole_second_timestamps_settle_only_after_the_coarse_time() -> None:
    started = 100 * COARSE_SETTLED_NS
    whole_second = started - COARSE_SETTLED_NS // 2
    assert whole_second % 10**9 == 0
    assert not settled((1, whole_second, whole_second + 1, 1), started)
    assert settled((1, whole_second - COARSE_SETTLED_NS, whole_second - COARSE_SETTLED_NS + 1, 1), started)
