"""Errors of the command line."""

from __future__ import annotations

#: Exit code of every refusal (bad arguments, unreadable input, failed analysis).
EXIT_ERROR = 2


class CliError(Exception):
    """A user error of the command line (bad arguments, missing input)."""
