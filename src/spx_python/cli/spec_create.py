"""`spx spec create capability|feature|story|adr NAME [--in PATH] [--after NN | --before NN]`.

Prints one line: the new container's full path, or `spx/...NN-slug.adr.md` for an ADR.
"""

from __future__ import annotations

import argparse
import datetime
from pathlib import Path

from spx_python.spec.bsp import CREATE_KINDS, format_bsp
from spx_python.spec.project import load_tree


def create(start: Path, kind: str, name: str, parent: str | None, *, after: str | None, before: str | None) -> int:
    from spx_python.setup.templates import TemplateVars, render, title_from_slug  # noqa: PLC0415 - lazy: keep every spx command's start-up fast
    from spx_python.spec.create import plan_create, write_created  # noqa: PLC0415 - lazy: keep every spx command's start-up fast

    tree = load_tree(start)
    plan = plan_create(tree, kind, name, parent, after=after, before=before)
    today = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
    variables = TemplateVars(
        title=title_from_slug(plan.slug),
        slug=plan.slug,
        kind=plan.kind,
        bsp=format_bsp(plan.bsp),
        parent_path=plan.parent_path,
        date=today,
    )
    write_created(tree.spec_root, plan, render(plan.kind, variables))
    print(plan.shown)
    return 0


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", choices=CREATE_KINDS, help="what to create")
    parser.add_argument("name", help="kebab-case slug, e.g. error-style")
    parser.add_argument(
        "--in", dest="parent", metavar="PATH",
        help="full path of the parent: a capability for a feature, a feature for a story; "
        "a capability or feature for an ADR (default: spx/ itself)",
    )  # fmt: skip
    place = parser.add_mutually_exclusive_group()
    place.add_argument("--after", metavar="NN", help="place it right after the sibling numbered NN (e.g. 20, 20@54)")
    place.add_argument("--before", metavar="NN", help="place it right before the sibling numbered NN")
    parser.set_defaults(handler=lambda a: create(Path.cwd(), a.kind, a.name, a.parent, after=a.after, before=a.before))
