"""Frozen entry point of both executables of the bundle.

``lbpo_gui.__main__.main`` dispatches: a command (``info``, ``demo``, ``report`` ...) runs the
``lbpo`` command line, anything else (no argument, a project file, ``--self-test``) starts the GUI
through ``lbpo_gui.gui.launch.main``. The windowed ``lbpo-workbench`` and the console ``lbpo``
executables share this script and one ``_internal`` folder.
"""

import multiprocessing
import os
import sys

from lbpo_gui.__main__ import main


def ensure_streams() -> None:
    """Give a windowed build (Windows, ``console=False``: ``sys.stdout``/``sys.stderr`` are
    None) streams to os.devnull, so that a library's bare ``print`` or warning cannot crash the
    program; the program itself reports through exit codes, ``--report`` and its log folder."""
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115


if __name__ == "__main__":
    multiprocessing.freeze_support()
    ensure_streams()
    raise SystemExit(main())
