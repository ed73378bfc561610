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

from spx_python.errors import SpxError
from spx_python.evidence.order_index import OrderIndex
from spx_python.evidence.state import State
from spx_python.names import PATH_SEPARATOR, SPEC_ROOT_NAME, TYPE_CHECKING
from spx_python.refusal_rules import Refused, refused
from spx_python.spec.fullpath import EXAMPLE, normalize
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
from spx_python.workflow.order import StartRefusal, post_order, start_refusal

if TYPE_CHECKING:  # the Skill hook imports this module on every call: no `typing`, tree or context at run time
    from collections.abc import Callable, Iterable, Mapping
    from typing import Any, Protocol

    from spx_python.evidence.order_index import Entry
    from spx_python.spec.fullpath import Refusal
    from spx_python.spec.tree import Container, SpecTree
    from spx_python.workflow.order import N, Node

    StateOf = Callable[[Container], State]

    class View(Protocol[N]):
        """What a decision reads of the spec tree: the scanned tree (`TreeView`) or the order index (`IndexView`)."""

        def locate(self, step: str, args: str) -> N | Decision: ...
        def find(self, path: str) -> N | None: ...
        def before(self, target: N) -> Iterable[tuple[N, State]]: ...
        def state_of(self, node: N) -> State: ...
        def context_problem(self, story: str) -> Refused | None: ...



NO_SPEC_ROOT = "project.no-spec-root"
PATH_NOT_FULL = "path.not-full"
PATH_NOT_FOUND = "path.not-found"


class Decision:
    """Allowed or not, why (the reason the hook prints), the container it concerns and the refusal's rule id
    (`refusal_rules.RULES`; None when allowed)."""

    __slots__ = ("allowed", "reason", "rule", "story")

    def __init__(self, allowed: bool, reason: str, story: str | None = None, rule: str | None = None) -> None:
        self.allowed = allowed
        self.reason = reason
        self.story = story
        self.rule = rule

    def __repr__(self) -> str:
        return f"Decision({self.allowed!r}, {self.reason!r}, {self.story!r}, {self.rule!r})"

    def refusal(self) -> Refused:
        """A refusal's reason carrying its rule id."""
        return refused(self.rule or "", self.reason)


def _refuse(problem: Refused, story: str | None = None) -> Decision:
    return Decision(False, problem, story, problem.rule)


def effective(progress: StoryProgress, container: N | None, state_of: Callable[[N], State]) -> StoryProgress:
    """An approved story whose ledger is Passing is done even if no stamp event reached the journal."""
    if progress.approved and container is not None and _state(container, state_of)[0] is State.PASSING:
        return progress._replace(phase=DONE)
    return progress


def _state(container: N, state_of: Callable[[N], State]) -> tuple[State | None, str]:
    try:
        state = state_of(container)
    except SpxError as error:
        return None, error.message
    return state, state.value


class Unsure(Exception):
    """The order index cannot answer this (an unknown path, an incomplete context): decide from the tree."""


class TreeView:
    """The scanned spec tree, as a decision reads it; `state_of` gives a container's own state."""

    __slots__ = ("state_of", "tree")

    def __init__(self, tree: SpecTree, state_of: StateOf) -> None:
        self.tree = tree
        self.state_of = state_of

    def locate(self, step: str, args: str) -> Container | Decision:
        from spx_python.spec.fullpath import Refusal, check  # noqa: PLC0415 - the tree's path; the index needs neither

        found = check(self.tree, args)
        return _refused_path(step, args, found) if isinstance(found, Refusal) else found

    def find(self, path: str) -> Container | None:
        return self.tree.find(path)

    def before(self, target: Container) -> Iterable[tuple[Container, State]]:  # noqa: ARG002 - the View protocol's
        """Post-order with own states, lazily: the order rule stops at the first that is not Passing."""
        state_of = self.state_of
        return ((container, state_of(container)) for container in post_order(self.tree.capabilities))

    def context_problem(self, story: str) -> Refused | None:
        return _context_problem(self.tree, story)


class IndexView:
    """The order index (`evidence.order_index`) as loaded: plain data, every input behind it re-stat'ed and
    unchanged. It answers exactly as the tree would, or raises `Unsure`; it never calls back into the index.
    An empty index (`order_index.EMPTY`: none to trust) raises `Unsure` for every question about the tree."""

    __slots__ = ("index",)

    def __init__(self, index: OrderIndex) -> None:
        self.index = index

    def locate(self, step: str, args: str) -> Entry:  # noqa: ARG002 - the View protocol's signature
        found = self.index.by_path.get(normalize(args))
        if found is None or not found.nameable:  # a refusal: its suggestions and problems come from the whole tree
            raise Unsure(args)
        return found

    def find(self, path: str) -> Entry:
        found = self.index.by_path.get(path)
        if found is None:
            raise Unsure(path)
        return found

    def before(self, target: Entry) -> list[tuple[Entry, State]]:
        return [(entry, entry.state) for entry in self.index.entries[: target.position + 1]]

    def state_of(self, node: Entry) -> State:
        return node.state

    def context_problem(self, story: str) -> Refused | None:
        parts = story.split(PATH_SEPARATOR)
        chain = (self.find(PATH_SEPARATOR.join(parts[:depth])) for depth in range(1, len(parts) + 1))
        if not self.index.has_product_guide or not all(entry.has_spec for entry in chain):
            raise Unsure(story)  # the abort names the missing documents: worked out from the tree
        return None


def _refused_path(step: str, args: str, refusal: Refusal) -> Decision:
    from spx_python.spec.fullpath import syntax_problem  # noqa: PLC0415 - refusals only

    rule = PATH_NOT_FULL if syntax_problem(normalize(args)) is not None else PATH_NOT_FOUND
    return _refuse(refused(rule, f"{refusal.message(args)} — call {skill_ref(step)} again with that full path"))


def _scope(step: str, args: str, view: View[Any] | None) -> Decision:
    if not args:
        return Decision(True, f"{skill_ref(step)}: allowed (whole spec tree)")
    if view is None:
        return _refuse(
            refused(NO_SPEC_ROOT, f"{args}: there is no {SPEC_ROOT_NAME}/ directory here — run `spx init` first")
        )
    found = view.locate(step, args)
    if isinstance(found, Decision):
        return found
    return Decision(True, f"{skill_ref(step)}: allowed for {found.path}", found.path)


def _container(step: str, args: str, view: View[N]) -> N | Decision:
    if not args:
        return _refuse(
            refused(
                "path.missing",
                f"{skill_ref(step)}: needs a full path as its argument — run `spx spec next` and call it "
                f"with the path it prints (e.g. {EXAMPLE})",
            )
        )
    return view.locate(step, args)


def _other_active(view: View[Any], story: str, progress: Mapping[str, StoryProgress]) -> StoryProgress | None:
    for other in sorted(progress.values(), key=lambda p: p.position, reverse=True):
        if other.story == story or not other.mid_sequence:
            continue
        container = view.find(other.story)
        if container is not None and effective(other, container, view.state_of).mid_sequence:
            return other
    return None


def order_refusal(target: Node, refusal: StartRefusal) -> Refused:
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


def _start_blocker(view: View[N], target: N, progress: Mapping[str, StoryProgress]) -> Refused | None:
    other = _other_active(view, target.path, progress)
    if other is not None:
        return refused(
            "order.one-at-a-time",
            f"{target.path}: one at a time — {other.story} is mid-sequence (at {other.phase}); "
            f"finish it first: {next_action(other)}",
        )
    try:
        refusal = start_refusal(view.before(target), target)
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
    from spx_python.spec.context import ContextAbort, check_context  # noqa: PLC0415 - the tree's path only

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
    if tree is None:
        return decide(step, args, None, progress)
    if state_of is None:
        from spx_python.evidence.state import state_on_disk  # noqa: PLC0415 - reads ledgers and blobs

        state_of = state_on_disk
    return decide(step, args, TreeView(tree, state_of), progress)


def decide(
    step: str, args: str, view: View[Any] | OrderIndex | None, progress: Mapping[str, StoryProgress]
) -> Decision:
    """The decision over a `view` of the tree: a `TreeView`, the order index (read through an `IndexView`, which
    raises `Unsure` where only the tree can answer), or None when there is no `spx/`. Pure apart from the
    view's reads."""
    if isinstance(view, OrderIndex):
        view = IndexView(view)
    args = args.strip()
    if step in SCOPE_SKILLS:
        return _scope(step, args, view)
    if view is None:
        return _refuse(
            refused(NO_SPEC_ROOT, f"{skill_ref(step)}: there is no {SPEC_ROOT_NAME}/ directory here — run `spx init`")
        )
    found = _container(step, args, view)
    if isinstance(found, Decision):
        return found
    story = found.path
    current = effective(progress.get(story) or StoryProgress(story), found, view.state_of)
    problem = None if current.mid_sequence else _start_blocker(view, found, progress)
    problem = problem or _transition_problem(step, current)
    if problem is None and step == UNDERSTANDING:
        problem = view.context_problem(story)
    if problem is not None:
        return _refuse(problem, story)
    target = TRANSITIONS[(current.phase, step)]
    return Decision(True, f"{story}: {skill_ref(step)} allowed ({current.phase} → {target})", story)
