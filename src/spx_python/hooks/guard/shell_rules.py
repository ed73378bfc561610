"""The tables the Bash judge reads: which commands write what, and which may name a protected file.

Standard library only, data only. The rule they serve (docs/workflow-hooks.md, "Protected files"):
a command that names a ledger or the workflow state is refused unless it is a read-only command
from `READ_ONLY` (or one of the writers whose operands were checked and found harmless), so an
editor, a downloader or a tool with an `--output` flag cannot write a ledger by a route nobody listed.
"""

from __future__ import annotations

import re

WRITERS_ANY_OPERAND = frozenset(
    {"rm", "rmdir", "unlink", "shred", "mv", "truncate", "touch", "chmod", "chown", "chgrp", "tee", "srm", "trash"}
)
DIRECTORY_CHANGERS = frozenset({"cd", "pushd", "popd"})
DELETERS = frozenset({"rm", "rmdir", "unlink", "shred", "mv", "srm", "trash"})
COPIERS = frozenset({"cp", "install", "rsync", "ln", "scp"})
IN_PLACE_EDITORS = frozenset({"sed", "gsed", "perl", "ruby"})
GIT_WRITERS = frozenset({"checkout", "restore", "rm", "mv", "reset", "clean", "apply", "am", "stash"})
GIT_READ_ONLY = frozenset(
    {"add", "blame", "cat-file", "commit", "diff", "grep", "log", "ls-files", "rev-parse", "show", "status"}
)
SHELLS = frozenset({"sh", "bash", "zsh", "dash", "ksh", "fish"})
INTERPRETERS = frozenset(
    {
        "python",
        "python3",
        "node",
        "awk",
        "gawk",
        "mawk",
        "deno",
        "bun",
        "php",
        "lua",
        "source",
        ".",
        "xargs",
        "parallel",
    }
)
# Commands that only read the files they name (their output goes where redirections say, which are checked).
READ_ONLY = frozenset(
    {
        "cat", "less", "more", "head", "tail", "wc", "grep", "egrep", "fgrep", "rg", "ls", "stat", "file", "diff",
        "cmp", "md5sum", "sha1sum", "sha256sum", "echo", "printf", "test", "[", "true", "false", "cut", "uniq",
        "jq", "pwd", "realpath", "readlink", "basename", "dirname", "tree", "du", "xxd", "od", "hexdump", "nl",
        "tac", "column", "strings", "bat", "cd", "pushd", "popd", "for", "done", "fi", "esac", "spx",
    }
)  # fmt: skip
FIND_ACTIONS = frozenset({"-delete", "-exec", "-execdir", "-ok", "-okdir", "-fprint", "-fprint0", "-fprintf", "-fls"})
FIND_NAME_TESTS = frozenset({"-name", "-iname", "-path", "-ipath", "-wholename", "-iwholename", "-lname", "-ilname"})
FIND_WIDENERS = frozenset({"-o", "-or", "-not", "!", ",", "-regex", "-iregex"})
PATCHERS = frozenset({"patch"})
GIT_PATCHERS = frozenset({"apply", "am"})
MAX_PATCH_BYTES = 4 * 1024 * 1024
HOOKS_PATH = "hookspath"
NO_VERIFY = "--no-verify"
PRE_COMMIT_SKIP = "SKIP="  # pre-commit skips the hooks it lists
GIT_CLEAN_IGNORED = re.compile(r"^-[a-zA-Z]*[xX]")
GIT_STASH_ALL = frozenset({"-a", "--all"})

MENTION_RE = re.compile(
    r"pass[^a-z0-9_]{0,3}csv|pass[*?\[{]|\.spx|\.sp[*?\[{]|workflow\.(?:jsonl|lock)|spx_python|pyproject\.toml",
    re.IGNORECASE,
)
RESET_WORDS = ("workflow", "reset")
RESET_RE = re.compile(r"workflow\W{1,8}reset", re.IGNORECASE)
HOOK_SWITCH_RE = re.compile(r"disableAllHooks|enabledPlugins", re.IGNORECASE)
UNRESOLVED_RE = re.compile(r"[$`{}]")

RESET_RULE = "shell.workflow-reset"
RESET_REASON = (
    "`spx workflow reset` restarts a story's workflow and only the user may run it (in their own terminal) — "
    "follow the step the last refusal named, or report BLOCKED to the user"
)
HOOK_SWITCH_REASON = (
    "{what}: turning hooks or plugins off (disableAllHooks, enabledPlugins) is the user's decision, never the "
    "model's — follow the workflow, or ask the user"
)
MAX_COMMAND_CHARS = 1_000_000  # judging is linear; a hook that runs out of time fails open
TOO_LONG = (
    "the command is {length} characters long, over the {limit} the hook checks in time — split it, or put long "
    "data in a file"
)
UNPARSEABLE = "{command}: the command cannot be parsed and it mentions a protected file — write it plainly"
NOT_READ_ONLY = (
    "{name}: only read-only commands (cat, grep, diff, git diff/log/show/add/commit, spx, …) may name a pass.csv "
    "ledger or .spx/ state — ledgers are written only by `spx spec test --stamp`, .spx/ only by the hooks and `spx`"
)
UNCHECKED_OPERAND_RULE = "shell.unchecked-operand"
UNCHECKED_OPERAND = (
    "{word}: a file operand built from variables or command output cannot be checked against the pass.csv "
    "ledgers and .spx/ state — name the file literally"
)
UNCHECKED_CODE = "{name}: code or a pipeline that cannot be checked, in a command that names a protected file"
FIND_REASON = (
    "find: -delete/-exec on names that could include a pass.csv ledger or .spx/ state — add a -name pattern that "
    "excludes them (e.g. -name '*.pyc'); ledgers are written only by `spx spec test --stamp`"
)
XARGS_REASON = (
    "{name}: feeds names that cannot be checked to a command that writes files — run the command on explicit "
    "paths instead (ledgers and .spx/ are written only by `spx`)"
)
GIT_STATE_REASON = (
    "git {sub}: this would delete the ignored .spx/ workflow journal — leave ignored files alone "
    "(drop -x/-X/--all), the journal is written only by the hooks and `spx`"
)
PATCH_RULE = "shell.patch"
PATCH_REASON = (
    "{what}: a patch that cannot be read, or that touches a pass.csv ledger or .spx/ state, is refused — "
    "apply patches from a file, and never to ledgers (only `spx spec test --stamp` writes them)"
)
GIT_HOOKS_REASON = (
    "git: skipping the repository's hooks (--no-verify, -n, core.hooksPath, SKIP=) would skip the user's checks, "
    "such as `spx spec verify` before a commit — commit without skipping them, and fix what they report"
)
HARD_LINK_REASON = (
    "{path}: a hard link to a pass.csv ledger would let a write to the link change the ledger — copy it instead"
)
CARRIES_REASON = (
    "{path}: this directory holds pass.csv ledgers or .spx/ state, and copying, moving or linking it into a "
    "project carries that evidence unchecked — ledgers are written only by `spx spec test --stamp`; "
    "ask the user to restructure the spec tree"
)
CONFIG_RULE = "config.shell-write"
CONFIG_REASON = (
    "{path}: pyproject.toml holds [tool.spx], the workflow's settings, and a shell write to it cannot be "
    "checked — change pyproject.toml with the Edit tool (its [tool.spx] table stays the user's)"
)
HOLDS_SPEC_REASON = (
    "{path}: this is a container of the spec tree (or holds them) — deleting or renaming it removes or reorders "
    "stories in the BSP order the workflow follows, so an unfinished story could be skipped; never renumber "
    "(insert with `spx spec create`), and leave removing specs to the user"
)
HOLDS_STATE_REASON = (
    "{path}: this directory holds the project's .spx/ workflow journal — deleting or moving it would erase the "
    "workflow's history; only the user may do that"
)
