"""`spx spec create`: where a new capability, feature, story or ADR goes, and writing it.

`plan_create` is pure over the scanned tree: it checks the slug, the parent (`--in`), the placement
(`--after`/`--before` name an existing sibling's BSP) and picks the number with `bsp.next_number` over
ALL siblings of the level, containers and ADRs alike (they share one number space). A container that
exists without any spec file is completed in place (its spec is written; its number is kept), which is
how a context abort for a missing spec gets fixed. `write_created` is the only I/O.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from spx_python.atomic import write_new
from spx_python.errors import SpxError, UsageError
from spx_python.spec.bsp import (
    ADR,
    CAPABILITY,
    CREATE_KINDS,
    FEATURE,
    SLUG_RE,
    STORY,
    Bsp,
    NoRoomError,
    format_bsp,
    next_number,
    parse_bsp,
)
from spx_python.spec.fullpath import Refusal, check
from spx_python.spec.tree import (
    ADR_FILE_SUFFIX,
    PATH_SEPARATOR,
    SPEC_FILE_SUFFIXES,
    SPEC_ROOT_NAME,
    Container,
    SpecTree,
)

PRODUCT_LEVEL = ""
# Which kind of container each new item may be created in ("" is spx/ itself). Rules as data.
ALLOWED_PARENTS: dict[str, tuple[str, ...]] = {
    CAPABILITY: (PRODUCT_LEVEL,),
    FEATURE: (CAPABILITY,),
    STORY: (FEATURE,),
    ADR: (PRODUCT_LEVEL, CAPABILITY, FEATURE),
}
IN_EXAMPLE = {FEATURE: "21-core-cli.capability", STORY: "21-core-cli.capability/54-commands.feature"}

MAX_SLUG_LENGTH = 100  # well under the 255-byte file-name limit with the number and kind around it


@dataclass(frozen=True)
class Sibling:
    bsp: Bsp
    slug: str
    name: str
    container: Container | None  # None for an ADR


@dataclass(frozen=True)
class Plan:
    """What to create. Paths are relative to `spx/`; `directory` is None when no directory is made."""

    kind: str
    slug: str
    bsp: Bsp
    parent_path: str
    directory: str | None
    file: str
    shown: str  # what the command prints: the full path of a container, `spx/...adr.md` for an ADR


def _join(*parts: str) -> str:
    return PATH_SEPARATOR.join(p for p in parts if p)


def _parent(tree: SpecTree, kind: str, text: str | None) -> Container | None:
    """The container to create in (None: spx/ itself), refusing what the kind does not allow."""
    allowed = ALLOWED_PARENTS[kind]
    if text is None:
        if PRODUCT_LEVEL in allowed:
            return None
        raise UsageError(f"a {kind} needs --in: the full path of its {allowed[0]}, e.g. --in {IN_EXAMPLE[kind]}")
    if allowed == (PRODUCT_LEVEL,):
        raise UsageError(f"--in {text}: a {kind} lives directly in spx/ — drop --in")
    found = check(tree, text)
    if isinstance(found, Refusal):
        raise SpxError(f"--in {found.message(text)}")
    if found.kind not in allowed:
        wanted = " or ".join(k for k in allowed if k) + (" (or no --in for spx/)" if PRODUCT_LEVEL in allowed else "")
        if kind == ADR and found.kind == STORY:
            feature = found.path.rpartition(PATH_SEPARATOR)[0]
            raise SpxError(f"--in {found.path}: stories hold no ADRs — create it in the feature: `--in {feature}`")
        raise SpxError(f"--in {found.path}: a {kind} cannot be created in a {found.kind} — give a {wanted}")
    return found


def _siblings(tree: SpecTree, parent: Container | None) -> list[Sibling]:
    containers = tree.capabilities if parent is None else parent.children
    adr_names = tree.adr_names if parent is None else parent.adr_names
    siblings = [Sibling(c.bsp, c.slug, c.name, c) for c in containers]
    for name in adr_names:
        number, _, rest = name.partition("-")
        bsp = parse_bsp(number)
        if bsp is not None:
            siblings.append(Sibling(bsp, rest.removesuffix(ADR_FILE_SUFFIX), name, None))
    return siblings


def _placement(option: str, text: str | None, siblings: list[Sibling], where: str) -> Bsp | None:
    if text is None:
        return None
    bsp = parse_bsp(text.strip())
    if bsp is None:
        raise UsageError(f"{option} {text}: not a BSP number — two digits 10-99 per part, e.g. 20 or 20@54")
    if all(s.bsp != bsp for s in siblings):
        numbers = ", ".join(sorted({format_bsp(s.bsp) for s in siblings})) or "none"
        raise SpxError(f"{option} {text}: no sibling numbered {format_bsp(bsp)} in {where} — existing: {numbers}")
    return bsp


def _fill(kind: str, existing: Sibling, parent_path: str) -> Plan:
    """Complete an existing container that has no spec file (keeps its number)."""
    container = existing.container
    if container is None or container.kind != kind or container.spec_name is not None:
        raise SpxError(f"{_join(SPEC_ROOT_NAME, parent_path, existing.name)}: already exists — choose another name")
    spec = _join(container.path, container.expected_spec_name)
    return Plan(kind, container.slug, container.bsp, parent_path, None, spec, container.path)


def _check_request(kind: str, name: str, after: str | None, before: str | None) -> None:
    if kind not in CREATE_KINDS:
        raise UsageError(f"{kind}: unknown kind — use one of {', '.join(CREATE_KINDS)}")
    if SLUG_RE.match(name) is None or name.endswith("-") or "--" in name:
        raise UsageError(f"{name!r}: not a kebab-case slug — use lower-case letters, digits and single hyphens")
    if len(name) > MAX_SLUG_LENGTH:
        shown = f"{name[:40]}…"
        raise UsageError(
            f"{shown!r}: slug of {len(name)} characters — use at most {MAX_SLUG_LENGTH} (it names a directory)"
        )
    if after is not None and before is not None:
        raise UsageError("--after and --before exclude each other — give one")


def _number(siblings: list[Sibling], where: str, after: str | None, before: str | None) -> Bsp:
    low = _placement("--after", after, siblings, where)
    high = _placement("--before", before, siblings, where)
    try:
        return next_number([s.bsp for s in siblings], after=low, before=high)
    except NoRoomError as error:
        raise SpxError(f"{where}: {error}") from None


def plan_create(
    tree: SpecTree, kind: str, name: str, parent: str | None, *, after: str | None = None, before: str | None = None
) -> Plan:
    """Where the new item goes and what it is called; raises SpxError/UsageError when it must be refused."""
    _check_request(kind, name, after, before)
    container = _parent(tree, kind, parent)
    parent_path = "" if container is None else container.path
    where = _join(SPEC_ROOT_NAME, parent_path) + PATH_SEPARATOR
    siblings = _siblings(tree, container)
    existing = next((s for s in siblings if s.slug == name), None)
    if existing is not None:
        if after is not None or before is not None:
            raise SpxError(f"{where}{existing.name}: already exists — --after/--before cannot move it")
        return _fill(kind, existing, parent_path)
    bsp = _number(siblings, where, after, before)
    if kind == ADR:
        file = _join(parent_path, f"{format_bsp(bsp)}-{name}{ADR_FILE_SUFFIX}")
        return Plan(kind, name, bsp, parent_path, None, file, _join(SPEC_ROOT_NAME, file))
    directory = _join(parent_path, f"{format_bsp(bsp)}-{name}.{kind}")
    return Plan(kind, name, bsp, parent_path, directory, _join(directory, f"{name}.{kind}.md"), directory)


def write_created(spec_root: Path, plan: Plan, text: str) -> Path:
    """Create the planned directory (if any) and file; never overwrite anything."""
    target = spec_root / plan.file
    made: Path | None = None
    try:
        if plan.directory is not None:
            (spec_root / plan.directory).mkdir()
            made = spec_root / plan.directory
        elif plan.kind != ADR:
            present = [n for n in os.listdir(target.parent) if n.endswith(SPEC_FILE_SUFFIXES)]
            if present:
                raise SpxError(f"{target.parent}: already holds {', '.join(sorted(present))} — rename or merge instead")
        try:
            write_new(target, text.encode())
        except OSError:
            if made is not None:  # no empty container left behind
                made.rmdir()
            raise
    except FileExistsError:
        raise SpxError(
            f"{target if plan.directory is None else spec_root / plan.directory}: already exists on disk — "
            "choose another name"
        ) from None
    except OSError as error:  # permissions, a read-only or full disk, a name the file system refuses
        raise SpxError(
            f"{error.filename or target}: cannot create it ({error.strerror}) — fix that, then retry"
        ) from None
    return target
