"""`spx spec test --stamp STORY` from the model: only at the end of the story's sequence.

Standard library only; imported by the Bash judge only for a command that stamps. The stamp itself
checks the evidence (tests pass, a current APPROVED review); this gate adds the workflow: a story's
ledger may be stamped from a Claude Code session only while the journal shows the story in review with
an APPROVED verdict, so writing code and tests without the skills and stamping them is refused. Features
and capabilities go through the same sequence (Parts B and C), so the same holds for them. The user's own
terminal is not affected.
"""

from __future__ import annotations

from spx_python.config import max_rejections
from spx_python.hooks.payload import project_root
from spx_python.refusal_rules import Refused, refused
from spx_python.spec.fullpath import Refusal, check
from spx_python.spec.tree import scan
from spx_python.workflow.journal import read_events
from spx_python.workflow.machine import StoryProgress, fold, next_action

STAMP_FLAG = "--stamp"
SHORTEST_ABBREVIATION = 3  # argparse accepts `--s`, `--st`, … for `--stamp`
SPEC_TEST = ("spec", "test")
OUT_OF_SEQUENCE = (
    "{story}: a {kind}'s ledger is stamped at the end of its sequence (in review, APPROVED), and the story is at "
    "'{phase}' — next step: {action}"
)


def stamps(args: list[str]) -> bool:
    return any(
        len(flag) >= SHORTEST_ABBREVIATION and STAMP_FLAG.startswith(flag)
        for flag in (a.split("=", 1)[0] for a in args if a.startswith("--"))
    )


def stamp_reason(args: list[str], cwd: str) -> Refused | None:
    """Why `spx ARGS` (run in `cwd`) may not stamp now, or None (not a stamp, or the container is approved)."""
    plain = [a for a in args if not a.startswith("-")]
    if tuple(plain[:2]) != SPEC_TEST or len(plain) < 3 or not stamps(args):
        return None
    root = project_root({"cwd": cwd}, {})
    if root is None:
        return None
    found = check(scan(root), plain[2])
    if isinstance(found, Refusal):
        return None  # spx refuses a bad path itself
    events, _ = read_events(root)
    progress = fold(events, max_rejections(root)).get(found.path) or StoryProgress(found.path)
    if progress.approved:
        return None
    text = OUT_OF_SEQUENCE.format(story=found.path, kind=found.kind, phase=progress.phase, action=next_action(progress))
    return refused("stamp.out-of-sequence", text)
