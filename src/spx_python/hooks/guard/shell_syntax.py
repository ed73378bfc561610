"""Splitting a Bash command into simple commands, their redirection targets and their real command words.

Standard library only, pure. Not a shell: just enough structure for `shell_writes` to judge what a
command writes. Anything `shlex` cannot tokenize is reported as None (the judge then fails closed).
"""

from __future__ import annotations

import codecs
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
# Wrapper and runner options that take a value (`sudo -u USER`, `timeout -s KILL`, `uv run --with PKG`).
VALUE_OPTIONS = frozenset(
    {"-u", "-g", "-h", "-p", "-U", "-r", "-t", "-s", "-k", "-n", "-e", "--user", "--group", "--signal",
     "--kill-after", "--adjustment", "--unset", "--with", "--python", "--project", "--env", "--env-file", "--extra"}
)  # fmt: skip
DIRECTORY_OPTIONS = frozenset({"-C", "--chdir", "--directory", "--cwd"})
SPLIT_OPTIONS = frozenset({"-S", "--split-string"})
KEYWORDS = frozenset({"then", "do", "else", "elif", "if", "while", "until"})
ANSI_C_RE = re.compile(r"\$'((?:[^'\\]|\\.)*)'")  # bash's $'…' strings, with escapes
LOCALE_QUOTE_RE = re.compile(r'\$"')  # bash's $"…" strings: plain double quotes for our purposes
ASSIGNMENT_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
PUNCTUATION = frozenset("();<>|&")
# shlex glues adjacent punctuation into one token (`);`, `;(`, `&&(`): split it back into operators.
OPERATOR_RE = re.compile(r";;|&&|\|\||\|&|&>>|&>\||&>|>>|>\||<>|>&|<<<|<<|<&|[;&|()<>]")


def _ansi_c(match: re.Match[str]) -> str:
    """`$'pass\\x2ecsv'` as bash reads it (`'pass.csv'`); an escape Python cannot decode stays as written."""
    try:
        text = codecs.decode(match.group(1), "unicode_escape")
    except (UnicodeDecodeError, ValueError):
        text = match.group(1)
    return shlex.quote(text)


def decode_quotes(command: str) -> str:
    """The command with bash's `$'…'` strings decoded and `$"…"` read as plain double quotes."""
    return LOCALE_QUOTE_RE.sub('"', ANSI_C_RE.sub(_ansi_c, command))


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


def _option(words: list[str], index: int) -> tuple[str, str | None, int]:
    """(option name, its value or None, words it takes) for the wrapper option at `index`."""
    name, equals, value = words[index].partition("=")
    if equals:
        return name, value, 1
    if name in VALUE_OPTIONS | DIRECTORY_OPTIONS | SPLIT_OPTIONS and index + 1 < len(words):
        return name, words[index + 1], 2
    return name, None, 1


def strip_prefix(words: list[str]) -> tuple[list[str], str | None]:
    """Drop assignments, keywords, wrappers and runners with their options (`sudo -u x`, `env -i`, `uv run`, …).

    Returns the command words and the directory a wrapper runs them in (`env -C DIR`, `uv run --directory
    DIR`), or None. `env -S 'cmd args'` is split into the command it runs.
    """
    words = list(words)
    index, after_wrapper, directory = 0, False, None
    while index < len(words):
        word = os.path.basename(words[index])
        if after_wrapper and words[index].startswith("-"):
            name, value, taken = _option(words, index)
            if name in SPLIT_OPTIONS and value is not None:
                words[index : index + taken] = value.split()
                continue
            if name in DIRECTORY_OPTIONS and value is not None:
                directory = os.path.join(directory, value) if directory else value
            index += taken
            continue
        if word in RUNNERS and index + 1 < len(words) and words[index + 1] in RUNNER_VERBS:
            index, after_wrapper = index + 2, True
            continue
        wrapper = word in WRAPPERS or word in STANDALONE_RUNNERS or word in KEYWORDS
        if not (wrapper or ASSIGNMENT_RE.match(words[index]) or (after_wrapper and word[:1] in "0123456789")):
            break
        after_wrapper = after_wrapper or wrapper
        index += 1
    return words[index:], directory


def shell_script(args: list[str]) -> str | None:
    """The script of `bash -c SCRIPT`, `sh -ec SCRIPT`, `bash -lc -- SCRIPT`; None when there is no `-c`."""
    for index, arg in enumerate(args):
        if arg.startswith("-") and not arg.startswith("--") and "c" in arg[1:]:
            rest = [a for a in args[index + 1 :] if a != "--"]
            return rest[0] if rest else ""
    return None


GIT_OPTIONS_WITH_VALUE = frozenset({"-C", "-c", "--git-dir", "--work-tree", "--namespace", "--exec-path"})


def git_directory(options: list[str]) -> str | None:
    """The directory of `git -C DIR …` (several `-C` options are joined, as git does)."""
    directory = None
    for index, option in enumerate(options[:-1]):
        if option == "-C":
            directory = os.path.join(directory, options[index + 1]) if directory else options[index + 1]
    return directory


def git_arguments(args: list[str]) -> tuple[list[str], list[str]]:
    """Split `git` arguments into (global options, subcommand and its arguments): `-C DIR -c k=v status`."""
    index = 0
    while index < len(args) and args[index].startswith("-"):
        index += 2 if args[index] in GIT_OPTIONS_WITH_VALUE else 1
    return args[:index], args[index:]
