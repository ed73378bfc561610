"""Benchmark: the PreToolUse hooks, exactly as hooks.json runs them, vs `python3 -I -S -c "import json, re, os"`.

Both run on the real interpreter binary (never a pyenv shim), alternating, median of `--runs`, on the
generated 1,010-container tree (`spec_tree`): the Skill gate decides understanding-specs for the story
deep in the tree whose 300 earlier stories must all be proved Passing (allowed, journaled; no
PostToolUse follows, so every run is that same first decision), and the Bash/Write/Edit gate judges
the harmless `ls -la` that it sees before every shell call. The target (DESIGN §6) is a ratio <= 1.5.
The Stop hook, which runs at the end of every turn, is shown too (no limit): a session that orchestrates
nothing, on a journal of `JOURNAL_LINES` lines that earlier sessions left.
Usage: `.venv/bin/python benchmarks/hook_bench.py [--runs N]`.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import HOOK_FLOOR_COMMAND, REAL_PYTHON, after_a_change, interleaved, machine_note, result
from spec_tree import generate, next_story, story_paths  # puts tests/ on sys.path

from hook_runner import hook_argv as wired_argv  # isort: skip

from spx_python.evidence.order_index import index_file  # isort: skip
from spx_python.workflow.events import journal_event  # isort: skip
from spx_python.workflow.journal import append_events  # isort: skip

TARGET_RATIO = 1.5
JOURNAL_LINES = 3000
STEPS = ("understanding-specs", "testing-python", "coding-python", "reviewing-python")


def hook_argv(name: str) -> list[str]:
    """The command line hooks.json gives the hook `name`, on the real interpreter instead of `python3`."""
    return [REAL_PYTHON, *wired_argv(name)[1:]]


def event(project: Path, tool: str, tool_input: dict[str, str]) -> bytes:
    payload = {"hook_event_name": "PreToolUse", "tool_name": tool, "tool_input": tool_input,
               "cwd": str(project), "session_id": "bench"}  # fmt: skip
    return json.dumps(payload).encode()


def earlier_sessions(project: Path, stories: list[str]) -> None:
    """`JOURNAL_LINES` journal lines of earlier sessions: each story's steps allowed and launched, in order."""
    events: list[Mapping[str, Any]] = []
    for number, story in enumerate(stories):
        for step in STEPS:
            for decision in ("allow", "launched"):
                if len(events) < JOURNAL_LINES:
                    events.append(journal_event(story, step, decision, session=f"earlier-{number // 10}",
                                                reason="bench", source="model", hook="PreToolUse"))  # fmt: skip
    append_events(project, events)


def stop_event(project: Path) -> bytes:
    payload = {"hook_event_name": "Stop", "stop_hook_active": False, "cwd": str(project), "session_id": "bench"}
    return json.dumps(payload).encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=30)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory(prefix="spx-hook-bench-") as directory:
        project = Path(directory).resolve()
        count = generate(project)
        story = next_story()
        skill = event(project, "Skill", {"skill": "spx-python:understanding-specs", "args": story})
        first = subprocess.run(hook_argv("skill_gate"), input=skill, capture_output=True, check=True)
        if b'"allow"' not in first.stdout:
            raise SystemExit(f"the benchmark's Skill call was not allowed: {first.stdout.decode()}")
        hooks = {
            "skill": (hook_argv("skill_gate"), skill),
            "protect": (hook_argv("protect"), event(project, "Bash", {"command": "ls -la"})),
        }
        times = interleaved({"floor": (HOOK_FLOOR_COMMAND, b""), **hooks}, project, runs)
        earlier_sessions(project, story_paths()[:-1])
        stop = (hook_argv("stop"), stop_event(project))
        if subprocess.run(stop[0], input=stop[1], capture_output=True, check=True).stdout.strip():
            raise SystemExit("the Stop hook held a session that orchestrates nothing")
        stop_time = interleaved({"stop": stop}, project, runs)["stop"]
        if not os.path.exists(index_file(project)):
            raise SystemExit("the Skill gate did not remember the tree: the figure would not be of a tree in use")
        touched = next(project.glob("spx/*/*/*/tests/*.py"))
        changed = after_a_change(hook_argv("skill_gate"), project, touched, max(3, runs // 2), skill)
    floor = times["floor"]
    print(f"machine: {machine_note()}; median of {runs} interleaved runs; tree: {count} containers")
    print(f"floor    {' '.join(HOOK_FLOOR_COMMAND)}: {floor * 1000:.1f} ms")
    print(f"         (Skill decision: understanding-specs {story})")
    for label, (argv, _) in hooks.items():
        ratio = times[label] / floor
        verdict = "OK" if ratio <= TARGET_RATIO else "OVER TARGET"
        print(f"{label:8} {' '.join(argv[1:])}: {times[label] * 1000:.1f} ms, ratio {ratio:.2f} "
              f"(<= {TARGET_RATIO}: {verdict})")  # fmt: skip
        result(label, ratio)
    print(f"changed  the Skill decision right after {touched.name} of the first story is touched: "
          f"{changed * 1000:.1f} ms, ratio {changed / floor:.2f} (the tree worked out again; no limit)")  # fmt: skip
    result("skill_changed", changed / floor)
    print(f"stop     -I -S {stop[0][-1]}, a session that orchestrates nothing, {JOURNAL_LINES}-line journal: "
          f"{stop_time * 1000:.1f} ms, ratio {stop_time / floor:.2f} (no limit)")  # fmt: skip
    result("stop", stop_time / floor)


if __name__ == "__main__":
    main()
