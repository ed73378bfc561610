"""Benchmark: one whole-process PreToolUse(Skill) decision vs the `python3 -c "import json, re, os"` floor.

Run: `python3 benchmarks/hook_bench.py [--runs 30]`. It copies `examples/todo-app` into a temp dir
(git init), then alternates, `runs` times, the floor and the hook exactly as `hooks/hooks.json` runs it
(same `python3` command, whatever it resolves to — a pyenv shim included), feeding the hook a real
Skill payload that is allowed and journaled (an idempotent re-entry of understanding-specs), and the
Write/Edit/Bash gate a harmless Bash command (it runs before every shell call). Prints the medians and
the ratios; the target (DESIGN §6) is a ratio ≤ 1.5.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "todo-app"
STORY = "21-tasks.capability/21-storage.feature/32-complete-task.story"
FLOOR_CODE = "import json, re, os"
TARGET_RATIO = 1.5


def hook_argv(name: str) -> list[str]:
    """The command line hooks.json gives the PreToolUse hook `name`, with the plugin root filled in."""
    config = json.loads((REPO / "hooks" / "hooks.json").read_text(encoding="utf-8"))
    for group in config["hooks"]["PreToolUse"]:
        for hook in group["hooks"]:
            args = [a.replace("${CLAUDE_PLUGIN_ROOT}", str(REPO)) for a in hook["args"]]
            if args[-1].endswith(f"/{name}.py"):
                return [hook["command"], *args]
    raise SystemExit(f"hooks/hooks.json: no PreToolUse hook {name}.py — fix the benchmark or the config")


def timed(argv: list[str], stdin: bytes) -> float:
    started = time.perf_counter()
    result = subprocess.run(argv, input=stdin, capture_output=True, check=False)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(argv)}: exit {result.returncode}: {result.stderr.decode()[-400:]}")
    return elapsed


def bash_payload(project: Path) -> bytes:
    event = {"hook_event_name": "PreToolUse", "tool_name": "Bash", "cwd": str(project), "session_id": "bench",
             "tool_input": {"command": "python3 -m pytest spx/ 2>&1 | tail -n 5", "description": "run tests"}}
    return json.dumps(event).encode()


def payload(project: Path, skill: str) -> bytes:
    tool_input = {"skill": skill, "args": STORY}
    event = {"hook_event_name": "PreToolUse", "tool_name": "Skill", "tool_input": tool_input,
             "cwd": str(project), "session_id": "bench"}
    return json.dumps(event).encode()


def prepare(directory: Path) -> Path:
    project = directory / "project"
    shutil.copytree(EXAMPLE, project)
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    gate = hook_argv("skill_gate")
    first = subprocess.run(gate, input=payload(project, "spx-python:understanding-specs"), capture_output=True,
                           check=True)
    if b'"allow"' not in first.stdout:
        raise SystemExit(f"the benchmark payload was not allowed: {first.stdout.decode()}")
    return project


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory(prefix="spx-hook-bench-") as directory:
        project = prepare(Path(directory))
        gate, stdin = hook_argv("skill_gate"), payload(project, "spx-python:understanding-specs")
        floor_argv = [gate[0], "-c", FLOOR_CODE]
        protect, protect_stdin = hook_argv("protect"), bash_payload(project)
        real = subprocess.run([gate[0], "-c", "import sys; print(sys.executable)"], capture_output=True, text=True,
                              check=True).stdout.strip()
        direct_floor_argv, direct_gate = [real, "-c", FLOOR_CODE], [real, *gate[1:]]
        floors, hooks, protects, direct_floors, direct_hooks = [], [], [], [], []
        for _ in range(runs):
            floors.append(timed(floor_argv, b""))
            hooks.append(timed(gate, stdin))
            protects.append(timed(protect, protect_stdin))
            direct_floors.append(timed(direct_floor_argv, b""))
            direct_hooks.append(timed(direct_gate, stdin))
    floor = statistics.median(floors)
    direct_floor, direct_hook = statistics.median(direct_floors), statistics.median(direct_hooks)
    print(f"direct   {real} (no launcher shim): floor {direct_floor * 1000:.1f} ms, skill gate "
          f"{direct_hook * 1000:.1f} ms, overhead x{direct_hook / direct_floor:.2f}")
    print(f"floor    {' '.join(floor_argv)}: median {floor * 1000:.1f} ms over {runs} runs")
    for label, argv, samples in (("skill", gate, hooks), ("protect", protect, protects)):
        median = statistics.median(samples)
        ratio = median / floor
        verdict = "OK" if ratio <= TARGET_RATIO else "OVER TARGET"
        command = " ".join(argv)
        print(f"{label:8} {command}: median {median * 1000:.1f} ms, ratio {ratio:.2f} (<= {TARGET_RATIO}: {verdict})")


if __name__ == "__main__":
    main()
