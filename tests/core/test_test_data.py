"""The test data rules: the study's figures are the project's own fixture; the third-party
instrument files in ../shared are skipped when absent, except on CI, where their absence fails."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import REFERENCE_DIR, REPO_ROOT, SHARED_DIR, missing_shared

#: A test that needs ../shared/data (through the shared_data fixture).
NEEDS_SHARED = "tests/core/test_cli_echem.py::test_contract_keys"


def run_pytest(node: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "CI"}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs", node],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env=environment,
        timeout=120,
    )


def test_missing_shared_folder_skips_on_a_users_machine(tmp_path):
    proc = run_pytest(NEEDS_SHARED, LBPO_SHARED_DIR=str(tmp_path / "absent"))
    assert proc.returncode == 0, proc.stdout[-2000:]
    assert "1 skipped" in proc.stdout and "../shared/data is not present" in proc.stdout


def test_missing_shared_folder_fails_on_ci(tmp_path):
    proc = run_pytest(NEEDS_SHARED, LBPO_SHARED_DIR=str(tmp_path / "absent"), CI="true")
    assert proc.returncode == 1, proc.stdout[-2000:]
    assert "1 error" in proc.stdout and "CI=true: ../shared/data is not present" in proc.stdout


def test_reference_figures_are_in_the_repository(reference_dir):
    assert reference_dir == REFERENCE_DIR and REPO_ROOT in reference_dir.parents
    names = {p.name for p in reference_dir.glob("*.csv")}
    assert {"table1_rate_capability.csv", "cycling_170mA_g_100cycles.csv"} <= names


@pytest.mark.parametrize("name", sorted(p.name for p in REFERENCE_DIR.glob("*.csv")) or ["(none)"])
def test_reference_figures_match_the_studys_folder(name):
    """The in-repo copy is the paper's figures as ../shared/reference holds them."""
    shared = SHARED_DIR / "reference" / name
    if not shared.is_file():
        missing_shared("../shared/reference")
    assert (REFERENCE_DIR / name).read_bytes() == shared.read_bytes()
