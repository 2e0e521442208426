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
from . import demo, echem, eds, eis, info, report, xps
from .errors import EXIT_ERROR, CliError
from .output import print_human

#: The command modules, in the order ``lbpo --help`` lists them.
COMMANDS: list[ModuleType] = [info, echem, eis, xps, eds, demo, report]

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
    """Entry point of the ``lbpo`` console script; returns the exit code.

    Never prints a traceback: refusals are one line on stderr with exit code 2; an unexpected
    error is one line naming the log file that holds its traceback, also exit code 2.
    """
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        result = args.func(args)
        if args.json:
            text = json.dumps(result, ensure_ascii=False, allow_nan=False, default=str)
        else:
            text = None
    except SystemExit as exc:  # --help / --version
        return int(exc.code or 0) if isinstance(exc.code, int | None) else EXIT_ERROR
    except (CliError, LbpoError) as exc:
        return _error(str(exc))
    except FileNotFoundError as exc:
        return _error(f"{exc.filename or exc}: file not found")
    except KeyboardInterrupt:
        return _error("interrupted")
    except Exception as exc:
        return _unexpected(exc, argv)
    try:
        if text is not None:
            sys.stdout.write(text + "\n")
        else:
            print_human(result)
        sys.stdout.flush()
    except BrokenPipeError:  # e.g. piped into `head`
        sys.stdout = None  # type: ignore[assignment]
    except Exception as exc:
        return _unexpected(exc, argv)
    return 0


def _error(message: str) -> int:
    """Print one line on stderr; the exit code of a refusal."""
    line = " ".join(message.split())
    print(f"lbpo: error: {line}", file=sys.stderr)
    return EXIT_ERROR


def _unexpected(exc: Exception, argv: Sequence[str] | None) -> int:
    """One line naming the error and the log that holds its traceback."""
    from ..core.errorlog import append_error_log

    args = " ".join(sys.argv[1:] if argv is None else argv)
    log = append_error_log(type(exc), exc, exc.__traceback__, context=f"lbpo {args}")
    where = f"details in {log}" if log is not None else "the error log could not be written"
    return _error(f"unexpected {type(exc).__name__}: {str(exc)[:200]} ({where})")


if __name__ == "__main__":
    raise SystemExit(main())
