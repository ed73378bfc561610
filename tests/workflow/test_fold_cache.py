"""The remembered fold (.spx/cache/fold.marshal) always gives what folding the whole journal gives.

Real journal lines, written by the journal's own appender; after every change the answer is compared with
`machine.fold` over `read_events` — the definition the cache must match.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from spx_python.workflow.events import journal_event
from spx_python.workflow.fold_cache import REWRITE_AFTER, fold_file, folded, progress
from spx_python.workflow.journal import append_events, journal_path, read_events
from spx_python.workflow.machine import (
    APPROVED,
    CODING,
    LAUNCHED,
    ORCHESTRATING,
    REJECTED,
    REVIEW_STEP,
    REVIEWING,
    STAMP_STEP,
    STAMPED,
    TESTING,
    UNDERSTANDING,
    fold,
)
from spx_python.workflow.orchestration import orchestrations

FEATURE = "21-app.capability/21-core.feature"
SESSION = "s-1"


def _story_events(number: int, verdicts: tuple[str, ...]) -> list[dict[str, object]]:
    story = f"{FEATURE}/{number}-s{number}.story"
    launched = [journal_event(story, step, LAUNCHED, session=SESSION) for step in (UNDERSTANDING, TESTING, CODING)]
    rounds: list[dict[str, object]] = []
    for verdict in verdicts:
        rounds.append(journal_event(story, REVIEWING, LAUNCHED, session=SESSION))
        rounds.append(journal_event(story, REVIEW_STEP, verdict, session=SESSION))
        if verdict == REJECTED:
            rounds.append(journal_event(story, CODING, LAUNCHED, session=SESSION))
    stamped = [journal_event(story, STAMP_STEP, STAMPED, session=SESSION)] if verdicts[-1] == APPROVED else []
    return [*launched, *rounds, *stamped]


def _write(root: Path, events: list[dict[str, object]]) -> None:
    append_events(root, events)  # type: ignore[arg-type]


def _whole(root: Path, cap: int = 3) -> dict[str, object]:
    return dict(fold(read_events(root)[0], cap))


@pytest.fixture
def journal(tmp_path: Path) -> Path:
    """A journal long enough to be remembered: an orchestrating session and ten stories at various steps."""
    _write(tmp_path, [journal_event(None, ORCHESTRATING, LAUNCHED, session=SESSION)])
    for number in range(10, 20):
        _write(tmp_path, _story_events(number, (REJECTED, APPROVED) if number % 2 else (APPROVED,)))
    assert len(read_events(tmp_path)[0]) > REWRITE_AFTER
    return tmp_path


def test_the_fold_is_remembered_and_continued_over_new_lines(journal: Path) -> None:
    assert progress(journal, 3) == _whole(journal)
    assert os.path.exists(fold_file(journal)), "a long unremembered tail is remembered"
    _write(journal, _story_events(20, (REJECTED,)))
    assert progress(journal, 3) == _whole(journal)


def test_an_edited_line_before_the_remembered_end_is_folded_anew(journal: Path) -> None:
    progress(journal, 3)
    path = journal_path(journal)
    data = path.read_bytes()
    path.write_bytes(data.replace(APPROVED.encode(), REJECTED.encode().ljust(len(APPROVED)), 1))
    assert progress(journal, 3) == _whole(journal)
    assert progress(journal, 3) != dict(fold([], 3))


def test_a_shorter_journal_is_folded_anew(journal: Path) -> None:
    progress(journal, 3)
    path = journal_path(journal)
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(b"".join(lines[: len(lines) // 3]))
    assert progress(journal, 3) == _whole(journal)


def test_another_rejection_cap_is_folded_anew(journal: Path) -> None:
    progress(journal, 3)
    assert progress(journal, 1) == _whole(journal, 1)
    assert progress(journal, 1) != progress(journal, 3)


def test_a_last_line_without_its_newline_counts_as_read_events_reads_it(journal: Path) -> None:
    progress(journal, 3)
    with open(journal_path(journal), "ab") as stream:
        stream.write(b'{"story": "' + FEATURE.encode() + b'/30-late.story", "step": "understanding-specs", '
                     b'"decision": "launched", "session": "s-1", "time": "2026-11-28T00:00:00Z"}')  # fmt: skip
    assert progress(journal, 3) == _whole(journal)
    assert f"{FEATURE}/30-late.story" in progress(journal, 3)


def test_a_damaged_cache_is_ignored(journal: Path) -> None:
    progress(journal, 3)
    cache = Path(fold_file(journal))
    cache.write_bytes(cache.read_bytes().replace(b"done", b"none"))
    assert progress(journal, 3) == _whole(journal)


def _sessions_and_count(root: Path) -> tuple[set[str], int]:
    events = read_events(root)[0]
    return {run.session for run in orchestrations(events)}, len(events)


def test_the_orchestrating_sessions_and_the_count_follow_the_journal(journal: Path) -> None:
    """What the Stop hook asks first — does this session orchestrate? — from the remembered fold, after every change."""
    remembered = folded(journal, 3)
    assert (remembered.sessions, remembered.count) == _sessions_and_count(journal) == ({SESSION}, remembered.count)
    path = journal_path(journal)
    path.write_bytes(path.read_bytes().replace(SESSION.encode(), b"s-2", 1))  # the launch, inside what is remembered
    again = folded(journal, 3)
    assert (again.sessions, again.count) == _sessions_and_count(journal)
    assert SESSION not in again.sessions
    _write(journal, [journal_event(None, ORCHESTRATING, LAUNCHED, session="s-3")])
    latest = folded(journal, 3)
    assert (latest.sessions, latest.count) == _sessions_and_count(journal) == ({"s-2", "s-3"}, again.count + 1)
