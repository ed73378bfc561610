"""What produced a result: one line of text, or the `environment` object of JSON output and journal events."""

from __future__ import annotations

from typing import Any

from spx_python.toolchain.resolve import Toolchain

SEPARATOR = " · "
ENVIRONMENT_LABEL = "environment: "


def provenance_line(toolchain: Toolchain) -> str:
    """`python 3.11.7 at /p/.venv/bin/python (found by /p/.venv) · pytest 8.3.2 (project) · … (spx runtime)`."""
    environment = toolchain.environment
    how = environment.found_by if environment.is_runtime else f"found by {environment.found_by}"
    parts = [f"python {toolchain.version} at {toolchain.python} ({how})"]
    parts += [f"{tool.name} {tool.version or ''} ({tool.source})".replace("  ", " ") for tool in toolchain.tools]
    return SEPARATOR.join(parts)


def fallback_warning(toolchain: Toolchain) -> str | None:
    """The loud line when no project environment was found (None otherwise)."""
    if not toolchain.environment.is_runtime:
        return None
    return (
        f"warning: no project environment found; using spx's runtime python {toolchain.version} at "
        f"{toolchain.python} — the project's dependencies are not installed there: create one "
        "(`uv sync`, `python -m venv .venv`) or name it with SPX_PYTHON / [tool.spx] python"
    )


def announcement(toolchain: Toolchain) -> str:
    """What a test run prints before pytest's own output: the loud fallback warning if any, then
    `environment: <provenance line>`."""
    warning = fallback_warning(toolchain)
    return "\n".join([*([warning] if warning else []), f"{ENVIRONMENT_LABEL}{provenance_line(toolchain)}"])


def provenance_json(toolchain: Toolchain) -> dict[str, Any]:
    return {
        "python": toolchain.python,
        "version": toolchain.version,
        "found_by": toolchain.environment.found_by,
        "kind": toolchain.environment.kind,
        "tools": {tool.name: {"version": tool.version, "source": tool.source} for tool in toolchain.tools},
    }
