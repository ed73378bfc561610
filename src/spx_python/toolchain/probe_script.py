"""Run by the project's python (`python probe_script.py`): prints one JSON line about that interpreter.

Standard library only and plain syntax (the project's python may be old). Installed distributions are read
from the `*.dist-info` / `*.egg-info` directory names on `sys.path`: reading every METADATA file
(`importlib.metadata.distributions()`) costs eight times as long, on every `spx spec test`.
"""

import json
import os
import sys

INFO_SUFFIXES = (".dist-info", ".egg-info")


def report(paths: "list[str]") -> "dict[str, object]":  # quoted: the project's python may predate them
    """{"executable", "version", "packages": {distribution name: version}} for the interpreter running it."""
    found: dict[str, str] = {}
    for entry in paths:
        try:
            names = os.listdir(entry) if entry else []
        except OSError:
            continue
        for name in names:
            for suffix in INFO_SUFFIXES:
                if name.endswith(suffix):
                    distribution, _, version = name[: -len(suffix)].partition("-")
                    found.setdefault(distribution, version)
    version = "{}.{}.{}".format(*sys.version_info[:3])
    return {"executable": sys.executable, "version": version, "packages": found}


if __name__ == "__main__":
    print(json.dumps(report(sys.path[1:])))
