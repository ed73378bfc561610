"""`spx spec status --fresh`: states from one real pytest run over every container in scope.

Cached states come from the ledgers (`state`); a fresh run can add the one state the cache cannot
know: Regressed (a listed test whose spec and test blobs are unchanged now fails).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from spx_python.evidence.diagnosis import Diagnosis, diagnosis_line
from spx_python.evidence.snapshot import by_container, take_snapshot
from spx_python.evidence.state import Evidence, State, TreeStates, own_state, read_facts, worst
from spx_python.spec.tree import Container
from spx_python.testrun.junit import Outcome
from spx_python.testrun.pytest_run import own_tests, run_tests


def _own(container: Container, outcomes: dict[str, Outcome]) -> Evidence:
    evidence = own_state(read_facts(container))
    reports = take_snapshot(container).reports(outcomes)
    regressions = tuple(diagnosis_line(container.path, r) for r in reports if r.diagnosis is Diagnosis.REGRESSION)
    return Evidence(State.REGRESSED, regressions) if regressions else evidence


def fresh_states(project_root: Path, containers: Iterable[Container], output: TextIO | None = None) -> TreeStates:
    """Run every present test file under `containers` (pytest output to `output`, default stderr)."""
    tops = tuple(containers)
    everything = [c for top in tops for c in top.walk()]
    outcomes = by_container(run_tests(project_root, own_tests(everything), sys.stderr if output is None else output))
    own: dict[str, Evidence] = {}
    shown: dict[str, State] = {}

    def visit(container: Container) -> State:
        own[container.path] = _own(container, outcomes.get(container.path, {}))
        state = worst([own[container.path].state, *(visit(child) for child in container.children)])
        shown[container.path] = state
        return state

    for top in tops:
        visit(top)
    return TreeStates(own, shown)


def regression_notes(states: TreeStates) -> list[str]:
    """The reasons of every Regressed container, each naming the failing test file."""
    regressed = [evidence for evidence in states.own.values() if evidence.state is State.REGRESSED]
    return [reason for evidence in regressed for reason in evidence.reasons]
