"""The pure parts of the ledger machinery: the diagnosis table, the stamp rules and the junit mapping."""

from __future__ import annotations

import pytest

from spx_python.evidence.diagnosis import Diagnosis, diagnose
from spx_python.evidence.ledger import Ledger, LedgerRow
from spx_python.evidence.stamp_rules import ChildFact, StampRequest, new_ledger, refusals
from spx_python.evidence.state import State
from spx_python.testrun.junit import Outcome, mangled, parse_report

SPEC, SPEC2 = "a" * 40, "b" * 40
BLOB, BLOB2 = "c" * 40, "d" * 40
OLD_TIME, NOW = "2026-01-01T00:00:00Z", "2026-11-25T10:00:00Z"
PASSED, FAILED = Outcome(passed=1), Outcome(failed=1)
NAME = "x.unit.test.py"


def ledger(*rows: LedgerRow) -> Ledger:
    return Ledger(SPEC, OLD_TIME, (), rows)


@pytest.mark.parametrize(
    ("spec", "blob", "outcome", "expected"),
    [
        (SPEC, BLOB, FAILED, Diagnosis.REGRESSION),
        (SPEC, BLOB, PASSED, Diagnosis.CURRENT),
        (SPEC, BLOB, None, Diagnosis.CURRENT),
        (SPEC, BLOB2, FAILED, Diagnosis.STALE_TEST),
        (SPEC2, BLOB, FAILED, Diagnosis.STALE_SPEC),
        (SPEC2, BLOB2, FAILED, Diagnosis.STALE_BOTH),
    ],
)
def test_failure_classification_table(spec: str, blob: str, outcome: Outcome | None, expected: Diagnosis) -> None:
    outcomes = {} if outcome is None else {NAME: outcome}
    (report,) = diagnose(ledger(LedgerRow(NAME, BLOB, OLD_TIME)), spec, {NAME: blob}, outcomes)
    assert report.diagnosis is expected


def test_phantom_and_in_progress() -> None:
    reports = diagnose(ledger(LedgerRow("gone.unit.test.py", BLOB, OLD_TIME)), SPEC, {NAME: BLOB}, {NAME: FAILED})
    assert [(r.test_file, r.diagnosis, r.result) for r in reports] == [
        ("gone.unit.test.py", Diagnosis.PHANTOM, "missing"),
        (NAME, Diagnosis.IN_PROGRESS, "failed"),
    ]
    assert Diagnosis.PHANTOM.is_error and not Diagnosis.IN_PROGRESS.is_error


def request(**changes: object) -> StampRequest:
    base: dict[str, object] = {
        "path": "21-a.capability/21-b.feature/21-c.story",
        "kind": "story",
        "expected_spec_name": "c.story.md",
        "spec_blob": SPEC,
        "test_blobs": {NAME: BLOB, "y.unit.test.py": BLOB2},
        "outcomes": {NAME: PASSED, "y.unit.test.py": PASSED},
        "children": (),
        "review_required": True,
        "verdict": "APPROVED",
        "verdict_current": True,
        "old": ledger(LedgerRow(NAME, BLOB, OLD_TIME), LedgerRow("y.unit.test.py", BLOB, OLD_TIME)),
        "force": False,
        "now": NOW,
    }
    base.update(changes)
    return StampRequest(**base)  # type: ignore[arg-type]


def test_a_permitted_stamp_keeps_pass_time_only_for_unchanged_blobs() -> None:
    assert refusals(request()) == []
    rows = new_ledger(request()).rows
    assert [(r.test_file, r.pass_time) for r in rows] == [(NAME, OLD_TIME), ("y.unit.test.py", NOW)]


def test_force_waives_failures_only() -> None:
    failing = {NAME: PASSED, "y.unit.test.py": FAILED}
    assert "--force" in refusals(request(outcomes=failing))[0]
    assert refusals(request(outcomes=failing, force=True)) == []
    assert [r.test_file for r in new_ledger(request(outcomes=failing, force=True)).rows] == [NAME]
    assert "REJECTED" in refusals(request(outcomes=failing, force=True, verdict="REJECTED"))[0]


def test_review_applies_to_every_level_and_can_be_switched_off() -> None:
    assert "the story was never reviewed" in refusals(request(verdict=None))[0]
    assert refusals(request(verdict=None, review_required=False)) == []
    feature = request(verdict=None, kind="feature", test_blobs={}, outcomes={})
    assert refusals(feature) == [
        "the feature was never reviewed — run `spx review 21-a.capability/21-b.feature/21-c.story` until it is APPROVED"
    ]


def test_every_test_file_the_spec_lists_must_exist() -> None:
    reasons = refusals(request(missing_listed=("cli.integration.test.py",)))
    assert reasons == [
        "the spec's Test Files table lists tests/cli.integration.test.py, which does not exist — write it "
        "(`/spx-python:testing-python 21-a.capability/21-b.feature/21-c.story` in Claude Code), or remove its row "
        "from the spec"
    ]


def test_an_approval_of_files_that_changed_since_does_not_count() -> None:
    assert "changed since the APPROVED review" in refusals(request(verdict_current=False))[0]


def test_children_must_pass_and_become_child_lines() -> None:
    child = ChildFact("21-c.story", State.PASSING, BLOB)
    feature = request(kind="feature", children=(child,))
    assert refusals(feature) == []
    assert [(c.name, c.ledger_blob) for c in new_ledger(feature).children] == [("21-c.story", BLOB)]
    stale = request(kind="feature", children=(ChildFact("21-c.story", State.STALE, BLOB),))
    assert "child 21-c.story is Stale" in refusals(stale)[0]


def test_story_without_tests_or_spec_is_refused() -> None:
    reasons = refusals(request(test_blobs={}, outcomes={}, spec_blob=None))
    assert any("c.story.md" in r for r in reasons)
    assert any("at least one test file" in r for r in reasons)


def test_junit_cases_map_to_their_file_even_when_names_nest() -> None:
    short = "spx/21-a.capability/tests/a.unit.test.py"
    longer = "spx/21-a.capability/tests/a.unit.test.b.unit.test.py"
    report = f"""<testsuites><testsuite>
      <testcase classname="{mangled(short)}" name="test_one"/>
      <testcase classname="{mangled(short)}.TestGroup" name="test_two"><failure message="x"/></testcase>
      <testcase classname="{mangled(longer)}" name="test_three"><skipped/></testcase>
      <testcase classname="" name="{mangled(longer)}"><error message="collection failure"/></testcase>
      <testcase classname="elsewhere.helper" name="test_other" file="{longer}"/>
    </testsuite></testsuites>""".encode()
    outcomes = parse_report(report, [short, longer])
    assert outcomes[short] == Outcome(passed=1, failed=1)
    assert outcomes[longer] == Outcome(passed=1, failed=1, skipped=1)
    assert not outcomes[short].ok
    assert Outcome(skipped=2).label == "2 skipped"
    assert Outcome().label == "no tests"
    assert not Outcome(passed=3, skipped=1).ok  # a skipped test is no evidence, even beside passing ones
