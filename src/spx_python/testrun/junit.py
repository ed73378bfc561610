"""Per-file test outcomes from a pytest `--junitxml` report (standard-library XML parsing, no plugin).

pytest names each `<testcase>` by its node id with `/` turned into `.` and the `.py` dropped
(`classname`, or `name` for a collection error). We map those names back to the test files we
passed, longest match first, so same-named files in different containers never mix; the xunit1
`file` attribute is the fallback.

A skipped test (`skip`, `skipif`, `importorskip`, `xfail`) is no evidence: a file passes only when
every one of its test cases ran and passed, and every test it defines ran (`testrun.integrity`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import xml.etree.ElementTree as ET

PY_SUFFIX = ".py"
FAILURE_TAGS = ("failure", "error")
SKIPPED_TAG = "skipped"


@dataclass(frozen=True)
class Outcome:
    """What pytest reported for one test file: counts of test cases."""

    passed: int = 0
    failed: int = 0
    skipped: int = 0
    unrun: int = 0  # tests the file defines that the report does not mention (deselected, not collected)
    names: frozenset[str] = field(default=frozenset(), compare=False)  # the reported case names

    @property
    def ok(self) -> bool:
        """Passed: at least one test case passed, none failed, errored or was skipped, and none went unrun."""
        return self.failed == 0 and self.skipped == 0 and self.unrun == 0 and self.passed > 0

    @property
    def label(self) -> str:
        if self.ok:
            return "passed"
        if self.failed:
            return "failed"
        if self.skipped:
            return f"{self.skipped} skipped"
        return f"{self.unrun} not run" if self.unrun else "no tests"

    def add(self, other: Outcome) -> Outcome:
        return Outcome(
            self.passed + other.passed,
            self.failed + other.failed,
            self.skipped + other.skipped,
            self.unrun + other.unrun,
            self.names | other.names,
        )


NOT_RUN = Outcome()


def mangled(relative_path: str) -> str:
    """The dotted name pytest's junit report gives a test file (path relative to the rootdir)."""
    text = relative_path.replace("\\", "/")
    if text.endswith(PY_SUFFIX):
        text = text[: -len(PY_SUFFIX)]
    return text.replace("/", ".")


def _case_outcome(case: ET.Element) -> Outcome:
    names = frozenset({case.get("name") or ""})
    if any(case.find(tag) is not None for tag in FAILURE_TAGS):
        return Outcome(failed=1, names=names)
    if case.find(SKIPPED_TAG) is not None:
        return Outcome(skipped=1, names=names)
    return Outcome(passed=1, names=names)


class _Matcher:
    def __init__(self, relative_paths: Iterable[str]) -> None:
        self.by_name = {mangled(p): p for p in relative_paths}
        self.by_file = {p: p for p in relative_paths}

    def match(self, case: ET.Element) -> str | None:
        """The longest known file name that is the case's dotted name or a prefix of it (class names follow)."""
        dotted = case.get("classname") or case.get("name") or ""
        while dotted:
            path = self.by_name.get(dotted)
            if path is not None:
                return path
            dotted = dotted.rpartition(".")[0]
        return self.by_file.get(case.get("file", ""))


def parse_report(data: bytes, relative_paths: Iterable[str]) -> dict[str, Outcome]:
    """Outcomes keyed by the given root-relative paths; files without any test case get no entry."""
    import xml.etree.ElementTree as ET  # noqa: PLC0415 - imported after pytest started, off the start-up path

    matcher = _Matcher(relative_paths)
    outcomes: dict[str, Outcome] = {}
    root = ET.fromstring(data)  # noqa: S314 - pytest's own report
    for case in root.iter("testcase"):
        path = matcher.match(case)
        if path is not None:
            outcomes[path] = outcomes.get(path, NOT_RUN).add(_case_outcome(case))
    return outcomes


def outcome_of(outcomes: Mapping[str, Outcome], relative_path: Path | str) -> Outcome:
    return outcomes.get(str(relative_path), NOT_RUN)
