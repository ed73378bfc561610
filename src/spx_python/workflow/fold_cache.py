"""The journal's fold, remembered (`.spx/cache/fold.marshal`): every story's progress after the journal's
first bytes, so a hook parses only the lines appended since.

Every workflow hook folds the whole journal (`machine.fold`), and a project's journal grows by a dozen lines
a story: at 3,000 lines parsing and folding it costs a hook ~15-35 ms. The journal is append-only, so the
fold of its first N bytes stays right while those bytes are unchanged: the cache keeps N, a CRC-32 of those
bytes, how many events they held, the sessions that orchestrate and each story's progress. A read takes the
whole journal (one read), checks the CRC of its first N bytes and folds only the lines after them; anything
else — a shorter or edited journal, another rejection cap, an edit to the fold's code, a damaged file — and
the whole journal is folded, exactly as without it. It is rewritten once enough new lines have piled up.
Lean, standard library only: the Skill hook calls it on every decision.
"""

from __future__ import annotations

import binascii
import marshal

from spx_python.evidence.cache_frame import UNUSABLE, cache_path, code_key, frame, read_framed
from spx_python.names import TYPE_CHECKING
from spx_python.workflow.journal import parse_events, read_journal
from spx_python.workflow.machine import StoryProgress, fold_on

if TYPE_CHECKING:
    from pathlib import Path

FOLD_NAME = "fold.marshal"
CACHE_KIND = "fold"
FORMAT_VERSION = 1
FOLDING_MODULES = ("machine.py", "journal.py", "fold_cache.py")
REWRITE_AFTER = 32  # events folded beyond the remembered ones before the cache is written again


def fold_file(project_root: Path | str) -> str:
    return cache_path(project_root, FOLD_NAME)


class Folded:
    """The fold of the journal's first `length` bytes: how many events they held, the sessions that orchestrate,
    and each story's progress."""

    __slots__ = ("count", "length", "progress", "sessions")

    def __init__(self, length: int = 0, count: int = 0, sessions: set[str] | None = None,
                 progress: dict[str, StoryProgress] | None = None) -> None:  # fmt: skip
        self.length = length
        self.count = count
        self.sessions = set() if sessions is None else sessions
        self.progress = {} if progress is None else progress


def _remembered(project_root: Path | str, journal: bytes, cap: int) -> Folded:
    """The remembered fold when it holds for `journal` (its first bytes unchanged), else the fold of nothing."""
    try:
        body = read_framed(fold_file(project_root), CACHE_KIND, FORMAT_VERSION)
        if body is None:
            return Folded()
        code, remembered_cap, length, check, count, sessions, rows = marshal.loads(body)  # noqa: S302 - spx's own file under .spx/ (guarded from the model), checked
        if code != code_key(__file__, FOLDING_MODULES) or remembered_cap != cap or length > len(journal):
            return Folded()
        if binascii.crc32(memoryview(journal)[:length]) != check:
            return Folded()
        return Folded(length, count, set(sessions), {row[0]: StoryProgress(*row) for row in rows})
    except UNUSABLE:
        return Folded()


def progress(project_root: Path | str, cap: int) -> dict[str, StoryProgress]:
    """Every story's progress, exactly as `machine.fold(read_events(root)[0], cap)` gives it."""
    return folded(project_root, cap).progress


def folded(project_root: Path | str, cap: int) -> Folded:
    """The fold of the whole journal: each story's progress (as `progress`), the sessions that launched an
    orchestration, and how many events it held."""
    journal = read_journal(project_root)
    known = _remembered(project_root, journal, cap)
    end = max(journal.rfind(b"\n") + 1, known.length)  # what is remembered ends with a complete line
    events, _ = parse_events(memoryview(journal)[known.length : end])
    fold_on(events, cap, known.progress, known.sessions, known.count)
    count = known.count + len(events)
    if len(events) >= REWRITE_AFTER:
        _remember(project_root, journal[:end], cap, Folded(end, count, known.sessions, known.progress))
    if end < len(journal):  # a last line without its newline counts, as read_events reads it
        unterminated, _ = parse_events(memoryview(journal)[end:])
        fold_on(unterminated, cap, known.progress, known.sessions, count)
        count += len(unterminated)
    return Folded(len(journal), count, known.sessions, known.progress)


def _remember(project_root: Path | str, folded_bytes: bytes, cap: int, folded: Folded) -> None:
    from spx_python.evidence.blob_cache import write_best_effort  # noqa: PLC0415 - only when rewritten

    rows = tuple(tuple(story) for story in folded.progress.values())
    check = binascii.crc32(folded_bytes)
    sessions = tuple(sorted(folded.sessions))
    body = (code_key(__file__, FOLDING_MODULES), cap, folded.length, check, folded.count, sessions, rows)
    write_best_effort(fold_file(project_root), frame(CACHE_KIND, FORMAT_VERSION, marshal.dumps(body)))
