"""The one walk up to a project: the nearest directory holding `spx/` (or `.spx/`), symlinks resolved."""

from __future__ import annotations

import os
from pathlib import Path

from spx_python.walk_up import directories_up, nearest_holding


def test_the_nearest_holder_wins_and_none_is_found_outside_every_project(tmp_path: Path) -> None:
    outer, inner = tmp_path / "outer", tmp_path / "outer" / "pkg" / "inner"
    (outer / "spx").mkdir(parents=True)
    (inner / "spx").mkdir(parents=True)
    (inner / "src" / "deep").mkdir(parents=True)
    assert nearest_holding(str(inner / "src" / "deep"), "spx") == str(inner.resolve())
    assert nearest_holding(str(outer / "pkg"), "spx") == str(outer.resolve())
    assert nearest_holding(str(tmp_path), "spx") is None  # no ancestor of the temp directory holds spx/


def test_a_file_named_like_the_marker_is_not_a_project(tmp_path: Path) -> None:
    (tmp_path / "spx").write_text("not a directory\n")
    assert nearest_holding(str(tmp_path), "spx") is None


def test_the_walk_resolves_symlinks_and_ends_at_the_root(tmp_path: Path) -> None:
    real = tmp_path / "real" / "project"
    (real / "spx").mkdir(parents=True)
    link = tmp_path / "link"
    link.symlink_to(real)
    assert nearest_holding(str(link), "spx") == str(real.resolve())
    walked = list(directories_up(str(link)))
    assert walked[0] == str(real.resolve())
    assert walked[-1] == os.path.abspath(os.sep)
