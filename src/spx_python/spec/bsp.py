"""BSP numbers: parsing container/ADR names, their total order, and numbering for new items.

Standard library only (hooks import it). A BSP is a tuple of two-digit numbers, each 10..99:
`20@54@32` is `(20, 54, 32)`. Tuples compare element-wise and a prefix sorts first, which is exactly
the required order `20 < 20@54 < 20@54@32 < 21`. Ties between siblings are broken by slug.
"""

from __future__ import annotations

import re
from collections import namedtuple

from spx_python.names import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import NamedTuple

Bsp = tuple[int, ...]

KINDS = ("capability", "feature", "story")
CAPABILITY, FEATURE, STORY = KINDS
ADR = "adr"
CREATE_KINDS = (*KINDS, ADR)  # what `spx spec create` makes
BSP_MIN = 10
BSP_MAX = 99
FIRST_NUMBER = 21
NESTED_FIRST_NUMBER = (BSP_MIN + BSP_MAX) // 2  # 54: the first number of a new `@` level
BSP_SEPARATOR = "@"

_BSP = r"(?P<bsp>[0-9]{2}(?:@[0-9]{2})*)"
_SLUG = r"(?P<slug>[a-z0-9][a-z0-9-]*)"
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]*\Z")
CONTAINER_RE = re.compile(rf"^{_BSP}-{_SLUG}\.(?P<kind>capability|feature|story)\Z")
ADR_RE = re.compile(rf"^{_BSP}-{_SLUG}\.adr\.md\Z")
# Anything that looks like it wants to be a container or ADR (used to report malformed names).
LOOKS_NUMBERED_RE = re.compile(r"^[0-9]+(?:@[0-9]+)*-")
CONTAINER_SUFFIX_RE = re.compile(r"\.(capability|feature|story)\Z")


if TYPE_CHECKING:

    class Name(NamedTuple):
        """A parsed container or ADR name."""

        bsp: Bsp
        slug: str
        kind: str  # capability | feature | story | adr
else:  # the same fields without importing typing: the Bash/Write/Edit gate parses names before every tool call
    Name = namedtuple("Name", ("bsp", "slug", "kind"))


def parse_bsp(text: str) -> Bsp | None:
    """`"20@54"` → `(20, 54)`; None unless every part is two digits within 10..99."""
    parts = text.split(BSP_SEPARATOR)
    if not all(len(part) == 2 and part.isascii() and part.isdigit() for part in parts):
        return None
    numbers = tuple(int(part) for part in parts)
    if any(n < BSP_MIN or n > BSP_MAX for n in numbers):
        return None
    return numbers


def format_bsp(bsp: Bsp) -> str:
    return BSP_SEPARATOR.join(f"{n:02d}" for n in bsp)


def parse_container_name(name: str) -> Name | None:
    match = CONTAINER_RE.match(name)
    if match is None:
        return None
    bsp = parse_bsp(match["bsp"])
    return None if bsp is None else Name(bsp, match["slug"], match["kind"])


def parse_adr_name(name: str) -> Name | None:
    match = ADR_RE.match(name)
    if match is None:
        return None
    bsp = parse_bsp(match["bsp"])
    return None if bsp is None else Name(bsp, match["slug"], ADR)


def sort_key(name: Name) -> tuple[Bsp, str]:
    return (name.bsp, name.slug)


def explain_bad_name(name: str) -> str:
    """Why `name` is not a valid container name, in words a user can act on."""
    if LOOKS_NUMBERED_RE.match(name):
        numbers = name.split("-", 1)[0].split(BSP_SEPARATOR)
        if any(len(n) != 2 or not BSP_MIN <= int(n) <= BSP_MAX for n in numbers):
            return f"BSP numbers are two digits from {BSP_MIN} to {BSP_MAX} (got {name.split('-', 1)[0]})"
    fixed = _tidy_name(name)
    if fixed != name and parse_container_name(fixed) is not None:
        return f"{_what_is_untidy(name)} — rename it to {fixed!r}"
    return "expected NN-slug.capability|feature|story (NN two digits 10-99, slug lower-case kebab-case)"


def _tidy_name(name: str) -> str:
    """`name` trimmed, lower-cased, with runs of spaces and underscores as one hyphen."""
    return re.sub(r"[\s_]+", "-", name.strip()).lower()


def _what_is_untidy(name: str) -> str:
    if name != name.strip():
        return f"{name!r} has leading or trailing whitespace"
    if re.search(r"\s", name):
        return "contains whitespace; slugs are lower-case kebab-case"
    if "_" in name:
        return "contains underscores; slugs are lower-case kebab-case"
    return "has upper-case letters; slugs are lower-case kebab-case"


# --- numbering -------------------------------------------------------------------------------


class NoRoomError(ValueError):
    """There is no BSP number left before the given one (nothing sorts before 10)."""


def number_between(lower: Bsp | None, upper: Bsp | None, depth: int = 0) -> Bsp:
    """A new BSP strictly between `lower` and `upper` (None = open end), per the numbering rules.

    first 21 (54 on a new `@` level); between X and Y floor((X+Y)/2); append floor((X+99)/2);
    prepend floor((10+X)/2); no integer gap → X@54.
    """
    if lower is not None and lower == upper:
        raise ValueError(f"cannot number between {format_bsp(lower)} and itself")
    if lower is None and upper is None:
        return (FIRST_NUMBER if depth == 0 else NESTED_FIRST_NUMBER,)
    if lower is not None and upper is not None and lower[0] == upper[0]:
        return (lower[0], *number_between(lower[1:] or None, upper[1:] or None, depth + 1))
    low = BSP_MIN if lower is None else lower[0]
    high = BSP_MAX if upper is None else upper[0]
    middle = (low + high) // 2
    above_lower = middle >= BSP_MIN if lower is None else middle > low
    below_upper = middle <= BSP_MAX if upper is None else middle < high
    if above_lower and below_upper:
        return (middle,)
    if lower is not None:
        return (lower[0], *number_between(lower[1:] or None, None, depth + 1))
    if upper is not None and len(upper) > 1:
        return (upper[0], *number_between(None, upper[1:], depth + 1))
    raise NoRoomError(f"no BSP number sorts before {format_bsp(upper or ())}: renumber the siblings")


def next_number(existing: list[Bsp], after: Bsp | None = None, before: Bsp | None = None) -> Bsp:
    """The number for a new sibling: appended by default, or placed right after/before a sibling."""
    ordered = sorted(set(existing))
    if after is not None:
        later = [b for b in ordered if b > after]
        return number_between(after, later[0] if later else None)
    if before is not None:
        earlier = [b for b in ordered if b < before]
        return number_between(earlier[-1] if earlier else None, before)
    return number_between(ordered[-1] if ordered else None, None)
