"""Findings of the review gate and the table of rules they come from (why each matters, how to fix it).

Tool findings carry the tool's own code in `rule` (`mypy:arg-type`, `ruff:B006`); their why/fix come
from the tool's message plus the family entry here. AST and gate rules are listed in full.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    why: str
    fix: str


# Rule ids of the gate's own checks (one place each).
MOCKING = "mocking"
DEEP_RELATIVE_IMPORT = "deep-relative-import"
SYS_PATH_EDIT = "sys-path-edit"
BARE_EXCEPT = "bare-except"
REPEATED_LITERAL = "repeated-literal"
BLANKET_SUPPRESSION = "blanket-suppression"
WEAKENED_CONFIG = "weakened-config"
TEST_LITERAL_CONSTANT = "test-literal-constant"
COVERAGE = "coverage"
TEST_FAILED = "pytest"
NO_TESTS = "no-tests"
SKIPPED_TEST = "skipped-test"
TEST_NOT_RUN = "test-not-run"
VACUOUS_ASSERT = "vacuous-assert"
TEST_WITHOUT_ASSERT = "test-without-assert"
SWALLOWED_FAILURE = "swallowed-failure"
OUTCOME_HOOK = "outcome-hook"
TOOL_ERROR = "tool-error"
REGRESSION = "regression"
SUITE_NOT_GUARDED = "suite-not-guarded"
SYNTAX_ERROR = "syntax-error"
MYPY_PREFIX = "mypy"
RUFF_PREFIX = "ruff"

RULES: dict[str, Rule] = {
    MOCKING: Rule(
        "mocks test the mock, not the code: the test passes while the real collaborator is broken",
        "exercise the real collaborator (temp dirs, real subprocesses, a real local server) or inject a "
        "real alternative implementation through a parameter",
    ),
    DEEP_RELATIVE_IMPORT: Rule(
        "a relative import that climbs packages ties the file to the directory layout and breaks on moves",
        "import by the absolute module name (e.g. `from mypkg.parsing import parse`)",
    ),
    SYS_PATH_EDIT: Rule(
        "editing sys.path makes imports depend on the working directory and hides packaging mistakes",
        "install the package (editable) or set `pythonpath` in the pytest configuration instead",
    ),
    BARE_EXCEPT: Rule(
        "`except:` also swallows KeyboardInterrupt and SystemExit and hides the real error",
        "catch the specific exception types you expect (at most `except Exception`), and handle or re-raise",
    ),
    REPEATED_LITERAL: Rule(
        "the same string literal in several places drifts apart when one copy changes",
        "define it once as a module-level UPPER_SNAKE constant and use the constant everywhere",
    ),
    BLANKET_SUPPRESSION: Rule(
        "a suppression that names no code silences every check on the line (or file), including the ones "
        "that would have found a real bug",
        "fix what the tools report; for a justified false positive name the code and the reason on that line "
        "(`# type: ignore[code]  # reason`, `# noqa: CODE - reason`)",
    ),
    WEAKENED_CONFIG: Rule(
        "configuration that switches a check off for a module (`ignore_errors`, a strict flag set to false, "
        "`disable_error_code` naming a code a strict flag enables, a ruff per-file ignore of a blocking family) "
        "makes the check a no-op for that code, whichever spelling it uses",
        "remove the setting from the mypy configuration: findings on lines the story did not change are reported "
        "as pre-existing and never block, so legacy code needs no exemption; silence a justified false positive "
        "on its own line with `# type: ignore[code]  # reason`",
    ),
    TEST_LITERAL_CONSTANT: Rule(
        "the test repeats a value the implementation defines as a constant, so it breaks (or lies) when "
        "the constant changes",
        "import the constant from the implementation and assert against it",
    ),
    COVERAGE: Rule(
        "code the tests never run is code nobody has shown to work",
        "add tests (at the story's level) that exercise the listed lines, or delete the dead code",
    ),
    TEST_FAILED: Rule(
        "a failing or erroring test means the behaviour is not delivered",
        "make the test pass by fixing the implementation (or the test, if the test is wrong)",
    ),
    SKIPPED_TEST: Rule(
        "a skipped or xfailed test ran no code and proves nothing, yet it looks like coverage of the behaviour",
        "remove the skip/skipif/xfail mark (or the pytest.skip/importorskip call) and make the test pass; "
        "install what it needs in the project's environment",
    ),
    TEST_NOT_RUN: Rule(
        "a test the file defines was deselected or never collected, so it proves nothing while its file looks tested",
        "remove what keeps it from running (`-k`/`--deselect`/`-m` in addopts, a conftest "
        "`pytest_collection_modifyitems`, `__test__ = False`) and make it pass",
    ),
    VACUOUS_ASSERT: Rule(
        "an assertion that cannot fail checks nothing, yet makes the test look like evidence",
        "assert on what the code under test returns or does",
    ),
    TEST_WITHOUT_ASSERT: Rule(
        "a test without an assertion passes whatever the code does (only a crash fails it)",
        "assert on the behaviour (`assert`, `pytest.raises`), or name a shared checking helper `assert_*`",
    ),
    SWALLOWED_FAILURE: Rule(
        "catching AssertionError or Exception in a test without raising again hides the failure it catches",
        "let the exception propagate, or use `pytest.raises(SpecificError)` for an expected error",
    ),
    OUTCOME_HOOK: Rule(
        "a conftest hook that builds or reports test outcomes (or a plugin it loads) can turn a failure into a "
        "pass without any trace in the report",
        "remove the hook or `pytest_plugins` from the conftest; keep conftests to fixtures",
    ),
    REGRESSION: Rule(
        "a regression in the existing suite: the story broke behaviour the project's own tests protect",
        "make the named test pass again by fixing the new code (or, if the old behaviour is meant to change, "
        "update that test in the same story and say why)",
    ),
    SUITE_NOT_GUARDED: Rule(
        "the project's existing suite did not finish within its time budget, so this review did not guard it",
        "raise `[tool.spx] existing_suite` to a budget (seconds) the suite fits in, or set it to false to "
        "stop running it in reviews",
    ),
    NO_TESTS: Rule(
        "a container without test files has no evidence that anything works",
        "write its tests first in its tests/ directory (`tests/<name>.unit.test.py` in a story, "
        "`.integration.test.py` / `.e2e.test.py` in a feature or capability), then review",
    ),
    TOOL_ERROR: Rule(
        "a check that cannot run proves nothing, so the gate cannot approve",
        "fix the cause named in the message (install the tool, repair its configuration) and review again",
    ),
    SYNTAX_ERROR: Rule(
        "the file does not parse, so nothing in it can run or be checked",
        "fix the syntax error at the given line",
    ),
    MYPY_PREFIX: Rule(
        "mypy --strict reports a type error: the code can fail at run time in a way the types predicted",
        "fix the types or the code as the message says; a `# type: ignore[code]` needs a comment with the reason",
    ),
    RUFF_PREFIX: Rule(
        "ruff (bugbear B / bandit S) reports a likely bug or security problem",
        "change the code as the rule's documentation says (`ruff rule CODE`); a justified false positive "
        "needs `# noqa: CODE - reason`",
    ),
}


@dataclass(frozen=True)
class Finding:
    """One problem at `file:line` (file relative to the project root; line 0 = whole file)."""

    file: str
    line: int
    rule: str
    message: str
    blocking: bool = True
    preexisting: bool = False  # on a line the story did not change: listed and counted, never blocking

    @property
    def family(self) -> str:
        return self.rule.split(":", 1)[0]

    @property
    def why(self) -> str:
        rule = RULES.get(self.rule) or RULES.get(self.family)
        return f"{self.message} — {rule.why}" if rule else self.message

    @property
    def fix(self) -> str:
        rule = RULES.get(self.rule) or RULES.get(self.family)
        return rule.fix if rule else ""

    @property
    def location(self) -> str:
        """`file:line`, or `(review)` for a finding about the review as a whole."""
        return f"{self.file}:{self.line}" if self.file else "(review)"

    def as_json(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "rule": self.rule,
            "message": self.message,
            "why": self.why,
            "fix": self.fix,
            "blocking": self.blocking,
            "preexisting": self.preexisting,
        }


def deduplicate(findings: list[Finding]) -> list[Finding]:
    """One finding per (file, line, rule), and only the syntax error for a file that does not parse.

    A syntax error is reported by the parser, mypy and ruff alike, and makes everything else said about
    that file (coverage, say) a consequence rather than a finding.
    """
    unparsable = {f.file for f in findings if f.rule == SYNTAX_ERROR}
    seen: dict[tuple[str, int, str], Finding] = {}
    for finding in findings:
        if finding.file not in unparsable or finding.rule == SYNTAX_ERROR:
            seen.setdefault((finding.file, finding.line, finding.rule), finding)
    return list(seen.values())


def sort_key(finding: Finding) -> tuple[bool, str, int, str]:
    return (not finding.blocking, finding.file, finding.line, finding.rule)
