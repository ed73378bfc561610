"""Shared by the workflow hooks: finding the project, building journal events, and deciding under the lock.

Standard library only. The project is the nearest directory holding `spx/`, searched upward from
the payload's `cwd` (Claude's current directory), else from `$CLAUDE_PROJECT_DIR`. A gate decision
is made and recorded while holding the journal lock, so two parallel calls cannot both start a story
and no allow is ever printed before its journal line is on disk.
"""

from __future__ import annotations

import os

from spx_python.config import max_rejections
from spx_python.evidence.order_index import load as load_index
from spx_python.names import SPEC_ROOT_NAME, TYPE_CHECKING
from spx_python.refusal_rules import RULE_KEY
from spx_python.spec.fullpath import normalize
from spx_python.walk_up import nearest_holding
from spx_python.workflow.events import journal_event
from spx_python.workflow.fold_cache import progress as folded_progress
from spx_python.workflow.gate import Decision, IndexView, Unsure, decide, evaluate
from spx_python.workflow.journal import append_events_holding_lock, locked
from spx_python.workflow.machine import ALLOW, DENY, LAUNCHED, SOURCE_USER, StoryProgress, normalize_skill

if TYPE_CHECKING:  # the Skill hook imports this module on every call: no `typing` or `pathlib` at run time
    from collections.abc import Mapping
    from pathlib import Path
    from typing import Any

PROJECT_DIR_ENV = "CLAUDE_PROJECT_DIR"


def project_dirs(payload: Mapping[str, Any], environ: Mapping[str, str]) -> list[str]:
    """Every project this hook call may concern: from the payload's `cwd`, then from `$CLAUDE_PROJECT_DIR`."""
    roots: list[str] = []
    for start in (payload.get("cwd"), environ.get(PROJECT_DIR_ENV)):
        if isinstance(start, str) and start and "\0" not in start and os.path.isdir(start):
            found = nearest_holding(start, SPEC_ROOT_NAME)
            if found is not None and found not in roots:
                roots.append(found)
    return roots


def project_roots(payload: Mapping[str, Any], environ: Mapping[str, str]) -> list[Path]:
    """`project_dirs` as paths."""
    from pathlib import Path  # noqa: PLC0415 - the Skill gate works with the strings

    return [Path(found) for found in project_dirs(payload, environ)]


def project_root(payload: Mapping[str, Any], environ: Mapping[str, str]) -> Path | None:
    """The project of this hook call, or None when no `spx/` is found."""
    roots = project_roots(payload, environ)
    return roots[0] if roots else None


def session_of(payload: Mapping[str, Any]) -> str | None:
    session = payload.get("session_id")
    return session if isinstance(session, str) else None


def make_event(
    payload: Mapping[str, Any], *, story: str | None, step: str, decision: str, reason: str, source: str, hook: str
) -> dict[str, Any]:
    return journal_event(story, step, decision, session=session_of(payload), reason=reason, source=source, hook=hook)


def decide_and_record(
    payload: Mapping[str, Any], environ: Mapping[str, str], skill: str, args: str, *, source: str, hook: str
) -> Decision:
    """Evaluate a workflow skill call and journal the decision (plus `launched` for an allowed typed command).

    Without a project nothing can be journaled: scope skills are then allowed (managing-specs may be
    what creates `spx/`), story steps are refused by `decide`.
    """
    step = normalize_skill(skill)
    roots = project_dirs(payload, environ)
    if not roots:
        return decide(step, args, None, {})
    root = roots[0]
    with locked(root):
        progress = folded_progress(root, max_rejections(root))
        decision = _decision(root, step, args, progress)
        verdict = ALLOW if decision.allowed else DENY
        event = make_event(
            payload, story=decision.story, step=step, decision=verdict, reason=decision.reason, source=source, hook=hook
        )
        if decision.rule is not None:
            event[RULE_KEY] = decision.rule
        records: list[Mapping[str, Any]] = [event]
        if decision.allowed and source == SOURCE_USER:  # a typed command gets no PostToolUse: it launches now
            records.append({**event, "decision": LAUNCHED, "reason": "typed by the user"})
        append_events_holding_lock(root, records)
    return decision


def _decision(root: str, step: str, args: str, progress: Mapping[str, StoryProgress]) -> Decision:
    """From the order index when it can answer (the inputs of what the decision reads unchanged), else from the tree."""
    others = tuple(story.story for story in progress.values() if story.mid_sequence)  # one at a time reads them
    index = load_index(root, [*others, normalize(args)] if args.strip() else others)
    if index is not None:
        try:
            return decide(step, args, IndexView(index), progress)
        except Unsure:
            pass
    return _decision_from_tree(root, step, args, progress, others)


def _decision_from_tree(
    root: str, step: str, args: str, progress: Mapping[str, StoryProgress], others: tuple[str, ...]
) -> Decision:
    """The remembered whole tree, worked out (and remembered) when it is not; failing that, a focused scan."""
    from pathlib import Path  # noqa: PLC0415 - the tree's modules work with paths

    from spx_python.evidence.blob_cache import BlobCache  # noqa: PLC0415 - off the order index's path
    from spx_python.evidence.state import own_state_of  # noqa: PLC0415
    from spx_python.evidence.tree_snapshot import whole_tree  # noqa: PLC0415
    from spx_python.spec.scan_focus import Focus  # noqa: PLC0415
    from spx_python.spec.tree import scan  # noqa: PLC0415

    project = Path(root)
    cache = BlobCache(root)
    snapshot = whole_tree(project, cache)  # the remembered whole tree, when nothing it was read from changed
    if snapshot is not None:
        decision = evaluate(step, args, snapshot.tree, progress, snapshot.state_of)
    else:
        cached_state_of = own_state_of(cache.sha)
        focus = Focus(normalize(args), others)
        decision = evaluate(step, args, scan(project, focus), progress, cached_state_of)
        if not decision.allowed:  # a refusal names suggestions and problems from the whole tree
            decision = evaluate(step, args, scan(project), progress, cached_state_of)
    cache.save()
    return decision
