"""Every refusal a hook can emit, as data: its stable rule id and what it guards; and the text type that carries one.

Standard library only, imports nothing (every hook loads it). A rule's home is where its words are
(`hooks/guard/*`, `workflow/gate`, the hook adapters); each builds its refusal with `refused(RULE, text)`,
a `str` that also carries the id. The hook appends ` [rule: <id>]` to the reason it prints and records
the id under `rule` in the journal event. A crash caught by the fail-closed wrapper is `INTERNAL_ERROR`,
an id no rule has, with text no rule produces.
"""

from __future__ import annotations

INTERNAL_ERROR = "internal-error"
SPX_ERROR = "project.spx-error"
RULE_KEY = "rule"  # the journal event's key
SUFFIX = " [rule: {rule}]"
MALFORMED_INPUT = "input.malformed"
INEXACT_NAME = "skill.inexact-name"

# rule id → what it refuses; the words the model sees live with each rule
RULES = {
    # malformed calls (any hook)
    MALFORMED_INPUT: "a tool call or typed command whose input is not shaped as Claude Code sends it",
    INEXACT_NAME: "a workflow skill called by a look-alike of its exact name",
    # spx's own refusal to read the project (a bad [tool.spx] key or value): its message names the fix
    SPX_ERROR: "a project spx cannot read as it is, e.g. an unknown or invalid [tool.spx] setting",
    # the protected files (Write/Edit/MCP paths, shell operands)
    "protect.ledger-write": "writing, moving or deleting a pass.csv ledger",
    "protect.state-write": "writing anything under .spx/ (the workflow journal)",
    "protect.plugin-code": "changing the code the hooks and spx run",
    "protect.git-hooks-file": "changing .git/hooks or .git/config",
    "protect.glob-too-wide": "a glob too wide to expand that could name a ledger or .spx/",
    "protect.mcp-too-deep": "an MCP tool input nested too deeply to check",
    # the workflow's settings and switches
    "config.spx-settings": "a file-tool write that changes [tool.spx]",
    "config.hook-switch": "turning hooks or plugins off (disableAllHooks, enabledPlugins)",
    "config.shell-write": "a shell write to a pyproject.toml",
    # the Bash judge
    "shell.workflow-reset": "`spx workflow reset`, which only the user may run",
    "shell.too-long": "a command too long to judge in time",
    "shell.unparseable": "a command that cannot be parsed and names a protected file",
    "shell.not-read-only": "a command that is not read-only naming a protected file",
    "shell.unchecked-operand": "a file operand built from variables or command output",
    "shell.unchecked-code": "inline code or a pipeline in a command that names a protected file",
    "shell.find-action": "find -delete/-exec on names that could include a protected file",
    "shell.xargs": "names that cannot be checked fed to a writing command",
    "shell.git-state": "git clean -x / stash --all, which delete the ignored journal",
    "shell.patch": "a patch from a pipe, unreadable, or touching a protected file",
    "shell.git-skip-hooks": "skipping the repository's git hooks",
    "shell.hard-link": "a hard link to a ledger",
    "shell.carries-evidence": "copying, moving or linking ledgers or .spx/ into a project",
    "shell.spec-container": "deleting or renaming a container of the spec tree",
    "shell.state-dir": "deleting or moving the directory holding .spx/",
    "stamp.out-of-sequence": "`spx spec test --stamp` before the story is in review and APPROVED",
    # the workflow gate (Skill calls and typed commands)
    "project.no-spec-root": "a step skill where there is no spx/ directory",
    "path.missing": "a step skill without a full path",
    "path.not-full": "a path that is not a full path (bare names, bad segments)",
    "path.not-found": "a full path naming no container",
    "order.one-at-a-time": "starting a container while another is mid-sequence",
    "order.children-first": "starting a feature or capability before its children pass",
    "order.earlier-unfinished": "starting a container while an earlier one (BSP order) is unfinished",
    "order.state-unreadable": "starting a container when the evidence the order rule needs cannot be read",
    "sequence.out-of-order": "a step that does not follow from the story's phase",
    "sequence.no-coding-round": "a coding round without a REJECTED verdict, or past the rejection cap",
    "sequence.ungated-launch": "a skill that ran without the gate's allow",
    "context.incomplete": "understanding-specs with incomplete context",
    "stop.mid-sequence": "ending an orchestrating turn while a story is mid-sequence",
}


class Refused(str):
    """A refusal's text that knows its rule id (`rule`); prints and compares as the plain text."""

    __slots__ = ("rule",)
    rule: str

    def __new__(cls, rule: str, text: str) -> Refused:
        if rule not in RULES:
            raise KeyError(f"{rule}: not a rule id in refusal_rules.RULES")
        made = super().__new__(cls, text)
        made.rule = rule
        return made

    def reworded(self, text: str) -> Refused:
        """The same rule with other words (a prefix added, a path shown as written)."""
        return Refused(self.rule, text)


def refused(rule: str, text: str) -> Refused:
    return Refused(rule, text)


def rule_of(reason: str) -> str:
    """The rule id a reason carries; text without one came from no rule: an internal error."""
    return reason.rule if isinstance(reason, Refused) else INTERNAL_ERROR


def with_rule(reason: str) -> str:
    """The reason as printed: its text, then ` [rule: <id>]`."""
    return reason + SUFFIX.format(rule=rule_of(reason))
