"""The table of `spx` commands: words, the module that implements them, and their one-line help.

Adding a command is one row here plus a module with `register(parser)`, which adds the command's
arguments and sets `handler`. `spx --help` lists the table without importing a single command
module; a run imports only the module of the command it runs (start-up pays for nothing else).
"""

from __future__ import annotations

GROUPS = {"spec": "the spec tree: status, next, tests and the ledger"}  # a group's commands read `spx GROUP NAME`

# (words, module, help), in the order `--help` lists them; a two-word command belongs to the group of its first word.
COMMANDS: tuple[tuple[str, str, str], ...] = (
    (
        "spec status",
        "spx_python.cli.spec_status",
        "show every container's state (from the ledgers; no tests run)",
    ),
    (
        "spec next",
        "spx_python.cli.spec_next",
        "print the full path of the next container to work on",
    ),
    (
        "spec test",
        "spx_python.cli.spec_test",
        "run a container's tests and diagnose them against its ledger",
    ),
    (
        "spec verify",
        "spx_python.cli.spec_verify",
        "pre-commit/CI check: phantoms, staleness, and a run of only the listed tests",
    ),
    (
        "spec context",
        "spx_python.cli.spec_context",
        "list the documents to read before working on an item (or abort when one is missing)",
    ),
    (
        "spec create",
        "spx_python.cli.spec_create",
        "create a capability, feature, story or ADR from its template, numbered by the BSP rules",
    ),
    (
        "init",
        "spx_python.cli.init",
        "set up a project: spx/CLAUDE.md, pytest settings where pytest reads them, .spx/ in .gitignore",
    ),
    (
        "review",
        "spx_python.cli.review",
        "review a story/feature/capability: mypy, ruff, pytest + coverage, AST checks → APPROVED/REJECTED",
    ),
    (
        "commit",
        "spx_python.cli.commit",
        "commit a reviewed container's spec, tests, ledger and reviewed source (after APPROVED)",
    ),
    (
        "workflow",
        "spx_python.cli.workflow",
        "the hooks' workflow journal: status, log, block, reset",
    ),
    (
        "demo",
        "spx_python.cli.demo",
        "watch Claude Code implement an example project story by story under this plugin's hooks",
    ),
    (
        "runtime",
        "spx_python.cli.runtime",
        "the plugin's own runtime (spx's dependencies, pytest, mypy, ruff)",
    ),
    (
        "doctor",
        "spx_python.cli.doctor",
        "check what spx needs: python, git, its runtime, the project's environment and tools, "
        "pytest settings, Claude Code hooks and permission, uncommitted set-up",
    ),
)


def selected(argv: list[str]) -> str | None:
    """The words of the command `argv` names (e.g. `spec status`), None when it names none of the table's."""
    words = [arg for arg in argv if not arg.startswith("-")]
    for size in (2, 1):
        candidate = " ".join(words[:size])
        if any(candidate == command for command, _, _ in COMMANDS):
            return candidate
    return None
