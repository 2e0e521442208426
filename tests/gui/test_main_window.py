"""The main window driven like a user: tree clicks, inline rename, undo/redo, save, reopen."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from lbpo_gui.core.project import load_project, save_project
from lbpo_gui.gui import dialogs
from lbpo_gui.gui.main_window import MainWindow
from lbpo_gui.gui.settings import recent_files
from lbpo_gui.gui.tabs import EchemTab


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
    assert isinstance(echem, EchemTab)
    qtbot.waitUntil(lambda: echem.current_dataset() is not None)
    assert echem.current_dataset().label == "LBPO 0.05-0.15 rate test"
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
    qtbot.keyClick(
        view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
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


def test_invalid_inline_rename_shows_message_and_changes_nothing(
    qtbot, make_window, small_lbpo, monkeypatch
):
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


def test_truncated_project_shows_message_and_keeps_current(
    qtbot, make_window, small_lbpo, tmp_path, monkeypatch
):
    window = make_window(small_lbpo)
    before = window.document.project
    bad = tmp_path / "truncated.lbpo"
    data = small_lbpo.read_bytes()
    bad.write_bytes(data[: len(data) // 2])
    errors: list[tuple[str, str]] = []
    monkeypatch.setattr(
        dialogs, "critical", lambda parent, title, text: errors.append((title, text))
    )
    assert not window.open_project(bad)
    assert errors and errors[0][0] == "Cannot open project"
    assert "truncated.lbpo" in errors[0][1]
    assert window.document.project is before
    assert window.document.path == small_lbpo
    assert [s.name for s in before.samples] == ["Pristine", "LBPO 0.05-0.15"]


def test_open_via_menu_dialog_and_recent_list(
    qtbot, make_window, small_lbpo, tmp_path, monkeypatch
):
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
    window.tab_widget.setCurrentWidget(tab)  # hidden tabs refresh when shown
    assert tab.is_showing_hint()
    assert "no samples yet" in tab.data_view.message_text()
    window.tab_widget.setCurrentWidget(window.tab("Summary"))
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
    text = tab.data_view.message_text()
    assert "has no XPS data yet" in text and "drop" in text
    window.undo_action.trigger()
    assert tab.has_pending_refresh(), "bursts of changes are folded into one refresh"
    qtbot.waitUntil(lambda: not tab.is_showing_hint())


def test_context_menu_offers_actions(qtbot, make_window, small_lbpo):
    window = make_window(small_lbpo)
    panel = window.sample_panel
    view = panel.view
    rect = view.visualRect(sample_index(window, "LBPO 0.05-0.15"))
    menu = panel.build_context_menu(rect.center())
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert texts[:3] == ["Add sample\u2026", "Edit sample\u2026", "Rename"]
    assert any("Import" in t for t in texts) and "Delete" in texts
    assert panel.current_sample_id() == window.document.project.samples[1].id
    # right-clicking empty space keeps the selection and offers the same sample actions
    menu = panel.build_context_menu(QPoint(5, view.viewport().height() - 5))
    assert "Add sample\u2026" in [a.text() for a in menu.actions()]


def test_window_geometry_is_remembered(qtbot, make_window, small_lbpo, monkeypatch):
    window = make_window(small_lbpo)
    window.resize(760, 480)  # the offscreen screen is 800 x 800
    window.close()
    again = make_window()
    assert (again.size().width(), again.size().height()) == (760, 480)


def test_title_for_saved_project(qtbot, make_window, small_lbpo, tmp_path: Path):
    window = make_window(small_lbpo)
    assert window.windowTitle() == "Small study \u2014 small.lbpo \u2014 LBPO Workbench"


def test_summary_table_cells_match_headers(qtbot, make_window, small_lbpo):
    window = make_window(small_lbpo)
    tab = window.tab("Summary")
    window.tab_widget.setCurrentWidget(tab)
    table = tab.table
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    row = {h: table.item(1, c).text() for c, h in enumerate(headers)}
    assert row == {
        "Sample": "LBPO 0.05-0.15",
        "LBO (wt%)": "0.05",
        "LPO (wt%)": "0.15",
        "Active mass (mg)": "10.29",
        "Cycling": "1 file \u00b7 not analysed",
        "Impedance": "1 file \u00b7 not analysed",
        "XPS": "1 file \u00b7 not analysed",
        "EDS": "1 file \u00b7 not analysed",
    }
    # double-clicking a row selects that sample in the tree
    sample = window.document.project.samples[1]
    rect = table.visualItemRect(table.item(1, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.sample_panel.current_sample_id() == sample.id
    # a field edit shows up after the (folded) refresh
    from lbpo_gui.gui.commands import EditSampleFields

    window.document.push(EditSampleFields(window.document, sample.id, {"composite_mass_mg": 20.4}))
    qtbot.waitUntil(lambda: table.item(1, headers.index("Active mass (mg)")).text() == "14")


GC_SCRIPT = """
import gc, sys
import pyqtgraph  # imported before the QApplication, as in the tests and the app
from PySide6.QtWidgets import QApplication
from PySide6.QtTest import QTest
app = QApplication([])
sys.path.insert(0, sys.argv[1])
from guikit import build_small_project
from lbpo_gui.gui.commands import RenameSample
from lbpo_gui.gui.main_window import MainWindow

def make():
    w = MainWindow(autosave_delay_ms=0, restore_state=False)
    w.load_project(build_small_project())
    w.show()
    QTest.qWaitForWindowExposed(w)
    d = w.document
    d.push(RenameSample(d, d.project.samples[0].id, "x"))

for _ in range(5):
    make()
    gc.collect()
    app.processEvents()
print("survived")
"""


def test_dropped_window_is_collected_without_crash(tmp_path):
    """A shown window that loses its last reference without close() must not crash the
    interpreter when the garbage collector takes it (it did: dock hide in ~QWidget, and
    QUndoStack deleting commands the collector had taken)."""
    import os
    import subprocess
    import sys

    script = tmp_path / "gc_window.py"
    script.write_text(GC_SCRIPT)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run(
        [sys.executable, "-X", "faulthandler", str(script), str(Path(__file__).parent)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "survived" in proc.stdout
