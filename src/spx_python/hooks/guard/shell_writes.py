"""Does a Bash command write a ledger (`pass.csv`) or the workflow state (`.spx/`)? If so, why it is refused.

Standard library only. The command is split into simple commands (`shell_syntax`) and each is judged:

1. what it writes: redirection targets, and the operands of commands that write, move or delete files
   (`rm`, `mv`, `cp`, `tee`, `sed -i`, `dd of=`, `git checkout/restore`, …); a directory that holds
   ledgers or `.spx/` may not be copied, moved or linked into a project, nor the project root deleted;
2. what it names: a simple command that names a protected file (or, in a command that names one, uses
   an operand built from `$variables`) must be a read-only command (`shell_rules.READ_ONLY`), so writers
   nobody listed (editors, downloaders, `--output` flags, inline code) are refused too;
3. `sh -c` / `bash -lc` / `eval` strings are judged recursively, and globs are expanded against the disk;
   after a `cd`/`pushd` later operands are judged against every directory they may run in (the old one
   too: a `cd` in a subshell or pipeline does not last), and after a `cd` to a place that cannot be
   known (`cd "$X"`), relative operands that delete or name a protected file are refused.

`spx` itself may run (`spx spec test --stamp` is the ledger's legitimate writer), but nothing that
says `workflow reset`, which only the user may run. What cannot be parsed fails closed when it names a
protected file. Programs the model wrote to a file and runs (`python3 tool.py`) cannot be judged here.
"""

from __future__ import annotations

import fnmatch
import os
import re

from spx_python.hooks.guard import shell_rules as rules
from spx_python.hooks.guard.bounded_glob import has_glob, reset_budget
from spx_python.hooks.guard.protected import (
    carries_protected,
    glob_matches,
    glob_reason,
    holds_spec,
    holds_state,
    in_a_project,
    protected_reason,
)
from spx_python.hooks.guard.shell_syntax import (
    decode_quotes,
    git_arguments,
    git_directory,
    input_files,
    shell_script,
    simple_commands,
    split_redirections,
    strip_prefix,
    tokens,
)
from spx_python.names import LEDGER_NAME, PYPROJECT_NAME, STATE_DIR_NAME
from spx_python.refusal_rules import Refused, refused

MAX_DEPTH = 4
MAX_DIRECTORIES = 16
LINE_CONTINUATION = "\\\n"
VARIABLE_RE = re.compile(r"[$`]")
BRACES_RE = re.compile(r"\{[^}]*\}|[$`]")


def _could_name_protected(pattern: str) -> bool:
    parts = [part.casefold() for part in pattern.split("/") if part]
    return bool(parts) and (
        fnmatch.fnmatchcase(LEDGER_NAME, parts[-1]) or any(fnmatch.fnmatchcase(STATE_DIR_NAME, p) for p in parts)
    )


def _dynamic(word: str) -> bool:
    """Could the expansion of `word` name a protected file? (Its last component is not literal, or could match.)"""
    last = word.rstrip("/").rsplit("/", 1)[-1]
    return VARIABLE_RE.search(last) is not None or _could_name_protected(BRACES_RE.sub("*", word))


def _has_flag(args: list[str], short: str, long: str) -> bool:
    """Is the option given, alone or in a cluster (`-s`, `-sf`, `-al`, `--symbolic`)?"""
    return any(a == long or (a.startswith("-") and not a.startswith("--") and short in a[1:]) for a in args)


def _skips_git_hooks(prefix: list[str], options: list[str], args: list[str]) -> bool:
    """`git commit --no-verify`/`-n`, `-c core.hooksPath=…`, `git config core.hooksPath`, `SKIP=… git commit`."""
    sub = next((a for a in args if not a.startswith("-")), "")
    if any(rules.HOOKS_PATH in word.casefold() for word in [*options, *(args if sub == "config" else [])]):
        return True
    if rules.NO_VERIFY in args or (sub == "commit" and _has_flag(args, "n", rules.NO_VERIFY)):
        return True
    before = next((i for i, word in enumerate(prefix) if os.path.basename(word) == "git"), 0)
    return any(word.startswith(rules.PRE_COMMIT_SKIP) for word in prefix[:before])


class _Judge:
    def __init__(self, command: str, cwd: str) -> None:
        self.mentions = rules.MENTION_RE.search(command) is not None
        self.cwd = cwd
        # Every directory a later simple command may run in: a `cd` inside `( … )` or a pipeline does not
        # last, so each `cd` adds a directory instead of replacing one. `lost`: a `cd` to an unknown place.
        self.cwds = [cwd]
        self.lost = False

    def change_directory(self, plain: list[str]) -> None:
        target = os.path.expanduser(plain[0]) if plain else os.path.expanduser("~")
        if rules.UNRESOLVED_RE.search(target) or target == "-" or len(self.cwds) >= MAX_DIRECTORIES:
            self.lost = True
        elif (joined := os.path.normpath(os.path.join(self.cwd, target))) not in self.cwds:
            self.cwds.append(joined)

    def relative_in_lost(self, word: str) -> bool:
        return self.lost and not os.path.isabs(os.path.expanduser(word))

    def operand(self, word: str) -> Refused | None:
        """Why writing the file `word` is refused (an unresolvable word is refused when it could be protected)."""
        if rules.UNRESOLVED_RE.search(word) or (self.mentions and self.relative_in_lost(word)):
            return (
                refused(rules.UNCHECKED_OPERAND_RULE, rules.UNCHECKED_OPERAND.format(word=word))
                if self.mentions or _dynamic(word)
                else None
            )
        reason = glob_reason(word, self.cwd) if has_glob(word) else protected_reason(word, self.cwd)
        return reason or self.config_operand(word)

    def config_operand(self, word: str) -> Refused | None:
        """Why writing `word` would write a pyproject.toml (whose [tool.spx] a shell write could change)."""
        matches = glob_matches(word, self.cwd) if has_glob(word) else [word]
        if matches is None:  # too wide to expand: judged by its shape
            last = word.rstrip("/").rsplit("/", 1)[-1].casefold()
            return (
                refused(rules.CONFIG_RULE, rules.CONFIG_REASON.format(path=word))
                if fnmatch.fnmatchcase(PYPROJECT_NAME, last)
                else None
            )
        named = any(os.path.basename(match.rstrip("/")).casefold() == PYPROJECT_NAME for match in matches)
        return refused(rules.CONFIG_RULE, rules.CONFIG_REASON.format(path=word)) if named else None

    def first(self, words: list[str]) -> Refused | None:
        for word in words:
            reason = self.operand(word)
            if reason is not None:
                return reason
        return None

    def names_protected(self, words: list[str]) -> bool:
        """Does any argument (not the program itself) name a protected file?"""
        for word in words[1:]:
            value = word.split("=", 1)[-1]
            if rules.MENTION_RE.search(word) or (rules.UNRESOLVED_RE.search(word) and self.mentions):
                return True
            if not rules.UNRESOLVED_RE.search(value) and self.operand_names(value):
                return True
        return False

    def operand_names(self, value: str) -> bool:
        if has_glob(value):
            return glob_reason(value, self.cwd) is not None
        return protected_reason(value, self.cwd) is not None

    def command(self, words: list[str], depth: int) -> Refused | None:
        operands, targets = split_redirections(words)
        reason = self.first(targets)
        if reason is not None:
            return reason
        prefix = operands
        operands, directory = strip_prefix(operands)
        if directory is not None:
            return self.in_directory(directory, operands, depth)
        if not operands:
            return None
        name, args = os.path.basename(operands[0]), operands[1:]
        if name == "git":
            options, args = git_arguments(args)
            if _skips_git_hooks(prefix, options, args):
                return refused("shell.git-skip-hooks", rules.GIT_HOOKS_REASON)
            directory = git_directory(options)
            if directory is not None:
                return self.in_directory(directory, ["git", *args], depth)
        plain = [a for a in args if not a.startswith("-")]
        if name in rules.DIRECTORY_CHANGERS:
            self.change_directory(["-"] if name == "popd" or "-" in args else plain)
            return None
        if any(tuple(plain[i : i + 2]) == rules.RESET_WORDS for i in range(len(plain))):
            return refused(rules.RESET_RULE, rules.RESET_REASON)
        if name == "spx":
            return self.spx(args)
        if name in rules.PATCHERS or (name == "git" and plain[:1] and plain[0] in rules.GIT_PATCHERS):
            return self.patch(name, plain[1:] if name == "git" else plain, input_files(words))
        reason = self.by_name(name, args, plain, depth)
        if reason is None and not self.read_only(name, args, plain) and self.names_protected(operands):
            reason = refused("shell.not-read-only", rules.NOT_READ_ONLY.format(name=name))
        return reason

    def in_directory(self, directory: str, words: list[str], depth: int) -> Refused | None:
        """Judge `words` as run in `directory` (`git -C DIR`, `env -C DIR`), then go back."""
        saved = self.cwd
        if rules.UNRESOLVED_RE.search(directory):
            self.lost = True
        else:
            self.cwd = os.path.normpath(os.path.join(self.cwd, os.path.expanduser(directory)))
        try:
            return self.command(words, depth)
        finally:
            self.cwd = saved

    def spx(self, args: list[str]) -> Refused | None:
        """`spx` runs freely, except with words that cannot be resolved, or a story stamp out of sequence."""
        if any(rules.UNRESOLVED_RE.search(a) for a in args):
            return refused(rules.UNCHECKED_OPERAND_RULE, rules.UNCHECKED_OPERAND.format(word=" ".join(args)))
        from spx_python.hooks.guard.stamp_gate import stamp_reason, stamps  # noqa: PLC0415 - only spx commands pay

        if self.lost and stamps(args):
            return refused(
                rules.UNCHECKED_OPERAND_RULE,
                rules.UNCHECKED_OPERAND.format(word="cd to a directory that cannot be known, then a stamp"),
            )
        return stamp_reason(args, self.cwd)

    def read_only(self, name: str, args: list[str], plain: list[str]) -> bool:
        if name == "git":
            return bool(plain) and plain[0] in rules.GIT_READ_ONLY
        if name == "find":
            return rules.FIND_ACTIONS.isdisjoint(args)
        return name in rules.READ_ONLY or name in rules.COPIERS  # copies were judged by `copy`

    def by_name(self, name: str, args: list[str], plain: list[str], depth: int) -> Refused | None:
        if name in rules.WRITERS_ANY_OPERAND:
            return self.first(plain) or self.state_holder(name, plain)
        if name in rules.COPIERS:
            return self.copy(name, args, plain)
        if name in rules.IN_PLACE_EDITORS and any(a.startswith(("-i", "--in-place")) or a == "-pi" for a in args):
            return self.first(plain)
        if name == "dd":
            return self.first([a[3:] for a in args if a.startswith("of=")])
        if name == "git":
            return self.git(args, plain)
        if name == "find":
            return self.find(args)
        if name in rules.SHELLS:
            script = shell_script(args)
            return self.script(script, depth + 1) if script else self.inline(name)
        if name == "eval":
            return self.script(" ".join(args), depth + 1)
        if name in ("xargs", "parallel"):
            return refused("shell.xargs", rules.XARGS_REASON.format(name=name))
        if name in rules.INTERPRETERS or name.startswith("python"):
            return self.inline(name)
        return None

    def state_holder(self, name: str, plain: list[str]) -> Refused | None:
        """Deleting or moving the journal's directory, or a container of the spec tree's order, is refused."""
        if name not in rules.DELETERS:
            return None
        sources = [s for s in (plain[:-1] if name == "mv" else plain) if not rules.UNRESOLVED_RE.search(s)]
        for source in sources:
            if self.relative_in_lost(source) or holds_state(source, self.cwd):
                return refused("shell.state-dir", rules.HOLDS_STATE_REASON.format(path=source))
            if holds_spec(source, self.cwd):
                return refused("shell.spec-container", rules.HOLDS_SPEC_REASON.format(path=source))
        if name == "mv" and len(plain) >= 2:
            return self.carried(plain[:-1], plain[-1])
        return None

    def git(self, args: list[str], plain: list[str]) -> Refused | None:
        if not plain or plain[0] not in rules.GIT_WRITERS:
            return None
        sub = plain[0]
        if (sub == "clean" and any(rules.GIT_CLEAN_IGNORED.match(a) for a in args)) or (
            sub == "stash" and not rules.GIT_STASH_ALL.isdisjoint(args)
        ):
            return refused("shell.git-state", rules.GIT_STATE_REASON.format(sub=sub))
        if sub in ("rm", "mv"):
            return self.first(plain[1:]) or self.state_holder(sub, plain[1:])
        return self.first(plain[1:])

    def find(self, args: list[str]) -> Refused | None:
        if rules.FIND_ACTIONS.isdisjoint(args):
            return None
        patterns = [args[i + 1] for i, a in enumerate(args[:-1]) if a in rules.FIND_NAME_TESTS]
        widened = not rules.FIND_WIDENERS.isdisjoint(args)
        if widened or not patterns or any(_could_name_protected(p) for p in patterns):
            return refused("shell.find-action", rules.FIND_REASON)
        return None

    def copy(self, name: str, args: list[str], plain: list[str]) -> Refused | None:
        sources, destination = self.copy_operands(args, plain)
        if destination is None:
            return None
        reason = self.operand(destination)
        if reason is None and os.path.isdir(os.path.join(self.cwd, destination)):
            reason = self.first([os.path.join(destination, os.path.basename(s.rstrip("/"))) for s in sources])
        hard_link = (name == "ln" and not _has_flag(args, "s", "--symbolic")) or (
            name == "cp" and _has_flag(args, "l", "--link")
        )
        if reason is None and hard_link:
            linked = next((s for s in sources if self.operand_names(s)), None)
            reason = refused("shell.hard-link", rules.HARD_LINK_REASON.format(path=linked)) if linked else None
        return reason or self.carried(sources, destination)

    def copy_operands(self, args: list[str], plain: list[str]) -> tuple[list[str], str | None]:
        for index, arg in enumerate(args):
            if arg in ("-t", "--target-directory") and index + 1 < len(args):
                return [p for p in plain if p != args[index + 1]], args[index + 1]
            if arg.startswith("--target-directory="):
                return plain, arg.split("=", 1)[1]
        return (plain[:-1], plain[-1]) if len(plain) >= 2 else ([], None)

    def carried(self, sources: list[str], destination: str) -> Refused | None:
        if rules.UNRESOLVED_RE.search(destination) or not in_a_project(destination, self.cwd):
            return None
        for source in sources:
            unresolved = rules.UNRESOLVED_RE.search(source) is not None
            if (unresolved and self.mentions) or (not unresolved and carries_protected(source, self.cwd)):
                return refused("shell.carries-evidence", rules.CARRIES_REASON.format(path=source))
        return None

    def patch(self, name: str, files: list[str], inputs: list[str]) -> Refused | None:
        """A patch may be applied only from files that can be read and that name no protected file."""
        sources = files + inputs
        if not sources:
            return refused(rules.PATCH_RULE, rules.PATCH_REASON.format(what=f"{name} (patch from a pipe)"))
        for source in sources:
            try:
                with open(os.path.join(self.cwd, os.path.expanduser(source)), "rb") as stream:
                    text = stream.read(rules.MAX_PATCH_BYTES + 1).decode("utf-8", "replace")
            except (OSError, ValueError):
                return refused(rules.PATCH_RULE, rules.PATCH_REASON.format(what=source))
            if len(text) > rules.MAX_PATCH_BYTES or rules.MENTION_RE.search(text):
                return refused(rules.PATCH_RULE, rules.PATCH_REASON.format(what=source))
        return None

    def inline(self, name: str) -> Refused | None:
        return refused("shell.unchecked-code", rules.UNCHECKED_CODE.format(name=name)) if self.mentions else None

    def script(self, script: str, depth: int) -> Refused | None:
        if depth > MAX_DEPTH:
            return self.inline("nested shell")
        return judge(script, self.cwd, depth)


def judge(command: str, cwd: str, depth: int = 0) -> Refused | None:
    """Why `command` (run in `cwd`) would write a ledger or the workflow state, or None."""
    # bash drops NUL bytes ("ignored null byte") and joins lines ending in a backslash
    command = decode_quotes(command.replace("\0", "").replace(LINE_CONTINUATION, ""))
    if len(command) > rules.MAX_COMMAND_CHARS:
        return refused("shell.too-long", rules.TOO_LONG.format(length=len(command), limit=rules.MAX_COMMAND_CHARS))
    if depth == 0:
        reset_budget()
    if rules.RESET_RE.search(command):
        return refused(rules.RESET_RULE, rules.RESET_REASON)
    if rules.HOOK_SWITCH_RE.search(command):
        return refused("config.hook-switch", rules.HOOK_SWITCH_REASON.format(what="Bash"))
    words = tokens(command)
    if words is None:
        return (
            refused("shell.unparseable", rules.UNPARSEABLE.format(command=command[:80]))
            if rules.MENTION_RE.search(command)
            else None
        )
    state = _Judge(command, cwd)
    for simple in simple_commands(words):
        for directory in list(state.cwds):
            state.cwd = directory
            reason = state.command(simple, depth)
            if reason is not None:
                return reason
    return None
