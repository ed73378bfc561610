"""Context ingestion: the documents to read before working on a container, or why that is impossible.

Standard library only: the understanding-specs PreToolUse hook calls `check_context` too.

Reading order: the product guide `spx/CLAUDE.md`, then the product level (its PRDs, then its ADRs in
BSP order), then for each container on the chain from the capability down to the target: its spec
file, its PRDs, its ADRs (stories hold none).

ADR rule (decided here, in one place): every ADR of every level on the chain is listed, whatever its
number. An ADR governs the whole container it sits in; its number orders it among its siblings for
dependency purposes, but a decision numbered after the target still constrains it, and reading one ADR
too many costs little while missing one costs a wrong implementation.

Aborts (exit 1 in `spx spec context`): the path is not a full path on disk; `spx/CLAUDE.md` is missing;
a container on the chain has no spec file, a wrongly named one, or several.
"""

from __future__ import annotations

import os
from typing import NamedTuple

from spx_python.errors import SpxError
from spx_python.evidence.state import State, derive_states
from spx_python.spec.fullpath import Refusal, check, normalize
from spx_python.spec.tree import (
    PATH_SEPARATOR,
    PRODUCT_GUIDE_NAME,
    SPEC_FILE_SUFFIXES,
    SPEC_ROOT_NAME,
    TESTS_DIR_NAME,
    Container,
    SpecTree,
)

PRD_SUFFIX = ".prd.md"
PHASE_LOCATE = "locate"
PHASE_PRODUCT = "product"
GUIDE_PATH = f"{SPEC_ROOT_NAME}/{PRODUCT_GUIDE_NAME}"
ABORT_TITLE = "CONTEXT INGESTION FAILED"
ABORT_FOOTER = "Cannot proceed with implementation until this document exists."
ROLE_GUIDE = "product guide"


class Document(NamedTuple):
    """One document to read: `path` relative to the project root (`/`-separated), `role` in words."""

    path: str
    role: str


class ContextOk(NamedTuple):
    """Everything to read, in order, before working on `full_path` (a normalized full path)."""

    full_path: str
    kind: str
    documents: tuple[Document, ...]
    tests_dir: str
    state: str | None
    warnings: tuple[str, ...]

    @property
    def paths(self) -> tuple[str, ...]:
        return tuple(d.path for d in self.documents)


class ContextAbort(NamedTuple):
    """Why the context cannot be complete, and what to do about it (the abort protocol)."""

    full_path: str
    phase: str
    missing: str
    expected_path: str
    reason: str
    remediation: str

    def message(self) -> str:
        return "\n".join(
            (
                f"{ABORT_TITLE}: {self.full_path}",
                f"phase: {self.phase}",
                f"missing document: {self.missing}",
                f"expected path: {self.expected_path}",
                f"reason: {self.reason}",
                f"remediation: {self.remediation}",
                ABORT_FOOTER,
            )
        )


def _rel(*parts: str) -> str:
    return PATH_SEPARATOR.join((SPEC_ROOT_NAME, *(p for p in parts if p)))


def _listing(directory: str, suffixes: tuple[str, ...]) -> list[str]:
    try:
        with os.scandir(directory) as entries:
            return sorted(e.name for e in entries if e.name.endswith(suffixes) and e.is_file())
    except OSError:
        return []


def _level_documents(directory: str, where: str, level: str, adr_names: tuple[str, ...]) -> list[Document]:
    """A level's PRDs, then its ADRs (already in BSP order). `where` is the level's path below spx/."""
    prds = [Document(_rel(where, n), f"{level} PRD") for n in _listing(directory, (PRD_SUFFIX,))]
    return [*prds, *(Document(_rel(where, n), f"{level} ADR") for n in adr_names)]


def _reload_hint(full_path: str) -> str:
    return f"then load the context again with /spx-python:understanding-specs {full_path}"


def _spec_abort(container: Container, full_path: str) -> ContextAbort:
    expected = _rel(container.path, container.expected_spec_name)
    found = _listing(container.location, SPEC_FILE_SUFFIXES)
    where = _rel(container.path)
    if not found:
        parent = container.path.rpartition(PATH_SEPARATOR)[0]
        command = f"spx spec create {container.kind} {container.slug}" + (f" --in {parent}" if parent else "")
        reason = f"{where} has no spec file"
        remediation = (
            f"ask the user what the {container.kind} must do, then create the spec with /spx-python:managing-specs "
            f"(`{command}` writes it into the existing directory), {_reload_hint(full_path)}"
        )
    elif len(found) > 1:
        reason = f"{where} holds {len(found)} spec files ({', '.join(found)}): the spec is ambiguous"
        remediation = (
            f"ask the user which one is the spec, merge it into {container.expected_spec_name} and remove the "
            f"others with /spx-python:managing-specs, {_reload_hint(full_path)}"
        )
    else:
        reason = f"the spec file is named {found[0]}, not {container.expected_spec_name}"
        remediation = (
            f"ask the user whether {_rel(container.path, found[0])} is the {container.kind}'s spec; if so rename "
            f"it to {expected} (see /spx-python:managing-specs), {_reload_hint(full_path)}"
        )
    missing = f"exactly one {container.kind} spec" if len(found) > 1 else f"the {container.kind} spec"
    return ContextAbort(full_path, container.kind, missing, expected, reason, remediation)


def _locate_abort(text: str, refusal: Refusal) -> ContextAbort:
    path = normalize(text)
    remediation = (
        "use the item's full path (capability/feature/story); if the item does not exist yet, ask the user what "
        "it must do and create it with /spx-python:managing-specs, then load the context again"
    )
    expected = _rel(path) if path else f"{SPEC_ROOT_NAME}/<full path>"
    return ContextAbort(text, PHASE_LOCATE, "the item itself", expected, refusal.message(text), remediation)


def _guide_abort(full_path: str) -> ContextAbort:
    remediation = (
        "run `spx init` at the project root (it writes the guide from the template), ask the user what every "
        "contributor must know about the product and add it with /spx-python:managing-specs, "
        + _reload_hint(full_path)
    )
    reason = f"{GUIDE_PATH} does not exist"
    return ContextAbort(full_path, PHASE_PRODUCT, "the product guide", GUIDE_PATH, reason, remediation)


def _state(target: Container) -> tuple[str | None, list[str]]:
    try:
        state = derive_states((target,)).state(target.path)
    except SpxError as error:
        return None, [f"state unknown: {error.message}"]
    if state is State.PASSING:
        reason = "a changed spec, a failing test, or the user's request"
        return state.value, [f"{target.path} is already Passing: a change now needs a reason ({reason})"]
    return state.value, []


def _problems(tree: SpecTree, chain: list[Container]) -> list[str]:
    """Problems of the chain's own directories (and their direct entries), e.g. an ADR inside a story."""
    root = str(tree.project_root)
    places = {SPEC_ROOT_NAME, *(os.path.relpath(c.location, root) for c in chain)}
    return [str(p) for p in tree.problems if p.path in places or os.path.dirname(p.path) in places]


def check_context(tree: SpecTree, full_path: str) -> ContextOk | ContextAbort:
    """The documents to read before working on `full_path`, in order, or the abort that stops the work."""
    found = check(tree, full_path)
    if isinstance(found, Refusal):
        return _locate_abort(full_path, found)
    chain = tree.ancestors(found.path)
    if not tree.has_product_guide:
        return _guide_abort(found.path)
    documents = [Document(GUIDE_PATH, ROLE_GUIDE)]
    documents += _level_documents(str(tree.spec_root), "", PHASE_PRODUCT, tree.adr_names)
    for container in chain:
        if container.spec_name is None:
            return _spec_abort(container, found.path)
        documents.append(Document(_rel(container.path, container.spec_name), f"{container.kind} spec"))
        documents += _level_documents(container.location, container.path, container.kind, container.adr_names)
    state, warnings = _state(found)
    return ContextOk(
        full_path=found.path,
        kind=found.kind,
        documents=tuple(documents),
        tests_dir=_rel(found.path, TESTS_DIR_NAME) + PATH_SEPARATOR,
        state=state,
        warnings=tuple(warnings + _problems(tree, chain)),
    )
