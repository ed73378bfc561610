"""Does a Bash command write a ledger (`pass.csv`) or the workflow state (`.spx/`)? If so, why it is refused.

Standard library only. The command is split into simple commands (`;`, `&&`, `||`, `|`, `&`,
newlines, parentheses) and each is judged on what it writes: redirection targets (`>`, `>>`, `&>`,
`>|`), and the operands of commands that write, move or delete files (`rm`, `mv`, `cp`, `tee`,
`sed -i`, `dd of=`, `git checkout/restore`, …). `sh -c` / `bash -c` / `eval` strings are judged
recursively, `cd` moves the directory later operands are relative to, and globs are expanded against
the disk. What cannot be judged fails closed: an operand built from `$variables`, backquotes or braces,
inline interpreter code, or an unparseable command is refused whenever the command mentions a
protected name. `spx` itself may run (`spx spec test --stamp` is the ledger's legitimate writer), but
not `spx workflow reset`, which only the user may run.
"""

from __future__ import annotations

import os
import re
import shlex

from spx_python.hooks.protected import glob_reason, has_glob, protected_reason

SEPARATORS = frozenset({";", ";;", "&&", "||", "|", "|&", "&", "(", ")", "{", "}", "!"})
REDIRECTS = frozenset({">", ">>", ">|", "&>", "&>>", "<>", ">&", "&>|"})
WRAPPERS = frozenset({"sudo", "env", "command", "nice", "nohup", "time", "exec", "builtin", "doas", "timeout"})
WRITERS_ANY_OPERAND = frozenset(
    {"rm", "rmdir", "unlink", "shred", "mv", "truncate", "touch", "chmod", "chown", "chgrp", "tee", "srm", "trash"}
)
COPIERS = frozenset({"cp", "install", "rsync", "ln", "scp"})
IN_PLACE_EDITORS = frozenset({"sed", "gsed", "perl", "ruby"})
GIT_WRITERS = frozenset({"checkout", "restore", "rm", "mv", "reset", "clean", "apply", "am", "stash"})
SHELLS = frozenset({"sh", "bash", "zsh", "dash", "ksh", "fish"})
INTERPRETERS = frozenset(
    {"python", "python3", "node", "awk", "gawk", "mawk", "deno", "bun", "php", "lua", "source", ".", "xargs", "find"}
)
MENTION_RE = re.compile(r"pass[^a-z0-9_]{0,3}csv|pass[*?\[{]|\.spx|\.sp[*?\[{]", re.IGNORECASE)
ASSIGNMENT_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
UNRESOLVED_RE = re.compile(r"[$`{}]")
SPX_RESET = ("workflow", "reset")
MAX_DEPTH = 4
RESET_REASON = (
    "`spx workflow reset` restarts a story's workflow and only the user may run it (in their own terminal) — "
    "follow the step the last refusal named, or report BLOCKED to the user"
)
UNPARSEABLE = "{command}: the command cannot be parsed and it mentions a protected file — write it plainly"


def _tokens(command: str) -> list[str] | None:
    lexer = shlex.shlex(command.replace("\n", " ; "), posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    lexer.commenters = ""
    try:
        return list(lexer)
    except ValueError:
        return None


def _simple_commands(tokens: list[str]) -> list[list[str]]:
    commands: list[list[str]] = [[]]
    for token in tokens:
        if token in SEPARATORS:
            commands.append([])
        else:
            commands[-1].append(token)
    return [c for c in commands if c]


def _split_redirections(words: list[str]) -> tuple[list[str], list[str]]:
    operands: list[str] = []
    targets: list[str] = []
    pending = False
    for word in words:
        if pending:
            if not word.isdigit() and word != "-":  # `>&2` duplicates a descriptor
                targets.append(word)
            pending = False
        elif word in REDIRECTS:
            pending = True
        elif word not in ("<", "<<", "<<<", "<&"):
            operands.append(word)
    return operands, targets


def _strip_prefix(words: list[str]) -> list[str]:
    """Drop `VAR=value` assignments and wrappers with their options (`sudo`, `env -i`, `timeout 5`, …)."""
    index = 0
    after_wrapper = False
    while index < len(words):
        word = words[index]
        wrapper = os.path.basename(word) in WRAPPERS
        if not (wrapper or ASSIGNMENT_RE.match(word) or (after_wrapper and word[:1] in "-0123456789")):
            break
        after_wrapper = after_wrapper or wrapper
        index += 1
    return words[index:]


class _Judge:
    def __init__(self, command: str, cwd: str) -> None:
        self.mentions = MENTION_RE.search(command) is not None
        self.cwd = cwd

    def operand(self, word: str) -> str | None:
        if UNRESOLVED_RE.search(word):
            if self.mentions:
                return f"{word}: an operand built from variables or braces in a command that names a protected file"
            return None
        if has_glob(word):
            return glob_reason(word, self.cwd)
        return protected_reason(word, self.cwd)

    def first(self, words: list[str]) -> str | None:
        for word in words:
            reason = self.operand(word)
            if reason is not None:
                return reason
        return None

    def command(self, words: list[str], depth: int) -> str | None:
        operands, targets = _split_redirections(words)
        reason = self.first(targets)
        if reason is not None:
            return reason
        operands = _strip_prefix(operands)
        if not operands:
            return None
        name, args = os.path.basename(operands[0]), operands[1:]
        plain = [a for a in args if not a.startswith("-")]
        if name == "cd":
            self.cwd = os.path.join(self.cwd, os.path.expanduser(plain[0])) if plain else os.path.expanduser("~")
            return None
        if name == "spx":
            return RESET_REASON if tuple(plain[:2]) == SPX_RESET else None
        return self.by_name(name, args, plain, depth)

    def by_name(self, name: str, args: list[str], plain: list[str], depth: int) -> str | None:
        if name in WRITERS_ANY_OPERAND:
            return self.first(plain)
        if name in COPIERS:
            return self.copy(args, plain)
        if name in IN_PLACE_EDITORS and any(a.startswith(("-i", "--in-place")) or a == "-pi" for a in args):
            return self.first(plain)
        if name == "dd":
            return self.first([a[3:] for a in args if a.startswith("of=")])
        if name == "git" and plain and plain[0] in GIT_WRITERS:
            return self.first(plain[1:])
        if name in SHELLS and "-c" in args:
            script_index = args.index("-c") + 1
            return self.script(args[script_index], depth + 1) if script_index < len(args) else None
        if name == "eval":
            return self.script(" ".join(args), depth + 1)
        if name in INTERPRETERS or name.startswith("python"):
            return self.inline(name)
        return None

    def copy(self, args: list[str], plain: list[str]) -> str | None:
        for index, arg in enumerate(args):
            if arg in ("-t", "--target-directory") and index + 1 < len(args):
                return self.first([args[index + 1]])
            if arg.startswith("--target-directory="):
                return self.first([arg.split("=", 1)[1]])
        if len(plain) < 2:
            return None
        destination = plain[-1]
        reason = self.operand(destination)
        if reason is None and os.path.isdir(os.path.join(self.cwd, destination)):
            sources = [os.path.join(destination, os.path.basename(s.rstrip("/"))) for s in plain[:-1]]
            reason = self.first(sources)
        return reason

    def inline(self, name: str) -> str | None:
        if self.mentions:
            return f"{name}: code or a pipeline that cannot be checked, in a command that names a protected file"
        return None

    def script(self, script: str, depth: int) -> str | None:
        if depth > MAX_DEPTH:
            return self.inline("nested shell")
        return judge(script, self.cwd, depth)


def judge(command: str, cwd: str, depth: int = 0) -> str | None:
    """Why `command` (run in `cwd`) would write a ledger or the workflow state, or None."""
    command = command.replace("\0", "")  # bash drops NUL bytes from its input ("ignored null byte")
    tokens = _tokens(command)
    if tokens is None:
        return UNPARSEABLE.format(command=command[:80]) if MENTION_RE.search(command) else None
    state = _Judge(command, cwd)
    for words in _simple_commands(tokens):
        reason = state.command(words, depth)
        if reason is not None:
            return reason
    return None
