"""`spx workflow status [PATH]`, `log [--since TIME]`, `block PATH --reason WHY`, `reset PATH --yes`.

All read the hooks' journal `.spx/workflow.jsonl`; the current state is `workflow.fold` over it. PATH is a
story, or in Parts B and C a feature or capability. `block` records that the model cannot go on (the
turn may then end; status shows it) until a later step clears it. `reset` is the user's: it appends a
reset event (history is never deleted) and asks for confirmation: interactively on a terminal, otherwise
`--yes` is required (the hooks refuse it from the model).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from spx_python.config import max_rejections
from spx_python.errors import SpxError, UsageError
from spx_python.evidence.state import State, state_on_disk
from spx_python.spec.fullpath import resolve
from spx_python.spec.project import find_project_root, load_tree
from spx_python.spec.tree import Container
from spx_python.workflow.events import journal_event
from spx_python.workflow.gate import effective
from spx_python.workflow.journal import JOURNAL_NAME, STATE_DIR_NAME, append_event, read_events
from spx_python.workflow.machine import (
    BLOCKED,
    BLOCKED_STEP,
    NONE,
    RESET,
    RESET_STEP,
    SOURCE_MODEL,
    SOURCE_USER,
    StoryProgress,
    fold,
    next_action,
)

FORMATS = ("text", "json")
SINCE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}(:\d{2}(:\d{2}(\.\d+)?)?)?Z?)?$")
JOURNAL_SHOWN = f"{STATE_DIR_NAME}/{JOURNAL_NAME}"
PASSING_WITHOUT_HOOKS = (
    "nothing — its ledger is Passing (stamped without the hooks' sequence); `spx spec next` names what is next"
)
NO_EVENTS = f"no events in {JOURNAL_SHOWN}"
NOTHING_STARTED = (
    "no story has entered the hooks' workflow sequence (it starts with /spx-python:understanding-specs) — "
    "`spx spec status` shows each story's evidence, `spx spec next` the next one"
)


def _events(root: Path) -> list[dict[str, Any]]:
    events, skipped = read_events(root)
    if skipped:
        print(f"spx: {JOURNAL_SHOWN}: skipped {skipped} unreadable line(s)", file=sys.stderr)
    return events


def _story(root: Path, text: str) -> Container:
    return resolve(load_tree(root), text)


def _passing_on_disk(container: Container | None) -> bool:
    try:
        return container is not None and state_on_disk(container) is State.PASSING
    except SpxError:  # a malformed ledger: `spx spec status` reports it
        return False


def _describe(progress: StoryProgress, container: Container | None) -> dict[str, Any]:
    untouched_but_passing = progress.phase == NONE and not progress.time and _passing_on_disk(container)
    return {
        "story": progress.story,
        "phase": progress.phase,
        "mid_sequence": progress.mid_sequence,
        "rejections": progress.rejections,
        "verdict": progress.verdict,
        "orchestrated": progress.orchestrated,
        "blocked": progress.blocked,
        "held": progress.held,
        "last_step": progress.last_step,
        "time": progress.time,
        "next": PASSING_WITHOUT_HOOKS if untouched_but_passing else next_action(progress),
    }


def _text_line(item: Mapping[str, Any]) -> str:
    marks = [f"rejections {item['rejections']}"] if item["rejections"] else []
    marks += [f"verdict {item['verdict']}"] if item["verdict"] else []
    marks += ["orchestrated"] if item["orchestrated"] else []
    marks += ["BLOCKED"] if item["blocked"] else []
    marks += [f"BLOCKED: {item['held']}"] if item.get("held") else []
    suffix = f" ({', '.join(marks)})" if marks else ""
    return f"{item['story']}: {item['phase']}{suffix}\n  next: {item['next']}"


def status(start: Path, story: str | None, fmt: str) -> int:
    root = find_project_root(start)
    progress = fold(_events(root), max_rejections(root))
    tree = load_tree(root)
    if story is not None:
        container = _story(root, story)
        chosen = [progress.get(container.path) or StoryProgress(container.path)]
    else:
        chosen = sorted(progress.values(), key=lambda p: p.position)
    items = [_describe(effective(p, tree.find(p.story), state_on_disk), tree.find(p.story)) for p in chosen]
    if fmt == "json":
        print(json.dumps(items if story is None else items[0], indent=2))
    elif not items:
        print(NOTHING_STARTED)
    else:
        print("\n".join(_text_line(item) for item in items))
    return 0


def _log_line(event: Mapping[str, Any]) -> str:
    session = str(event.get("session") or "-")[:8]
    story = event.get("story") or "-"
    return (
        f"{event.get('time', '?')} {session} {event.get('source', '-')} {event.get('step', '?')} "
        f"{event.get('decision', '?')} {story} — {event.get('reason', '')}"
    )


def log(start: Path, since: str | None, fmt: str) -> int:
    if since is not None and not SINCE_RE.match(since):
        raise UsageError(f"{since}: --since takes an ISO time in UTC, e.g. 2026-11-25 or 2026-11-25T04:10:00Z")
    root = find_project_root(start)
    events = [e for e in _events(root) if since is None or str(e.get("time", "")) >= since.rstrip("Z")]
    if fmt == "json":
        print(json.dumps(events, indent=2, ensure_ascii=False))
    elif not events:
        print(NO_EVENTS if since is None else f"{NO_EVENTS} since {since}")
    else:
        for event in events:
            print(_log_line(event))
    return 0


def _confirmed(story: str, yes: bool) -> bool:
    if yes:
        return True
    if not sys.stdin.isatty():
        raise UsageError(f"{story}: resetting a story's workflow needs confirmation — pass --yes (not a terminal)")
    try:
        answer = input(f"Reset the workflow of {story}? Its history stays in {JOURNAL_SHOWN}. [y/N] ")
    except EOFError:  # Ctrl-D: no answer is a no
        print()
        return False
    return answer.strip().lower() in ("y", "yes")


def reset(start: Path, story: str, yes: bool) -> int:
    root = find_project_root(start)
    container = _story(root, story)
    if not _confirmed(container.path, yes):
        print(f"{container.path}: not reset")
        return 1
    reason = "reset by the user with `spx workflow reset`"
    append_event(root, journal_event(container.path, RESET_STEP, RESET, reason=reason, source=SOURCE_USER, hook=None))
    print(f"{container.path}: workflow reset — it starts again with understanding-specs (history: {JOURNAL_SHOWN})")
    return 0


NOT_MID_SEQUENCE = (
    "{path}: is not in the middle of its sequence (at {phase}) — there is nothing to block; "
    "`spx workflow status` shows where the work stands"
)


def block(start: Path, path: str, reason: str) -> int:
    root = find_project_root(start)
    container = _story(root, path)
    why = " ".join(reason.split())
    if not why:
        raise UsageError(f"{container.path}: --reason needs the reason — e.g. --reason 'the spec contradicts itself'")
    progress = fold(_events(root), max_rejections(root)).get(container.path) or StoryProgress(container.path)
    current = effective(progress, container, state_on_disk)
    if not current.mid_sequence:
        raise SpxError(NOT_MID_SEQUENCE.format(path=container.path, phase=current.phase))
    append_event(root, journal_event(container.path, BLOCKED_STEP, BLOCKED, reason=why, source=SOURCE_MODEL, hook=None))
    print(f"{container.path}: BLOCKED — {why}. Stop and tell the user; the next launched step clears it.")
    return 0


def register(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="workflow_command", metavar="SUBCOMMAND")
    sub.required = True
    status_parser = sub.add_parser("status", help="where each story stands in its sequence, and its next step")
    status_parser.add_argument("story", nargs="?", help="full path of one story")
    status_parser.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    status_parser.set_defaults(handler=lambda a: status(Path.cwd(), a.story, a.format))
    log_parser = sub.add_parser("log", help="every recorded decision, oldest first")
    log_parser.add_argument("--since", help="only events at or after this UTC time (e.g. 2026-11-25T04:00)")
    log_parser.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    log_parser.set_defaults(handler=lambda a: log(Path.cwd(), a.since, a.format))
    block_parser = sub.add_parser("block", help="record that the work cannot go on without the user (BLOCKED)")
    block_parser.add_argument("story", help="full path of the story (or feature/capability) in its sequence")
    block_parser.add_argument("--reason", required=True, help="why, in one line: what the user must decide")
    block_parser.set_defaults(handler=lambda a: block(Path.cwd(), a.story, a.reason))
    reset_parser = sub.add_parser("reset", help="restart a story's sequence (appends a reset event; history is kept)")
    reset_parser.add_argument("story", help="full path of the story")
    reset_parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    reset_parser.set_defaults(handler=lambda a: reset(Path.cwd(), a.story, a.yes))
