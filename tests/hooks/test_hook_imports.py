"""What each hook loads, run as hooks.json runs it: the floor, the standard library it needs, its own modules.

Every hook starts a fresh `python3 -I -S`; an import that creeps onto that path (subprocess, hashlib,
dataclasses, pathlib on the Bash/Write/Edit gate) costs every tool call. The hook runs for real, on a
real decision, inside a wrapper that prints `sys.modules` as the process exits; whatever is loaded
beyond `python3 -I -S -c "import json, re, os"` must be on the hook's allow-list.
"""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from hook_runner import (
    FIRST,
    SECOND,
    hook_argv,
    make_passing,
    report_at_answer,
    reported,
    run_wrapped,
    skill_payload,
    workflow_project,
)
from same_tick import remember_tree, settle

FLOOR = "import json, re, os, sys; print(' '.join(sys.modules))"
RUN_SCRIPT = """path = sys.argv[1]
exec(compile(open(path, "rb").read(), path, "exec"), {"__name__": "__main__", "__file__": path})
"""
WRAPPER = report_at_answer("LOADED", '" ".join(sys.modules)') + RUN_SCRIPT
COMMON = frozenset(
    {
        "__future__",
        "_bootstrap",  # hooks/_bootstrap.py
        "gc",  # built in: _bootstrap turns the cyclic collector off for the hook's few milliseconds
        "collections.abc",
        "spx_python",
        "spx_python.hooks",
        "spx_python.hooks.io",
        "spx_python.hooks.answer",
        "spx_python.errors",
        "spx_python.names",
        "spx_python.refusal_rules",
        "spx_python.walk_up",
    }
)
PROTECT = COMMON | {
    "fnmatch",
    "shlex",
    "spx_python.spec",
    "spx_python.spec.bsp",
    "spx_python.config",
    "spx_python.toml_read",
    "spx_python.hooks.guard",
    "spx_python.hooks.guard.bounded_glob",
    "spx_python.hooks.guard.config_writes",
    "spx_python.hooks.protect",
    "spx_python.hooks.guard.protected",
    "spx_python.hooks.guard.shell_rules",
    "spx_python.hooks.guard.shell_syntax",
    "spx_python.hooks.guard.shell_writes",
}
TYPING = frozenset({"typing", "_typing", "typing.io", "typing.re", "contextlib", "warnings"})  # NamedTuple records
WORKFLOW = COMMON | TYPING | {
    "_sha1",  # CPython's own SHA-1: no OpenSSL (hashlib) load
    "fcntl",
    "fnmatch",
    "pathlib",
    "ntpath",
    "errno",
    "urllib",
    "urllib.parse",
    "ipaddress",
    "spx_python.evidence",  # the package: a docstring only
    "spx_python.workflow",  # the package: a docstring only
    "spx_python.evidence.snapshot",
    "spx_python.evidence.blob",
    "spx_python.evidence.blob_cache",
    "spx_python.spec",
    "spx_python.spec.bsp",
    "spx_python.config",
    "spx_python.toml_read",
    "spx_python.spec.context",
    "spx_python.spec.fullpath",
    "spx_python.hooks.payload",
    "spx_python.hooks.project_snapshot",
    "spx_python.hooks.record",
    "spx_python.hooks.skill_gate",  # skill_record shares its reading of a Skill call
    "spx_python.workflow.journal",
    "spx_python.workflow.fold_cache",  # the journal's fold, remembered
    "spx_python.evidence.ledger",
    "spx_python.workflow.orchestration",  # the Stop hook: which sessions orchestrate (pure, stdlib)
    "spx_python.workflow.order",  # the one order rule (pure, stdlib)
    "spx_python.spec.scan_focus",
    "spx_python.evidence.state",
    "spx_python.evidence.tree_snapshot",  # the remembered whole tree (marshal: loaded by the floor already)
    "gc",  # built in: the snapshot is loaded without collecting
    "spx_python.spec.test_files",
    "spx_python.spec.tree",
    "spx_python.workflow.machine",
    "spx_python.workflow.events",
    "spx_python.workflow.gate",
    "spx_python.evidence.cache_frame",
    "spx_python.evidence.order_index",
    "binascii",
    "struct",  # packing the order index's identities, when the gate works the whole tree out and remembers it
    "_struct",
}
# The Skill gate answering from the order index (the tree remembered by an earlier whole-tree run): no tree
# module, no `pathlib`, no `typing` — what the hook costs on every Skill call of a project in use.
SKILL_FROM_INDEX = COMMON | {
    "binascii",  # the CRC-32 of the index's frame
    "fcntl",
    "spx_python.config",
    "spx_python.toml_read",
    "spx_python.evidence",
    "spx_python.evidence.cache_frame",
    "spx_python.evidence.order_index",
    "spx_python.evidence.state",
    "spx_python.spec",
    "spx_python.spec.fullpath",
    "spx_python.hooks.payload",
    "spx_python.hooks.project_snapshot",
    "spx_python.hooks.record",
    "spx_python.hooks.skill_gate",
    "spx_python.workflow",
    "spx_python.workflow.events",
    "spx_python.workflow.gate",
    "spx_python.workflow.journal",
    "spx_python.workflow.fold_cache",
    "spx_python.workflow.machine",
    "spx_python.workflow.order",
}


def loaded(script: str, payload: Mapping[str, Any]) -> set[str]:
    """The modules `hooks/<script>.py` has loaded when it exits, beyond the json/re/os floor."""
    python, *flags, _ = hook_argv(script)
    floor = subprocess.run([python, *flags, "-c", FLOOR], capture_output=True, text=True, check=True, timeout=60)
    line = reported(run_wrapped(script, WRAPPER, payload).stderr, "LOADED")
    return set(line.split()) - set(floor.stdout.split())


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = workflow_project(tmp_path)
    make_passing(root, FIRST)
    return root


def test_the_bash_gate_loads_no_tree_journal_pathlib_or_typing_for_a_harmless_command(project: Path) -> None:
    payload = {"hook_event_name": "PreToolUse", "tool_name": "Bash", "cwd": str(project), "session_id": "s",
               "tool_input": {"command": "ls -la"}}  # fmt: skip
    assert loaded("protect", payload) - PROTECT == set()


def test_the_write_gate_loads_only_what_the_bash_gate_may(project: Path) -> None:
    payload = {"hook_event_name": "PreToolUse", "tool_name": "Write", "cwd": str(project), "session_id": "s",
               "tool_input": {"file_path": str(project / "src" / "app.py"), "content": "x = 1\n"}}  # fmt: skip
    assert loaded("protect", payload) - PROTECT == set()


@pytest.mark.parametrize(
    ("script", "event"),
    [("skill_gate", "PreToolUse"), ("skill_record", "PostToolUse"), ("prompt_expansion", "UserPromptExpansion")],
)
def test_a_workflow_hook_deciding_a_story_loads_no_heavy_module(project: Path, script: str, event: str) -> None:
    payload = skill_payload(project, "spx-python:understanding-specs", SECOND)
    payload["hook_event_name"] = event
    payload["tool_response"] = {"success": True}
    assert loaded(script, payload) - WORKFLOW - {f"spx_python.hooks.{script}"} == set()


def test_the_skill_gate_answering_from_the_order_index_loads_no_tree_pathlib_or_typing(project: Path) -> None:
    settle()  # only settled inputs are remembered
    remember_tree(project)
    modules = loaded("skill_gate", skill_payload(project, "spx-python:understanding-specs", SECOND))
    assert modules - SKILL_FROM_INDEX == set()


def test_the_stop_hook_loads_no_heavy_module(project: Path) -> None:
    payload = {"hook_event_name": "Stop", "cwd": str(project), "session_id": "s", "stop_hook_active": False}
    assert loaded("stop", payload) - WORKFLOW - {"spx_python.hooks.stop"} == set()
