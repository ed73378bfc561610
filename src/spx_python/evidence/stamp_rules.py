"""The stamp rules and the new ledger they produce. Pure: no I/O (see `evidence.stamp_write` for the locked write).

A stamp is refused unless every rule holds:
- the container has its spec file (its blob is the ledger's `spec_blob`);
- a story has at least one test file, and every test file the spec's Test Files tables list exists;
- every test file passed: every test case in it ran and passed, none skipped or xfailed (`--force`
  waives only this rule and records the passing files alone);
- every child container is Passing (its ledger blob becomes a `# child` line: the Merkle link);
- for every container (a story, and in Parts B and C a feature or capability) when the project requires
  it, the latest `spx review` verdict is APPROVED and still
  current (the reviewed files have the blobs they had when it was given).
Re-stamping keeps a file's `pass_time` when its blob did not change.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from spx_python.evidence.ledger import ChildEntry, Ledger, LedgerRow
from spx_python.evidence.state import State
from spx_python.spec.bsp import STORY
from spx_python.testrun.junit import Outcome
from spx_python.workflow.machine import APPROVED

FORCE_HINT = "fix them, or pass --force to record a partial ledger of the passing files"
SKIP_HINT = "a skipped or xfailed test is no evidence: remove its skip/skipif/xfail/importorskip and make it pass"


@dataclass(frozen=True)
class ChildFact:
    name: str
    state: State
    ledger_blob: str | None


@dataclass(frozen=True)
class StampRequest:
    path: str
    kind: str
    expected_spec_name: str
    spec_blob: str | None
    test_blobs: Mapping[str, str]  # present test files → blob (as tested)
    outcomes: Mapping[str, Outcome]
    children: tuple[ChildFact, ...]
    review_required: bool
    verdict: str | None  # latest review decision, None when never reviewed
    verdict_current: bool  # the reviewed files are unchanged since that verdict
    old: Ledger | None
    force: bool
    now: str
    missing_listed: tuple[str, ...] = ()  # test files the spec's Test Files tables list that do not exist

    def failing(self) -> list[str]:
        return [name for name in sorted(self.test_blobs) if not self.outcomes.get(name, Outcome()).ok]


def _test_refusals(request: StampRequest) -> list[str]:
    reasons: list[str] = []
    if request.kind == STORY and not request.test_blobs:
        reasons.append(
            "a story needs at least one test file in tests/ — write its tests first "
            f"(`/spx-python:testing-python {request.path}` in Claude Code)"
        )
    reasons.extend(
        f"the spec's Test Files table lists tests/{name}, which does not exist — write it "
        f"(`/spx-python:testing-python {request.path}` in Claude Code), or remove its row from the spec"
        for name in request.missing_listed
    )
    failing = request.failing()
    if failing and not request.force:
        listed = ", ".join(f"{name} ({request.outcomes.get(name, Outcome()).label})" for name in failing)
        reasons.append(f"not every test file passes: {listed} — {FORCE_HINT}")
        if any(request.outcomes.get(name, Outcome()).skipped for name in failing):
            reasons.append(SKIP_HINT)
    return reasons


def _child_refusals(request: StampRequest) -> list[str]:
    return [
        f"child {child.name} is {child.state.value}, not Passing — stamp it first: "
        f"`spx spec test --stamp {request.path}/{child.name}`"
        for child in request.children
        if child.state is not State.PASSING or child.ledger_blob is None
    ]


def _review_refusals(request: StampRequest) -> list[str]:
    if not request.review_required:
        return []
    if request.verdict is None:
        return [f"the {request.kind} was never reviewed — run `spx review {request.path}` until it is APPROVED"]
    if request.verdict != APPROVED:
        return [
            f"the latest review verdict is {request.verdict} — fix the findings and re-run `spx review {request.path}`"
        ]
    if not request.verdict_current:
        return [f"files changed since the APPROVED review — re-run `spx review {request.path}` before stamping"]
    return []


def refusals(request: StampRequest) -> list[str]:
    """Every reason the stamp is refused; empty means it may be written."""
    reasons: list[str] = []
    if request.spec_blob is None:
        reasons.append(f"no spec file — create {request.expected_spec_name} in the container")
    reasons.extend(_test_refusals(request))
    reasons.extend(_child_refusals(request))
    reasons.extend(_review_refusals(request))
    return reasons


def _pass_time(request: StampRequest, name: str, blob: str) -> str:
    old = request.old.row(name) if request.old is not None else None
    return old.pass_time if old is not None and old.test_blob == blob else request.now


def new_ledger(request: StampRequest) -> Ledger:
    """The ledger a permitted stamp writes: the passing files, and a `# child` line per child."""
    if request.spec_blob is None:
        raise ValueError("new_ledger needs the spec blob; check refusals() first")
    rows = tuple(
        LedgerRow(name, blob, _pass_time(request, name, blob))
        for name, blob in sorted(request.test_blobs.items())
        if request.outcomes.get(name, Outcome()).ok
    )
    children = tuple(ChildEntry(c.name, c.ledger_blob) for c in request.children if c.ledger_blob is not None)
    return Ledger(spec_blob=request.spec_blob, run=request.now, children=children, rows=rows)


def is_partial(request: StampRequest) -> bool:
    return bool(request.failing())
