"""The command line starts fast: pandas, polars and scipy are imported only where a file needs
them, and every third-party package the program imports is declared in pyproject.toml."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import tomllib

from tests.conftest import REPO_ROOT

HEAVY = ("pandas", "polars", "scipy", "openpyxl", "fastnda", "h5py", "lmfit")

PROBE = """
import json, sys
import lbpo_gui.cli, lbpo_gui.core.readers.builtin, lbpo_gui.core.echem.table, lbpo_gui.core.project
from lbpo_gui.core.readers import registry
registry.readers()
print(json.dumps(sorted(m for m in %r if m in sys.modules)))
"""


def test_loading_the_cli_and_every_reader_imports_no_heavy_library():
    proc = subprocess.run(
        [sys.executable, "-c", PROBE % (HEAVY,)],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == []


#: Import names whose distribution has another name.
DISTRIBUTION = {"PySide6": "pyside6-essentials", "shiboken6": "pyside6-essentials"}
#: Optional imports, guarded by ImportError: GPL readers installed by the user, never bundled.
OPTIONAL = {"galvani", "NewareNDA"}


def _imported_top_level_packages() -> set[str]:
    names: set[str] = set()
    for path in (REPO_ROOT / "lbpo_gui").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(a.name.split(".")[0] for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return {n for n in names if n not in sys.stdlib_module_names and n != "lbpo_gui"}


def test_every_imported_package_is_declared():
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    declared = set()
    for requirement in project["project"]["dependencies"]:
        name = requirement.split(";")[0]
        for stop in "<>=!~[ ":
            name = name.split(stop)[0]
        declared.add(name.strip().lower().replace("_", "-"))
    imported = _imported_top_level_packages() - OPTIONAL
    missing = {
        n for n in imported if DISTRIBUTION.get(n, n).lower().replace("_", "-") not in declared
    }
    assert not missing, f"imported but not declared in pyproject.toml: {sorted(missing)}"
