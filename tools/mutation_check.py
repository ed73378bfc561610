"""Mutation check, run by hand: does every hook refusal site have a test that fails when the refusal crashes?

    .venv/bin/python tools/mutation_check.py [--sample N] [--seed S] [--workers 2]

The hooks fail closed, so a rule that raises still denies; only a test that asserts *which* rule refused
(`HookRun.rule`, or `run_hook`'s check that nothing crashed) notices. This copies the repository (without
.git, .venv and tools/) to a temporary directory and rewrites every `refused(RULE, ...)` call in the hook
rule modules (`src/spx_python/hooks/**`, `src/spx_python/workflow/gate.py`) into

    (_mutant_raise(N) if os.environ.get("SPX_MUTANT") == "N" else refused(RULE, ...))

(mutant schemata: one copy, one mutant active per run). For each site it runs the hook and workflow tests
against the copy with SPX_MUTANT=N (the test files of the site's module first, then the rest, each with -x)
and counts the mutant killed (a test failed) or survived (all passed). A run takes up to ~2 minutes per
surviving mutant on 2 cores, less for a killed one; `--sample N` checks N sites chosen at random (say so
when you report). Prints one line per site and the totals; exit 1 when any mutant survived.
"""

from __future__ import annotations

import argparse
import ast
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import NamedTuple

REPO = Path(__file__).resolve().parent.parent
SCOPES = ("src/spx_python/hooks", "src/spx_python/workflow/gate.py")
SUITES = ("tests/hooks", "tests/workflow")
IGNORED = shutil.ignore_patterns(".git", ".venv", "tools", "__pycache__", "*.pyc", ".mypy_cache", ".ruff_cache")
ENV_KEY = "SPX_MUTANT"
FAILED_RE = re.compile(r"^\d+ failed|^FAILED ", re.MULTILINE)
HELPER = "\n\ndef _mutant_raise(site: int) -> object:\n    raise NameError(f'mutant {site}: a refusal site crashed')\n"
# which tests exercise a module first (the rest of SUITES runs afterwards)
FIRST_TESTS = {
    "gate.py": ("tests/hooks/test_hook_skill_gate.py", "tests/hooks/test_hook_skill_attacks.py"),
    "skill_gate.py": ("tests/hooks/test_hook_skill_attacks.py", "tests/hooks/test_hook_robustness.py"),
    "prompt_expansion.py": ("tests/hooks/test_hook_skill_attacks.py",),
    "skill_record.py": ("tests/hooks/test_hook_skill_attacks.py",),
    "stop.py": ("tests/hooks/test_hook_stop_session.py",),
    "stamp_gate.py": ("tests/hooks/test_hook_stamp_gate.py",),
    "config_writes.py": ("tests/hooks/test_hook_settings_guard.py",),
}
DEFAULT_FIRST = ("tests/hooks/test_hook_protect.py", "tests/hooks/test_hook_shell_attacks.py")


class Site(NamedTuple):
    number: int
    path: str  # relative to the repository
    line: int
    rule: str


def _refusal_calls(tree: ast.AST) -> list[ast.Call]:
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "refused"
    ]


def _rule_of(call: ast.Call) -> str:
    first = call.args[0] if call.args else None
    if isinstance(first, ast.Constant):
        return str(first.value)
    return ast.unparse(first) if first is not None else "?"


def plant(copy: Path) -> list[Site]:
    """Rewrite every refusal site in the copy into its schema; the sites, numbered from 1."""
    sites: list[Site] = []
    files = [
        p
        for scope in SCOPES
        for p in sorted((copy / scope).rglob("*.py") if (copy / scope).is_dir() else [copy / scope])
    ]
    for path in files:
        source = path.read_text(encoding="utf-8")
        calls = sorted(_refusal_calls(ast.parse(source)), key=lambda c: (c.lineno, c.col_offset))
        if not calls:
            continue
        offsets = [0]
        for line in source.splitlines(keepends=True):
            offsets.append(offsets[-1] + len(line.encode()))
        found = [(len(sites) + index + 1, call) for index, call in enumerate(calls)]
        data = source.encode()
        for number, call in reversed(found):  # from the end, so earlier offsets stay valid
            start = offsets[call.lineno - 1] + call.col_offset
            end = offsets[(call.end_lineno or call.lineno) - 1] + (call.end_col_offset or 0)
            original = data[start:end].decode()
            schema = f'(_mutant_raise({number}) if _os.environ.get("{ENV_KEY}") == "{number}" else {original})'
            data = data[:start] + schema.encode() + data[end:]
        text = data.decode()
        head, sep, rest = text.partition("from __future__ import annotations\n")
        text = head + sep + "import os as _os\n" + rest + HELPER
        path.write_text(text, encoding="utf-8")
        relative = str(path.relative_to(copy))
        sites.extend(Site(number, relative, call.lineno, _rule_of(call)) for number, call in found)
    return sites


def _pytest(copy: Path, site: Site, targets: list[str], workers: int) -> bool:
    """True when the tests pass with the mutant active (it survived)."""
    env = {**os.environ, ENV_KEY: str(site.number), "PYTHONPATH": str(copy / "src")}
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "-n", str(workers), *targets]
    result = subprocess.run(command, cwd=copy, env=env, capture_output=True, text=True, check=False)
    failed = FAILED_RE.search(result.stdout) is not None  # -x under xdist exits 2 (interrupted) after a failure
    if result.returncode != 0 and not failed:  # a broken run (collection error, usage), not a verdict
        raise SystemExit(
            f"pytest could not run for mutant {site.number}:\n{result.stdout[-2000:]}{result.stderr[-2000:]}"
        )
    return result.returncode == 0


def survives(copy: Path, site: Site, workers: int) -> bool:
    first = list(FIRST_TESTS.get(Path(site.path).name, DEFAULT_FIRST))
    if not _pytest(copy, site, first, workers):
        return False
    rest = [str(t.relative_to(copy)) for suite in SUITES for t in sorted((copy / suite).glob("test_*.py"))]
    return _pytest(copy, site, [t for t in rest if t not in first], workers)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=0, help="check only this many sites, chosen at random")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", type=int, nargs="*", default=[], help="check only these site numbers")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="spx-mutants-") as temporary:
        copy = Path(temporary) / "repo"
        shutil.copytree(REPO, copy, ignore=IGNORED, symlinks=True)
        sites = plant(copy)
        chosen = [s for s in sites if s.number in options.only] if options.only else sites
        if options.sample and options.sample < len(chosen):
            chosen = sorted(random.Random(options.seed).sample(chosen, options.sample))  # noqa: S311 - a sample, not a secret
        print(f"{len(sites)} refusal sites; checking {len(chosen)}", flush=True)
        survivors = []
        for site in chosen:
            alive = survives(copy, site, options.workers)
            print(
                f"{'SURVIVED' if alive else 'killed  '} #{site.number} {site.path}:{site.line} {site.rule}", flush=True
            )
            if alive:
                survivors.append(site)
    print(f"{len(chosen)} mutants, {len(chosen) - len(survivors)} killed, {len(survivors)} survived")
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main())
