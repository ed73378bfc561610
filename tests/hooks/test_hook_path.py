"""The path one Skill payload takes through spx's modules, traced in the real hook process.

Answered from the order index (a project in use: an earlier whole-tree run remembered the tree), the
payload goes through five modules, each entered once: `hooks.io` reads it and calls the adapter
`hooks.skill_gate`, which takes one project snapshot (`hooks.project_snapshot`: journal fold + order index,
under the journal's lock), asks the pure `workflow.gate.decide`, has `hooks.record` journal the decision,
and hands the answer back to `hooks.io`, which prints it. What the stages call below them (the phase
vocabulary, the order rule, full paths, the journal file, the cache frame) returns a value and never calls
back into a module still waiting for it (a "climb": the order rule calling the gate for each state, the
gate calling the index for each container). The trace is printed so a failure shows the path.
"""

from __future__ import annotations

from pathlib import Path

from cli_runner import REPO_ROOT
from hook_runner import (
    FIRST,
    SECOND,
    make_passing,
    report_at_answer,
    reported,
    run_wrapped,
    skill_payload,
    workflow_project,
)
from same_tick import remember_tree, settle

ENTRY, IO, ADAPTER = "_bootstrap", "spx_python.hooks.io", "spx_python.hooks.skill_gate"
SNAPSHOT, GATE, RECORD = "spx_python.hooks.project_snapshot", "spx_python.workflow.gate", "spx_python.hooks.record"
SPINE = (IO, ADAPTER)
CALLERS = (ENTRY, *SPINE)
STAGES = (SNAPSHOT, GATE, RECORD)
TRACER = report_at_answer("TRACE", "repr(calls)") + """path = sys.argv[1]
calls, stack = [], []
def watch(frame, event, arg):
    if event not in ("call", "return"):
        return
    module = frame.f_globals.get("__name__", "")
    if event == "return":
        if stack and stack[-1] is frame:
            stack.pop()
        return
    if not module.startswith("spx_python."):
        return
    caller = frame.f_back.f_globals.get("__name__", "") if frame.f_back else ""
    if caller != module:
        waiting = [f.f_globals["__name__"] for f in stack if f is not frame]
        calls.append((caller, module, frame.f_code.co_name, module in waiting))
    stack.append(frame)
code = compile(open(path, "rb").read(), path, "exec")
import spx_python.hooks.io, spx_python.hooks.skill_gate  # module bodies are start-up, not the path
sys.setprofile(watch)
exec(code, {"__name__": "__main__", "__file__": path})
"""


def _trace(project: Path) -> list[tuple[str, str, str, bool]]:
    payload = skill_payload(project, "spx-python:understanding-specs", SECOND)
    on_path = f"import sys; sys.path.insert(0, {str(REPO_ROOT / 'src')!r})\n"  # the tracer imports the hook modules
    run = run_wrapped("skill_gate", on_path + TRACER, payload)
    assert b'"allow"' in run.stdout, run.stdout.decode()
    trace: list[tuple[str, str, str, bool]] = eval(reported(run.stderr, "TRACE"))  # noqa: S307 - our own repr
    return trace


def test_a_skill_decision_goes_through_five_modules_each_entered_once_and_never_climbs_back(tmp_path: Path) -> None:
    project = workflow_project(tmp_path)
    make_passing(project, FIRST)
    settle()  # only settled inputs are remembered
    remember_tree(project)
    trace = _trace(project)
    shown = "\n".join(f"{caller} -> {module}.{name}{' (CLIMB)' * climb}" for caller, module, name, climb in trace)
    assert [step for step in trace if step[3]] == [], f"a call back into a waiting module:\n{shown}"
    spine = [(module, name) for caller, module, name, _ in trace if caller in CALLERS and module in SPINE + STAGES]
    assert spine == [
        (IO, "main"),
        (ADAPTER, "handle"),
        (SNAPSHOT, "take"),
        (GATE, "decide"),
        (RECORD, "decision"),
    ], shown
    entered = [module for _, module, _, _ in trace]
    assert {module: entered.count(module) for module in SPINE + STAGES} == dict.fromkeys(SPINE + STAGES, 1), shown
    stage_calls = {(caller, module) for caller, module, _, _ in trace if caller in STAGES and module in STAGES}
    assert stage_calls == set(), f"a stage calls another stage instead of returning to the adapter:\n{shown}"
    modules = set(entered)
    assert "spx_python.evidence.order_index" in modules, shown
    assert not {"spx_python.spec.tree", "spx_python.evidence.tree_snapshot", "spx_python.evidence.state"} & modules
    assert len(trace) <= 32, f"{len(trace)} entries:\n{shown}"
