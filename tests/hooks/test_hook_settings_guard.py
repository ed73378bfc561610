"""File-tool and shell writes that would loosen the workflow: `[tool.spx]` settings and Claude Code hook switches.

The real `hooks/protect.py` process judges each call against a real project whose pyproject.toml sets
`[tool.spx] max_rejections = 2`. Unrelated edits of pyproject.toml stay silent.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hook_runner import SESSION, run_hook, workflow_project

from spx_python.config import max_rejections

PYPROJECT = '[project]\nname = "demo"\n\n[tool.spx]\nmax_rejections = 2\n'


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = workflow_project(tmp_path_factory.mktemp("settings") / "project")
    (root / "pyproject.toml").write_text(PYPROJECT)
    return root


def protect(project: Path, tool: str, tool_input: dict[str, Any]) -> str | None:
    """The rule id that refused the call, or None when the hook printed nothing."""
    payload = {
        "session_id": SESSION,
        "cwd": str(project),
        "hook_event_name": "PreToolUse",
        "tool_name": tool,
        "tool_input": tool_input,
    }
    result = run_hook("protect", payload)
    assert (result.exit_code, result.decision) == (0, "deny" if result.stdout else None)
    return result.rule


LOOSENING = [
    (
        "Edit",
        {"file_path": "pyproject.toml", "old_string": "max_rejections = 2", "new_string": "max_rejections = 99"},
        "config.spx-settings",
    ),
    ("Edit", {"file_path": "pyproject.toml", "old_string": "= 2", "new_string": "= 99"}, "config.spx-settings"),
    ("Write", {"file_path": "pyproject.toml", "content": '[project]\nname = "demo"\n'}, "config.spx-settings"),
    (
        "MultiEdit",
        {
            "file_path": "pyproject.toml",
            "edits": [
                {"old_string": "demo", "new_string": "demo2"},
                {"old_string": "[tool.spx]\n", "new_string": "[tool.spx]\nrequire_review = false\n"},
            ],
        },
        "config.spx-settings",
    ),
    (
        "Write",
        {"file_path": "sub/../pyproject.toml", "content": PYPROJECT + "require_review = false\n"},
        "config.spx-settings",
    ),
    (
        "Write",
        {"file_path": ".claude/settings.local.json", "content": '{"disableAllHooks": true}'},
        "config.hook-switch",
    ),
    (
        "Edit",
        {"file_path": ".claude/settings.json", "old_string": "{", "new_string": '{"enabledPlugins": {}, '},
        "config.hook-switch",
    ),
    ("Bash", {"command": "sed -i 's/= 2/= 99/' pyproject.toml"}, "config.shell-write"),
    ("Write", {"file_path": ".git/hooks/pre-commit", "content": "#!/bin/sh\nexit 0\n"}, "protect.git-hooks-file"),
    (
        "Edit",
        {"file_path": ".git/config", "old_string": "[core]", "new_string": "[core]\n\thooksPath = /dev/null"},
        "protect.git-hooks-file",
    ),
    ("Bash", {"command": "printf 'require_review = false\\n' >> pyproject.toml"}, "config.shell-write"),
    # a glob too wide to expand (it scans the whole file system), judged by its last name
    (
        "Bash",
        {"command": "sed -i s/2/9/ /[a-z]*/[a-z]*/[a-z]*/[a-z]*/[a-z]*/[a-z]*/[a-z]*/pyproject.toml"},
        "config.shell-write",
    ),
    ("Bash", {"command": "echo '{\"disableAllHooks\": true}' > .claude/settings.local.json"}, "config.hook-switch"),
]


@pytest.mark.parametrize(("tool", "tool_input", "rule"), LOOSENING)
def test_loosening_the_workflow_settings_is_refused(
    project: Path, tool: str, tool_input: dict[str, Any], rule: str
) -> None:
    assert protect(project, tool, tool_input) == rule


HARMLESS = [
    ("Edit", {"file_path": "pyproject.toml", "old_string": 'name = "demo"', "new_string": 'name = "demo2"'}),
    ("Write", {"file_path": "pyproject.toml", "content": PYPROJECT + "\n[tool.ruff]\nline-length = 100\n"}),
    ("Write", {"file_path": "docs/hooks.md", "content": "Never set disableAllHooks."}),
    ("Bash", {"command": "cat pyproject.toml && git add pyproject.toml"}),
]


@pytest.mark.parametrize(("tool", "tool_input"), HARMLESS)
def test_other_edits_get_no_decision(project: Path, tool: str, tool_input: dict[str, Any]) -> None:
    assert protect(project, tool, tool_input) is None


def test_the_refused_edit_would_really_raise_the_cap(project: Path, tmp_path: Path) -> None:
    copy = workflow_project(tmp_path / "copy")
    (copy / "pyproject.toml").write_text(PYPROJECT.replace("= 2", "= 99"))
    assert (max_rejections(project), max_rejections(copy)) == (2, 99)


def test_the_code_that_enforces_the_workflow_is_not_writable(project: Path, repo_root: Path, tmp_path: Path) -> None:
    """The hooks import the plugin's code on every call: editing it (or an installed spx) would switch them off."""
    data = tmp_path / "plugin-data"
    installed = project / ".venv/lib/python3.12/site-packages/spx_python/evidence/stamp_rules.py"
    calls = [
        (
            "Edit",
            {"file_path": str(repo_root / "src/spx_python/hooks/protect.py"), "old_string": "a", "new_string": "b"},
        ),
        ("Write", {"file_path": str(repo_root / "hooks/hooks.json"), "content": "{}"}),
        ("Write", {"file_path": str(installed), "content": "x = 1\n"}),
        ("Write", {"file_path": str(data / "venv/bin/spx"), "content": "#!/bin/sh\n"}),
        ("Bash", {"command": f"sed -i 's/deny/allow/' {repo_root}/src/spx_python/hooks/io.py"}),
    ]
    for tool, tool_input in calls:
        payload = {
            "session_id": SESSION,
            "cwd": str(project),
            "hook_event_name": "PreToolUse",
            "tool_name": tool,
            "tool_input": tool_input,
        }
        result = run_hook("protect", payload, env={"CLAUDE_PLUGIN_DATA": str(data)})
        assert (result.exit_code, result.decision, result.rule) == (0, "deny", "protect.plugin-code"), tool_input
    assert protect(project, "Write", {"file_path": "src/spx_app/stamp.py", "content": "x = 1\n"}) is None


@pytest.mark.parametrize(
    ("tool_input", "rule"),
    [
        ({"path": "spx/21-core.capability/pass.csv", "content": "forged"}, "protect.ledger-write"),
        ({"edits": [{"file": ".spx/workflow.jsonl", "text": "{}"}]}, "protect.state-write"),
        ({"command": "echo forged > spx/21-core.capability/pass.csv"}, "protect.ledger-write"),
    ],
)
def test_mcp_tools_get_the_same_protection(project: Path, tool_input: dict[str, Any], rule: str) -> None:
    """A file-system or shell MCP server must not be a way round the Write and Bash checks."""
    assert protect(project, "mcp__filesystem__write_file", tool_input) == rule


def test_mcp_tools_that_touch_nothing_protected_get_no_decision(project: Path) -> None:
    assert protect(project, "mcp__filesystem__write_file", {"path": "src/app.py", "content": "see .spx/\n"}) is None


def test_hooks_json_sends_mcp_tools_but_not_other_tools_to_the_protect_hook(repo_root: Path) -> None:
    config = json.loads((repo_root / "hooks" / "hooks.json").read_text())
    matcher = next(
        g["matcher"] for g in config["hooks"]["PreToolUse"] if g["hooks"][0]["args"][-1].endswith("protect.py")
    )
    names = ["Write", "Edit", "MultiEdit", "NotebookEdit", "Bash", "mcp__fs__write_file", "TodoWrite", "Read"]
    assert [bool(re.search(matcher, n)) for n in names] == [True] * 6 + [False] * 2


def test_an_mcp_input_nested_too_deeply_to_check_is_refused(project: Path) -> None:
    nested: dict[str, Any] = {"path": "src/app.py"}
    for _ in range(30):
        nested = {"inner": nested}
    assert protect(project, "mcp__filesystem__write_file", nested) == "protect.mcp-too-deep"
