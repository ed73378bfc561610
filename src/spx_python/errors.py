"""The one domain error type. Its text is the whole user-facing message: `path: what is wrong — what to do`."""

from __future__ import annotations


class SpxError(Exception):
    """A problem the user can fix; the CLI prints it as one line on stderr and exits 1."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(SpxError):
    """The command line itself is wrong (exit 2, like argparse)."""

    exit_code = 2
