"""Shared test fixtures: where the public instrument files live, offscreen Qt."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = Path(os.environ.get("LBPO_SHARED_DIR", REPO_ROOT.parent / "shared"))
SHARED_DATA = SHARED_DIR / "data"
#: The study's reported figures (facts from the paper): the project's own fixture, always present.
REFERENCE_DIR = REPO_ROOT / "tests" / "data" / "reference"


def on_ci() -> bool:
    """Whether this run is a CI run (``CI=true``), where missing test data is a failure."""
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def missing_shared(what: str) -> None:
    """Skip a test whose third-party instrument file is absent; fail instead on CI."""
    message = f"{what} is not present (LBPO_SHARED_DIR={SHARED_DIR})"
    if on_ci():
        pytest.fail(f"CI=true: {message}", pytrace=False)
    pytest.skip(message)


def require_shared_file(path: Path) -> Path:
    """``path`` (under ``../shared/data``) if it is a file, else skip (fail on CI)."""
    if not path.is_file():
        missing_shared(str(path))
    return path


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data``: the third-party instrument files (skip when absent, fail on CI)."""
    if not SHARED_DATA.is_dir():
        missing_shared("../shared/data")
    return SHARED_DATA


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    """``tests/data/reference``: the study's reported figures (kept in the repository)."""
    return REFERENCE_DIR


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory, monkeypatch):
    """Keep autosaves, logs and settings of every test out of the real user folders."""
    base = tmp_path_factory.getbasetemp() / "userdirs"
    monkeypatch.setenv("LBPO_RECOVERY_DIR", str(base / "recovery"))
    monkeypatch.setenv("LBPO_LOG_DIR", str(base / "logs"))
    monkeypatch.setenv("LBPO_SETTINGS_DIR", str(base / "settings"))
