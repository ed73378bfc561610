"""Rendering the jinja2 templates of `templates/` (specs, ADRs, the product guide). CLI only.

The templates live at `<repo>/templates` in a source checkout and at `spx_python/_templates` in an
installed wheel (pyproject force-includes them there). jinja2 is imported lazily so commands that
render nothing stay fast.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from spx_python.errors import SpxError

TEMPLATE_SUFFIX = ".md.j2"
PACKAGE_DIR = Path(__file__).resolve().parents[1]  # src/spx_python/
INSTALLED_DIR = PACKAGE_DIR / "_templates"
CHECKOUT_DIR = PACKAGE_DIR.parent.parent / "templates"
GUIDE_TEMPLATE = "CLAUDE"


@dataclass(frozen=True)
class TemplateVars:
    """The variables every template receives (all strings; empty when they do not apply)."""

    title: str
    slug: str
    kind: str
    bsp: str
    parent_path: str
    date: str


def title_from_slug(slug: str) -> str:
    """`"error-style"` → `"Error style"`."""
    words = slug.replace("-", " ").strip()
    return words[:1].upper() + words[1:]


def template_dir() -> Path:
    for candidate in (INSTALLED_DIR, CHECKOUT_DIR):
        if candidate.is_dir():
            return candidate
    raise SpxError(f"{CHECKOUT_DIR}: spx templates not found — reinstall spx-python-workflow")


def render(name: str, variables: TemplateVars) -> str:
    """Render `templates/<name>.md.j2` (name: capability, feature, story, adr, CLAUDE)."""
    import jinja2  # noqa: PLC0415  (lazy: only commands that render pay for the import)

    directory = template_dir()
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(directory)),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,  # noqa: S701  (Markdown, not HTML)
    )
    try:
        template = environment.get_template(name + TEMPLATE_SUFFIX)
    except jinja2.TemplateNotFound:
        raise SpxError(f"{directory / (name + TEMPLATE_SUFFIX)}: template missing — reinstall spx") from None
    return template.render(asdict(variables))
