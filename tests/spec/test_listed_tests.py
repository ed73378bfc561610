"""Which test files a spec's Test Files tables list (the stamp refuses while one of them is missing)."""

from __future__ import annotations

from spx_python.spec.listed_tests import listed_test_files, missing_listed

SPEC = """# cli

| Component | Level | Harness | Rationale |
| --- | --- | --- | --- |
| [logic] | 1 (unit) | temporary directory | proved by the stories' own tests |

| File | Level | Harness |
| --- | --- | --- |
| [cli.integration.test.py](tests/cli.integration.test.py) | 2 (integration) | subprocess |
| `flow.e2e.test.py` | 3 (e2e) | claude |
| [cli.integration.test.py](tests/cli.integration.test.py) | 2 (integration) | subprocess |

Prose naming tests/other.unit.test.py is no table row.
"""


def test_linked_and_bare_names_in_table_rows_are_listed_once_in_order() -> None:
    assert listed_test_files(SPEC) == ("cli.integration.test.py", "flow.e2e.test.py")


def test_only_the_files_not_present_are_missing() -> None:
    assert missing_listed(SPEC, ("flow.e2e.test.py", "extra.unit.test.py")) == ("cli.integration.test.py",)
