"""``lbpo``: the headless command line. ``--json`` prints one JSON object on stdout.

Errors go to stderr as one line and exit with code 2. The JSON keys are a stable contract (see
DESIGN.md, "Command line"); add keys, never rename or remove them.

Each command is a module of this package with ``NAME``, ``HELP``, ``add_arguments(parser)`` and
``run(args) -> dict``; :data:`COMMANDS` lists them in help order.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from types import ModuleType

from .. import __version__
from ..core.errors import LbpoError
from . import demo, echem, eds, info, report
from .errors import EXIT_ERROR, CliError
from .output import print_human

#: The command modules, in the order ``lbpo --help`` lists them.
COMMANDS: list[ModuleType] = [info, echem, eds, demo, report]

__all__ = ["COMMANDS", "EXIT_ERROR", "CliError", "build_parser", "main"]


class _Parser(argparse.ArgumentParser):
    """argparse that exits with code 2 and a one-line message (its default is the same code)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise CliError(message)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``lbpo``."""
    parser = _Parser(prog="lbpo", description="LBPO Workbench command line (headless).")
    parser.add_argument("--version", action="version", version=f"lbpo {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for command in COMMANDS:
        p = sub.add_parser(command.NAME, help=command.HELP, description=command.HELP)
        p.add_argument("--json", action="store_true", help="print one JSON object on stdout")
        command.add_arguments(p)
        p.set_defaults(func=command.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``lbpo`` console script; returns the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        result = args.func(args)
    except SystemExit as exc:  # --help / --version
        return int(exc.code or 0)
    except CliError as exc:
        print(f"lbpo: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except LbpoError as exc:
        print(f"lbpo: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except (OSError, ValueError, KeyError) as exc:
        print(f"lbpo: error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_ERROR
    try:
        if args.json:
            text = json.dumps(result, ensure_ascii=False, allow_nan=False, default=str)
            sys.stdout.write(text + "\n")
        else:
            print_human(result)
        sys.stdout.flush()
    except BrokenPipeError:  # e.g. piped into `head`
        sys.stdout = None  # type: ignore[assignment]
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
