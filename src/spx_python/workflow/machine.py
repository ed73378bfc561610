"""The per-story workflow as data, and the fold that turns the journal into each story's progress.

Standard library only and pure (hooks import it on every call). A story moves through phases by
*launched* workflow skills, in the order of `TRANSITIONS`:

    none ──understanding-specs──▶ context ──testing-python──▶ tests-designed ──coding-python──▶ implemented
    implemented ──reviewing-python──▶ in-review ──REJECTED──▶ coding-python again (at most MAX_REJECTIONS)

A review round runs from reviewing-python's launch until coding-python is launched again; however often
`spx review` runs in it (text, JSON, re-runs, several `--reject` findings), the round counts one rejection.
    in-review ──APPROVED + stamp──▶ done ──understanding-specs──▶ context (a new cycle)

Re-running the step a story is already at is allowed (idempotent re-entry: re-reading the context,
re-designing tests, another coding or review pass); going back to an earlier step is not — reset the
story with `spx workflow reset` for that. The journal's other events feed the fold too: review verdicts
(`step: review`, `APPROVED`/`REJECTED`), stamps (`step: stamp`, `STAMPED`) and resets (`step: reset`).
A story is *orchestrated* when one of its steps launched in a session that launched orchestrating-python.
"""

from __future__ import annotations

from collections import namedtuple

from spx_python.names import TYPE_CHECKING

if TYPE_CHECKING:  # the Skill hook imports this module on every call: no `typing` at run time
    from collections.abc import Iterable, Mapping
    from typing import Any, NamedTuple

PLUGIN_NAME = "spx-python"

UNDERSTANDING = "understanding-specs"
TESTING = "testing-python"
CODING = "coding-python"
REVIEWING = "reviewing-python"
ORCHESTRATING = "orchestrating-python"
MANAGING = "managing-specs"
STORY_STEPS = (UNDERSTANDING, TESTING, CODING, REVIEWING)
SCOPE_SKILLS = (ORCHESTRATING, MANAGING)
WORKFLOW_SKILLS = STORY_STEPS + SCOPE_SKILLS

NONE = "none"
CONTEXT = "context"
TESTS_DESIGNED = "tests-designed"
IMPLEMENTED = "implemented"
IN_REVIEW = "in-review"
DONE = "done"
ACTIVE_PHASES = (CONTEXT, TESTS_DESIGNED, IMPLEMENTED, IN_REVIEW)

# Journal vocabulary (event["step"], event["decision"]).
REVIEW_STEP = "review"
STAMP_STEP = "stamp"
RESET_STEP = "reset"
STOP_STEP = "stop"
BLOCKED_STEP = "blocked"  # the model reported BLOCKED with a reason (`spx workflow block PATH --reason …`)
ASK_STEP = "ask"  # the model asked the user (AskUserQuestion)
ALLOW = "allow"
DENY = "deny"
LAUNCHED = "launched"
APPROVED = "APPROVED"
REJECTED = "REJECTED"
STAMPED = "STAMPED"
REFUSED = "REFUSED"
RESET = "RESET"
BLOCKED = "BLOCKED"
ASKED = "ASKED"
BLOCK = "block"
SOURCE_MODEL = "model"
SOURCE_USER = "user"

MAX_REJECTIONS = 3  # default; a project may set [tool.spx] max_rejections (spx_python.config)

# (phase, launched step) → next phase. One place for the order; the gate and the fold both read it.
TRANSITIONS: Mapping[tuple[str, str], str] = {
    (NONE, UNDERSTANDING): CONTEXT,
    (DONE, UNDERSTANDING): CONTEXT,
    (CONTEXT, UNDERSTANDING): CONTEXT,
    (CONTEXT, TESTING): TESTS_DESIGNED,
    (TESTS_DESIGNED, TESTING): TESTS_DESIGNED,
    (TESTS_DESIGNED, CODING): IMPLEMENTED,
    (IMPLEMENTED, CODING): IMPLEMENTED,
    (IMPLEMENTED, REVIEWING): IN_REVIEW,
    (IN_REVIEW, REVIEWING): IN_REVIEW,
    (IN_REVIEW, CODING): IMPLEMENTED,  # remediation: only after a REJECTED verdict, below the cap
}
REMEDIATION = (IN_REVIEW, CODING)

# The step that moves a story forward from each phase (in-review depends on the verdict: `next_action`).
FORWARD_STEP: Mapping[str, str] = {
    NONE: UNDERSTANDING,
    CONTEXT: TESTING,
    TESTS_DESIGNED: CODING,
    IMPLEMENTED: REVIEWING,
    DONE: UNDERSTANDING,
}


def normalize_skill(name: str) -> str:
    """`spx-python:testing-python`, `testing-python`, `/spx-python:testing-python` → `testing-python`."""
    return name.strip().lstrip("/").rsplit(":", 1)[-1]


def skill_plugin(name: str) -> str | None:
    """The plugin part of a qualified skill name (`spx-python`), None for a bare name."""
    stripped = name.strip().lstrip("/")
    return stripped.rsplit(":", 1)[0] if ":" in stripped else None


def is_ours(name: str) -> bool:
    """A workflow skill of this plugin (bare names resolve to ours when they are workflow skill names)."""
    plugin = skill_plugin(name)
    return (plugin is None or plugin == PLUGIN_NAME) and normalize_skill(name) in WORKFLOW_SKILLS


def workflow_step(name: str) -> str | None:
    """The workflow step a skill name calls (`spx-python:testing-python` → `testing-python`), None when the name
    is not one of ours."""
    return normalize_skill(name) if is_ours(name) else None


def _loose(name: str) -> str:
    """`name` casefolded, NFKC-normalised, without whitespace or invisible characters, dashes made ASCII."""
    import unicodedata  # noqa: PLC0415 - only for names that are not exactly ours

    folded = unicodedata.normalize("NFKC", name).casefold()
    kept = (c for c in folded if not c.isspace() and unicodedata.category(c) not in ("Cf", "Cc"))
    return "".join("-" if unicodedata.category(c) == "Pd" else c for c in kept)


def looks_like_ours(name: str) -> bool:
    """A near miss of a workflow skill of ours (`SPX-Python:Testing-Python`, zero-width or full-width characters)."""
    loose = _loose(name)
    return not is_ours(name) and is_ours(loose)


def exact_name_instruction(name: str) -> str:
    step = normalize_skill(_loose(name))
    return (
        f'{name!r} is not the exact name of a workflow skill — call it exactly as "{skill_ref(step)}" '
        "(lower case, no spaces or look-alike characters)"
    )


if TYPE_CHECKING:

    class _Progress(NamedTuple):
        story: str
        phase: str = NONE
        rejections: int = 0
        verdict: str | None = None
        orchestrated: bool = False
        last_step: str | None = None
        time: str = ""
        position: int = -1  # index of the last journal event that changed this story
        cap: int = MAX_REJECTIONS  # rejections allowed before the story is BLOCKED
        round_rejected: bool = False  # this review round already counted its one rejection
        held: str = ""  # the reason of a BLOCKED the model recorded; cleared by the next launched step
else:  # the same fields and defaults, without importing typing
    _Progress = namedtuple(
        "_Progress",
        "story phase rejections verdict orchestrated last_step time position cap round_rejected held",
        defaults=(NONE, 0, None, False, None, "", -1, MAX_REJECTIONS, False, ""),
    )


class StoryProgress(_Progress):
    """Where one story stands, as folded from the journal (a named tuple: hooks avoid importing dataclasses)."""

    __slots__ = ()

    @property
    def mid_sequence(self) -> bool:
        return self.phase in ACTIVE_PHASES

    @property
    def blocked(self) -> bool:
        """Rejected `cap` times: no further coding round; the user must decide."""
        return self.phase == IN_REVIEW and self.verdict == REJECTED and self.rejections >= self.cap

    @property
    def stopped(self) -> bool:
        """BLOCKED — by the rejection cap or reported with a reason: the turn may end, the user decides."""
        return self.blocked or bool(self.held)

    @property
    def approved(self) -> bool:
        return self.phase == IN_REVIEW and self.verdict == APPROVED


def skill_ref(step: str) -> str:
    return f"{PLUGIN_NAME}:{step}"


def skill_instruction(step: str, story: str) -> str:
    return (
        f'invoke the Skill tool with skill "{skill_ref(step)}" and args "{story}" (typed: /{skill_ref(step)} {story})'
    )


def next_action(progress: StoryProgress) -> str:
    """What moves this story forward, as an instruction the model can follow verbatim."""
    story = progress.story
    if progress.held:
        carry_on = next_action(progress._replace(held=""))
        return f"reported BLOCKED ({progress.held}) — wait for the user's decision; then carry on: {carry_on}"
    if progress.phase == DONE:
        return (
            f"nothing — {story} is done (approved and stamped); `spx spec next` names what comes next "
            f"(to rework it, start again: {skill_instruction(UNDERSTANDING, story)})"
        )
    if progress.phase != IN_REVIEW:
        return skill_instruction(FORWARD_STEP[progress.phase], story)
    if progress.verdict is None:
        return f"finish the review: run `spx review {story}` (reviewing-python does this) and act on its verdict"
    if progress.verdict == APPROVED:
        return f"stamp the ledger: run `spx spec test {story} --stamp`, then `spx commit {story}`"
    if progress.blocked:
        return (
            f"stop and report BLOCKED to the user: {story} was rejected {progress.rejections} times "
            f"(cap {progress.cap}); show the open findings (`spx workflow status {story}`); "
            f"only the user may restart it with `spx workflow reset {story} --yes`"
        )
    return f"remediate the review findings: {skill_instruction(CODING, story)}, then review again"


def apply_event(progress: StoryProgress, event: Mapping[str, Any], orchestrated: bool, position: int) -> StoryProgress:
    """The story's progress after one journal event about it (unrelated or invalid events change nothing)."""
    step, decision, time = event.get("step"), event.get("decision"), str(event.get("time", ""))
    if step == RESET_STEP and decision == RESET:
        return StoryProgress(progress.story, time=time, position=position, cap=progress.cap)
    if step == REVIEW_STEP and progress.phase == IN_REVIEW and decision in (APPROVED, REJECTED):
        counted = decision == REJECTED and not progress.round_rejected  # one round, one rejection
        return progress._replace(
            verdict=str(decision),
            rejections=progress.rejections + (1 if counted else 0),
            round_rejected=progress.round_rejected or decision == REJECTED,
            time=time,
            position=position,
        )
    if step == BLOCKED_STEP and decision == BLOCKED and progress.mid_sequence:
        return progress._replace(held=str(event.get("reason") or "no reason given"), time=time, position=position)
    if step == STAMP_STEP and decision == STAMPED and progress.approved:
        return progress._replace(phase=DONE, time=time, position=position)
    target = TRANSITIONS.get((progress.phase, str(step))) if decision == LAUNCHED else None
    if target is None:
        return progress
    fresh_cycle = progress.phase in (NONE, DONE)
    review_again = progress.phase == IN_REVIEW and target == IN_REVIEW
    return progress._replace(
        phase=target,
        verdict=progress.verdict if review_again else None,
        round_rejected=progress.round_rejected and review_again,
        held="",
        rejections=0 if fresh_cycle else progress.rejections,
        orchestrated=orchestrated or (progress.orchestrated and not fresh_cycle),
        last_step=str(step),
        time=time,
        position=position,
    )


def fold(events: Iterable[Mapping[str, Any]], cap: int = MAX_REJECTIONS) -> dict[str, StoryProgress]:
    """Every story's progress: a pure left fold over the journal, in journal order (`cap`: rejection limit)."""
    return fold_on(events, cap, {}, set(), 0)


def fold_on(
    events: Iterable[Mapping[str, Any]],
    cap: int,
    progress: dict[str, StoryProgress],
    orchestrator_sessions: set[str],
    start: int,
) -> dict[str, StoryProgress]:
    """`fold` continued: `progress` and `orchestrator_sessions` (updated in place) as folded from the journal's
    first `start` events, then `events`, the ones after them."""
    for position, event in enumerate(events, start):
        session = event.get("session")
        if event.get("step") == ORCHESTRATING and event.get("decision") == LAUNCHED and isinstance(session, str):
            orchestrator_sessions.add(session)
        story = event.get("story")
        if not isinstance(story, str) or not story:
            continue
        current = progress.get(story) or StoryProgress(story, cap=cap)
        updated = apply_event(current, event, isinstance(session, str) and session in orchestrator_sessions, position)
        if updated is not current:
            progress[story] = updated
    return progress


def mid_sequence(progress: Mapping[str, StoryProgress]) -> list[StoryProgress]:
    """Stories in the middle of their sequence, most recently touched first."""
    return sorted((p for p in progress.values() if p.mid_sequence), key=lambda p: p.position, reverse=True)
