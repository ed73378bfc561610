"""The doctor's verdicts over gathered facts (pure): one `Check` per question, ok or the problem and its fix."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from spx_python.doctor.gather import Facts, SettingsFile
from spx_python.setup.claude_permissions import ALLOW, BYPASS_MODE, PERMISSIONS, RULES_ALLOWING_SPX
from spx_python.setup.pytest_settings import SettingsEdit
from spx_python.spec.tree import SPEC_ROOT_NAME
from spx_python.testrun.collection import NODE_SEPARATOR
from spx_python.toolchain.provenance import fallback_warning
from spx_python.toolchain.resolve import MISSING as TOOL_MISSING
from spx_python.toolchain.resolve import PROJECT, RUNTIME, TOOLS, Toolchain

MIN_PYTHON = (3, 10)
PLUGIN_NAME = "spx-python"
RUNTIME_INSTALL = "run `spx runtime install` (it needs the package index once)"
RUN_INIT = "run `spx init`"
SHOWN_FILES = 3
SEPARATOR = " — "
SOURCES = {PROJECT: "the project's environment", RUNTIME: "spx's runtime"}


@dataclass(frozen=True)
class Check:
    check: str
    ok: bool
    detail: str
    fix: str = ""


def _split(message: str) -> tuple[str, str]:
    """A `what — what to do` message as (detail, fix)."""
    detail, _, fix = message.partition(SEPARATOR)
    return detail, fix


def _shown(names: tuple[str, ...] | list[str]) -> str:
    more = f" (+{len(names) - SHOWN_FILES} more)" if len(names) > SHOWN_FILES else ""
    return ", ".join(names[:SHOWN_FILES]) + more


def python_check(facts: Facts) -> Check:
    version = ".".join(str(part) for part in facts.python_version)
    if facts.python_version[:2] < MIN_PYTHON:
        return Check("python", False, f"{version} at {facts.python} is too old", "run spx with python 3.10 or newer")
    return Check("python", True, f"{version} at {facts.python}")


def git_check(facts: Facts) -> Check:
    if facts.git_version is None:
        return Check("git", False, "git is not installed or not on PATH", "install git")
    if facts.top is None:
        return Check("git", False, f"{facts.root} is not in a git repository", "run `git init` and commit a baseline")
    return Check("git", True, f"git {facts.git_version}; repository at {facts.top}")


def project_check(facts: Facts) -> Check:
    if not facts.has_spec_root:
        where = f"no {SPEC_ROOT_NAME}/ at {facts.root} or above"
        return Check("project", False, where, f"{RUN_INIT} in the project root")
    return Check("project", True, f"{SPEC_ROOT_NAME}/ at {facts.root}")


def runtime_check(facts: Facts) -> Check:
    if facts.runtime_marker is None:
        if all(facts.own_tools.values()):  # spx installed with its tools (pip, a dev venv): nothing is missing
            shown = ", ".join(f"{name} {facts.own_tools[name]}" for name in TOOLS)
            where = f"spx runs from its own environment ({facts.python}), not the plugin's runtime"
            return Check("runtime", True, f"{where}; it has {shown}")
        return Check("runtime", False, f"spx's runtime is not set up at {facts.runtime}", RUNTIME_INSTALL)
    versions = facts.runtime_marker.get("tools")
    tools = versions if isinstance(versions, dict) else {}
    shown = ", ".join(f"{name} {tools[name]}" for name in TOOLS if name in tools)
    return Check("runtime", True, f"ready: {facts.runtime}" + (f" ({shown})" if shown else ""))


def environment_checks(toolchain: Toolchain | str) -> Iterator[Check]:
    """How the project's environment was found, then where each tool comes from."""
    if isinstance(toolchain, str):
        yield Check("environment", False, *_split(toolchain))
        return
    warning = fallback_warning(toolchain)
    found = toolchain.environment.found_by
    detail = warning.removeprefix("warning: ") if warning else f"python {toolchain.version} at {toolchain.python}"
    yield Check("environment", True, detail if warning else f"{detail} (found by {found})")
    for tool in toolchain.tools:
        if tool.source == TOOL_MISSING:
            yield Check(tool.name, False, "in neither the project's environment nor spx's runtime", RUNTIME_INSTALL)
        else:
            yield Check(tool.name, True, f"{tool.version} from {SOURCES[tool.source]}")


def settings_check(settings: SettingsEdit | str) -> Check:
    if isinstance(settings, str):
        return Check("pytest-settings", False, *_split(settings))
    edit = settings.edit
    if edit.text != (settings.old or ""):
        keys = ", ".join((*edit.added, *edit.extended))
        return Check("pytest-settings", False, f"{settings.name}: spx's pytest settings are missing ({keys})", RUN_INIT)
    if edit.warnings:
        detail, fix = _split(edit.warnings[0])
        return Check("pytest-settings", False, detail, fix or RUN_INIT)
    return Check("pytest-settings", True, f"{settings.name} [{edit.table}] holds spx's settings")


def collection_checks(facts: Facts) -> Iterator[Check]:
    """The project's own tests still collected, and spx's test files collected too (one collection)."""
    collection = facts.collection
    if collection is None:  # the environment check already says why
        return
    if collection.tests is None:
        yield Check("project-tests", False, f"pytest cannot collect: {collection.problem}",
                    "run `pytest --collect-only` in the project to see why")  # fmt: skip
        return
    files = {node.split(NODE_SEPARATOR, 1)[0] for node in collection.tests}
    own = [node for node in collection.tests if not node.startswith(f"{SPEC_ROOT_NAME}/")]
    where = facts.pytest_settings.name if isinstance(facts.pytest_settings, SettingsEdit) else "the pytest settings"
    if facts.own_test_files and not files & set(facts.own_test_files):
        yield Check("project-tests", False,
                    f"none of the project's test files is collected: {_shown(facts.own_test_files)}",
                    f"keep the project's own python_files / testpaths in {where} next to spx's")  # fmt: skip
    else:
        yield Check("project-tests", True, f"{len(own)} of the project's own tests collected")
    collected = [name for name in facts.spx_test_files if name in files]
    if not facts.spx_test_files:
        yield Check("spx-tests", True, f"no test files under {SPEC_ROOT_NAME}/ yet")
    elif not collected:
        yield Check("spx-tests", False, f"none of spx's test files is collected: {_shown(facts.spx_test_files)}",
                    f"{RUN_INIT} (spx's python_files patterns in {where})")  # fmt: skip
    else:
        yield Check("spx-tests", True, f"{len(collected)} of {len(facts.spx_test_files)} spx test files collected")


def _readable(facts: Facts) -> list[tuple[SettingsFile, Mapping[str, Any]]]:
    return [(file, file.settings) for file in facts.claude_settings if file.settings is not None]


def hooks_check(facts: Facts) -> Check:
    unreadable = [file for file in facts.claude_settings if file.problem]
    if unreadable:
        file = unreadable[0]
        return Check("hooks", False, f"{file.path}: {file.problem}", "fix it: Claude Code cannot use it either")
    disabling = [file for file, settings in _readable(facts) if settings.get("disableAllHooks") is True]
    if disabling:
        return Check("hooks", False, f"{disabling[0].path}: disableAllHooks is true, so spx's hooks never run",
                     "remove disableAllHooks from it")  # fmt: skip
    if facts.in_session:
        return Check("hooks", True, "active in this session (the SessionStart hook ran)")
    entries = [
        (file, key, value)
        for file, settings in _readable(facts)
        for key, value in _enabled_plugins(settings).items()
        if key.startswith(f"{PLUGIN_NAME}@")
    ]
    if not entries:
        return Check("hooks", True, f"no {PLUGIN_NAME}@… in enabledPlugins of {_paths(facts)} — cannot tell from "
                     "here (a --plugin-dir session or managed settings may still load it)")  # fmt: skip
    file, key, value = entries[-1]  # local over project over user
    if value is False:
        return Check("hooks", False, f"{key} is disabled in {file.path}", f"run `claude plugin enable {key}`")
    return Check("hooks", True, f"{key} enabled in {file.path}")


def _enabled_plugins(settings: Mapping[str, Any]) -> dict[str, Any]:
    plugins = settings.get("enabledPlugins")
    return plugins if isinstance(plugins, dict) else {}


def _paths(facts: Facts) -> str:
    return ", ".join(str(file.path) for file in facts.claude_settings)


def permission_check(facts: Facts) -> Check:
    for file, settings in _readable(facts):
        permissions = settings.get(PERMISSIONS)
        if not isinstance(permissions, dict):
            continue
        allow = permissions.get(ALLOW)
        rule = next((r for r in allow if r in RULES_ALLOWING_SPX), None) if isinstance(allow, list) else None
        if rule is not None:
            return Check("permission", True, f"`{rule}` in {file.path}")
        if permissions.get("defaultMode") == BYPASS_MODE:
            return Check("permission", True, f"defaultMode {BYPASS_MODE} in {file.path}")
    return Check("permission", False, "no rule allows `spx` calls", "run `spx init --allow-spx`")


def setup_check(facts: Facts) -> Check | None:
    if facts.top is None:  # the git check already says why
        return None
    if facts.uncommitted_setup:
        return Check("setup", False, f"spx's set-up files are not committed: {_shown(facts.uncommitted_setup)}",
                     "they ride along with the first story's `spx commit`, or commit them now")  # fmt: skip
    return Check("setup", True, "spx's set-up files are committed")


def run_checks(facts: Facts) -> list[Check]:
    checks = [python_check(facts), git_check(facts), project_check(facts), runtime_check(facts)]
    checks += [*environment_checks(facts.toolchain), settings_check(facts.pytest_settings), *collection_checks(facts)]
    checks += [hooks_check(facts), permission_check(facts)]
    setup = setup_check(facts)
    return checks + ([setup] if setup else [])
