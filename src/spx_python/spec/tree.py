"""Discovery of the spec tree under `spx/`: containers, spec files, ADRs, test files, and problems.

Standard library only (hooks import it) and built for speed: one `os.scandir` per directory, no
file contents read here. Malformed entries never crash the scan and are never silently skipped:
each becomes a `Problem` naming its path and what to do.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

from spx_python.names import LEDGER_NAME, PATH_SEPARATOR, SPEC_ROOT_NAME
from spx_python.spec.bsp import (
    ADR,
    CONTAINER_SUFFIX_RE,
    KINDS,
    STORY,
    Bsp,
    explain_bad_name,
    format_bsp,
    number_between,
    parse_adr_name,
    parse_container_name,
)
from spx_python.spec.scan_focus import Focus, descend
from spx_python.spec.test_files import TEST_FILE_SUFFIXES, TESTS_DIR_NAME, classify_test_entries, test_names

PRODUCT_GUIDE_NAME = "CLAUDE.md"
SPEC_FILE_SUFFIXES = tuple(f".{kind}.md" for kind in KINDS)
ADR_FILE_SUFFIX = ".adr.md"
IGNORED_DIR_NAMES = frozenset({TESTS_DIR_NAME, "__pycache__", "node_modules"})
NO_PRODUCT_GUIDE = "missing (or not a file) — every context load starts with it; `spx init` writes one to fill in"
TESTS_NOT_A_DIRECTORY = "not a directory — tests/ holds the container's test files; remove this file and make it one"
FILE_NAMED_LIKE_CONTAINER = "a file named like a container — containers are directories; remove it or make it one"


class Problem(NamedTuple):
    """A malformed entry: `path` is relative to the project root."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def test_path(container_path: str, test_file: str) -> str:
    """A container's test file relative to the project root: `spx/<container>/tests/<file>`."""
    return f"{SPEC_ROOT_NAME}/{container_path}/{TESTS_DIR_NAME}/{test_file}"


class Container(NamedTuple):
    """A capability, feature or story directory. `path` is its full BSP path below `spx/`."""

    path: str
    kind: str
    bsp: Bsp
    slug: str
    location: str
    spec_name: str | None
    test_names: tuple[str, ...]
    adr_names: tuple[str, ...]
    has_ledger: bool
    children: tuple[Container, ...]

    @property
    def name(self) -> str:
        return self.path.rsplit(PATH_SEPARATOR, 1)[-1]

    @property
    def directory(self) -> Path:
        return Path(self.location)

    @property
    def spec_file(self) -> Path | None:
        return None if self.spec_name is None else Path(self.location, self.spec_name)

    @property
    def expected_spec_name(self) -> str:
        return f"{self.slug}.{self.kind}.md"

    @property
    def ledger_file(self) -> Path:
        return Path(self.location, LEDGER_NAME)

    @property
    def tests_dir(self) -> Path:
        return Path(self.location, TESTS_DIR_NAME)

    def test_file(self, name: str) -> Path:
        return Path(self.location, TESTS_DIR_NAME, name)

    def test_path(self, name: str) -> str:
        """A test file relative to the project root, as the user sees it: `spx/<container>/tests/<name>`."""
        return test_path(self.path, name)

    def walk(self) -> Iterator[Container]:
        """This container and all below it, depth-first in BSP order."""
        yield self
        for child in self.children:
            yield from child.walk()


class SpecTree(NamedTuple):
    project_root: Path
    has_product_guide: bool
    adr_names: tuple[str, ...]
    capabilities: tuple[Container, ...]
    problems: tuple[Problem, ...]

    @property
    def spec_root(self) -> Path:
        return self.project_root / SPEC_ROOT_NAME

    def walk(self) -> Iterator[Container]:
        for capability in self.capabilities:
            yield from capability.walk()

    def find(self, full_path: str) -> Container | None:
        level: tuple[Container, ...] = self.capabilities
        found: Container | None = None
        for segment in full_path.split(PATH_SEPARATOR):
            found = next((c for c in level if c.name == segment), None)
            if found is None:
                return None
            level = found.children
        return found

    def ancestors(self, full_path: str) -> list[Container]:
        """The chain from the capability down to (and including) the container at `full_path`."""
        chain: list[Container] = []
        level: tuple[Container, ...] = self.capabilities
        for segment in full_path.split(PATH_SEPARATOR):
            found = next((c for c in level if c.name == segment), None)
            if found is None:
                return []
            chain.append(found)
            level = found.children
        return chain


def list_test_files(container_dir: Path) -> list[Path]:
    """The container's own test files (`tests/*.{unit,integration,e2e}.test.py`), sorted by name."""
    return [container_dir / TESTS_DIR_NAME / name for name in test_names(str(container_dir))]


def _renumber_hint(container: Container, used: list[Bsp]) -> str:
    """Rename `container` to a free number right after its own (the numbering `spx spec create --after` uses)."""
    upper = next((bsp for bsp in used if bsp > container.bsp), None)
    try:
        free = number_between(container.bsp, upper)
    except ValueError:
        return "renumber one of them (`spx spec create --after NN` shows the numbering)"
    return f"rename this one to {format_bsp(free)}-{container.slug}.{container.kind} (a free number after it)"


BeforeRead = Callable[[str], None]  # called with a directory's path before the scan lists it


class _Scanner:
    def __init__(self, project_root: Path, focus: Focus | None, before_read: BeforeRead | None = None) -> None:
        self.root = str(project_root)
        self.focus = focus
        self.problems: list[Problem] = []
        self.before_read = before_read
        self.plain = True  # no symbolic link and nothing unreadable met (their targets change unseen)

    def report(self, location: str, message: str) -> None:
        self.problems.append(Problem(os.path.relpath(location, self.root), message))

    def scan_level(
        self, location: str, parent_path: str, depth: int, whole: bool = True
    ) -> tuple[tuple[Container, ...], tuple[str, ...], bool, list[str]]:
        """Children containers, ADR names, ledger presence and spec-file names of one directory."""
        containers: list[Container] = []
        adrs: list[tuple[Bsp, str, str]] = []
        spec_names: list[str] = []
        has_ledger = False
        if self.before_read is not None:
            self.before_read(location)
        with os.scandir(location) as entries:
            listing = sorted(entries, key=lambda e: e.name)
        for entry in listing:
            name = entry.name
            if name.startswith("."):
                continue
            if name == LEDGER_NAME:  # whatever it is: reading it later reports what is wrong with it
                has_ledger = True
                continue
            try:
                linked = entry.is_symlink()
                linked_dir = linked and entry.is_dir()
            except OSError as error:
                self.plain = False
                self.report(entry.path, f"cannot be read ({error.strerror}) — fix or remove it")
                continue
            if linked:
                self.plain = False
            if linked_dir:
                self.report(entry.path, "symbolic link to a directory — not followed; move the container into spx/")
            elif entry.is_dir(follow_symlinks=False):
                wanted, whole_below = descend(self.focus, parent_path, name, whole)
                child = self.scan_dir(entry.path, name, parent_path, depth, whole_below) if wanted else None
                if child is not None:
                    containers.append(child)
            else:
                self.file_entry(entry.path, name, bool(parent_path), adrs, spec_names)
        containers.sort(key=lambda c: (c.bsp, c.slug))
        self.check_duplicates(location, containers, adrs)
        adrs.sort()
        return tuple(containers), tuple(a[2] for a in adrs), has_ledger, spec_names

    def file_entry(
        self, path: str, name: str, in_container: bool, adrs: list[tuple[Bsp, str, str]], spec_names: list[str]
    ) -> None:
        """Sort a file of a spec directory into ADRs and spec files; report one named like what it cannot be."""
        if name.endswith(ADR_FILE_SUFFIX):
            parsed = parse_adr_name(name)
            if parsed is None:
                self.report(path, "malformed ADR name — expected NN-slug.adr.md (NN two digits 10-99)")
            else:
                adrs.append((parsed.bsp, parsed.slug, name))
        elif name.endswith(SPEC_FILE_SUFFIXES):
            spec_names.append(name)
        elif looks_like_container(name):
            self.report(path, FILE_NAMED_LIKE_CONTAINER)
        elif name == TESTS_DIR_NAME and in_container:
            self.report(path, TESTS_NOT_A_DIRECTORY)

    def check_duplicates(self, location: str, containers: list[Container], adrs: list[tuple[Bsp, str, str]]) -> None:
        if len(containers) + len(adrs) < 2:  # most directories (every story): nothing to compare
            return
        used = sorted({c.bsp for c in containers} | {a[0] for a in adrs})
        for earlier, later in itertools.pairwise(containers):
            if earlier.bsp == later.bsp:
                self.report(
                    later.location,
                    f"duplicate BSP {format_bsp(later.bsp)} among siblings (also {earlier.name}) — "
                    f"{_renumber_hint(later, used)}",
                )
        numbers = sorted((a[0], a[2]) for a in adrs)
        for (bsp_a, name_a), (bsp_b, name_b) in itertools.pairwise(numbers):
            if bsp_a == bsp_b:
                self.report(os.path.join(location, name_b), f"duplicate ADR number {format_bsp(bsp_a)} (also {name_a})")

    def scan_dir(self, location: str, name: str, parent_path: str, depth: int, whole: bool) -> Container | None:
        if name in IGNORED_DIR_NAMES and depth > 0:
            return None
        expected_kind = KINDS[depth] if depth < len(KINDS) else None
        parsed = parse_container_name(name)
        if parsed is None:
            self.report(location, f"not a valid container name — {explain_bad_name(name)}")
            return None
        if parsed.kind != expected_kind:
            where = "spx/" if depth == 0 else f"a {KINDS[depth - 1]}"
            wanted = expected_kind or "nothing but tests/"
            self.report(location, f"a {parsed.kind} cannot live in {where} (expected {wanted}) — move it")
            return None
        full_path = f"{parent_path}{PATH_SEPARATOR}{name}" if parent_path else name
        children, adrs, has_ledger, spec_names = self.scan_level(location, full_path, depth + 1, whole)
        spec_name = self.check_spec(location, parsed.slug, parsed.kind, spec_names)
        if adrs and parsed.kind == STORY:
            held = ", ".join(adrs)
            self.report(
                location, f"stories hold no ADRs (found {held}) — move them to the parent feature or capability"
            )
        return Container(
            path=full_path,
            kind=parsed.kind,
            bsp=parsed.bsp,
            slug=parsed.slug,
            location=location,
            spec_name=spec_name,
            test_names=self.test_names(location),
            adr_names=adrs,
            has_ledger=has_ledger,
            children=children,
        )

    def test_names(self, location: str) -> tuple[str, ...]:
        """The container's test files; an entry named like one that cannot be one is a problem."""
        names: list[str] = []
        if self.before_read is not None:
            self.before_read(os.path.join(location, TESTS_DIR_NAME))
        for entry, problem in classify_test_entries(location):
            if entry.is_symlink():
                self.plain = False
            if problem is None:
                names.append(entry.name)
            else:
                self.report(entry.path, problem)
        return tuple(sorted(names))

    def check_spec(self, location: str, slug: str, kind: str, spec_names: list[str]) -> str | None:
        expected = f"{slug}.{kind}.md"
        if len(spec_names) == 1 and spec_names[0] == expected:
            return expected
        if not spec_names:
            self.report(location, f"no spec file — create {expected} (`spx spec create` writes one)")
        elif len(spec_names) > 1:
            self.report(
                location, f"{len(spec_names)} spec files ({', '.join(spec_names)}) — keep exactly one, {expected}"
            )
        else:
            self.report(location, f"spec file {spec_names[0]} should be named {expected} — rename it")
        return None


def scan(project_root: Path, focus: Focus | None = None) -> SpecTree:
    """Scan `<project_root>/spx/` (the caller has checked that it exists); with a `focus`, only the part a
    workflow decision about it needs (`spec.scan_focus`): its problems and the rest of the tree are not read."""
    return _scan(_Scanner(project_root, focus), project_root)


def scan_watched(project_root: Path, before_read: BeforeRead) -> tuple[SpecTree, bool]:
    """The whole tree, calling `before_read(path)` before listing each directory (and before each container's
    `tests/` path, present or not). The bool is True when every entry the scan relied on is a plain file or
    directory: no symbolic link (its target can change unseen) and nothing unreadable. A cache keyed on the
    identities of those directories can stand for this scan only then."""
    scanner = _Scanner(project_root, None, before_read)
    tree = _scan(scanner, project_root)
    return tree, scanner.plain


def _scan(scanner: _Scanner, project_root: Path) -> SpecTree:
    focus = scanner.focus
    spec_root = os.path.join(scanner.root, SPEC_ROOT_NAME)
    capabilities, adrs, _, stray_specs = scanner.scan_level(spec_root, "", 0, focus is None)
    for name in stray_specs:
        scanner.report(os.path.join(spec_root, name), "spec file outside any container — move it into its container")
    has_guide = os.path.isfile(os.path.join(spec_root, PRODUCT_GUIDE_NAME))
    if not has_guide:
        scanner.report(os.path.join(spec_root, PRODUCT_GUIDE_NAME), NO_PRODUCT_GUIDE)
    return SpecTree(
        project_root=project_root,
        has_product_guide=has_guide,
        adr_names=adrs,
        capabilities=capabilities,
        problems=tuple(scanner.problems),
    )


def looks_like_container(name: str) -> bool:
    return CONTAINER_SUFFIX_RE.search(name) is not None


__all__ = [  # the names imported to be re-exported (spx's modules import them from here)
    "ADR",
    "LEDGER_NAME",
    "PATH_SEPARATOR",
    "SPEC_ROOT_NAME",
    "TESTS_DIR_NAME",
    "TEST_FILE_SUFFIXES",
    "Container",
    "Problem",
    "SpecTree",
    "list_test_files",
    "scan",
    "scan_watched",
]
