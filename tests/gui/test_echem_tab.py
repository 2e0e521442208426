"""The Electrochemistry tab on the demo project: tables, plots, edits with undo, export, import."""

from __future__ import annotations

import copy
import csv
import io
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from guikit import make_dataset
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QGuiApplication
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from lbpo_gui.core.demo.project import build_demo_project
from lbpo_gui.core.project import Project, rules
from lbpo_gui.core.report.cycling import long_term_rows, rate_table_rows
from lbpo_gui.core.report.export import table_text
from lbpo_gui.gui import dialogs
from lbpo_gui.gui.tabs import TabSpec, default_tabs
from lbpo_gui.gui.tabs.echem import EchemTab
from lbpo_gui.gui.tabs.echem import compute as echem_compute
from lbpo_gui.gui.tabs.echem.mass_dialog import MassDialog


@cache
def _demo() -> Project:
    return build_demo_project()


def demo_project() -> Project:
    """A fresh copy of the demo project (built once per session)."""
    return copy.deepcopy(_demo())


def echem_tabs() -> list[TabSpec]:
    return [TabSpec("Electrochemistry", EchemTab), *default_tabs()[1:]]


@pytest.fixture
def open_window(make_window):
    """A window with the Electrochemistry tab showing ``project``."""

    def factory(project: Project):
        window = make_window(tabs=echem_tabs(), restore_state=False)
        window.load_project(project)
        tab = window.tab("Electrochemistry")
        window.tab_widget.setCurrentWidget(tab)
        return window, tab

    return factory


def click_sample(qtbot, window, name: str) -> None:
    """Click a sample row in the tree."""
    panel = window.sample_panel
    sample = window.document.project.sample_by_name(name)
    index = panel.model.sample_index(sample.id)
    panel.view.scrollTo(index)
    rect = panel.view.visualRect(index)
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert panel.current_sample_id() == sample.id


def settle(qtbot, tab: EchemTab) -> None:
    """Wait for deferred refreshes and background jobs."""
    qtbot.waitUntil(lambda: not tab.has_pending_refresh() and not tab.data.is_busy(), timeout=10000)
    QApplication.processEvents()


def type_into(qtbot, edit, text: str, enter: bool = True) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(edit, text)
    if enter:
        qtbot.keyClick(edit, Qt.Key.Key_Return)


def cycle_row(tab: EchemTab, number: int) -> int:
    model = tab.cycles_view.model
    return [c.cycle for c in model.cycles].index(number)


def cell(tab: EchemTab, number: int, header_start: str) -> str:
    model = tab.cycles_view.model
    col = next(
        i
        for i, c in enumerate(model.columns)
        if c.header.replace("\n", " ").startswith(header_start)
    )
    return model.data(model.index(cycle_row(tab, number), col))


def analysis(dataset):
    return dataset.analyses.get("cycling")


# ============================================================================ tables
def test_pristine_cycles_and_rate_table(qtbot, open_window):
    window, tab = open_window(demo_project())
    click_sample(qtbot, window, "Pristine")
    settle(qtbot, tab)
    view = tab.cycles_view
    assert not view.is_showing_message()
    assert view.model.rowCount() == 20
    first = view.model.cycles[0]
    assert first.cycle == 1
    assert first.discharge_mAh_g == pytest.approx(178.7, abs=0.05)
    assert first.coulombic_efficiency_pct == pytest.approx(76.37, abs=0.02)
    assert cell(tab, 1, "Discharge (mAh/g)") == "178.7"
    assert cell(tab, 1, "CE (%)") in ("76.36", "76.37")
    assert cell(tab, 17, "Current density") == "340"
    assert tab.mass_value.text() == "<b>10.294 mg</b>"
    assert "15 mg composite" in tab.mass_source.text() and "70/102" in tab.mass_source.text()
    assert "76.3" in tab.results_label.text() and "45.9" in tab.results_label.text()
    assert not tab.warnings_label.isVisible()
    # every column header carries its unit
    headers = [c.header for c in view.model.columns]
    assert all("(" in h for h in headers if h not in ("Cycle", "Rate\nstep"))

    # Ctrl+C copies the selection as TSV with its headers
    view.table.setFocus()
    model = view.model
    sel = view.table.selectionModel()
    sel.clearSelection()
    view.table.setCurrentIndex(model.index(0, 0))
    qtbot.keyClick(view.table, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(view.table, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(view.table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    lines = QGuiApplication.clipboard().text().splitlines()
    assert lines == ["Cycle\tCharge (mAh/g)\tDischarge (mAh/g)", "1\t234.0\t178.7"]

    qtbot.mouseClick(
        tab.view_tabs.tabBar(),
        Qt.MouseButton.LeftButton,
        pos=tab.view_tabs.tabBar().tabRect(5).center(),
    )
    settle(qtbot, tab)
    table = tab.rate_table_view
    assert tab.current_view() is table and not table.is_showing_message()
    assert table.rate_model.rowCount() == 9
    pristine = next(r for r in table.rate_model.rows if r["sample"] == "Pristine")
    assert pristine["cap_17_mAh_g_cycle1"] == pytest.approx(178.7, abs=0.05)
    assert table.rate_model.headerData(3, Qt.Orientation.Horizontal) == "17 mA/g\ncycle 1\n(mAh/g)"
    assert table.long_model.rowCount() == 3
    # the highlighted row is the selected sample; double-click selects another sample
    assert table.rate_model.highlight == "Pristine"
    row = [r["sample"] for r in table.rate_model.rows].index("LPO 0.15")
    rect = table.rate_view.visualRect(table.rate_model.index(row, 0))
    qtbot.mouseClick(table.rate_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.rate_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    lpo = window.document.project.sample_by_name("LPO 0.15")
    assert window.sample_panel.current_sample_id() == lpo.id


def test_other_dataset_of_the_sample_and_summary_cache(qtbot, open_window):
    window, tab = open_window(demo_project())
    click_sample(qtbot, window, "Pristine")
    settle(qtbot, tab)
    computed = tab.data.computed["summary"]
    for i in range(tab.view_tabs.count()):
        tab.view_tabs.setCurrentIndex(i)
        settle(qtbot, tab)
    tab.view_tabs.setCurrentIndex(0)
    settle(qtbot, tab)
    # the selected dataset is summarised once; the cross-sample views use the core's own path
    assert tab.data.computed["summary"] == computed
    long_test = window.document.project.sample_by_name("Pristine").datasets_of("cycling")[1]
    rect = tab.dataset_list.visualItemRect(tab.dataset_list.item(1, 0))
    qtbot.mouseClick(tab.dataset_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    settle(qtbot, tab)
    assert tab.current_dataset() is long_test
    assert tab.cycles_view.model.rowCount() == 100
    assert window.sample_panel.current_dataset_id() == long_test.id  # the tree follows
    assert "Retention" in tab.results_label.text() and "cycle 100 vs 1" in tab.results_label.text()


# ============================================================================ edits
def test_mass_editor_halves_capacities_in_one_undo_step(qtbot, open_window):
    window, tab = open_window(demo_project())
    project = window.document.project
    sample = project.sample_by_name("Pristine")
    click_sample(qtbot, window, "Pristine")
    settle(qtbot, tab)
    assert cell(tab, 1, "Discharge (mAh/g)") == "178.7"
    for d in sample.datasets_of("cycling"):  # results stored earlier (e.g. by a script)
        rules.run_analysis(project, d.id, "cycling")
    qtbot.mouseClick(tab.mass_button, Qt.MouseButton.LeftButton)
    dialog = tab.mass_dialog
    assert isinstance(dialog, MassDialog) and dialog.isVisible()
    assert "10.29 mg = 15 mg" in dialog.preview.text()
    type_into(qtbot, dialog.edits["composite_mass_mg"], "30", enter=False)
    assert "20.59 mg = 30 mg" in dialog.preview.text()
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    assert not dialog.isVisible()
    settle(qtbot, tab)
    assert sample.composite_mass_mg == 30.0
    assert cell(tab, 1, "Discharge (mAh/g)") == "89.3"  # 178.7 / 2
    assert tab.cycles_view.model.cycles[0].discharge_mAh_g == pytest.approx(178.7 / 2, abs=0.05)
    assert "30 mg composite" in tab.mass_source.text()
    # the stored results of both cycling datasets were refreshed in the same step
    stack = window.document.undo_stack
    assert stack.count() == 1
    for d in sample.datasets_of("cycling"):
        stored = analysis(d)
        assert stored is not None
        assert stored.results["active_mass_mg"] == pytest.approx(20.588, abs=1e-3)
        assert stored.results["active_mass_source"] == "sample"
    # Ctrl+Z restores everything
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    tab.cycles_view.table.setFocus()
    qtbot.keyClick(tab.cycles_view.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, tab)
    assert sample.composite_mass_mg == 15.0
    assert cell(tab, 1, "Discharge (mAh/g)") == "178.7"
    for d in sample.datasets_of("cycling"):  # the stored results are those of 15 mg again
        assert analysis(d).results["active_mass_mg"] == pytest.approx(10.294, abs=1e-3)


def test_mass_editor_refused_value_keeps_dialog_open(qtbot, open_window, monkeypatch):
    window, tab = open_window(demo_project())
    click_sample(qtbot, window, "Pristine")
    settle(qtbot, tab)
    seen = []
    monkeypatch.setattr(dialogs, "warning", lambda parent, title, text: seen.append(text))
    dialog = tab.edit_masses()
    type_into(qtbot, dialog.edits["active_parts"], "200", enter=False)  # more than total parts
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    assert seen and "exceed" in seen[0]
    assert dialog.isVisible()
    assert window.document.undo_stack.count() == 0
    dialog.reject()


def test_convention_anode_changes_pairing_and_undo(qtbot, open_window):
    window, tab = open_window(demo_project())
    click_sample(qtbot, window, "Pristine")
    settle(qtbot, tab)
    dataset = tab.current_dataset()
    assert analysis(dataset) is None
    combo = tab.convention_combo
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)  # cathode -> anode, as a user does
    settle(qtbot, tab)
    stored = analysis(dataset)
    assert stored is not None and stored.settings["convention"] == "anode"
    assert window.document.undo_stack.count() == 1
    cycles = tab.cycles_view.model.cycles
    assert cycles[0].cycle == 0 and cycles[0].discharge_half_cycle is None  # first charge
    assert cycles[1].cycle == 1 and cycles[1].coulombic_efficiency_pct > 100  # ch/dis
    assert stored.results["cycles"][0]["cycle"] == 0
    assert "anode" in tab.cycles_view.definitions.text()
    window.undo_action.trigger()
    settle(qtbot, tab)
    assert analysis(dataset) is None
    assert tab.convention_combo.currentData() == "cathode"
    assert tab.cycles_view.model.cycles[0].cycle == 1


def test_representative_and_rest_threshold_are_one_command_each(qtbot, open_window):
    window, tab = open_window(demo_project())
    click_sample(qtbot, window, "Pristine")
    settle(qtbot, tab)
    dataset = tab.current_dataset()
    combo = tab.representative_combo
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_End)  # 'mean'
    settle(qtbot, tab)
    assert analysis(dataset).settings["representative"] == "mean"
    assert tab.cycles_view.steps_model.items[0].representative_cycle is None
    type_into(qtbot, tab.rest_edit, "oops")
    assert tab.settings_error.isVisible() and "Rest threshold" in tab.settings_error.text()
    assert window.document.undo_stack.count() == 1
    type_into(qtbot, tab.rest_edit, "0.05")
    settle(qtbot, tab)
    assert analysis(dataset).settings["rest_threshold_mA"] == 0.05
    assert analysis(dataset).settings["representative"] == "mean"
    assert window.document.undo_stack.count() == 2
    assert not tab.settings_error.isVisible()


# ============================================================================ plots
def test_profile_cycles_follow_the_selection(qtbot, open_window):
    window, tab = open_window(demo_project())
    click_sample(qtbot, window, "Pristine")
    settle(qtbot, tab)
    view = tab.show_view("Voltage profiles")
    settle(qtbot, tab)
    assert sorted(i.cycle for i in view.curve_items()) == [1, 7, 12, 17]  # rate steps
    type_into(qtbot, view.chooser.edit, "1, 17")
    items = {i.cycle: i for i in view.curve_items()}
    assert sorted(items) == [1, 17]
    x1, y1 = items[1].getData()
    assert np.nanmax(x1) == pytest.approx(234.0, abs=0.5)  # charge capacity of cycle 1
    assert np.nanmin(y1) == pytest.approx(2.5, abs=0.05) and np.nanmax(y1) <= 4.26
    x17, _ = items[17].getData()
    assert np.nanmax(x17) == pytest.approx(82.6, abs=0.5)
    assert [i.name() for i in view.plot_item.legend.items[0][0:0]] == []
    legend = [label.text for _, label in view.plot_item.legend.items]
    assert legend == ["Cycle 1 (17 mA/g)", "Cycle 17 (340 mA/g)"]
    type_into(qtbot, view.chooser.edit, "12")
    items = view.curve_items()
    assert [i.cycle for i in items] == [12]
    assert np.nanmax(items[0].getData()[0]) == pytest.approx(109.5, abs=0.5)
    # only the discharge branch
    view.discharge_box.setFocus()
    qtbot.mouseClick(view.charge_box, Qt.MouseButton.LeftButton)
    assert np.nanmax(view.curve_items()[0].getData()[0]) == pytest.approx(108.8, abs=0.5)
    qtbot.mouseClick(view.charge_box, Qt.MouseButton.LeftButton)
    # quick picks; many cycles get a colour bar instead of a legend
    qtbot.mouseClick(view.chooser.buttons["all"], Qt.MouseButton.LeftButton)
    assert len(view.curve_items()) == 20 and view.color_bar.shown
    assert view.chooser.edit.text() == "1-20"
    qtbot.mouseClick(view.chooser.buttons["first"], Qt.MouseButton.LeftButton)
    assert [i.cycle for i in view.curve_items()] == [1] and not view.color_bar.shown
    # a bad list says why and keeps the plot
    type_into(qtbot, view.chooser.edit, "1, x")
    assert view.chooser.error.isVisible() and "x" in view.chooser.error.text()
    assert [i.cycle for i in view.curve_items()] == [1]
    type_into(qtbot, view.chooser.edit, "5, 90")
    assert [i.cycle for i in view.curve_items()] == [5]
    assert "Not in this dataset: 90" in view.note.text()


def test_dqdv_settings_are_one_command_and_peak_in_ncm_range(qtbot, open_window):
    window, tab = open_window(demo_project())
    click_sample(qtbot, window, "Pristine")
    settle(qtbot, tab)
    view = tab.show_view("dQ/dV")
    settle(qtbot, tab)
    type_into(qtbot, view.chooser.edit, "1")
    items = view.curve_items()
    assert [i.cycle for i in items] == [1]
    x, y = items[0].getData()
    assert 3.6 <= x[np.nanargmax(y)] <= 4.25  # charge peak
    assert np.nanmin(y) < 0 < np.nanmax(y)  # discharge drawn negative
    dataset = tab.current_dataset()
    stack = window.document.undo_stack
    type_into(qtbot, view.window_spin.lineEdit(), "21")
    settle(qtbot, tab)
    assert stack.count() == 1
    stored = analysis(dataset).settings["dqdv"]
    assert stored["window_points"] == 21 and stored["voltage_step_V"] == pytest.approx(0.002)
    assert "Savitzky\u2013Golay 21 points" in view.note.text()
    x, y = view.curve_items()[0].getData()
    assert 3.6 <= x[np.nanargmax(y)] <= 4.25
    # an even window is refused with a message, nothing stored
    type_into(qtbot, view.window_spin.lineEdit(), "20")
    assert view.settings_error.isVisible() and "odd" in view.settings_error.text()
    assert stack.count() == 1
    type_into(qtbot, view.window_spin.lineEdit(), "21")
    assert not view.settings_error.isVisible()
    # show raw adds the unsmoothed curve
    qtbot.mouseClick(view.raw_box, Qt.MouseButton.LeftButton)
    assert len(view.curve_items(raw=True)) == 1
    window.undo_action.trigger()
    settle(qtbot, tab)
    assert analysis(dataset) is None
    assert view.window_spin.value() == 15


def test_capacity_and_rate_views_overlay_all_samples(qtbot, open_window):
    window, tab = open_window(demo_project())
    click_sample(qtbot, window, "LBPO 0.05-0.15")
    settle(qtbot, tab)
    view = tab.show_view("Capacity & CE")
    settle(qtbot, tab)
    items = view.sample_items()
    # default: long tests for every sample as soon as one has one (never mixed with rate tests)
    assert list(items) == ["Pristine", "LPO 0.15", "LBPO 0.05-0.15"]
    assert view.legend.names() == ["Pristine", "LPO 0.15", "LBPO 0.05-0.15"]
    assert all(len(i.getData()[0]) == 100 for i in items.values())
    assert items["LBPO 0.05-0.15"].opts["pen"].widthF() > items["Pristine"].opts["pen"].widthF()
    ce = view.right.items()
    assert len(ce) == 3 and all(np.nanmax(i.getData()[1]) <= 100.5 for i in ce)
    view.test_combo.setCurrentIndex(view.test_combo.findData("rate"))
    items = view.sample_items()
    assert len(items) == 9 and len(view.legend.names()) == 9
    assert len(items["LBPO 0.05-0.15"].getData()[0]) == 20
    assert items["LBPO 0.05-0.15"].opts["pen"].widthF() > items["LPO 0.1"].opts["pen"].widthF()
    qtbot.mouseClick(view.all_box, Qt.MouseButton.LeftButton)
    assert list(view.sample_items()) == ["LBPO 0.05-0.15"]

    rate = tab.show_view("Rate capability")
    settle(qtbot, tab)
    items = rate.sample_items()
    assert len(items) == 9
    x, y = items["Pristine"].xData, items["Pristine"].yData  # as given (the axis is log)
    assert list(x) == [17, 85, 170, 340]
    assert y[0] == pytest.approx(178.7, abs=0.05) and y[-1] == pytest.approx(82.1, abs=0.1)
    rate.y_combo.setCurrentIndex(1)
    assert rate.sample_items()["Pristine"].yData[-1] == pytest.approx(45.95, abs=0.02)


# ============================================================================ export
def test_rate_table_export_and_copy(qtbot, open_window, tmp_path, monkeypatch):
    window, tab = open_window(demo_project())
    click_sample(qtbot, window, "Pristine")
    view = tab.show_view("Rate table")
    settle(qtbot, tab)
    project = window.document.project
    columns, rows = rate_table_rows(project)
    answers = iter([str(tmp_path / "table1"), str(tmp_path / "tables.xlsx")])
    asked = []

    def save_file_name(parent, title, directory, filters):
        asked.append((title, directory, filters))
        return next(answers)

    monkeypatch.setattr(dialogs, "save_file_name", save_file_name)
    qtbot.mouseClick(view.csv_button, Qt.MouseButton.LeftButton)
    written = tmp_path / "table1.csv"
    assert written.read_text("utf-8") == table_text(columns, rows)
    parsed = list(csv.DictReader(io.StringIO(written.read_text("utf-8"))))
    assert len(parsed) == 9 and parsed[0]["sample"] == "Pristine"
    assert asked[0][1].endswith("table1_rate_capability.csv") and "CSV" in asked[0][2]

    qtbot.mouseClick(view.xlsx_button, Qt.MouseButton.LeftButton)
    from openpyxl import load_workbook

    wb = load_workbook(tmp_path / "tables.xlsx")
    assert wb.sheetnames == ["Table 1 rate capability", "Table S1 long-term"]
    sheet = wb["Table 1 rate capability"]
    assert [c.value for c in sheet[1]] == columns
    assert sheet.cell(2, columns.index("cap_17_mAh_g_cycle1") + 1).value == pytest.approx(178.7)
    long_sheet = wb["Table S1 long-term"]
    assert [c.value for c in long_sheet[1]] == long_term_rows(project)[0]

    qtbot.mouseClick(view.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == table_text(columns, rows, sep="\t")
    qtbot.mouseClick(view.long_copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == table_text(*long_term_rows(project), sep="\t")

    # a cancelled dialog writes nothing; a failing write is a message, not a crash
    monkeypatch.setattr(dialogs, "save_file_name", lambda *a: None)
    assert view.export_csv() is None
    monkeypatch.setattr(
        dialogs, "save_file_name", lambda *a: str(tmp_path / "missing" / "dir" / "t.csv")
    )
    qtbot.mouseClick(view.csv_button, Qt.MouseButton.LeftButton)
    assert dialogs.recorded and dialogs.recorded[-1].level == "critical"
    assert "Cannot export" in dialogs.recorded[-1].title


# ============================================================================ import, empty states
def drop_files(window, paths: list[Path]) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    enter = QDragEnterEvent(
        QPoint(600, 300),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        QPointF(600, 300),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window, drop)


def test_dropped_mpt_file_is_analysed_with_its_header_mass(qtbot, open_window, tmp_path):
    from lbpo_gui.core.demo.build import demo_samples
    from lbpo_gui.core.demo.writers import write_biologic_gcpl_mpt

    path = write_biologic_gcpl_mpt(tmp_path / "pristine_rate.mpt", demo_samples()[0].datasets[0])
    project = Project("Import test")
    project.add_sample("Cell 7")  # no masses: the file header holds the active mass
    window, tab = open_window(project)
    click_sample(qtbot, window, "Cell 7")
    settle(qtbot, tab)
    assert tab.cycles_view.is_showing_message()
    assert "No cycling data in \u201cCell 7\u201d" in tab.cycles_view.message_text()
    assert "drop" in tab.cycles_view.message_text() and tab.is_showing_hint()
    with qtbot.waitSignal(window.importer.finished, timeout=20000) as done:
        drop_files(window, [path])
    assert done.args == [1]
    settle(qtbot, tab)
    assert window.tab_widget.currentWidget() is tab
    assert not tab.cycles_view.is_showing_message()
    cycles = tab.cycles_view.model.cycles
    assert len(cycles) == 20
    assert cycles[0].discharge_mAh_g == pytest.approx(178.7, abs=0.1)
    assert cycles[0].coulombic_efficiency_pct == pytest.approx(76.37, abs=0.05)
    assert tab.mass_value.text() == "<b>10.294 mg</b>"
    assert "file header" in tab.mass_source.text()
    assert "10.29 mg (from the header of" in window.status_sample.text(), "the mass in use"
    tip = tab.dataset_list.item(0, 0).toolTip()
    assert "file: pristine_rate.mpt" in tip and "read by: biologic_mpt" in tip
    # the file's own cycle counter is shown next to ours (EC-Lab counts from 0)
    model = tab.cycles_view.model
    assert model.columns[-1].header.startswith("File's")
    assert model.data(model.index(0, model.columnCount() - 1)) in ("0", "0\u20131")


def test_no_active_mass_message_and_shortcut(qtbot, open_window):
    demo = _demo().sample_by_name("Pristine").datasets_of("cycling")[0]
    arrays = {k: demo.arrays[k] for k in ("time_s", "voltage_V", "current_mA")}
    project = Project("No mass")
    sample = project.add_sample("Unweighed")
    project.add_dataset(sample.id, make_dataset("cycling", "cell 3 rate test", arrays))
    window, tab = open_window(project)
    click_sample(qtbot, window, "Unweighed")
    settle(qtbot, tab)
    for title in ("Cycles", "Voltage profiles", "dQ/dV"):
        view = tab.show_view(title)
        settle(qtbot, tab)
        assert view.is_showing_message()
        assert "No active mass" in view.message_text()
        assert view.message.button.isVisible()
    assert "not set" in tab.mass_value.text()
    rate = tab.show_view("Rate table")
    settle(qtbot, tab)
    assert rate.rate_model.rowCount() == 0 and "Unweighed" in rate.rate_note.text()
    capacity = tab.show_view("Capacity & CE")
    settle(qtbot, tab)
    assert "no active mass" in capacity.note.text()
    view = tab.show_view("Cycles")
    settle(qtbot, tab)
    qtbot.mouseClick(view.message.button, Qt.MouseButton.LeftButton)
    dialog = tab.mass_dialog
    assert dialog is not None and dialog.isVisible()
    type_into(qtbot, dialog.edits["composite_mass_mg"], "15", enter=False)
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    settle(qtbot, tab)
    assert not view.is_showing_message()
    assert view.model.cycles[0].discharge_mAh_g == pytest.approx(178.7, abs=0.1)


def test_no_sample_selected(qtbot, open_window):
    window, tab = open_window(demo_project())
    window.sample_panel.select_sample("")
    settle(qtbot, tab)
    assert tab.is_showing_hint()
    assert "Select a sample" in tab.cycles_view.message_text()
    assert not tab.mass_button.isEnabled()
    tab.show_view("Rate capability")
    settle(qtbot, tab)
    assert len(tab.rate_view.sample_items()) == 9  # cross-sample views need no selection


def test_large_dataset_is_analysed_in_a_worker(qtbot, open_window, monkeypatch):
    monkeypatch.setattr(echem_compute, "LARGE_DATASET_POINTS", 0)
    monkeypatch.setattr(echem_compute, "DQDV_WORKER_HALF_CYCLES", 0)
    monkeypatch.setattr(echem_compute, "CROSS_SAMPLE_WORKER_POINTS", 0)
    window, tab = open_window(demo_project())
    click_sample(qtbot, window, "Pristine")
    assert tab.cycles_view.is_showing_message()
    assert "Analysing" in tab.cycles_view.message_text()
    assert tab.cycles_view.message.busy.isVisible()
    settle(qtbot, tab)
    assert tab.cycles_view.model.rowCount() == 20
    view = tab.show_view("dQ/dV")
    assert tab.data.is_busy("dqdv")
    settle(qtbot, tab)
    assert len(view.curve_items()) == 4
    table = tab.show_view("Rate table")
    settle(qtbot, tab)
    assert table.rate_model.rowCount() == 9
    # a mass edit still recomputes the stored results in one step (before the push)
    rules.run_analysis(window.document.project, tab.current_dataset().id, "cycling")
    tab.apply_masses(tab.sample().id, {"composite_mass_mg": 30.0})
    assert window.document.undo_stack.count() == 1
    assert analysis(tab.current_dataset()).results["cycles"][0]["discharge_mAh_g"] == (
        pytest.approx(178.7 / 2, abs=0.05)
    )
    tab.show_view("Cycles")
    settle(qtbot, tab)
    assert tab.cycles_view.model.cycles[0].discharge_mAh_g == pytest.approx(178.7 / 2, abs=0.05)


def test_vendor_capacity_disagreement_is_shown_calmly(qtbot, open_window, tmp_path):
    from lbpo_gui.core.demo.build import demo_samples
    from lbpo_gui.core.demo.writers import write_biologic_gcpl_mpt
    from lbpo_gui.core.project import Dataset
    from lbpo_gui.core.readers import read

    table = read(write_biologic_gcpl_mpt(tmp_path / "c.mpt", demo_samples()[0].datasets[0]))[0]
    arrays = dict(table.arrays)
    arrays["capacity_mAh"] = arrays["capacity_mAh"] * 1.08
    project = Project("Vendor check")
    sample = project.add_sample("Cell 9", composite_mass_mg=15.0)
    project.add_dataset(
        sample.id, Dataset("cycling", "cell 9", arrays, metadata=dict(table.metadata))
    )
    window, tab = open_window(project)
    click_sample(qtbot, window, "Cell 9")
    settle(qtbot, tab)
    assert tab.warnings_label.isVisible()
    text = tab.warnings_label.text()
    assert "vendor capacity" in text and "+8.00 %" in text and "more" in text
    assert tab.warnings_label.toolTip().count("\n") >= 4
    assert tab.cycles_view.model.cycles[0].discharge_mAh_g == pytest.approx(178.7, abs=0.1)


def test_sample_edited_elsewhere_refreshes_the_numbers(qtbot, open_window):
    from lbpo_gui.gui.commands import EditSampleFields

    window, tab = open_window(demo_project())
    click_sample(qtbot, window, "Pristine")
    settle(qtbot, tab)
    sample = tab.sample()
    doc = window.document
    doc.push(EditSampleFields(doc, sample.id, {"active_mass_override_mg": 5.147}))
    settle(qtbot, tab)
    assert tab.cycles_view.model.cycles[0].discharge_mAh_g == pytest.approx(2 * 178.7, abs=0.2)
    assert tab.mass_source.text() == "from sample: entered override"
    window.undo_action.trigger()
    settle(qtbot, tab)
    assert tab.cycles_view.model.cycles[0].discharge_mAh_g == pytest.approx(178.7, abs=0.05)
