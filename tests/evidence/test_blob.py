"""Blob SHAs equal `git hash-object --no-filters`, checked against real git."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spx_python.evidence.blob import blob_sha, file_blob_sha


def git_hash(path: Path) -> str:
    return subprocess.run(
        ["git", "hash-object", "--no-filters", str(path)], capture_output=True, text=True, check=True
    ).stdout.strip()


@pytest.mark.parametrize(
    "content",
    [b"", b"hello\n", b"line one\r\nline two\r\n", b"\x00\x01\x02\xff binary \x00", "héllo ✓\n".encode()],
    ids=["empty", "text", "crlf", "binary", "utf8"],
)
def test_blob_sha_matches_git(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "file"
    path.write_bytes(content)
    assert file_blob_sha(path) == git_hash(path)


def test_crlf_is_hashed_as_stored_even_with_autocrlf(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    subprocess.run(["git", "-C", str(tmp_path), "config", "core.autocrlf", "true"], check=True)
    path = tmp_path / "spec.md"
    path.write_bytes(b"a\r\nb\r\n")
    assert file_blob_sha(path) == git_hash(path)
    assert file_blob_sha(path) != blob_sha(b"a\nb\n")


@settings(max_examples=25, deadline=None)
@given(st.binary(max_size=2048))
def test_any_bytes_match_git(tmp_path_factory: pytest.TempPathFactory, content: bytes) -> None:
    path = tmp_path_factory.mktemp("blob") / "f"
    path.write_bytes(content)
    assert file_blob_sha(path) == git_hash(path)
