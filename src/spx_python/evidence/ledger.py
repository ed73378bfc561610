"""`pass.csv`, the test-evidence ledger: strict parsing (errors carry line numbers) and canonical formatting.

Standard library only (hooks import it). Format (LF line endings, UTF-8, no BOM):

    # spec_blob,<40-hex blob of {slug}.{type}.md>
    # run,<YYYY-MM-DDTHH:MM:SSZ>
    # child,<NN-slug.type>,<40-hex blob of that child's pass.csv>     (parents only, one per child)
    test_file,test_blob,pass_time
    <name relative to tests/>,<40-hex blob>,<YYYY-MM-DDTHH:MM:SSZ>
"""

from __future__ import annotations

import re
import time
from typing import NamedTuple

from spx_python.errors import SpxError
from spx_python.evidence.blob import is_blob_sha
from spx_python.spec.bsp import parse_container_name
from spx_python.spec.tree import LEDGER_NAME, PATH_SEPARATOR, SPEC_ROOT_NAME, TEST_FILE_SUFFIXES

SPEC_BLOB_KEY = "# spec_blob"
RUN_KEY = "# run"
CHILD_KEY = "# child"
HEADER = "test_file,test_blob,pass_time"
FIELD_SEPARATOR = ","
TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%SZ"  # ledgers, and review verdicts (their time names the report)
TIMESTAMP_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z\Z")
RESTAMP_HINT = "re-stamp with `spx spec test --stamp {path}` (never edit pass.csv by hand)"
LEDGER_SUFFIX = PATH_SEPARATOR + LEDGER_NAME
SPEC_PREFIX = SPEC_ROOT_NAME + PATH_SEPARATOR


def restamp_command_path(source: str) -> str:
    """The container's full path in a ledger's display path `spx/<full path>/pass.csv` (else `PATH`)."""
    if source.startswith(SPEC_PREFIX) and source.endswith(LEDGER_SUFFIX):
        return source[len(SPEC_PREFIX) : -len(LEDGER_SUFFIX)]
    return "PATH"


def utc_timestamp() -> str:
    """Now, in UTC, as ledgers record it (`YYYY-MM-DDTHH:MM:SSZ`)."""
    return time.strftime(TIMESTAMP_FORMAT, time.gmtime())


class LedgerRow(NamedTuple):
    test_file: str
    test_blob: str
    pass_time: str


class ChildEntry(NamedTuple):
    name: str
    ledger_blob: str


class Ledger(NamedTuple):
    spec_blob: str
    run: str
    children: tuple[ChildEntry, ...]
    rows: tuple[LedgerRow, ...]

    def row(self, test_file: str) -> LedgerRow | None:
        return next((r for r in self.rows if r.test_file == test_file), None)

    def child(self, name: str) -> ChildEntry | None:
        return next((c for c in self.children if c.name == name), None)


class LedgerFormatError(SpxError):
    """A `pass.csv` that does not follow the format; the message names the file and line."""

    def __init__(self, source: str, line: int, problem: str) -> None:
        hint = RESTAMP_HINT.format(path=restamp_command_path(source))
        super().__init__(f"{source}:{line}: malformed ledger: {problem} — {hint}")
        self.source = source
        self.line = line
        self.problem = problem


def _fields(line: str, count: int, source: str, number: int) -> list[str]:
    fields = line.split(FIELD_SEPARATOR)
    if len(fields) != count:
        raise LedgerFormatError(source, number, f"expected {count} comma-separated fields, found {len(fields)}")
    return fields


def _check_sha(value: str, what: str, source: str, number: int) -> str:
    if not is_blob_sha(value):
        raise LedgerFormatError(source, number, f"{what} is not a 40-character lower-case hex blob SHA: {value!r}")
    return value


def _check_time(value: str, source: str, number: int) -> str:
    if not TIMESTAMP_RE.match(value):
        raise LedgerFormatError(source, number, f"time {value!r} is not YYYY-MM-DDTHH:MM:SSZ")
    return value


def _decode(data: bytes, source: str) -> list[str]:
    if not data:
        raise LedgerFormatError(source, 1, "the file is empty")
    if data.startswith(b"\xef\xbb\xbf"):
        raise LedgerFormatError(source, 1, "starts with a byte-order mark")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise LedgerFormatError(source, line, "not valid UTF-8") from None
    if "\r" in text:
        raise LedgerFormatError(source, text[: text.index("\r")].count("\n") + 1, "CRLF or CR line ending")
    if "\0" in text:
        raise LedgerFormatError(source, text[: text.index("\0")].count("\n") + 1, "NUL byte")
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return lines


def _parse_row(line: str, source: str, number: int, seen: set[str]) -> LedgerRow:
    test_file, test_blob, pass_time = _fields(line, 3, source, number)
    if "/" in test_file or "\\" in test_file or not test_file.endswith(TEST_FILE_SUFFIXES):
        raise LedgerFormatError(source, number, f"test_file {test_file!r} is not a test file name in tests/")
    if test_file in seen:
        raise LedgerFormatError(source, number, f"duplicate row for {test_file}")
    seen.add(test_file)
    return LedgerRow(
        test_file, _check_sha(test_blob, "test_blob", source, number), _check_time(pass_time, source, number)
    )


def parse_ledger(data: bytes, source: str) -> Ledger:
    """Parse a ledger; `source` (the path shown to the user) prefixes every error."""
    lines = _decode(data, source)
    key, spec_blob = _fields(lines[0], 2, source, 1) if lines else ("", "")
    if key != SPEC_BLOB_KEY:
        raise LedgerFormatError(source, 1, f"expected '{SPEC_BLOB_KEY},<sha>'")
    if len(lines) < 3:
        raise LedgerFormatError(source, len(lines) + 1, f"too short: needs {SPEC_BLOB_KEY}, {RUN_KEY} and the header")
    key, run = _fields(lines[1], 2, source, 2)
    if key != RUN_KEY:
        raise LedgerFormatError(source, 2, f"expected '{RUN_KEY},<time>'")
    children: list[ChildEntry] = []
    index = 2
    while index < len(lines) and lines[index].startswith(CHILD_KEY + FIELD_SEPARATOR):
        _, name, blob = _fields(lines[index], 3, source, index + 1)
        if parse_container_name(name) is None:
            raise LedgerFormatError(source, index + 1, f"child {name!r} is not a container name")
        if any(c.name == name for c in children):
            raise LedgerFormatError(source, index + 1, f"duplicate child line for {name}")
        children.append(ChildEntry(name, _check_sha(blob, "child ledger blob", source, index + 1)))
        index += 1
    if index >= len(lines) or lines[index] != HEADER:
        raise LedgerFormatError(source, index + 1, f"expected the header '{HEADER}'")
    seen: set[str] = set()
    rows = tuple(_parse_row(line, source, number, seen) for number, line in enumerate(lines[index + 1 :], index + 2))
    return Ledger(
        spec_blob=_check_sha(spec_blob, "spec_blob", source, 1),
        run=_check_time(run, source, 2),
        children=tuple(children),
        rows=rows,
    )


def format_ledger(ledger: Ledger) -> bytes:
    lines = [f"{SPEC_BLOB_KEY},{ledger.spec_blob}", f"{RUN_KEY},{ledger.run}"]
    lines.extend(f"{CHILD_KEY},{c.name},{c.ledger_blob}" for c in ledger.children)
    lines.append(HEADER)
    lines.extend(f"{r.test_file},{r.test_blob},{r.pass_time}" for r in ledger.rows)
    return ("\n".join(lines) + "\n").encode()
