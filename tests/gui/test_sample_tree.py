"""The sample panel: add, edit (dialog), delete with undo; incremental tree updates."""

from __future__ import annotations

from guikit import make_dataset
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from lbpo_gui.gui import dialogs
from lbpo_gui.gui.commands import AddSample, ImportDatasets, MoveDataset, MoveSample, RemoveSample
from lbpo_gui.gui.sample_dialog import SampleDialog, parse_number
from lbpo_gui.gui.sample_tree import sample_display_text


def type_into(qtbot, edit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(edit, text)


def click_ok(qtbot, dialog: SampleDialog) -> None:
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )


def test_edit_sample_dialog_is_one_undo_step(qtbot, make_window, small_lbpo):
    window = make_window(small_lbpo)
    panel = window.sample_panel
    project = window.document.project
    sample = project.samples[1]
    before = sample.fields()
    panel.select_sample(sample.id)
    qtbot.mouseClick(panel.toolbar.widgetForAction(panel.edit_action), Qt.MouseButton.LeftButton)
    dialog = panel.sample_dialog
    assert isinstance(dialog, SampleDialog) and dialog.isVisible()
    assert dialog.name_edit.text() == "LBPO 0.05-0.15"
    assert "10.29 mg" in dialog.active_mass_label.text()

    type_into(qtbot, dialog.name_edit, "LBPO 0.05-0.15 batch 2")
    type_into(qtbot, dialog.number_edits["lbo_wt_pct"], "0,06")  # decimal comma is fine
    type_into(qtbot, dialog.number_edits["composite_mass_mg"], "14.2")
    type_into(qtbot, dialog.number_edits["total_parts"], "100")
    assert "9.94 mg" in dialog.active_mass_label.text()  # 14.2 x 70 / 100
    dialog.notes_edit.setFocus()
    qtbot.keyClicks(dialog.notes_edit, "re-weighed")
    click_ok(qtbot, dialog)
    assert not dialog.isVisible()

    assert sample.name == "LBPO 0.05-0.15 batch 2"
    assert sample.lbo_wt_pct == 0.06 and sample.composite_mass_mg == 14.2
    assert sample.total_parts == 100.0 and sample.notes == "re-weighed"
    assert window.document.undo_stack.count() == 1
    assert sample_display_text(sample) == "LBPO 0.05-0.15 batch 2  (LBO 0.06 / LPO 0.15 wt%)"
    assert panel.model.data(panel.model.sample_index(sample.id)) == sample_display_text(sample)
    assert "9.94 mg" in window.status_sample.text()

    window.undo_action.trigger()
    assert sample.fields() == before
    assert "10.29 mg" in window.status_sample.text()


def test_invalid_mass_shows_error_and_changes_nothing(qtbot, make_window, small_lbpo, monkeypatch):
    window = make_window(small_lbpo)
    panel = window.sample_panel
    sample = window.document.project.samples[0]
    before = sample.fields()
    shown: list[str] = []
    monkeypatch.setattr(dialogs, "warning", lambda parent, title, text: shown.append(text))
    dialog = panel.edit_sample(sample.id)
    assert dialog is not None
    type_into(qtbot, dialog.name_edit, "Renamed too")
    type_into(qtbot, dialog.number_edits["composite_mass_mg"], "-3")
    click_ok(qtbot, dialog)
    assert shown and "composite_mass_mg" in shown[0]
    assert dialog.isVisible(), "the dialog stays open to fix the value"
    assert sample.fields() == before
    assert window.document.undo_stack.count() == 0

    type_into(qtbot, dialog.number_edits["composite_mass_mg"], "twelve")
    click_ok(qtbot, dialog)
    assert "not 'twelve'" in shown[-1]
    assert sample.fields() == before

    # active parts above total parts is refused by the project as well
    type_into(qtbot, dialog.number_edits["composite_mass_mg"], "12")
    type_into(qtbot, dialog.number_edits["active_parts"], "200")
    click_ok(qtbot, dialog)
    assert "cannot exceed" in shown[-1]
    assert sample.fields() == before

    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel), Qt.MouseButton.LeftButton
    )
    assert not dialog.isVisible()
    assert sample.fields() == before


def test_add_and_delete_sample_through_the_ui_with_undo(
    qtbot, make_window, small_lbpo, monkeypatch
):
    window = make_window(small_lbpo)
    panel = window.sample_panel
    project = window.document.project
    qtbot.mouseClick(panel.toolbar.widgetForAction(panel.add_action), Qt.MouseButton.LeftButton)
    dialog = panel.sample_dialog
    assert dialog is not None and dialog.is_new
    assert dialog.name_edit.text() == "Sample 3"
    type_into(qtbot, dialog.name_edit, "LPO 0.15")
    type_into(qtbot, dialog.number_edits["lbo_wt_pct"], "0")
    type_into(qtbot, dialog.number_edits["lpo_wt_pct"], "0.15")
    type_into(qtbot, dialog.number_edits["composite_mass_mg"], "15")
    click_ok(qtbot, dialog)
    assert [s.name for s in project.samples] == ["Pristine", "LBPO 0.05-0.15", "LPO 0.15"]
    new = project.samples[2]
    assert new.lpo_wt_pct == 0.15 and new.lbo_wt_pct == 0.0
    assert panel.current_sample_id() == new.id, "the new sample is selected"
    assert panel.model.rowCount() == 3

    # delete it with the Del key (confirmation answered Yes)
    asked: list[str] = []
    monkeypatch.setattr(
        dialogs, "ask_yes_no", lambda parent, title, text, default=False: asked.append(text) or True
    )
    panel.view.setFocus()
    qtbot.keyClick(panel.view, Qt.Key.Key_Delete)
    assert asked and "LPO 0.15" in asked[0]
    assert [s.name for s in project.samples] == ["Pristine", "LBPO 0.05-0.15"]

    # delete a sample with datasets; undo puts it back at the same index with its datasets
    first = project.samples[0]
    n_datasets = len(first.datasets)
    panel.select_sample(first.id)
    qtbot.keyClick(panel.view, Qt.Key.Key_Delete)
    assert "its 4 datasets" in asked[-1]
    assert [s.name for s in project.samples] == ["LBPO 0.05-0.15"]
    assert panel.model.rowCount() == 1
    qtbot.keyClick(panel.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [s.name for s in project.samples] == ["Pristine", "LBPO 0.05-0.15"]
    assert len(project.samples[0].datasets) == n_datasets
    assert panel.model.rowCount(panel.model.sample_index(first.id)) == n_datasets
    qtbot.keyClick(panel.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [s.name for s in project.samples][-1] == "LPO 0.15"
    qtbot.keyClick(panel.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [s.name for s in project.samples] == ["Pristine", "LBPO 0.05-0.15"]
    assert not window.document.is_dirty()


def test_delete_refused_when_not_confirmed(qtbot, make_window, small_lbpo):
    window = make_window(small_lbpo)
    panel = window.sample_panel
    panel.select_sample(window.document.project.samples[0].id)
    panel.view.setFocus()
    qtbot.keyClick(panel.view, Qt.Key.Key_Delete)  # non-interactive: "No"
    assert len(window.document.project.samples) == 2


def test_delete_dataset_and_undo(qtbot, make_window, small_lbpo, monkeypatch):
    window = make_window(small_lbpo)
    panel = window.sample_panel
    sample = window.document.project.samples[0]
    eis = sample.datasets_of("impedance")[0]
    panel.select_dataset(eis.id)
    assert panel.current_dataset_id() == eis.id and panel.current_sample_id() == sample.id
    monkeypatch.setattr(dialogs, "ask_yes_no", lambda *a, **k: True)
    panel.delete_action.trigger()
    assert eis not in sample.datasets
    assert panel.model.rowCount(panel.model.sample_index(sample.id)) == 3
    window.undo_action.trigger()
    assert sample.datasets[1] is eis
    assert panel.model.dataset_index(eis.id).row() == 1


def test_tree_follows_project_changes_and_keeps_selection(qtbot, make_window, small_lbpo):
    window = make_window(small_lbpo)
    panel = window.sample_panel
    doc = window.document
    project = doc.project
    second = project.samples[1]
    panel.select_sample(second.id)
    doc.push(AddSample(doc, "Inserted first", index=0))
    assert panel.model.rowCount() == 3
    assert panel.current_sample_id() == second.id
    assert panel.view.selectionModel().selectedRows()[0].row() == 2
    doc.push(MoveSample(doc, second.id, 0))
    assert panel.model.sample_index(second.id).row() == 0
    assert panel.current_sample_id() == second.id
    new = [
        make_dataset("xps", "P 2p", {"binding_energy_eV": [1.0, 2.0], "counts_per_s": [3.0, 4.0]})
    ]
    doc.push(ImportDatasets(doc, second.id, new))
    idx = panel.model.dataset_index(new[0].id)
    assert idx.isValid() and panel.view.isExpanded(idx.parent())
    assert panel.model.data(idx.siblingAtColumn(1)) == "2"
    doc.push(RemoveSample(doc, project.sample_by_name("Inserted first").id))
    assert panel.model.rowCount() == 2
    assert panel.current_sample_id() == second.id
    while doc.undo_stack.canUndo():
        doc.undo()
    assert [panel.model.item_of(panel.model.index(r, 0))[1] for r in range(2)] == [
        s.id for s in project.samples
    ]


def test_parse_number():
    assert parse_number("") is None
    assert parse_number(" 1,5 ") == 1.5
    assert parse_number("abc") == "abc"


def test_double_click_renames_dataset(qtbot, make_window, small_lbpo):
    from PySide6.QtWidgets import QApplication, QLineEdit

    window = make_window(small_lbpo)
    panel = window.sample_panel
    dataset = window.document.project.samples[0].datasets_of("impedance")[0]
    rect = panel.view.visualRect(panel.model.dataset_index(dataset.id))
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and editor.text() == "Pristine EIS charged"
    editor.selectAll()
    qtbot.keyClicks(editor, "EIS after 1st charge")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dataset.label == "EIS after 1st charge")
    assert (
        window.document.undo_stack.undoText()
        == "Rename dataset to \u201cEIS after 1st charge\u201d"
    )
    window.undo_action.trigger()
    assert dataset.label == "Pristine EIS charged"
    assert panel.model.data(panel.model.dataset_index(dataset.id)) == "Pristine EIS charged"


def test_quit_shortcut_is_not_ambiguous(qtbot, make_window):
    window = make_window()
    keys = [k.toString() for k in window.quit_action.shortcuts()]
    assert len(keys) == len(set(keys)) and "Ctrl+Q" in keys


def test_moving_a_dataset_updates_the_tree_without_a_reset(qtbot, make_window, small_lbpo):
    window = make_window(small_lbpo)
    panel = window.sample_panel
    doc = window.document
    first, second = doc.project.samples
    dataset = first.datasets[2]
    resets: list[int] = []
    panel.model.modelReset.connect(lambda: resets.append(1))
    doc.push(MoveDataset(doc, dataset.id, second.id, 0))
    assert second.datasets[0] is dataset
    idx = panel.model.dataset_index(dataset.id)
    assert idx.parent().row() == 1 and idx.row() == 0
    assert panel.model.rowCount(panel.model.sample_index(first.id)) == 3
    doc.undo()
    assert first.datasets[2] is dataset
    assert panel.model.dataset_index(dataset.id).parent().row() == 0
    assert resets == []
