"""`pass.csv` parsing: the canonical format round-trips; every malformation names its line."""

from __future__ import annotations

import pytest

from spx_python.evidence.ledger import ChildEntry, Ledger, LedgerFormatError, LedgerRow, format_ledger, parse_ledger

SHA_A = "a" * 40
SHA_B = "b" * 40
TIME = "2026-01-28T14:15:00Z"
GOOD = f"# spec_blob,{SHA_A}\n# run,{TIME}\n# child,21-login.story,{SHA_B}\ntest_file,test_blob,pass_time\n"
GOOD_ROW = f"parsing.unit.test.py,{SHA_B},{TIME}\n"


def test_round_trip() -> None:
    ledger = Ledger(
        SHA_A, TIME, (ChildEntry("21-login.story", SHA_B),), (LedgerRow("parsing.unit.test.py", SHA_B, TIME),)
    )
    data = format_ledger(ledger)
    assert data == (GOOD + GOOD_ROW).encode()
    assert parse_ledger(data, "x/pass.csv") == ledger


@pytest.mark.parametrize(
    ("data", "line", "words"),
    [
        (b"", 1, "empty"),
        (b"\xef\xbb\xbf" + (GOOD + GOOD_ROW).encode(), 1, "byte-order mark"),
        ((GOOD + GOOD_ROW).replace("\n", "\r\n").encode(), 1, "CRLF"),
        (GOOD.replace("test_file,test_blob,pass_time", "file,blob,time").encode(), 4, "header"),
        ((GOOD + f"parsing.unit.test.py,{SHA_B[:-1]},{TIME}\n").encode(), 5, "40-character"),
        ((GOOD + GOOD_ROW + GOOD_ROW).encode(), 6, "duplicate row"),
        (f"# spec_blob,{SHA_A.upper()}\n# run,{TIME}\ntest_file,test_blob,pass_time\n".encode(), 1, "spec_blob"),
        ((GOOD + f"parsing.unit.test.py,{SHA_B},yesterday\n").encode(), 5, "YYYY"),
        ((GOOD + f"../escape.unit.test.py,{SHA_B},{TIME}\n").encode(), 5, "test file name"),
        ((GOOD + f"helper.py,{SHA_B},{TIME}\n").encode(), 5, "test file name"),
        (f"# run,{TIME}\n# spec_blob,{SHA_A}\ntest_file,test_blob,pass_time\n".encode(), 1, "spec_blob"),
        (b"# spec_blob," + SHA_A.encode() + b"\n", 2, "too short"),
        (GOOD.encode() + b"x\xff\xfe\n", 5, "UTF-8"),
    ],
    ids=[
        "empty",
        "bom",
        "crlf",
        "header",
        "short-sha",
        "dup",
        "upper-sha",
        "time",
        "dotdot",
        "non-test",
        "order",
        "short",
        "utf8",
    ],
)
def test_malformed_ledgers_name_their_line(data: bytes, line: int, words: str) -> None:
    with pytest.raises(LedgerFormatError) as caught:
        parse_ledger(data, "spx/21-a.capability/pass.csv")
    assert caught.value.line == line
    assert words in caught.value.message
    assert caught.value.message.startswith(f"spx/21-a.capability/pass.csv:{line}:")
    assert "spx spec test --stamp" in caught.value.message
