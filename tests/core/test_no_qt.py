"""The core must import and work with PySide6 (and pyqtgraph) made unimportable."""

from __future__ import annotations

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import importlib, pkgutil, sys

    class BlockQt:
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in ("PySide6", "shiboken6", "pyqtgraph", "PyQt5", "PyQt6"):
                raise ImportError(f"{name} is blocked in this test")
            return None

    sys.meta_path.insert(0, BlockQt())
    import lbpo_gui.core as core
    names = [m.name for m in pkgutil.walk_packages(core.__path__, "lbpo_gui.core.")]
    for name in names:
        importlib.import_module(name)
    import lbpo_gui.cli
    from lbpo_gui.core.readers import readers
    readers()
    assert not any(m.split(".")[0] in ("PySide6", "pyqtgraph") for m in sys.modules)
    print(len(names))
    """
)


def test_core_imports_without_qt():
    proc = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert int(proc.stdout.strip()) >= 10
