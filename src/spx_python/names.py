"""The names spx gives its directories and files, in a module that imports nothing.

Hooks that only need a name (the Bash/Write/Edit gate runs before every tool call) import it from
here instead of from the module that works with the thing named, so they do not pay for that
module's imports. Those modules re-export the names they use.
"""

from __future__ import annotations

SPEC_ROOT_NAME = "spx"
LEDGER_NAME = "pass.csv"
PATH_SEPARATOR = "/"
STATE_DIR_NAME = ".spx"
PYPROJECT_NAME = "pyproject.toml"
TESTS_DIR_NAME = "tests"  # a container's test files live in `<container>/tests/`
TYPE_CHECKING = False  # `typing.TYPE_CHECKING` without importing typing; mypy treats the name the same way
