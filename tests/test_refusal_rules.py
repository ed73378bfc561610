"""The rule table is the one list of refusal ids: every id a hook module names is in it, and every id in it is used."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from spx_python.refusal_rules import INTERNAL_ERROR, RULES, Refused, refused, rule_of, with_rule

SRC = Path(__file__).resolve().parent.parent / "src" / "spx_python"
CONSTANT_RE = re.compile(r'^[A-Z_]+ = "([a-z]+\.[a-z-]+)"', re.MULTILINE)  # MALFORMED_INPUT = "input.malformed"


def test_every_id_the_hooks_use_is_in_the_table_and_every_table_id_is_used() -> None:
    modules = [*(SRC / "hooks").rglob("*.py"), SRC / "workflow" / "gate.py", SRC / "refusal_rules.py"]
    text = "\n".join(path.read_text(encoding="utf-8") for path in modules)
    used = set(re.findall(r'refused\(\s*"([^"]+)"', text)) | set(CONSTANT_RE.findall(text))
    assert used - set(RULES) == set()
    assert set(RULES) - used == set()


def test_a_refusal_prints_its_rule_and_a_crash_prints_internal_error() -> None:
    reason = refused("shell.xargs", "xargs: feeds names")
    assert (reason, with_rule(reason)) == ("xargs: feeds names", "xargs: feeds names [rule: shell.xargs]")
    assert (
        with_rule("spx-python protect hook: NameError")
        == f"spx-python protect hook: NameError [rule: {INTERNAL_ERROR}]"
    )
    assert INTERNAL_ERROR not in RULES


def test_rewording_keeps_the_rule_and_an_unknown_id_is_refused() -> None:
    assert (
        rule_of(refused("protect.ledger-write", "pass.csv").reworded("spx-python: pass.csv")) == "protect.ledger-write"
    )
    assert isinstance(refused("path.missing", "x"), Refused)
    with pytest.raises(KeyError, match="not a rule id"):
        refused("protect.ledger-writes", "typo")
