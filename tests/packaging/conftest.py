"""Helpers of the packaging tests: the files of ``packaging/`` and the built bundle."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import REPO_ROOT

PACKAGING_DIR = REPO_ROOT / "packaging"


def load_packaging_module(name: str) -> ModuleType:
    """A module of ``packaging/`` loaded by path (that folder is not a package: an
    ``__init__.py`` there would shadow PyPI's ``packaging``)."""
    spec = importlib.util.spec_from_file_location(
        f"lbpo_packaging_{name}", PACKAGING_DIR / f"{name}.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def bundle_licences() -> ModuleType:
    return load_packaging_module("bundle_licences")


@pytest.fixture(scope="session")
def bundle_dir() -> Path:
    """The built bundle named by ``LBPO_BUNDLE_DIR`` (skip when it is not set)."""
    value = os.environ.get("LBPO_BUNDLE_DIR", "").strip()
    if not value:
        pytest.skip("LBPO_BUNDLE_DIR is not set: no built bundle to test (packaging/build.sh)")
    path = Path(value)
    if not (path / "_internal").is_dir():
        pytest.fail(f"LBPO_BUNDLE_DIR={value} is not a PyInstaller one-folder bundle")
    return path
