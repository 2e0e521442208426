"""Autosave into the per-user recovery folder and finding what a crashed program left."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from lbpo_gui.core.project import autosave, load_project

from .helpers import small_project


def test_recovery_dir_follows_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("LBPO_RECOVERY_DIR", str(tmp_path / "r"))
    assert autosave.recovery_dir() == tmp_path / "r"
    monkeypatch.delenv("LBPO_RECOVERY_DIR")
    assert autosave.recovery_dir().name == "recovery"


def test_autosave_of_a_live_process_is_not_offered(tmp_path):
    p = small_project()
    path = autosave.write_autosave(p, tmp_path / "study.lbpo")
    assert load_project(path).samples[0].name == "Pristine"
    assert autosave.find_recoverable() == []  # this process is alive and owns it
    autosave.clear_autosave(p.id)
    assert not path.exists()


def test_autosave_of_a_dead_process_is_offered(tmp_path):
    p = small_project()
    p.rename_sample(p.samples[0].id, "Unsaved edit")
    path = autosave.write_autosave(p, tmp_path / "study.lbpo")
    info_path = path.with_suffix(".json")
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    ).stdout.strip()
    info = json.loads(info_path.read_text())
    info["pid"] = int(dead)
    info_path.write_text(json.dumps(info))
    entries = autosave.find_recoverable()
    assert len(entries) == 1
    entry = entries[0]
    assert entry.project_name == "Small study"
    assert entry.project_path == str(tmp_path / "study.lbpo")
    assert load_project(entry.autosave_path).samples[0].name == "Unsaved edit"
    autosave.discard(entry)
    assert autosave.find_recoverable() == [] and not path.exists()


def test_pid_alive():
    assert autosave.pid_alive(os.getpid())
    assert not autosave.pid_alive(0)
