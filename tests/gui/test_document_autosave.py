"""ProjectDocument: change signals, dirty state, save/open errors, autosave and recovery."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lbpo_gui.core.project import Project, load_project
from lbpo_gui.core.project import autosave as core_autosave
from lbpo_gui.gui import app as gui_app
from lbpo_gui.gui import dialogs
from lbpo_gui.gui.commands import AddSample, RenameSample
from lbpo_gui.gui.document import ProjectDocument


def recovery_dir() -> Path:
    return core_autosave.recovery_dir()


def autosave_files(project_id: str) -> list[Path]:
    return [
        p
        for p in (recovery_dir() / f"{project_id}.lbpo", recovery_dir() / f"{project_id}.json")
        if p.exists()
    ]


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_project_events_and_dirty_signals(qtbot, small_project):
    doc = ProjectDocument(small_project, autosave_delay_ms=0)
    events = []
    dirty = []
    doc.projectChanged.connect(events.append)
    doc.dirtyChanged.connect(dirty.append)
    sample = small_project.samples[0]
    doc.push(RenameSample(doc, sample.id, "Renamed"))
    assert [e.what for e in events] == ["sample_changed"] and events[0].sample_id == sample.id
    assert dirty == [True] and doc.is_dirty()
    doc.undo()
    assert dirty == [True, False] and not doc.is_dirty()
    doc.close()


def test_open_error_keeps_project(qtbot, small_project, tmp_path, monkeypatch):
    doc = ProjectDocument(small_project, autosave_delay_ms=0)
    shown: list[str] = []
    monkeypatch.setattr(dialogs, "critical", lambda parent, title, text: shown.append(text))
    (tmp_path / "x.lbpo").write_bytes(b"PK\x03\x04 not really a zip")
    assert not doc.open(tmp_path / "x.lbpo")
    assert not doc.open(tmp_path / "missing.lbpo")
    assert "x.lbpo" in shown[0] and "not found" in shown[1]
    assert doc.project is small_project
    doc.close()


def test_save_error_is_reported(qtbot, small_project, tmp_path, monkeypatch):
    doc = ProjectDocument(small_project, autosave_delay_ms=0)
    doc.push(RenameSample(doc, small_project.samples[0].id, "X"))
    shown: list[str] = []
    monkeypatch.setattr(dialogs, "critical", lambda parent, title, text: shown.append(text))
    assert not doc.save_as(tmp_path / "no such folder" / "p.lbpo")
    assert shown and "does not exist" in shown[0]
    assert doc.is_dirty() and doc.path is None
    doc.close()


def test_untitled_project_takes_the_file_name(qtbot, tmp_path):
    doc = ProjectDocument(Project(), autosave_delay_ms=0)
    assert doc.save_as(tmp_path / "My study")
    assert doc.path == tmp_path / "My study.lbpo"
    assert doc.project.name == "My study"
    assert load_project(doc.path).name == "My study"
    doc.close()


def test_edit_autosaves_and_clean_save_removes_it(qtbot, small_lbpo, tmp_path):
    project = load_project(small_lbpo)
    doc = ProjectDocument(project, small_lbpo, autosave_delay_ms=50)
    with qtbot.waitSignal(doc.autosaved, timeout=3000) as sig:
        doc.push(RenameSample(doc, project.samples[0].id, "Autosaved name"))
    written = sig.args[0]
    assert written.parent == recovery_dir()
    assert load_project(written).samples[0].name == "Autosaved name"
    info = json.loads(written.with_suffix(".json").read_text())
    assert info["project_path"] == str(small_lbpo)
    assert len(autosave_files(project.id)) == 2

    assert doc.save()
    assert autosave_files(project.id) == [], "a clean save removes the autosave"

    # undoing back to the saved state also drops a newer autosave
    with qtbot.waitSignal(doc.autosaved, timeout=3000):
        doc.push(RenameSample(doc, project.samples[0].id, "Again"))
    doc.undo()
    assert autosave_files(project.id) == []
    doc.close()


def test_no_autosave_when_disabled_or_closed(qtbot, small_project):
    doc = ProjectDocument(small_project, autosave_delay_ms=0)
    doc.push(AddSample(doc, "new"))
    qtbot.wait(100)
    assert autosave_files(small_project.id) == []
    doc.autosave_now()
    assert len(autosave_files(small_project.id)) == 2
    doc.close()
    assert autosave_files(small_project.id) == [], "a clean close removes the autosave"
    assert doc.autosave_now() is None


def _leave_crashed_autosave(project: Project, path: Path | None) -> Path:
    written = core_autosave.write_autosave(project, path)
    info_path = written.with_suffix(".json")
    info = json.loads(info_path.read_text())
    info["pid"] = dead_pid()
    info_path.write_text(json.dumps(info))
    return written


def test_leftover_autosave_is_offered_and_restored(qtbot, make_window, small_lbpo, monkeypatch):
    crashed = load_project(small_lbpo)
    crashed.rename_sample(crashed.samples[0].id, "Unsaved work")
    _leave_crashed_autosave(crashed, small_lbpo)

    window = make_window()
    offered: list[tuple] = []
    monkeypatch.setattr(dialogs, "ask_recovery", lambda *a: offered.append(a[1:]) or "restore")
    restored = gui_app.offer_recovery(window, make_window)
    assert restored == [window]
    assert offered and offered[0][0] == "Small study" and offered[0][2] == str(small_lbpo)
    doc = window.document
    assert [s.name for s in doc.project.samples] == ["Unsaved work", "LBPO 0.05-0.15"]
    assert doc.is_dirty() and doc.path == small_lbpo
    assert "*" in window.windowTitle()
    info = json.loads((recovery_dir() / f"{crashed.id}.json").read_text())
    assert info["pid"] == os.getpid(), "the restored project's autosave now belongs to us"
    assert core_autosave.find_recoverable() == []
    # Save writes to the original file and clears the autosave
    assert window.save()
    assert load_project(small_lbpo).samples[0].name == "Unsaved work"
    assert autosave_files(crashed.id) == []


@pytest.mark.parametrize("answer", ["discard", "later"])
def test_leftover_autosave_discard_or_later(qtbot, make_window, small_project, monkeypatch, answer):
    written = _leave_crashed_autosave(small_project, None)
    window = make_window()
    monkeypatch.setattr(dialogs, "ask_recovery", lambda *a: answer)
    assert gui_app.offer_recovery(window, make_window) == []
    assert window.document.project.samples == ()
    assert written.exists() == (answer == "later")


def test_second_recovered_project_opens_in_new_window(
    qtbot, make_window, small_lbpo, small_project, monkeypatch
):
    _leave_crashed_autosave(small_project, None)
    other = load_project(small_lbpo)
    other.id = "0" * 32
    _leave_crashed_autosave(other, small_lbpo)
    window = make_window()
    monkeypatch.setattr(dialogs, "ask_recovery", lambda *a: "restore")
    restored = gui_app.offer_recovery(window, make_window)
    assert len(restored) == 2 and restored[0] is window and restored[1] is not window
    assert {w.document.project.id for w in restored} == {small_project.id, other.id}


def test_save_project_roundtrip_from_window(qtbot, make_window, small_lbpo, tmp_path):
    window = make_window(small_lbpo)
    window.document.push(AddSample(window.document, "Saved sample", {"composite_mass_mg": 12.0}))
    assert window.save()
    reopened = load_project(small_lbpo)
    assert reopened.sample_by_name("Saved sample").composite_mass_mg == 12.0
    assert (small_lbpo.parent / "small.lbpo.bak").exists(), "the previous file is kept"
