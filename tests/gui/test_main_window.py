"""The main window driven like a user: tree clicks, inline rename, undo/redo, save, reopen."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from lbpo_gui.core.project import load_project, save_project
from lbpo_gui.gui import dialogs
from lbpo_gui.gui.main_window import MainWindow
from lbpo_gui.gui.settings import recent_files
from lbpo_gui.gui.tabs import DatasetTab


def click_index(qtbot, window: MainWindow, index: QModelIndex) -> None:
    """Click on an item of the sample tree like a user."""
    view = window.sample_panel.view
    rect = view.visualRect(index)
    assert rect.isValid(), "item not visible"
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def sample_index(window: MainWindow, name: str) -> QModelIndex:
    sample = window.document.project.sample_by_name(name)
    return window.sample_panel.model.sample_index(sample.id)


def test_select_rename_undo_redo_save_reopen(qtbot, make_window, small_lbpo, tmp_path, monkeypatch):
    window = make_window(small_lbpo)
    project = window.document.project
    assert [s.name for s in project.samples] == ["Pristine", "LBPO 0.05-0.15"]
    assert "small.lbpo" in window.windowTitle() and "*" not in window.windowTitle()

    # click the second sample: tabs follow the selection
    coated = project.sample_by_name("LBPO 0.05-0.15")
    with qtbot.waitSignal(window.sample_panel.sampleSelected) as sig:
        click_index(qtbot, window, sample_index(window, "LBPO 0.05-0.15"))
    assert sig.args == [coated.id]
    assert all(tab.sample_id == coated.id for tab in window.tabs)
    echem = window.tab("Electrochemistry")
    assert isinstance(echem, DatasetTab)
    assert not echem.is_showing_hint()
    assert echem.table.rowCount() == 1
    assert echem.table.item(0, 0).text() == "LBPO 0.05-0.15 rate test"
    assert "10.29 mg" in window.status_sample.text()

    # click a dataset: its tab comes to the front with the plot
    xps = coated.datasets_of("xps")[0]
    click_index(qtbot, window, window.sample_panel.model.dataset_index(xps.id))
    assert window.tab_widget.currentWidget() is window.tab("XPS")
    xps_tab = window.tab("XPS")
    assert xps_tab.selected_dataset_id() == xps.id
    assert xps_tab.plot.getViewBox().xInverted()
    assert xps_tab.plot.getAxis("bottom").labelText == "Binding energy (eV)"

    # rename the first sample in the tree: F2, type, Enter
    view = window.sample_panel.view
    click_index(qtbot, window, sample_index(window, "Pristine"))
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    assert editor.text() == "Pristine"
    editor.selectAll()
    qtbot.keyClicks(editor, "Bare NCM811")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits from the event loop
    qtbot.waitUntil(lambda: project.samples[0].name == "Bare NCM811")
    assert [s.name for s in project.samples] == ["Bare NCM811", "LBPO 0.05-0.15"]
    assert window.document.is_dirty()
    assert window.windowTitle().startswith("Small study*")
    shown = window.sample_panel.model.data(sample_index(window, "Bare NCM811"))
    assert shown.startswith("Bare NCM811")

    # Ctrl+Z undoes, Ctrl+Shift+Z and Ctrl+Y redo
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert project.samples[0].name == "Pristine"
    assert not window.document.is_dirty()
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert project.samples[0].name == "Bare NCM811"
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert project.samples[0].name == "Pristine"
    qtbot.keyClick(view, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert project.samples[0].name == "Bare NCM811"

    # File > Save As with the file dialog answered
    target = tmp_path / "renamed"
    monkeypatch.setattr(dialogs, "save_file_name", lambda *a: str(target))
    window.save_as_action.trigger()
    saved = tmp_path / "renamed.lbpo"
    assert saved.is_file()
    assert window.document.path == saved
    assert not window.document.is_dirty()
    assert "*" not in window.windowTitle() and "renamed.lbpo" in window.windowTitle()
    assert recent_files(window.settings)[0] == str(saved.resolve())

    # reopen in a new window: the change is there
    second = make_window(saved)
    assert [s.name for s in second.document.project.samples] == ["Bare NCM811", "LBPO 0.05-0.15"]
    assert load_project(saved).samples[0].name == "Bare NCM811"


def test_invalid_inline_rename_shows_message_and_changes_nothing(qtbot, make_window, small_lbpo, monkeypatch):
    window = make_window(small_lbpo)
    shown: list[str] = []
    monkeypatch.setattr(dialogs, "warning", lambda parent, title, text: shown.append(text))
    view = window.sample_panel.view
    click_index(qtbot, window, sample_index(window, "Pristine"))
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, "lbpo 0.05-0.15")  # same name as the other sample, other case
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(shown))
    assert "already exists" in shown[0]
    assert window.document.project.samples[0].name == "Pristine"
    assert not window.document.undo_stack.canUndo()


def test_unsaved_changes_prompt_on_close(qtbot, make_window, small_lbpo, monkeypatch):
    window = make_window(small_lbpo)
    sample = window.document.project.samples[0]
    window.sample_panel._rename_sample_requested(sample.id, "Changed")
    assert window.document.is_dirty()

    answers = ["cancel"]
    asked: list[str] = []

    def ask(parent, name):
        asked.append(name)
        return answers.pop(0)

    monkeypatch.setattr(dialogs, "ask_save_changes", ask)
    window.close()
    assert asked == ["Small study"]
    assert window.isVisible(), "Cancel keeps the window open"

    answers.append("discard")
    window.close()
    assert not window.isVisible(), "Discard closes"
    assert load_project(small_lbpo).samples[0].name == "Pristine", "Discard does not save"


def test_save_answer_in_prompt_saves_before_closing(qtbot, make_window, small_lbpo, monkeypatch):
    window = make_window(small_lbpo)
    sample = window.document.project.samples[0]
    window.sample_panel._rename_sample_requested(sample.id, "Saved on close")
    monkeypatch.setattr(dialogs, "ask_save_changes", lambda parent, name: "save")
    window.close()
    assert not window.isVisible()
    assert load_project(small_lbpo).samples[0].name == "Saved on close"


def test_truncated_project_shows_message_and_keeps_current(qtbot, make_window, small_lbpo, tmp_path, monkeypatch):
    window = make_window(small_lbpo)
    before = window.document.project
    bad = tmp_path / "truncated.lbpo"
    data = small_lbpo.read_bytes()
    bad.write_bytes(data[: len(data) // 2])
    errors: list[tuple[str, str]] = []
    monkeypatch.setattr(dialogs, "critical", lambda parent, title, text: errors.append((title, text)))
    assert not window.open_project(bad)
    assert errors and errors[0][0] == "Cannot open project"
    assert "truncated.lbpo" in errors[0][1]
    assert window.document.project is before
    assert window.document.path == small_lbpo
    assert [s.name for s in before.samples] == ["Pristine", "LBPO 0.05-0.15"]


def test_open_via_menu_dialog_and_recent_list(qtbot, make_window, small_lbpo, tmp_path, monkeypatch):
    window = make_window()
    assert window.windowTitle().startswith("Untitled project")
    monkeypatch.setattr(dialogs, "open_file_name", lambda *a: str(small_lbpo))
    window.open_action.trigger()
    assert window.document.path == small_lbpo
    assert recent_files(window.settings) == [str(small_lbpo.resolve())]

    # a recent file that disappeared is removed with a message
    other = save_project(window.document.project, tmp_path / "other.lbpo")
    assert window.open_project(other)
    other.unlink()
    warned: list[str] = []
    monkeypatch.setattr(dialogs, "warning", lambda parent, title, text: warned.append(text))
    window._fill_recent_menu()
    labels = [a.text() for a in window.recent_menu.actions()]
    assert any("other.lbpo" in t for t in labels)
    assert not window.open_recent(str(other.resolve()))
    assert warned and "no longer exists" in warned[0]
    assert recent_files(window.settings) == [str(small_lbpo.resolve())]


def test_new_project_after_prompt(qtbot, make_window, small_lbpo, monkeypatch):
    window = make_window(small_lbpo)
    window.sample_panel._rename_sample_requested(window.document.project.samples[0].id, "X")
    monkeypatch.setattr(dialogs, "ask_save_changes", lambda parent, name: "cancel")
    window.new_action.trigger()
    assert window.document.path == small_lbpo
    monkeypatch.setattr(dialogs, "ask_save_changes", lambda parent, name: "discard")
    window.new_action.trigger()
    assert window.document.path is None
    assert window.document.project.samples == ()
    tab = window.tab("Impedance")
    assert tab.is_showing_hint()
    assert "Select a sample" in tab.hint.text()
    assert window.tab("Summary").pages.currentWidget() is window.tab("Summary").hint


def test_empty_state_hint_for_sample_without_data(qtbot, make_window, small_lbpo):
    window = make_window(small_lbpo)
    project = window.document.project
    sample = project.samples[0]
    xps = sample.datasets_of("xps")[0]
    from lbpo_gui.gui.commands import RemoveDataset

    window.document.push(RemoveDataset(window.document, xps.id))
    window.sample_panel.select_sample(sample.id)
    window.tab_widget.setCurrentWidget(window.tab("XPS"))
    tab = window.tab("XPS")
    assert tab.is_showing_hint()
    assert "has no XPS data yet" in tab.hint.text() and "drop" in tab.hint.text()
    window.undo_action.trigger()
    assert not tab.is_showing_hint()


def test_context_menu_offers_actions(qtbot, make_window, small_lbpo, monkeypatch):
    from PySide6.QtWidgets import QMenu

    window = make_window(small_lbpo)
    seen: list[list[str]] = []
    monkeypatch.setattr(QMenu, "exec", lambda self, *a: seen.append([x.text() for x in self.actions()]))
    view = window.sample_panel.view
    rect = view.visualRect(sample_index(window, "Pristine"))
    window.sample_panel._show_context_menu(rect.center())
    assert seen
    texts = seen[0]
    assert "Add sample\u2026" in texts and "Edit sample\u2026" in texts and "Delete" in texts
    assert any("Import" in t for t in texts)
    # right-clicking empty space offers "Add sample" only
    seen.clear()
    window.sample_panel._show_context_menu(QPoint(5, view.viewport().height() - 5))
    assert "Add sample\u2026" in seen[0]


def test_window_geometry_is_remembered(qtbot, make_window, small_lbpo, monkeypatch):
    window = make_window(small_lbpo)
    window.resize(1111, 777)
    window.close()
    again = make_window()
    assert again.size().width() == 1111 and again.size().height() == 777


def test_title_for_saved_project(qtbot, make_window, small_lbpo, tmp_path: Path):
    window = make_window(small_lbpo)
    assert window.windowTitle() == "Small study \u2014 small.lbpo \u2014 LBPO Workbench"
