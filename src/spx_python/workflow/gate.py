"""The decision for one workflow skill call: allowed, or refused with the exact next step.

Standard library only (the Skill and UserPromptExpansion hooks call `evaluate`). Pure over its
inputs apart from `state_of`, which reads one story's evidence (ledger and blobs) when a rule needs it.
Rules, in the order they are checked:

1. orchestrating-python / managing-specs: an optional scope path, validated when given.
2. The four step skills need a full path (no bare names): a story, or — once every child passes — a
   feature or capability (Parts B and C go through the same steps).
3. A container that is not mid-sequence may start only when no other one is mid-sequence and the one
   order rule (`order.start_refusal`, the rule `spx spec next` answers by) lets it.
4. The step must follow from the story's phase (`workflow.TRANSITIONS`); a coding round after review
   needs a REJECTED verdict and fewer than `MAX_REJECTIONS` rejections.
5. understanding-specs needs complete context (`context.check_context`: `spx/CLAUDE.md` and exactly
   one spec file for every container on the story's chain); the refusal carries the abort message.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import NamedTuple

from spx_python.errors import SpxError
from spx_python.evidence.state import State, state_on_disk
from spx_python.refusal_rules import Refused, refused
from spx_python.spec.context import ContextAbort, check_context
from spx_python.spec.fullpath import EXAMPLE, Refusal, check, normalize, syntax_problem
from spx_python.spec.tree import SPEC_ROOT_NAME, Container, SpecTree
from spx_python.workflow.machine import (
    DONE,
    REJECTED,
    REMEDIATION,
    SCOPE_SKILLS,
    TRANSITIONS,
    UNDERSTANDING,
    StoryProgress,
    next_action,
    skill_instruction,
    skill_ref,
)
from spx_python.workflow.order import StartRefusal, start_refusal

StateOf = Callable[[Container], State]


NO_SPEC_ROOT = "project.no-spec-root"
PATH_NOT_FULL = "path.not-full"
PATH_NOT_FOUND = "path.not-found"


class Decision(NamedTuple):
    allowed: bool
    reason: str
    story: str | None = None
    rule: str | None = None  # the refusal's rule id (`refusal_rules.RULES`); None when allowed

    def refusal(self) -> Refused:
        """A refusal's reason carrying its rule id."""
        return refused(self.rule or "", self.reason)


def _refuse(problem: Refused, story: str | None = None) -> Decision:
    return Decision(False, problem, story, problem.rule)


def effective(progress: StoryProgress, container: Container | None, state_of: StateOf) -> StoryProgress:
    """An approved story whose ledger is Passing is done even if no stamp event reached the journal."""
    if progress.approved and container is not None and _state(container, state_of)[0] is State.PASSING:
        return progress._replace(phase=DONE)
    return progress


def _state(container: Container, state_of: StateOf) -> tuple[State | None, str]:
    try:
        state = state_of(container)
    except SpxError as error:
        return None, error.message
    return state, state.value


def _refused_path(step: str, args: str, refusal: Refusal) -> Decision:
    rule = PATH_NOT_FULL if syntax_problem(normalize(args)) is not None else PATH_NOT_FOUND
    return _refuse(refused(rule, f"{refusal.message(args)} — call {skill_ref(step)} again with that full path"))


def _scope(step: str, args: str, tree: SpecTree | None) -> Decision:
    if not args:
        return Decision(True, f"{skill_ref(step)}: allowed (whole spec tree)")
    if tree is None:
        return _refuse(
            refused(NO_SPEC_ROOT, f"{args}: there is no {SPEC_ROOT_NAME}/ directory here — run `spx init` first")
        )
    found = check(tree, args)
    if isinstance(found, Refusal):
        return _refused_path(step, args, found)
    return Decision(True, f"{skill_ref(step)}: allowed for {found.path}", found.path)


def _container(step: str, args: str, tree: SpecTree) -> Container | Decision:
    if not args:
        return _refuse(
            refused(
                "path.missing",
                f"{skill_ref(step)}: needs a full path as its argument — run `spx spec next` and call it "
                f"with the path it prints (e.g. {EXAMPLE})",
            )
        )
    found = check(tree, args)
    if isinstance(found, Refusal):
        return _refused_path(step, args, found)
    return found


def _other_active(
    tree: SpecTree, story: str, progress: Mapping[str, StoryProgress], state_of: StateOf
) -> StoryProgress | None:
    for other in sorted(progress.values(), key=lambda p: p.position, reverse=True):
        if other.story == story or not other.mid_sequence:
            continue
        container = tree.find(other.story)
        if container is not None and effective(other, container, state_of).mid_sequence:
            return other
    return None


def order_refusal(target: Container, refusal: StartRefusal) -> Refused:
    """The gate's words for the one order rule (`order.start_refusal`); names the container `next` names."""
    blocker = refusal.blocker
    start = skill_instruction(UNDERSTANDING, blocker.path)
    if refusal.inside_target:
        return refused(
            "order.children-first",
            f"{target.path}: a {target.kind} goes through the steps once every container in it passes, and "
            f"{blocker.path} is {refusal.state.value} — finish it first: {start}",
        )
    return refused(
        "order.earlier-unfinished",
        f"{target.path}: work goes in BSP order and the earlier {blocker.kind} {blocker.path} is not Passing "
        f"({refusal.state.value}) — work on it first: {start}",
    )


def _start_blocker(
    tree: SpecTree, target: Container, progress: Mapping[str, StoryProgress], state_of: StateOf
) -> Refused | None:
    other = _other_active(tree, target.path, progress, state_of)
    if other is not None:
        return refused(
            "order.one-at-a-time",
            f"{target.path}: one at a time — {other.story} is mid-sequence (at {other.phase}); "
            f"finish it first: {next_action(other)}",
        )
    try:
        refusal = start_refusal(tree.capabilities, state_of, target)
    except SpxError as error:
        return refused("order.state-unreadable", f"{target.path}: {error.message}")
    return None if refusal is None else order_refusal(target, refusal)


def _transition_problem(step: str, current: StoryProgress) -> Refused | None:
    key = (current.phase, step)
    if key not in TRANSITIONS:
        return refused(
            "sequence.out-of-order",
            f"{current.story}: {skill_ref(step)} is out of order — the story is at '{current.phase}'; "
            f"next step: {next_action(current)}",
        )
    if key == REMEDIATION and (current.verdict != REJECTED or current.blocked):
        return refused("sequence.no-coding-round", f"{current.story}: no coding round now — {next_action(current)}")
    return None


def _context_problem(tree: SpecTree, story: str) -> Refused | None:
    context = check_context(tree, story)
    if not isinstance(context, ContextAbort):
        return None
    return refused(
        "context.incomplete",
        f"{story}: understanding-specs aborts, the context is incomplete — {context.reason}. Do not guess the "
        f"missing content: {context.remediation}.\n{context.message()}",
    )


def evaluate(
    step: str,
    args: str,
    tree: SpecTree | None,
    progress: Mapping[str, StoryProgress],
    state_of: StateOf | None = None,
) -> Decision:
    """Allow or refuse `step` (a normalised workflow skill name) with `args` against the tree and journal.

    `state_of` gives a container's own state (children not rolled up); default: read from disk, hashing anew."""
    state_of = state_on_disk if state_of is None else state_of
    args = args.strip()
    if step in SCOPE_SKILLS:
        return _scope(step, args, tree)
    if tree is None:
        return _refuse(
            refused(NO_SPEC_ROOT, f"{skill_ref(step)}: there is no {SPEC_ROOT_NAME}/ directory here — run `spx init`")
        )
    found = _container(step, args, tree)
    if isinstance(found, Decision):
        return found
    story = found.path
    current = effective(progress.get(story) or StoryProgress(story), found, state_of)
    problem = None if current.mid_sequence else _start_blocker(tree, found, progress, state_of)
    problem = problem or _transition_problem(step, current)
    if problem is None and step == UNDERSTANDING:
        problem = _context_problem(tree, story)
    if problem is not None:
        return _refuse(problem, story)
    target = TRANSITIONS[(current.phase, step)]
    return Decision(True, f"{story}: {skill_ref(step)} allowed ({current.phase} → {target})", story)
