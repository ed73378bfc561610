"""Static checks of the plugin's skills (skills/<name>/SKILL.md and their references/*.md).

What a user would notice if these broke: a skill that loads with empty metadata (YAML that does not
parse), a skill telling the model to run an `spx` command or flag that does not exist, to invoke a skill
that is not in the plugin, to use a bare BSP name the hooks refuse, or to use a tool its `allowed-tools`
does not pre-approve (a permission prompt in the middle of an autonomous run).
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
SKILLS_DIR = REPO_ROOT / "skills"
PLUGIN_PREFIX = "spx-python:"
EXPECTED_SKILLS = frozenset(
    {
        "orchestrating-python",
        "understanding-specs",
        "managing-specs",
        "testing-python",
        "coding-python",
        "reviewing-python",
    }
)

def _spx_commands() -> dict[tuple[str, ...], frozenset[str]]:
    """The real `spx` command surface, read from the CLI's own argparse parser: command words → flags."""
    import argparse

    from spx_python.cli.main import build_parser

    def walk(parser: argparse.ArgumentParser, words: tuple[str, ...]) -> dict[tuple[str, ...], frozenset[str]]:
        found: dict[tuple[str, ...], frozenset[str]] = {}
        subparsers = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if not subparsers:
            flags = {o for a in parser._actions for o in a.option_strings if o.startswith("--") and o != "--help"}
            return {words: frozenset(flags)}
        for name, child in subparsers[0].choices.items():
            found.update(walk(child, (*words, name)))
        return found

    return walk(build_parser(), ())


# The `spx` command surface the skills may mention: command words → the flags each accepts.
SPX_COMMANDS: dict[tuple[str, ...], frozenset[str]] = _spx_commands()
SPX_GROUPS = frozenset(words[0] for words in SPX_COMMANDS if len(words) == 2)

REQUIRED_FIELDS = ("name", "description", "argument-hint", "allowed-tools")
MAX_DESCRIPTION_CHARS = 1000
MAX_SKILL_LINES = 200
WRONG_MARKERS = ("WRONG", "❌")
NEGATIONS = ("never", "Never", "NEVER", "do not", "Do not", "don't", "Don't")
KNOWN_EXECUTABLES = frozenset({"spx", "mypy", "ruff", "pytest", "git", "uv", "python", "python3", "pip"})
COMMAND_FENCES = frozenset({"", "bash", "sh", "shell", "console"})  # ```text blocks show output, not commands
TREE_FENCE = "tree"  # a directory drawing: indentation carries the path, so bare segments are fine there
CONTAINER_ORDER = ("capability", "feature", "story")

SEGMENT = r"\d{2}(?:@\d{2})*-[a-z0-9][a-z0-9-]*\.(?:capability|feature|story)"
CHAIN_RE = re.compile(rf"(?<![\w.@-])((?:{SEGMENT}/)*{SEGMENT})(?![\w-])")
KIND_RE = re.compile(r"\.(capability|feature|story)(?=/|$)")
FENCE_RE = re.compile(r"^\s*```(\S*)")
INLINE_CODE_RE = re.compile(r"`([^`\n]+)`")
SPX_PROSE_RE = re.compile(r"(?<![\w/.-])spx\s+(spec|workflow)\s+([a-z][a-z-]*)")
FLAG_RE = re.compile(r"(?<![\w-])--[a-z][a-z-]*")
SKILL_REF_RE = re.compile(r"(?<![\w-])/?spx-python:([a-z0-9][a-z0-9-]*)")
BARE_SLASH_RE = re.compile(r"^/([a-z][a-z0-9-]*)(?=\s|$)")
LINK_RE = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")
INVOKE_RE = re.compile(r"\b(?:[Ii]nvoke|[Cc]all)\b")
LINE_START_VERB_RE = re.compile(r"^\s*(?:[-*]|\d+\.)?\s*(?:\*\*[^*]*\*\*\s*)?(Read|Write|Create|Edit|Fix)\b")
VERB_TOOLS = {"Read": "Read", "Write": "Write", "Create": "Write", "Edit": "Edit", "Fix": "Edit"}
UNAMBIGUOUS_TOOLS = ("AskUserQuestion", "Glob", "Grep")


@dataclass(frozen=True)
class Line:
    number: int
    text: str
    fence: str | None  # info string of the enclosing code fence, None outside fences


@dataclass(frozen=True)
class Skill:
    name: str
    directory: Path
    frontmatter: dict[str, object]
    body: str


def split_frontmatter(text: str) -> tuple[dict[str, object], str]:
    match = re.match(r"^---\n(.*?)\n---\n(.*)$", text, re.DOTALL)
    assert match, "SKILL.md must start with a YAML frontmatter block between --- lines"
    data = yaml.safe_load(match.group(1))
    assert isinstance(data, dict), "the frontmatter must be a YAML mapping"
    return data, match.group(2)


def load_skill(directory: Path) -> Skill:
    frontmatter, body = split_frontmatter((directory / "SKILL.md").read_text(encoding="utf-8"))
    return Skill(directory.name, directory, frontmatter, body)


def skill_dirs() -> list[Path]:
    return sorted(path for path in SKILLS_DIR.iterdir() if (path / "SKILL.md").is_file())


def markdown_files() -> list[Path]:
    return sorted(SKILLS_DIR.rglob("*.md"))


def scan_lines(text: str) -> list[Line]:
    lines: list[Line] = []
    fence: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        opening = FENCE_RE.match(raw)
        if opening:
            fence = opening.group(1) if fence is None else None
            continue
        lines.append(Line(number, raw, fence))
    return lines


def is_marked_wrong(line: Line) -> bool:
    return any(marker in line.text for marker in WRONG_MARKERS)


def is_negated(line: Line) -> bool:
    return any(word in line.text for word in NEGATIONS)


def command_snippets(lines: list[Line]) -> list[tuple[Line, str]]:
    """Shell commands written in the text: lines of command-style fences and inline code spans."""
    found: list[tuple[Line, str]] = []
    for line in lines:
        if line.fence is None:
            candidates = INLINE_CODE_RE.findall(line.text)
        elif line.fence in COMMAND_FENCES:
            candidates = [line.text.strip().removeprefix("$ ")]
        else:
            candidates = []
        found.extend((line, c.strip()) for c in candidates if len(c.split()) > 1 and c.split()[0] in KNOWN_EXECUTABLES)
    return found


def spx_command_problems(command: str) -> list[str]:
    words = command.split()
    if not words or words[0] != "spx":
        return []
    key = tuple(words[1:3]) if len(words) > 1 and words[1] in SPX_GROUPS else tuple(words[1:2])
    if key not in SPX_COMMANDS:
        return [f"`{command}`: unknown spx command {' '.join(key)!r}"]
    unknown = sorted(set(FLAG_RE.findall(command)) - SPX_COMMANDS[key])
    return [f"`{command}`: flag {flag} is not an option of spx {' '.join(key)}" for flag in unknown]


def path_problems(lines: list[Line]) -> list[str]:
    problems: list[str] = []
    for line in lines:
        if line.fence == TREE_FENCE or is_marked_wrong(line):
            continue
        for chain in CHAIN_RE.findall(line.text):
            kinds = tuple(KIND_RE.findall(chain))
            if kinds != CONTAINER_ORDER[: len(kinds)]:
                problems.append(f"line {line.number}: {chain} is not a full path (mark it WRONG if intended)")
    return problems


def parse_allowed_tools(value: object) -> list[str]:
    if isinstance(value, list):
        return [str(item).strip() for item in value]
    assert isinstance(value, str), "allowed-tools must be a string or a list"
    return [item.strip() for item in re.split(r",(?![^(]*\))", value) if item.strip()]


def bash_allows(allowed: list[str], command: str) -> bool:
    patterns = [entry[5:-1] for entry in allowed if entry.startswith("Bash(") and entry.endswith(")")]
    return "Bash" in allowed or any(fnmatch.fnmatchcase(command, pattern) for pattern in patterns)


def tools_the_body_uses(lines: list[Line]) -> set[str]:
    tools: set[str] = set()
    for line in lines:
        if line.fence is not None or is_negated(line) or is_marked_wrong(line):
            continue
        verb = LINE_START_VERB_RE.match(line.text)
        if verb:
            tools.add(VERB_TOOLS[verb.group(1)])
        if "Skill tool" in line.text or (INVOKE_RE.search(line.text) and SKILL_REF_RE.search(line.text)):
            tools.add("Skill")
        tools.update(tool for tool in UNAMBIGUOUS_TOOLS if re.search(rf"\b{tool}\b", line.text))
    return tools


def heading_anchors(text: str) -> set[str]:
    anchors = set()
    for line in scan_lines(text):
        if line.fence is None and line.text.startswith("#"):
            title = line.text.lstrip("#").strip().lower()
            anchors.add(re.sub(r"[^\w\- ]", "", title).replace(" ", "-"))
    return anchors


SKILLS = [load_skill(path) for path in skill_dirs()] if SKILLS_DIR.is_dir() else []
SKILL_IDS = [skill.name for skill in SKILLS]
DOCS = markdown_files() if SKILLS_DIR.is_dir() else []
DOC_IDS = [str(path.relative_to(SKILLS_DIR)) for path in DOCS]


def test_the_six_skills_exist() -> None:
    assert {path.name for path in skill_dirs()} == EXPECTED_SKILLS


@pytest.mark.parametrize("skill", SKILLS, ids=SKILL_IDS)
def test_frontmatter_has_the_required_fields(skill: Skill) -> None:
    for field in REQUIRED_FIELDS:
        value = skill.frontmatter.get(field)
        assert isinstance(value, str) and value.strip(), f"{skill.name}: frontmatter needs a non-empty {field}"
    assert skill.frontmatter["name"] == skill.name, f"{skill.name}: name must equal the directory name"
    description = str(skill.frontmatter["description"])
    assert len(description) <= MAX_DESCRIPTION_CHARS, f"{skill.name}: description has {len(description)} chars"


@pytest.mark.parametrize("skill", SKILLS, ids=SKILL_IDS)
def test_body_takes_its_path_from_arguments_and_stays_focused(skill: Skill) -> None:
    assert "$ARGUMENTS" in skill.body, f"{skill.name}: the body must use $ARGUMENTS for the path"
    lines = len((skill.directory / "SKILL.md").read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_SKILL_LINES, f"{skill.name}: {lines} lines; move detail into references/"


@pytest.mark.parametrize("doc", DOCS, ids=DOC_IDS)
def test_every_spx_command_mentioned_exists(doc: Path) -> None:
    lines = scan_lines(doc.read_text(encoding="utf-8"))
    problems = [
        p for line, cmd in command_snippets(lines) if not is_marked_wrong(line) for p in spx_command_problems(cmd)
    ]
    for line in lines:
        if line.fence != TREE_FENCE and not is_marked_wrong(line):
            problems += [
                f"line {line.number}: spx {group} {sub}"
                for group, sub in SPX_PROSE_RE.findall(line.text)
                if (group, sub) not in SPX_COMMANDS
            ]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("doc", DOCS, ids=DOC_IDS)
def test_every_skill_mentioned_exists(doc: Path) -> None:
    lines = scan_lines(doc.read_text(encoding="utf-8"))
    named = {ref for line in lines for ref in SKILL_REF_RE.findall(line.text)}
    for line in lines:
        if line.fence is None:
            named |= {m.group(1) for code in INLINE_CODE_RE.findall(line.text) if (m := BARE_SLASH_RE.match(code))}
    assert named <= EXPECTED_SKILLS, f"unknown skills: {sorted(named - EXPECTED_SKILLS)}"


@pytest.mark.parametrize("doc", DOCS, ids=DOC_IDS)
def test_example_paths_are_full_paths(doc: Path) -> None:
    problems = path_problems(scan_lines(doc.read_text(encoding="utf-8")))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("doc", DOCS, ids=DOC_IDS)
def test_relative_links_resolve(doc: Path) -> None:
    text = doc.read_text(encoding="utf-8")
    broken = []
    for line in scan_lines(text):
        prose = INLINE_CODE_RE.sub("", line.text) if line.fence is None else ""
        for target in LINK_RE.findall(prose):
            file_part, _, anchor = target.partition("#")
            if re.match(r"^[a-z]+:", file_part):
                continue
            linked = (doc.parent / file_part).resolve() if file_part else doc
            if not linked.is_file():
                broken.append(f"line {line.number}: {target} (no such file)")
            elif anchor and anchor not in heading_anchors(linked.read_text(encoding="utf-8")):
                broken.append(f"line {line.number}: {target} (no such heading)")
    assert not broken, "\n".join(broken)


@pytest.mark.parametrize("skill", SKILLS, ids=SKILL_IDS)
def test_allowed_tools_cover_what_the_body_uses(skill: Skill) -> None:
    allowed = parse_allowed_tools(skill.frontmatter["allowed-tools"])
    lines = scan_lines(skill.body)
    missing = sorted(tool for tool in tools_the_body_uses(lines) if tool not in allowed)
    missing += sorted(
        {
            f"Bash for `{cmd}`"
            for line, cmd in command_snippets(lines)
            if not (is_negated(line) or is_marked_wrong(line) or bash_allows(allowed, cmd))
        }
    )
    assert not missing, f"{skill.name}: allowed-tools lacks {missing}"


# The checkers above must catch what they claim to catch; a checker that finds nothing proves nothing.


def test_checkers_flag_a_bare_story_name_unless_marked_wrong() -> None:
    bad = scan_lines("invoke it with 54-run.story\nWRONG: 54-run.story\n")
    assert path_problems(bad) == ["line 1: 54-run.story is not a full path (mark it WRONG if intended)"]
    good = scan_lines("`spx/21-core-cli.capability/54-commands.feature/54-run.story/tests/run.unit.test.py`")
    assert path_problems(good) == []


def test_checkers_flag_unknown_spx_commands_and_flags() -> None:
    assert spx_command_problems("spx spec status --format table") == []
    assert spx_command_problems("spx spec frobnicate")
    assert spx_command_problems("spx review PATH --fix")
    assert spx_command_problems("spx session handoff")


def test_checkers_see_tools_the_body_uses() -> None:
    lines = scan_lines("1. Write the tests.\nUse AskUserQuestion.\nInvoke `spx-python:coding-python` now.\n")
    assert tools_the_body_uses(lines) == {"Write", "AskUserQuestion", "Skill"}
    assert bash_allows(["Bash(spx *)"], "spx spec test --stamp PATH")
    assert not bash_allows(["Bash(spx *)"], "mypy --strict src")
