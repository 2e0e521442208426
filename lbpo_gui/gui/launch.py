"""The ``lbpo-gui`` entry point: check the system libraries Qt needs, then start the program.

Kept free of Qt imports: importing PySide6 on a machine without them would fail (or Qt would
abort with a core dump while loading its platform plugin) before any helpful message.
"""

from __future__ import annotations

import os
import sys

from .platform_check import missing_message, missing_packages, platform_name


def main(argv: list[str] | None = None) -> int:
    """Start the GUI, or print one line naming the missing Debian packages and return 1."""
    args = sys.argv[1:] if argv is None else list(argv)
    if not any(a in ("-h", "--help", "--version") for a in args):
        platform = platform_name()
        problem = ""
        missing = missing_packages(platform)
        if missing:
            problem = missing_message(missing, platform)
        elif platform == "xcb" and not os.environ.get("DISPLAY"):
            problem = (
                "lbpo-gui: no X display (DISPLAY is not set): start it in a desktop session, "
                "or set QT_QPA_PLATFORM=offscreen for --self-test and --screenshot"
            )
        if problem:
            if sys.stderr is not None:
                print(problem, file=sys.stderr)
            return 1
    from .app import main as app_main

    return app_main(args)


if __name__ == "__main__":
    raise SystemExit(main())
