"""core/eis stays free of the project model, the readers, Qt and the other sciences."""

from __future__ import annotations

import ast
from pathlib import Path

import lbpo_gui.core.eis as eis

FORBIDDEN = (
    "project",
    "readers",
    "echem",
    "xps",
    "eds",
    "analyses",
    "report",
    "demo",
    "PySide6",
    "pyqtgraph",
    "gui",
)


def test_eis_imports_only_numpy_scipy_and_itself():
    for path in Path(eis.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [("." * node.level) + (node.module or "")]
            for name in names:
                parts = name.lstrip(".").split(".")
                assert not any(p in FORBIDDEN for p in parts), f"{path.name} imports {name}"
