"""Splitting a Bash command into simple commands, their redirection targets and their real command words.

Standard library only, pure. Not a shell: just enough structure for `shell_writes` to judge what a
command writes. Anything `shlex` cannot tokenize is reported as None (the judge then fails closed).
"""

from __future__ import annotations

import os
import re
import shlex

SEPARATORS = frozenset({";", ";;", "&&", "||", "|", "|&", "&", "(", ")", "{", "}", "!"})
REDIRECTS = frozenset({">", ">>", ">|", "&>", "&>>", "<>", ">&", "&>|"})
INPUT_REDIRECTS = frozenset({"<", "<<", "<<<", "<&"})
WRAPPERS = frozenset(
    {"sudo", "env", "command", "nice", "nohup", "time", "exec", "builtin", "doas", "timeout", "stdbuf"}
)
# `uv run python …`, `poetry run pytest …`: the runner and its verb go, the command they run is judged.
RUNNERS = frozenset({"uv", "poetry", "pdm", "hatch", "pipenv", "rye", "pipx", "conda"})
RUNNER_VERBS = frozenset({"run", "exec"})
STANDALONE_RUNNERS = frozenset({"uvx", "npx"})
KEYWORDS = frozenset({"then", "do", "else", "elif", "if", "while", "until"})
ASSIGNMENT_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
PUNCTUATION = frozenset("();<>|&")
# shlex glues adjacent punctuation into one token (`);`, `;(`, `&&(`): split it back into operators.
OPERATOR_RE = re.compile(r";;|&&|\|\||\|&|&>>|&>\||&>|>>|>\||<>|>&|<<<|<<|<&|[;&|()<>]")


def tokens(command: str) -> list[str] | None:
    lexer = shlex.shlex(command.replace("\n", " ; "), posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    lexer.commenters = ""
    try:
        raw = list(lexer)
    except ValueError:
        return None
    return [part for token in raw for part in _operators(token)]


def _operators(token: str) -> list[str]:
    if not token or not PUNCTUATION.issuperset(token):
        return [token]
    return OPERATOR_RE.findall(token)


def simple_commands(words: list[str]) -> list[list[str]]:
    commands: list[list[str]] = [[]]
    for token in words:
        if token in SEPARATORS:
            commands.append([])
        else:
            commands[-1].append(token)
    return [c for c in commands if c]


def split_redirections(words: list[str]) -> tuple[list[str], list[str]]:
    """(command words, output redirection targets); `>&2` and here-doc/input operands are dropped."""
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
        elif word not in INPUT_REDIRECTS:
            operands.append(word)
    return operands, targets


def input_files(words: list[str]) -> list[str]:
    """The files a simple command reads through `<` (here-strings and here-docs are not files)."""
    return [words[i + 1] for i, word in enumerate(words[:-1]) if word == "<"]


def _prefix_length(words: list[str]) -> int:
    index = 0
    after_wrapper = False
    while index < len(words):
        word = os.path.basename(words[index])
        if word in RUNNERS and index + 1 < len(words) and words[index + 1] in RUNNER_VERBS:
            index, after_wrapper = index + 2, True
            continue
        wrapper = word in WRAPPERS or word in STANDALONE_RUNNERS or word in KEYWORDS
        if not (wrapper or ASSIGNMENT_RE.match(words[index]) or (after_wrapper and word[:1] in "-0123456789")):
            break
        after_wrapper = after_wrapper or wrapper
        index += 1
    return index


def strip_prefix(words: list[str]) -> list[str]:
    """Drop assignments, keywords, wrappers and runners with their options (`sudo`, `env -i`, `uv run`, …)."""
    return words[_prefix_length(words) :]


def shell_script(args: list[str]) -> str | None:
    """The script of `bash -c SCRIPT`, `sh -ec SCRIPT`, `bash -lc -- SCRIPT`; None when there is no `-c`."""
    for index, arg in enumerate(args):
        if arg.startswith("-") and not arg.startswith("--") and "c" in arg[1:]:
            rest = [a for a in args[index + 1 :] if a != "--"]
            return rest[0] if rest else ""
    return None


GIT_OPTIONS_WITH_VALUE = frozenset({"-C", "-c", "--git-dir", "--work-tree", "--namespace", "--exec-path"})
CHDIR_OPTIONS = frozenset({"-C", "--chdir"})


def without_directory_option(words: list[str], options: frozenset[str]) -> tuple[str | None, list[str]]:
    """(DIR, the words without it) for `env -C DIR …` / `env --chdir=DIR …`; (None, words) without one."""
    for index, word in enumerate(words):
        if word in options and index + 1 < len(words):
            return words[index + 1], words[:index] + words[index + 2 :]
        if word.startswith("--chdir="):
            return word.split("=", 1)[1], words[:index] + words[index + 1 :]
    return None, words


def git_arguments(args: list[str]) -> tuple[list[str], list[str]]:
    """Split `git` arguments into (global options, subcommand and its arguments): `-C DIR -c k=v status`."""
    index = 0
    while index < len(args) and args[index].startswith("-"):
        index += 2 if args[index] in GIT_OPTIONS_WITH_VALUE else 1
    return args[:index], args[index:]
