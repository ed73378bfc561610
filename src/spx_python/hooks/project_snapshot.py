"""The one project snapshot a workflow decision reads, taken under the journal's lock.

Standard library only on the straight path. `take` finds the project (`hooks.payload`), takes the journal's
lock (held until `hooks.record` has appended the decision, so two parallel calls cannot both start a story
and no allow is printed before its journal line is on disk), and loads each story's progress (the journal's
fold, `workflow.fold_cache`) and the order index (`evidence.order_index`) as plain data: the inputs a decision
reads are re-stat'ed, nothing is called back later. Where the index cannot answer (there is none yet, an input
changed, an unknown path, an incomplete context) `gate.decide` raises `Unsure` and `from_tree` decides from the
tree instead: the slow path, which imports the tree's modules only then.
"""

from __future__ import annotations

from spx_python.config import max_rejections
from spx_python.evidence.order_index import EMPTY, OrderIndex
from spx_python.evidence.order_index import load as load_index
from spx_python.hooks.payload import project_dirs
from spx_python.names import TYPE_CHECKING
from spx_python.spec.fullpath import normalize
from spx_python.workflow.fold_cache import progress as folded_progress
from spx_python.workflow.journal import locked

if TYPE_CHECKING:  # the Skill hook imports this module on every call: no `typing` or `pathlib` at run time
    from collections.abc import Mapping
    from typing import Any

    from spx_python.workflow.gate import Decision
    from spx_python.workflow.journal import Exclusive
    from spx_python.workflow.machine import StoryProgress


class ProjectSnapshot:
    """What one decision reads: the project (None without `spx/`), the journal's lock it holds, each story's
    progress and the order index (`order_index.EMPTY` when there is none to trust; None without a project)."""

    __slots__ = ("index", "lock", "others", "progress", "root")

    def __init__(
        self, root: str | None, lock: Exclusive | None, progress: Mapping[str, StoryProgress],
        index: OrderIndex | None, others: tuple[str, ...] = (),
    ) -> None:
        self.root = root
        self.lock = lock
        self.progress = progress
        self.index = index
        self.others = others

    def release(self) -> None:
        """Let the journal's lock go: `hooks.record` does once the decision is appended, a failure before that here."""
        if self.lock is not None:
            self.lock.release()

    def from_tree(self, step: str, args: str) -> Decision:
        """The decision from the tree, where the order index cannot give it."""
        if self.root is None:  # without a project there is no index, and `decide` never raises `Unsure`
            raise AssertionError("no project to read the tree of")
        return decide_from_tree(self.root, step, args, self.progress, self.others)


def take(payload: Mapping[str, Any], environ: Mapping[str, str], args: str) -> ProjectSnapshot:
    """The snapshot for a decision about `args`, holding the journal's lock when there is a project."""
    roots = project_dirs(payload, environ)
    if not roots:
        return ProjectSnapshot(None, None, {}, None)
    root = roots[0]
    lock = locked(root)
    lock.__enter__()
    try:
        progress = folded_progress(root, max_rejections(root))
        others = tuple(story.story for story in progress.values() if story.mid_sequence)  # one at a time reads them
        index = load_index(root, [*others, normalize(args)] if args.strip() else others)
    except BaseException:
        lock.release()
        raise
    return ProjectSnapshot(root, lock, progress, EMPTY if index is None else index, others)


def decide_from_tree(
    root: str, step: str, args: str, progress: Mapping[str, StoryProgress], others: tuple[str, ...]
) -> Decision:
    """The remembered whole tree, worked out (and remembered) when it is not; failing that, a focused scan."""
    from pathlib import Path  # noqa: PLC0415 - the tree's modules work with paths

    from spx_python.evidence.blob_cache import BlobCache  # noqa: PLC0415 - off the order index's path
    from spx_python.evidence.state import own_state_of  # noqa: PLC0415
    from spx_python.evidence.tree_snapshot import whole_tree  # noqa: PLC0415
    from spx_python.spec.scan_focus import Focus  # noqa: PLC0415
    from spx_python.spec.tree import scan  # noqa: PLC0415
    from spx_python.workflow.gate import evaluate  # noqa: PLC0415

    project = Path(root)
    cache = BlobCache(root)
    snapshot = whole_tree(project, cache)  # the remembered whole tree, when nothing it was read from changed
    if snapshot is not None:
        decision = evaluate(step, args, snapshot.tree, progress, snapshot.state_of)
    else:
        cached_state_of = own_state_of(cache.sha)
        focus = Focus(normalize(args), others)
        decision = evaluate(step, args, scan(project, focus), progress, cached_state_of)
        if not decision.allowed:  # a refusal names suggestions and problems from the whole tree
            decision = evaluate(step, args, scan(project), progress, cached_state_of)
    cache.save()
    return decision
