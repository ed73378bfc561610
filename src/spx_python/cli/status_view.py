"""Renderings of the spec tree with states: text, table, json, markdown, mermaid. Pure functions."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from typing import NamedTuple

from spx_python.cli.output import ALL_PASSING, EMPTY_TREE
from spx_python.cli.spec_status import FORMATS
from spx_python.evidence.state import State, TreeStates
from spx_python.spec.bsp import format_bsp
from spx_python.spec.tree import Container, Problem

TEXT, TABLE, JSON, MARKDOWN, MERMAID = FORMATS
JSON_VERSION = 1
RESET = "\033[0m"
DIM = "\033[2m"
COLOURS = {
    State.PASSING: "\033[32m",
    State.UNKNOWN: "\033[37m",
    State.PENDING: "\033[33m",
    State.STALE: "\033[35m",
    State.REGRESSED: "\033[31m",
}
MERMAID_STYLES = {
    State.PASSING: "fill:#2da44e,stroke:#1a7f37,color:#ffffff",
    State.UNKNOWN: "fill:#eaeef2,stroke:#8c959f,color:#24292f",
    State.PENDING: "fill:#fff8c5,stroke:#bf8700,color:#24292f",
    State.STALE: "fill:#fbefff,stroke:#8250df,color:#24292f",
    State.REGRESSED: "fill:#ffebe9,stroke:#cf222e,color:#24292f",
}


class StatusView(NamedTuple):
    containers: tuple[Container, ...]
    states: TreeStates
    problems: tuple[Problem, ...]
    next_path: str | None
    blocks: str | None = None  # the scope `next_path` holds up: earlier work the order rule puts first

    def rows(self) -> Iterator[tuple[int, Container, State]]:
        def visit(container: Container, depth: int) -> Iterator[tuple[int, Container, State]]:
            yield depth, container, self.states.state(container.path)
            for child in container.children:
                yield from visit(child, depth + 1)

        for container in self.containers:
            yield from visit(container, 0)

    def summary(self) -> dict[str, int]:
        counts = Counter(state.value for _, _, state in self.rows())
        return {state.value: counts.get(state.value, 0) for state in State}


def _paint(text: str, colour: str, enabled: bool) -> str:
    return f"{colour}{text}{RESET}" if enabled else text


def render_text(view: StatusView, colour: bool) -> str:
    lines: list[str] = []
    for depth, container, state in view.rows():
        label = _paint(f"[{state.value}]", COLOURS[state], colour)
        path = _paint(f"({container.path})", DIM, colour) if container.path != container.name else ""
        lines.append(f"{'  ' * depth}{container.name} {label} {path}".rstrip())
    if not lines:
        lines.append(EMPTY_TREE)
    lines.extend(_footer(view))
    return "\n".join(lines)


def _footer(view: StatusView) -> list[str]:
    lines = [""]
    if view.containers:
        lines.append(f"next: {view.next_path}" if view.next_path else ALL_PASSING)
        if view.blocks:
            lines.append(blocked_note(view))
    if view.problems:
        lines.append(f"Problems ({len(view.problems)}):")
        lines.extend(f"  {problem}" for problem in view.problems)
    return lines if len(lines) > 1 else []


def blocked_note(view: StatusView) -> str:
    return f"  ({view.blocks} waits for earlier work: {view.next_path} is not Passing and comes first)"


def render_table(view: StatusView) -> str:
    header = ("STATE", "KIND", "BSP", "PATH")
    rows = [(s.value, c.kind, format_bsp(c.bsp), c.path) for _, c, s in view.rows()]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(3)]
    lines = ["  ".join(cell.ljust(widths[i]) if i < 3 else cell for i, cell in enumerate(r)) for r in [header, *rows]]
    if not rows:
        lines = [EMPTY_TREE]
    return "\n".join([*lines, *_footer(view)])


def _node_json(container: Container, states: TreeStates) -> dict[str, object]:
    own = states.own[container.path]
    return {
        "path": container.path,
        "kind": container.kind,
        "bsp": format_bsp(container.bsp),
        "slug": container.slug,
        "state": states.state(container.path).value,
        "own_state": own.state.value,
        "reasons": list(own.reasons),
        "tests": list(container.test_names),
        "children": [_node_json(child, states) for child in container.children],
    }


def render_json(view: StatusView) -> str:
    document = {
        "version": JSON_VERSION,
        "containers": [_node_json(c, view.states) for c in view.containers],
        "summary": view.summary(),
        "next": view.next_path,
        "problems": [{"path": p.path, "message": p.message} for p in view.problems],
    }
    if view.blocks:
        document["blocks"] = view.blocks
    return json.dumps(document, separators=(",", ":"))  # compact: the C encoder, ~10x faster than indent


def render_markdown(view: StatusView) -> str:
    lines = ["# Spec tree status", ""]
    if view.containers:
        lines.extend(["| State | Container |", "| --- | --- |"])
        for depth, container, state in view.rows():
            lines.append(f"| {state.value} | {'&nbsp;&nbsp;' * 2 * depth}`{container.path}` |")
        lines.extend(["", f"**Next:** `{view.next_path}`" if view.next_path else f"**{ALL_PASSING}**"])
        if view.blocks:
            lines.append(f"(`{view.blocks}` waits for earlier work: `{view.next_path}` is not Passing and comes first)")
    else:
        lines.append(EMPTY_TREE)
    if view.problems:
        lines.extend(["", "## Problems", ""])
        lines.extend(f"- `{p.path}`: {p.message}" for p in view.problems)
    return "\n".join(lines)


def render_mermaid(view: StatusView) -> str:
    lines = ["```mermaid", "flowchart TD"]
    ids: dict[str, str] = {}
    for index, (_, container, state) in enumerate(view.rows()):
        node = f"n{index}"
        ids[container.path] = node
        lines.append(f'  {node}["{container.name}<br/>{state.value}"]:::{state.name.lower()}')
        parent = container.path.rpartition("/")[0]
        if parent:
            lines.append(f"  {ids[parent]} --> {node}")
    lines.extend(f"  classDef {state.name.lower()} {style}" for state, style in MERMAID_STYLES.items())
    lines.append("```")
    return "\n".join(lines)


def render(view: StatusView, fmt: str, colour: bool) -> str:
    if fmt == JSON:
        return render_json(view)
    if fmt == TABLE:
        return render_table(view)
    if fmt == MARKDOWN:
        return render_markdown(view)
    if fmt == MERMAID:
        return render_mermaid(view)
    return render_text(view, colour)
