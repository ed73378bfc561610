"""Per-file diagnosis of a container's tests against its ledger. Pure: facts and outcomes in, verdicts out.

listed, file missing                          phantom       (error: blocks a commit)
listed, spec and test blob unchanged, fails   regression    (error: blocks a commit)
listed, spec and test blob unchanged          current
listed, test blob changed                     stale test    (re-stamp)
listed, spec blob changed                     stale spec    (re-stamp)
listed, both changed                          stale both    (re-stamp)
present, not listed                           in progress   (not an error)
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass

from spx_python.evidence.ledger import Ledger
from spx_python.spec.tree import test_path
from spx_python.testrun.junit import Outcome


class Diagnosis(enum.Enum):
    CURRENT = "current"
    REGRESSION = "regression"
    STALE_TEST = "stale test"
    STALE_SPEC = "stale spec"
    STALE_BOTH = "stale both"
    PHANTOM = "phantom"
    IN_PROGRESS = "in progress"

    @property
    def is_error(self) -> bool:
        return self in (Diagnosis.REGRESSION, Diagnosis.PHANTOM)

    @property
    def is_stale(self) -> bool:
        return self in (Diagnosis.STALE_TEST, Diagnosis.STALE_SPEC, Diagnosis.STALE_BOTH)


EXPLANATIONS = {
    Diagnosis.CURRENT: "matches the ledger",
    Diagnosis.REGRESSION: "spec and test unchanged since the stamp, and it now fails — fix the code",
    Diagnosis.STALE_TEST: "the test changed since the stamp — re-stamp once it passes",
    Diagnosis.STALE_SPEC: "the spec changed since the stamp — re-stamp once the tests pass",
    Diagnosis.STALE_BOTH: "spec and test changed since the stamp — re-stamp once it passes",
    Diagnosis.PHANTOM: "listed in pass.csv but the file is missing — restore it or re-stamp",
    Diagnosis.IN_PROGRESS: "not in the ledger yet (work in progress)",
}
NOT_RUN_LABEL = "not run"
MISSING_LABEL = "missing"


@dataclass(frozen=True)
class FileReport:
    test_file: str
    outcome: Outcome | None  # None: not run (or missing)
    diagnosis: Diagnosis

    @property
    def result(self) -> str:
        if self.diagnosis is Diagnosis.PHANTOM:
            return MISSING_LABEL
        return NOT_RUN_LABEL if self.outcome is None else self.outcome.label

    @property
    def explanation(self) -> str:
        return EXPLANATIONS[self.diagnosis]


def _listed(spec_changed: bool, test_changed: bool, outcome: Outcome | None) -> Diagnosis:
    if spec_changed and test_changed:
        return Diagnosis.STALE_BOTH
    if spec_changed:
        return Diagnosis.STALE_SPEC
    if test_changed:
        return Diagnosis.STALE_TEST
    if outcome is not None and not outcome.ok:
        return Diagnosis.REGRESSION
    return Diagnosis.CURRENT


def diagnose(
    ledger: Ledger | None,
    spec_blob: str | None,
    test_blobs: Mapping[str, str],
    outcomes: Mapping[str, Outcome],
) -> tuple[FileReport, ...]:
    """One report per listed or present test file: listed rows first (ledger order), then unlisted files.

    `test_blobs` maps every present test file to its current blob; `outcomes` holds the files that ran.
    """
    reports: list[FileReport] = []
    listed: set[str] = set()
    if ledger is not None:
        spec_changed = spec_blob != ledger.spec_blob
        for row in ledger.rows:
            listed.add(row.test_file)
            current = test_blobs.get(row.test_file)
            outcome = outcomes.get(row.test_file)
            if current is None:
                reports.append(FileReport(row.test_file, None, Diagnosis.PHANTOM))
            else:
                diagnosis = _listed(spec_changed, current != row.test_blob, outcome)
                reports.append(FileReport(row.test_file, outcome, diagnosis))
    reports.extend(
        FileReport(name, outcomes.get(name), Diagnosis.IN_PROGRESS) for name in sorted(test_blobs) if name not in listed
    )
    return tuple(reports)


def has_errors(reports: tuple[FileReport, ...]) -> bool:
    return any(report.diagnosis.is_error for report in reports)


def diagnosis_line(container_path: str, report: FileReport) -> str:
    """The one wording of a file's diagnosis: `<diagnosis>: <test path> — <what happened, what to do>`."""
    return f"{report.diagnosis.value}: {test_path(container_path, report.test_file)} — {report.explanation}"
