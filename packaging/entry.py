"""Frozen entry point of both executables of the bundle.

``lbpo_gui.__main__.main`` dispatches: a command (``info``, ``demo``, ``report`` ...) runs the
``lbpo`` command line, anything else (no argument, a project file, ``--self-test``) starts the GUI
through ``lbpo_gui.gui.launch.main``. The windowed ``lbpo-workbench`` and the console ``lbpo``
executables share this script and one ``_internal`` folder.
"""

import multiprocessing

from lbpo_gui.__main__ import main

if __name__ == "__main__":
    multiprocessing.freeze_support()
    raise SystemExit(main())
