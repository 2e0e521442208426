"""The foundation's acceptance path on the built-in demo project, driven like a user."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit
from test_main_window import click_index, sample_index

from lbpo_gui.core.demo.project import build_demo_project
from lbpo_gui.core.project import load_project, save_project
from lbpo_gui.gui import dialogs


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    return save_project(build_demo_project(), tmp_path_factory.mktemp("demo") / "demo.lbpo")


def test_demo_select_rename_undo_redo_save_reopen(
    qtbot, make_window, demo_file, tmp_path, monkeypatch
):
    window = make_window(demo_file)
    project = window.document.project
    assert len(project.samples) == 9

    for name in ("LPO 0.15", "LBPO 0.05-0.15", "Pristine"):
        sample = project.sample_by_name(name)
        with qtbot.waitSignal(window.sample_panel.sampleSelected) as sig:
            click_index(qtbot, window, sample_index(window, name))
        assert sig.args == [sample.id]
        assert all(tab.sample_id == sample.id for tab in window.tabs)
        for i in range(window.tab_widget.count()):  # every tab renders the sample
            window.tab_widget.setCurrentIndex(i)
            qtbot.wait(1)
            assert not window.tab_widget.currentWidget().grab().isNull()

    view = window.sample_panel.view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and editor.text() == "Pristine"
    editor.selectAll()
    qtbot.keyClicks(editor, "Uncoated NCM811")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: project.samples[0].name == "Uncoated NCM811")

    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert project.samples[0].name == "Pristine"
    qtbot.keyClick(view, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert project.samples[0].name == "Uncoated NCM811"

    target = tmp_path / "renamed_demo.lbpo"
    monkeypatch.setattr(dialogs, "save_file_name", lambda *a: str(target))
    window.save_as_action.trigger()
    assert target.is_file() and not window.document.is_dirty()

    reopened = load_project(target)
    assert reopened.samples[0].name == "Uncoated NCM811"
    original = load_project(demo_file)
    for (_, a), (_, b) in zip(original.datasets(), reopened.datasets(), strict=True):
        assert a.metadata == b.metadata
        for k in a.arrays:
            assert (a.arrays[k] == b.arrays[k]).all()
    second = make_window(target)
    assert second.document.project.samples[0].name == "Uncoated NCM811"
