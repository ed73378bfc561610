"""What `spx spec status` printed, remembered for the tree it was worked out from (`.spx/cache/status.marshal`).

Status is a pure function of the spec tree's inputs (the ones the order index records), the view asked for
(format, scope, colour) and the code that renders it. A run that worked its view out stores the text beside
the identity of the order index it matched; a later run prints it again only when the order index is usable
with every one of its inputs re-stat'ed and unchanged (`order_index.load`, git's racy rule included), is the
same index file, and the rendering code is unchanged — exactly the conditions under which the remembered
tree (`tree_snapshot`) would be reused and the same text worked out again. Anything else: the view is worked
out as without it. Lean: a hit imports the order index and nothing of the tree.
"""

from __future__ import annotations

import marshal
import os

from spx_python.evidence.cache_frame import UNUSABLE, Identity, cache_path, code_key, frame, identity, read_framed
from spx_python.evidence.order_index import index_file, unchanged
from spx_python.names import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

MEMO_NAME = "status.marshal"
CACHE_KIND = "status"
FORMAT_VERSION = 1
MAX_VIEWS = 16  # views (format, scope, colour) kept at once; the oldest go first
RENDERING_MODULES = ("spec_status.py", "status_view.py", "output.py", "status_memo.py")


def memo_file(project_root: str) -> str:
    return cache_path(project_root, MEMO_NAME)


def _rendering_code() -> tuple[Identity, ...]:
    return code_key(__file__, RENDERING_MODULES)


def _read(project_root: str) -> tuple[Any, dict[tuple[str, str, bool], str]] | None:
    try:
        body = read_framed(memo_file(project_root), CACHE_KIND, FORMAT_VERSION)
        if body is None:
            return None
        index, code, views = marshal.loads(body)  # noqa: S302 - spx's own file under .spx/ (guarded from the model), checked
        if code != _rendering_code() or not isinstance(views, dict):
            return None
    except UNUSABLE:
        return None
    return index, views


def recall(project_root: str, view: tuple[str, str, bool]) -> str | None:
    """The text remembered for `view` (format, scope, colour), when the tree it was worked out from is unchanged."""
    found = _read(project_root)
    if found is None or view not in found[1]:
        return None
    try:
        if found[0] != identity(os.stat(index_file(project_root))):
            return None
    except OSError:
        return None
    if not unchanged(project_root):  # every input of the tree re-stat'ed
        return None
    return found[1][view]


def remember(project_root: str, view: tuple[str, str, bool], text: str) -> None:
    """Keep `text` for `view`, tied to the order index that describes the tree as it is now (when there is one);
    best-effort, like every cache: a failure to write costs only the next run's time."""
    from spx_python.evidence.blob_cache import write_best_effort  # noqa: PLC0415 - a miss pays for it

    try:
        index = identity(os.stat(index_file(project_root)))
    except OSError:
        return
    if not unchanged(project_root):  # the index does not describe the tree as it is now: nothing to tie to
        return
    found = _read(project_root)
    views = dict(found[1]) if found is not None and found[0] == index else {}
    views.pop(view, None)
    views[view] = text
    while len(views) > MAX_VIEWS:
        del views[next(iter(views))]
    body = marshal.dumps((index, _rendering_code(), views))
    write_best_effort(memo_file(project_root), frame(CACHE_KIND, FORMAT_VERSION, body))
