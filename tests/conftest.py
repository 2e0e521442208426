"""Shared test fixtures: where the public instrument files live, offscreen Qt."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = Path(os.environ.get("LBPO_SHARED_DIR", REPO_ROOT.parent / "shared"))
SHARED_DATA = SHARED_DIR / "data"
REFERENCE_DIR = SHARED_DIR / "reference"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data`` (skip the test when it is absent, as on a user's machine)."""
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not present")
    return SHARED_DATA


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    """``../shared/reference`` with the study's reported figures (skip when absent)."""
    if not REFERENCE_DIR.is_dir():
        pytest.skip("../shared/reference is not present")
    return REFERENCE_DIR


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory, monkeypatch):
    """Keep autosaves, logs and settings of every test out of the real user folders."""
    base = tmp_path_factory.getbasetemp() / "userdirs"
    monkeypatch.setenv("LBPO_RECOVERY_DIR", str(base / "recovery"))
    monkeypatch.setenv("LBPO_LOG_DIR", str(base / "logs"))
    monkeypatch.setenv("LBPO_SETTINGS_DIR", str(base / "settings"))
