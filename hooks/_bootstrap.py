"""The shared start of every hook entry point: check Python, put `<plugin root>/src` first, run, fail closed.

Kept to syntax every python3 can parse, so an old interpreter gets a clear refusal (exit 2) instead of a
SyntaxError (exit 1, which Claude Code would treat as "let it through").
"""

from __future__ import annotations

import gc
import os
import sys

# A hook lives for a few milliseconds and builds no reference cycles worth collecting: the cyclic collector
# would only walk the objects the imports and the loaded index create (~4 % of a Skill decision's time).
gc.disable()

MINIMUM_PYTHON = (3, 10)
EXIT_BLOCK = 2
INTERNAL_ERROR_SUFFIX = " [rule: internal-error]"  # as refusal_rules words it: the package may be what fails to load


def plugin_root() -> str:
    return os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main(name: str) -> None:
    if sys.version_info < MINIMUM_PYTHON:
        found = ".".join(str(part) for part in sys.version_info[:3])
        sys.stderr.write(
            "spx-python hook " + name + ": needs Python >= 3.10 but python3 is " + found
            + " — install Python 3.10+ and make it the first python3 on PATH; the action is refused until then\n"
        )
        sys.exit(EXIT_BLOCK)
    root = plugin_root()
    sys.path.insert(0, os.path.join(root, "src"))
    try:
        from spx_python.hooks.io import main as run_hook  # noqa: PLC0415 (only after the version check)
    except BaseException as error:  # a broken install must refuse, not let the action through
        sys.stderr.write(
            "spx-python hook " + name + ": cannot load the plugin package from " + root + "/src ("
            + type(error).__name__ + ": " + str(error) + ") — reinstall the plugin; the action is refused"
            + INTERNAL_ERROR_SUFFIX + "\n"
        )
        sys.exit(EXIT_BLOCK)
    code = run_hook(name, root)  # 0 or 2; the answer is written and flushed
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BaseException:  # a closed pipe: the answer could not be read, so refuse
        code = EXIT_BLOCK
    # Nothing is left to write and the kernel releases the locks: skip the interpreter's teardown of the
    # tree it loaded (about a tenth of a hook's time before every tool call).
    os._exit(code)
