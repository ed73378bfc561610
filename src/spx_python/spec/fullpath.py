"""Full BSP paths: the only way to name a container. Bare names and anything ambiguous are refused.

Standard library only and lean (the Skill hook imports it for `normalize`; the BSP parser is imported
only when a path is checked against the tree). Accepted: `NN-slug.capability[/NN-slug.feature[/NN-slug.story]]`,
optionally prefixed `spx/` and with a trailing `/`. Refused with a reason (and "did you mean" when the
tree has candidates): bare names, absolute paths, `..`, backslashes, empty segments, a story without
its feature, look-alike characters, anything not on disk.
"""

from __future__ import annotations

from spx_python.errors import SpxError
from spx_python.names import PATH_SEPARATOR, SPEC_ROOT_NAME, TYPE_CHECKING

if TYPE_CHECKING:
    from spx_python.spec.tree import Container, SpecTree

SPEC_PREFIX = SPEC_ROOT_NAME + PATH_SEPARATOR
EXAMPLE = "21-core-cli.capability/54-commands.feature/54-run.story"
MAX_PATH_LENGTH = 4096
MAX_SUGGESTIONS = 5
CLOSE_MATCH_CUTOFF = 0.8


class PathRefused(SpxError):
    """A container path that is not a valid, existing full path."""


class Refusal:
    """Why a text is not a full path of the tree, what it may have meant, and a full path to show when there is
    nothing to suggest (one from the tree when it has any)."""

    __slots__ = ("example", "reason", "suggestions")

    def __init__(self, reason: str, suggestions: tuple[str, ...], example: str = EXAMPLE) -> None:
        self.reason = reason
        self.suggestions = suggestions
        self.example = example

    def message(self, text: str) -> str:
        shown = text if len(text) <= 120 else text[:117] + "..."
        hint = f" — did you mean {' or '.join(self.suggestions)}?" if self.suggestions else ""
        tail = "" if self.suggestions else f" — give the full path, e.g. {self.example}"
        return f"{shown!r}: {self.reason}{hint}{tail}"


def syntax_problem(text: str) -> str | None:
    """Why `text` cannot be a full path (syntax only), or None. Call `normalize` first."""
    from spx_python.spec.bsp import KINDS, parse_container_name  # noqa: PLC0415 - off the Skill hook's fast path

    if not text:
        return "empty path"
    if len(text) > MAX_PATH_LENGTH:
        return "path too long"
    if not text.isascii() or not text.isprintable():
        return "contains non-ASCII or control characters (look-alike characters are refused)"
    if text.startswith(PATH_SEPARATOR):
        return "absolute paths are refused; paths are relative to spx/"
    if "\\" in text:
        return "backslashes are refused; separate segments with /"
    segments = text.split(PATH_SEPARATOR)
    if any(s in ("", ".", "..") for s in segments):
        return "empty, '.' or '..' segments are refused"
    if len(segments) > len(KINDS):
        return "too deep: a full path has at most capability/feature/story"
    for depth, segment in enumerate(segments):
        parsed = parse_container_name(segment)
        if parsed is None:
            return f"segment {segment!r} is not NN-slug.capability|feature|story"
        if parsed.kind != KINDS[depth]:
            if depth == 0:
                return f"a bare {parsed.kind} name is ambiguous: BSP numbers are unique only among siblings"
            return f"a {parsed.kind} cannot follow a {KINDS[depth - 1]}"
    return None


def normalize(text: str) -> str:
    """Strip one `spx/` prefix and trailing slashes, and surrounding whitespace."""
    text = text.strip()
    if text.startswith(SPEC_PREFIX):
        text = text[len(SPEC_PREFIX) :]
    return text.rstrip(PATH_SEPARATOR) if text != PATH_SEPARATOR else text


def suggestions(tree: SpecTree, text: str) -> tuple[str, ...]:
    """Full paths that a bare or misspelt name could mean: same last segment, else same slug."""
    from spx_python.spec.bsp import parse_container_name  # noqa: PLC0415 - off the Skill hook's fast path

    last = text.rstrip(PATH_SEPARATOR).rsplit(PATH_SEPARATOR, 1)[-1]
    containers = list(tree.walk())
    exact = [c.path for c in containers if c.name == last]
    if exact:
        return tuple(exact[:MAX_SUGGESTIONS])
    parsed = parse_container_name(last)
    slug = parsed.slug if parsed else last.split("-", 1)[-1].split(".", 1)[0]
    same_slug = tuple(c.path for c in containers if c.slug == slug)[:MAX_SUGGESTIONS]
    return same_slug or _close_paths(text, [c.path for c in containers])


def _close_paths(text: str, paths: list[str]) -> tuple[str, ...]:
    """Full paths spelt like `text` (a typo in a slug or a number); only on a refusal, so difflib's import is fine."""
    import difflib  # noqa: PLC0415 - off the hooks' fast path

    depth = text.count(PATH_SEPARATOR)
    same_depth = [p for p in paths if p.count(PATH_SEPARATOR) == depth]
    return tuple(difflib.get_close_matches(text, same_depth, n=1, cutoff=CLOSE_MATCH_CUTOFF))


def _example(tree: SpecTree) -> str:
    """The deepest container of the tree's first branch (`spx spec status` lists the rest), else the generic one."""
    found = None
    level = tree.capabilities
    while level:
        found, level = level[0], level[0].children
    if found is None:
        return f"{EXAMPLE} (spx/ has no containers yet: `spx spec create capability NAME` makes the first)"
    return f"{found.path} (`spx spec status` lists them all)"


def check(tree: SpecTree, text: str) -> Container | Refusal:
    """The container a full path names, or why it is refused (pure over the scanned tree)."""
    path = normalize(text)
    problem = syntax_problem(path)
    if problem is not None:
        return Refusal(problem, suggestions(tree, path) if path.isascii() else ())
    found = tree.find(path)
    if found is None:
        return Refusal("no such container under spx/", suggestions(tree, path), _example(tree))
    return found


def resolve(tree: SpecTree, text: str) -> Container:
    """Like `check`, but raises `PathRefused` with the user-facing message."""
    result = check(tree, text)
    if isinstance(result, Refusal):
        raise PathRefused(result.message(text))
    return result
