"""What is on disk for one container, read once for diagnosis and stamping: spec blob, test blobs, ledger.

A malformed ledger is kept as its error (with the line number) instead of raising, so reports can
name it and `--stamp` can replace it when the stamp rules hold.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from spx_python.evidence.blob import file_blob_sha
from spx_python.evidence.diagnosis import FileReport, diagnose
from spx_python.evidence.ledger import Ledger, LedgerFormatError
from spx_python.evidence.state import read_ledger
from spx_python.spec.tree import Container
from spx_python.testrun.junit import Outcome
from spx_python.testrun.pytest_run import TestKey


@dataclass(frozen=True)
class Snapshot:
    container: Container
    ledger: Ledger | None
    ledger_error: LedgerFormatError | None
    spec_blob: str | None
    test_blobs: dict[str, str]  # every present test file → its current blob

    @property
    def listed(self) -> tuple[str, ...]:
        return () if self.ledger is None else tuple(row.test_file for row in self.ledger.rows)

    def reports(self, outcomes: Mapping[str, Outcome]) -> tuple[FileReport, ...]:
        return diagnose(self.ledger, self.spec_blob, self.test_blobs, outcomes)


def _blob(path: object) -> str | None:
    try:
        return file_blob_sha(str(path))
    except OSError:
        return None


def current_blobs(container: Container) -> dict[str, str]:
    blobs: dict[str, str] = {}
    for name in container.test_names:
        blob = _blob(container.test_file(name))
        if blob is not None:
            blobs[name] = blob
    return blobs


def take_snapshot(container: Container) -> Snapshot:
    try:
        ledger, error = read_ledger(container), None
    except LedgerFormatError as problem:
        ledger, error = None, problem
    spec = container.spec_file
    spec_blob = None if spec is None else _blob(spec)
    return Snapshot(container, ledger, error, spec_blob, current_blobs(container))


def outcomes_for(outcomes: Mapping[TestKey, Outcome], container: Container) -> dict[str, Outcome]:
    return {name: outcome for (path, name), outcome in outcomes.items() if path == container.path}


def by_container(outcomes: Mapping[TestKey, Outcome]) -> dict[str, dict[str, Outcome]]:
    """Outcomes grouped by container full path (one pass, for whole-tree runs)."""
    grouped: dict[str, dict[str, Outcome]] = {}
    for (path, name), outcome in outcomes.items():
        grouped.setdefault(path, {})[name] = outcome
    return grouped
