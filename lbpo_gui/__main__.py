"""``python -m lbpo_gui``: the command line when a command is given, else the GUI."""

from __future__ import annotations

import sys


def main() -> int:
    """Dispatch to the CLI (``python -m lbpo_gui info FILE``) or the GUI (no command)."""
    from .cli import build_parser

    commands = set()
    for action in build_parser()._actions:
        if getattr(action, "choices", None) and isinstance(action.choices, dict):
            commands.update(action.choices)
    if len(sys.argv) > 1 and (
        sys.argv[1] in commands or sys.argv[1] in ("-h", "--help", "--version")
    ):
        from .cli import main as cli_main

        return cli_main(sys.argv[1:])
    from .gui.launch import main as gui_main

    return gui_main(sys.argv[1:])


if __name__ == "__main__":
    raise SystemExit(main())
