"""Fast checks of the packaging rules that need no build: the spec's excludes, the licence
classifier, and that the program imports no GPL package."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

from .conftest import PACKAGING_DIR

SPEC = PACKAGING_DIR / "lbpo-workbench.spec"
#: Import names of GPL packages (and of the other Qt bindings) the program must never import.
GPL_IMPORTS = {"galvani", "yadg", "rsciio", "rosettasciio", "pyimpspec", "hyperspy"}
OTHER_BINDINGS = {"PyQt5", "PyQt6", "PySide2", "sip"}


def spec_constant(name: str) -> object:
    """The literal value assigned to ``name`` at the top level of the spec."""
    tree = ast.parse(SPEC.read_text(encoding="utf-8"), filename=str(SPEC))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            return ast.literal_eval(node.value)
    raise AssertionError(f"{SPEC.name} assigns no literal {name}")


def imported_modules(root: Path) -> dict[str, set[str]]:
    """Absolute module names imported anywhere under ``root`` -> files importing them."""
    found: dict[str, set[str]] = {}
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            else:
                continue
            for name in names:
                found.setdefault(name, set()).add(str(path.relative_to(REPO_ROOT)))
    return found


@pytest.fixture(scope="module")
def program_imports() -> dict[str, set[str]]:
    return imported_modules(REPO_ROOT / "lbpo_gui")


def test_spec_is_python_and_keeps_upx_off():
    text = SPEC.read_text(encoding="utf-8")
    ast.parse(text)
    assert "upx=False" in text and "upx=True" not in text


def test_spec_excludes_other_bindings_and_gpl_readers():
    excludes = set(spec_constant("BINDING_EXCLUDES"))
    assert excludes >= OTHER_BINDINGS
    assert excludes >= GPL_IMPORTS - {"rosettasciio"}


def test_spec_excludes_test_tools():
    assert {"pytest", "_pytest", "pytestqt", "pytest_benchmark"} <= set(
        spec_constant("TOOL_EXCLUDES")
    )


def test_spec_does_not_exclude_a_qt_module_the_program_uses(program_imports):
    unused = set(spec_constant("QT_UNUSED_MODULES"))
    used = {m.split(".")[1] for m in program_imports if m.startswith("PySide6.")}
    assert used, "no PySide6 imports found: the scan is broken"
    assert not used & unused, f"excluded from the bundle but imported: {sorted(used & unused)}"


def test_program_imports_no_gpl_package_or_other_binding(program_imports):
    bad = {
        m: sorted(files)
        for m, files in program_imports.items()
        if m.split(".")[0] in GPL_IMPORTS | OTHER_BINDINGS
    }
    assert not bad, f"lbpo_gui imports GPL packages or another Qt binding: {bad}"


def declared_import_names() -> set[str]:
    """Top-level import names of the distributions pyproject.toml declares as dependencies."""
    pyproject = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    declared = {
        re.sub(r"[-_.]+", "-", re.split(r"[\s<>=!~;\[]", dep, maxsplit=1)[0]).lower()
        for dep in pyproject["project"]["dependencies"]
    }
    names = set()
    for module, dists in metadata.packages_distributions().items():
        if any(re.sub(r"[-_.]+", "-", d).lower() in declared for d in dists):
            names.add(module)
    return names


def test_program_imports_only_declared_or_standard_modules(program_imports):
    # shiboken6 comes with PySide6; NewareNDA is the Neware reader's optional fallback (inside try)
    allowed = declared_import_names() | {"shiboken6", "NewareNDA", "lbpo_gui", "__future__"}
    top = {m.split(".")[0] for m in program_imports}
    unknown = top - allowed - set(sys.stdlib_module_names)
    assert not unknown, (
        f"lbpo_gui imports {sorted(unknown)}, not declared in pyproject.toml dependencies: "
        "declare them (and check the bundle: packaging/README.md)"
    )


@pytest.mark.parametrize(
    ("licence", "gpl_only"),
    [
        ("GPL-3.0-or-later", True),
        ("GNU General Public License v3 (GPLv3)", True),
        ("GPLv3", True),
        ("AGPL-3.0", True),
        ("LGPL-3.0-only OR GPL-2.0-only OR GPL-3.0-only", False),  # PySide6
        ("GNU Lesser General Public License v3 (LGPLv3)", False),
        ("BSD-3-Clause", False),
        ("MIT License", False),
        ("", False),
    ],
)
def test_gpl_only_licences_are_recognised(bundle_licences, licence, gpl_only):
    assert bundle_licences.is_gpl_only(licence) is gpl_only


def test_denied_names_are_forbidden_whatever_their_licence(bundle_licences):
    assert bundle_licences.is_forbidden("galvani", "")
    assert bundle_licences.is_forbidden("PyQt6_Qt6", "LGPL-3.0")
    assert bundle_licences.is_forbidden("RosettaSciIO", "GPL-3.0")
    assert not bundle_licences.is_forbidden("pyinstaller", "GNU General Public License v2")
    assert not bundle_licences.is_forbidden("PySide6_Essentials", "LGPL-3.0-only OR GPL-3.0-only")


def test_distributions_are_found_from_collected_files(bundle_licences):
    import numpy

    galvani = pytest.importorskip("galvani")  # a test oracle (GPL): installed by the test extra
    dists = {
        d["name"].lower(): d
        for d in bundle_licences.bundled_distributions([numpy.__file__, galvani.__file__])
    }
    assert set(dists) == {"numpy", "galvani"}
    assert not dists["numpy"]["forbidden"] and "BSD" in dists["numpy"]["licence"]
    assert dists["galvani"]["forbidden"]


def test_entry_gives_a_windowed_build_streams(monkeypatch):
    from .conftest import load_packaging_module

    entry = load_packaging_module("entry")
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    entry.ensure_streams()
    print("a library's stray print")  # would raise AttributeError with sys.stdout None
    print("and a warning", file=sys.stderr)
    sys.stdout.close()
    sys.stderr.close()
