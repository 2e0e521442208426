"""The Impedance tab driven through its real widgets: drags on the circuit editor, typing a
CDC, undo, the live preview, the Fit button and the range-drag quick fit."""

from __future__ import annotations

import copy

import numpy as np
import pytest
from guikit import make_dataset
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtWidgets import QApplication, QPushButton

from lbpo_gui.core.demo.project import build_demo_project
from lbpo_gui.core.eis import circuit_impedance, parse_circuit, to_cdc
from lbpo_gui.core.eis.kk import residuals_at_model_frequencies
from lbpo_gui.core.project import Project
from lbpo_gui.gui.tabs.impedance import ImpedanceTab
from lbpo_gui.gui.tabs.impedance.common import spectrum

SAMPLE = "LBPO 0.05-0.15"
ARC = {"R": 480.0, "Q": 2e-8, "n": 0.86}  # f_c ~ 1e5 Hz, inside the data


@pytest.fixture(scope="module")
def demo() -> Project:
    return build_demo_project()


def synthetic_project() -> Project:
    """One sample whose spectrum is R(RQ)(RQ) with a known high-frequency arc, 0.5 % noise."""
    truth = parse_circuit(
        f"R{{R=25:R1}}(R{{R={ARC['R']}:R2}}Q{{Q={ARC['Q']},n={ARC['n']}:Q1}})"
        "(R{R=1500:R3}Q{Q=4e-6,n=0.8:Q2})"
    )
    f = np.logspace(6.5, -1, 90)
    z = circuit_impedance(truth, f)
    rng = np.random.default_rng(11)
    z = z * (1 + 0.005 * (rng.standard_normal(f.size) + 1j * rng.standard_normal(f.size)))
    project = Project("Synthetic")
    s = project.add_sample("Arc")
    arrays = {"frequency_Hz": f, "z_real_ohm": z.real, "z_imag_ohm": z.imag}
    project.add_dataset(s.id, make_dataset("impedance", "two arcs", arrays))
    return project


def open_tab(qtbot, make_window, project: Project, sample: str):
    window = make_window(restore_state=False)
    window.resize(1280, 720)
    window.load_project(project)
    s = window.document.project.sample_by_name(sample)
    window.sample_panel.select_sample(s.id)
    tab = window.tab("Impedance")
    assert isinstance(tab, ImpedanceTab)
    window.tab_widget.setCurrentWidget(tab)
    settle(qtbot, tab)
    tab.show_view("Circuit & fit")
    settle(qtbot, tab)
    return window, tab


def settle(qtbot, tab: ImpedanceTab) -> None:
    qtbot.waitUntil(
        lambda: not tab.has_pending_refresh() and not tab.runner.is_busy(), timeout=30000
    )
    QApplication.processEvents()


def stored_circuit(window, tab):
    d = tab.state.dataset
    return window.document.project.dataset(d.id)[1].analyses.get("eis_fit")


def drag_palette(qtbot, editor, kind: str, scene_point) -> None:
    button = editor.palette[kind]
    qtbot.mousePress(button, Qt.MouseButton.LeftButton, pos=button.rect().center())
    vp = editor.view.viewport()
    end = editor.view.mapFromScene(scene_point)
    for step in (QPoint(-40, 0), QPoint(-10, 0), QPoint(0, 0)):
        qtbot.mouseMove(vp, end + step)
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=end)


def series_wire(editor, after: str):
    return next(
        t
        for t in editor.view.targets
        if t.drop is not None
        and t.drop.how == "series"
        and t.drop.target == after
        and not t.drop.before
    )


def preview_y(tab) -> np.ndarray:
    item = tab.circuit_view.plots.curves["preview"][0]
    return np.concatenate([np.asarray(item.xData, float), np.asarray(item.yData, float)])


def test_palette_drag_onto_a_wire_changes_cdc_preview_and_is_one_undo_step(
    qtbot, make_window, demo
):
    window, tab = open_tab(qtbot, make_window, copy.deepcopy(demo), SAMPLE)
    editor = tab.editor
    assert editor.cdc_text() == "R(QR)(QR)W"
    before_stored = stored_circuit(window, tab)
    before_circuit = editor.circuit()
    before_preview = preview_y(tab)
    stack = window.document.undo_stack if hasattr(window.document, "undo_stack") else None
    count = stack.count() if stack is not None else None
    drag_palette(qtbot, editor, "R", series_wire(editor, "W1").line.center())
    assert editor.cdc_text() == "R(QR)(QR)WR"
    settle(qtbot, tab)
    after_preview = preview_y(tab)
    assert after_preview.shape != before_preview.shape or not np.allclose(
        after_preview, before_preview
    )
    assert to_cdc(parse_circuit(stored_circuit(window, tab).settings["circuit"])) == "R(QR)(QR)WR"
    if count is not None:
        assert stack.count() == count + 1  # the drag is one undo step
    window.document.undo()
    settle(qtbot, tab)
    assert editor.circuit() == before_circuit
    assert editor.cdc_text() == "R(QR)(QR)W"
    assert stored_circuit(window, tab) is before_stored
    assert np.allclose(preview_y(tab), before_preview)


def test_drop_onto_an_element_makes_a_parallel_block(qtbot, make_window, demo):
    window, tab = open_tab(qtbot, make_window, copy.deepcopy(demo), SAMPLE)
    editor = tab.editor
    n_brackets = len(editor.view.schematic.brackets)
    drag_palette(qtbot, editor, "C", editor.view.elements["R1"].sceneBoundingRect().center())
    assert editor.cdc_text() == "(RC)(QR)(QR)W"
    assert len(editor.view.schematic.brackets) == n_brackets + 2
    settle(qtbot, tab)
    window.document.undo()
    settle(qtbot, tab)
    assert editor.cdc_text() == "R(QR)(QR)W"


def test_typing_a_cdc_redraws_and_an_invalid_one_keeps_the_drawing(qtbot, make_window, demo):
    window, tab = open_tab(qtbot, make_window, copy.deepcopy(demo), SAMPLE)
    editor = tab.editor
    field = editor.cdc_field
    field.setFocus()
    field.selectAll()
    qtbot.keyClick(field, Qt.Key.Key_Delete)
    qtbot.keyClicks(field, "R(RQ)(RQ)")
    assert sorted(editor.view.elements) == ["Q1", "Q2", "R1", "R2", "R3"]
    drawn = editor.circuit()
    qtbot.keyClicks(field, "(")
    assert editor.error_position == len("R(RQ)(RQ)(")
    assert editor.cdc_error.isVisible()
    assert editor.circuit() == drawn
    assert sorted(editor.view.elements) == ["Q1", "Q2", "R1", "R2", "R3"]
    qtbot.keyClick(field, Qt.Key.Key_Return)
    settle(qtbot, tab)
    assert to_cdc(parse_circuit(stored_circuit(window, tab).settings["circuit"])) == "R(RQ)(RQ)"
    window.document.undo()  # the typing session was one step
    settle(qtbot, tab)
    assert editor.cdc_text() == "R(QR)(QR)W"


def test_fit_runs_in_a_worker_and_writes_values_on_the_elements(qtbot, make_window, demo):
    window, tab = open_tab(qtbot, make_window, copy.deepcopy(demo), SAMPLE)
    qtbot.mouseClick(tab.circuit_view.fit_button, Qt.MouseButton.LeftButton)
    settle(qtbot, tab)
    a = stored_circuit(window, tab)
    assert a.results.get("resistances"), a.results
    item = tab.editor.view.elements["R2"]
    fitted = parse_circuit(a.settings["circuit"]).element("R2").param("R").value
    assert fitted != 100.0  # not the default start any more
    assert any("\u00b1" in line for line in item.lines)  # error on the element
    labels = {tab.editor.view.elements[i].label for i in ("R2", "R3", "Q1", "Q2")}
    assert labels & {"grain boundary", "electrode interface", "bulk"}
    tab.show_view("Parameters")
    settle(qtbot, tab)
    table = tab.parameters_view.table
    assert table.rowCount() == len(parse_circuit("R(QR)(QR)W").parameters())
    assert table.horizontalHeaderItem(3).text() == "Error (%)"
    # the residual plot under the table: (Z - Z_fit) / |Z| in % of the stored fit, Z' and Z''
    z_fit = a.arrays["z_fit_real_ohm"] + 1j * a.arrays["z_fit_imag_ohm"]
    _, d = window.document.project.dataset(tab.state.dataset.id)
    f, z = spectrum(d)
    want = 100 * residuals_at_model_frequencies(f, z, a.arrays["frequency_Hz"], z_fit)
    curves = tab.parameters_view.plot_item.listDataItems()
    assert len(curves) >= 2
    np.testing.assert_allclose(curves[0].getOriginalDataset()[1], want.real)
    np.testing.assert_allclose(curves[1].getOriginalDataset()[1], want.imag)
    assert np.max(np.abs(want)) < 10  # a good fit of the demo spectrum: a few % at most
    tab.show_view("Table 2")
    settle(qtbot, tab)
    names = [tab.table_view.table.item(r, 0).text() for r in range(tab.table_view.table.rowCount())]
    assert SAMPLE in names


def test_range_drag_quick_fit_gives_start_values_of_the_arc(qtbot, make_window):
    window, tab = open_tab(qtbot, make_window, synthetic_project(), "Arc")
    view = tab.circuit_view
    tab.editor.load_preset("R(RQ)(RQ)")
    settle(qtbot, tab)
    tab.editor.view.select("Q1")  # the pair to fill: R2/Q1
    qtbot.mouseClick(view.quick_button, Qt.MouseButton.LeftButton)
    assert view.range_drag.active
    # drag across the first arc on the Nyquist plot: from left of its start to its end
    plot = view.plots.nyquist
    vb = plot.getPlotItem().getViewBox()
    y = sum(vb.viewRange()[1]) / 2

    def px(x: float) -> QPoint:
        return plot.mapFromScene(vb.mapViewToScene(QPointF(x, y)))

    vp = plot.viewport()
    a, b = px(10.0), px(25 + ARC["R"] * 0.97)  # to the valley between the arcs
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=a)
    for k in range(1, 6):
        qtbot.mouseMove(vp, a + (b - a) * (k / 5))
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=b)
    assert view.region.isVisible()
    settle(qtbot, tab)
    c = tab.editor.circuit()
    assert c.element("R2").param("R").value == pytest.approx(ARC["R"], rel=0.2)
    assert c.element("Q1").param("Q").value == pytest.approx(ARC["Q"], rel=0.2)
    assert c.element("Q1").param("n").value == pytest.approx(ARC["n"], rel=0.2)
    assert "Quick fit" in view.status.text()
    a = stored_circuit(window, tab)
    assert a.settings["auto_start"] is False  # the quick fit's values are the start


def test_every_impedance_plot_and_table_exports(qtbot, make_window, demo, tmp_path):
    from lbpo_gui.gui.analysis.export import ExportButton, TableExportButton

    window, tab = open_tab(qtbot, make_window, copy.deepcopy(demo), SAMPLE)
    tab.fit()
    settle(qtbot, tab)
    written = 0
    for i, view in enumerate(tab.views):
        tab.view_tabs.setCurrentIndex(i)
        settle(qtbot, tab)
        assert not view.is_showing_message(), view.title
        buttons = view.findChildren(ExportButton)
        tables = view.findChildren(TableExportButton)
        assert buttons or tables, view.title
        for k, b in enumerate(buttons):
            assert b.isVisible(), (view.title, b.name)
            assert b.export_png(tmp_path / f"v{i}_{k}.png", dpi=150) is not None
            csv_path = b.export_csv(tmp_path / f"v{i}_{k}.csv")
            assert csv_path is not None and "(" in csv_path.read_text().splitlines()[0]
            written += 1
        for k, t in enumerate(tables):
            assert t.isVisible(), view.title
            assert t.export_csv(tmp_path / f"t{i}_{k}.csv") is not None
    assert written >= 7
    header = (tmp_path / "t6_0.csv").read_text().splitlines()[0]
    assert header == "sample,R_SE_bulk_ohm,R_SE_gb_ohm,R_electrode_SE_ohm,R_total_ohm"


def test_double_click_dialog_sets_value_bounds_and_fixed(qtbot, make_window, demo, monkeypatch):
    from lbpo_gui.gui.circuit_editor.param_dialog import ParamDialog

    window, tab = open_tab(qtbot, make_window, copy.deepcopy(demo), SAMPLE)
    editor = tab.editor

    class Answering(ParamDialog):
        def exec(self) -> int:
            value, lower, upper, fixed = self.fields["R"]
            value.setText("12.5")
            upper.setText("40")
            fixed.setChecked(True)
            self._check_and_accept()
            return 1

    editor.dialog_factory = Answering
    vp = editor.view.viewport()
    pos = editor.view.mapFromScene(editor.view.elements["R1"].sceneBoundingRect().center())
    qtbot.mouseDClick(vp, Qt.MouseButton.LeftButton, pos=pos)
    settle(qtbot, tab)
    p = parse_circuit(stored_circuit(window, tab).settings["circuit"]).element("R1").param("R")
    assert (p.value, p.upper, p.fixed) == (12.5, 40.0, True)
    assert stored_circuit(window, tab).settings["auto_start"] is False
    assert "fixed" in editor.view.elements["R1"].toolTip()


def test_batch_fit_of_all_samples_fills_table2_in_one_undo_step(qtbot, make_window, demo):
    window, tab = open_tab(qtbot, make_window, copy.deepcopy(demo), SAMPLE)
    view = tab.show_view("Table 2")
    settle(qtbot, tab)
    assert all(
        view.table.item(r, 1).text() == "\u2013" for r in range(view.table.rowCount())
    )  # nothing fitted yet
    count = window.document.undo_stack.count()
    qtbot.mouseClick(view.batch_all, Qt.MouseButton.LeftButton)
    settle(qtbot, tab)
    rows = {
        view.table.item(r, 0).text(): float(view.table.item(r, 4).text())
        for r in range(view.table.rowCount())
    }
    # R_total of the study's Table 2 (shared/reference/table2_impedance.csv), within 5 %
    reference = {"Pristine": 189.2, "LPO 0.15": 76.2, "LBPO 0.05-0.15": 62.7}
    assert set(reference) <= set(rows)
    for name, total in reference.items():
        assert rows[name] == pytest.approx(total, rel=0.05), name
    assert window.document.undo_stack.count() == count + 1
    copy_button = next(b for b in view.findChildren(QPushButton) if b.text() == "Copy")
    qtbot.mouseClick(copy_button, Qt.MouseButton.LeftButton)
    pasted = QApplication.clipboard().text().splitlines()
    assert pasted[0].startswith("sample\tR_SE,bulk (\u03a9)") and len(pasted) == 1 + len(rows)
    window.document.undo()
    settle(qtbot, tab)
    assert all(view.table.item(r, 1).text() == "\u2013" for r in range(view.table.rowCount()))


def test_scrolling_over_an_element_tunes_it_with_live_preview_in_one_undo_step(
    qtbot, make_window, demo
):
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QWheelEvent

    window, tab = open_tab(qtbot, make_window, copy.deepcopy(demo), SAMPLE)
    editor = tab.editor
    before = editor.circuit()
    r2 = before.element("R2").param("R").value
    preview = preview_y(tab)
    count = window.document.undo_stack.count()
    vp = editor.view.viewport()
    pos = QPointF(editor.view.mapFromScene(editor.view.elements["R2"].sceneBoundingRect().center()))
    for _ in range(3):
        ev = QWheelEvent(
            pos,
            QPointF(vp.mapToGlobal(pos.toPoint())),
            QPoint(0, 0),
            QPoint(0, 120),
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        )
        QApplication.sendEvent(vp, ev)
        assert not np.allclose(preview_y(tab), preview)  # the curve follows at once
    settle(qtbot, tab)
    assert editor.circuit().element("R2").param("R").value == pytest.approx(r2 * 1.05**3)
    assert window.document.undo_stack.count() == count + 1  # one scroll burst, one step
    window.document.undo()
    settle(qtbot, tab)
    assert editor.circuit() == before


def test_removing_every_element_leaves_an_empty_circuit_that_takes_a_drop(qtbot, make_window, demo):
    window, tab = open_tab(qtbot, make_window, copy.deepcopy(demo), SAMPLE)
    editor = tab.editor
    for element_id in list(editor.circuit().ids()):
        editor.remove_element(element_id)
        settle(qtbot, tab)
    assert len(editor.circuit()) == 0 and editor.cdc_text() == ""
    assert tab.circuit_view.plots.curves["preview"][0].xData is None or not len(
        tab.circuit_view.plots.curves["preview"][0].xData
    )
    wire = next(t for t in editor.view.targets if t.drop is not None)
    drag_palette(qtbot, editor, "R", wire.line.center())
    settle(qtbot, tab)
    assert editor.cdc_text() == "R"


def test_a_running_batch_shows_progress_and_cancel_drops_it(qtbot, make_window, demo, monkeypatch):
    import time

    from lbpo_gui.gui.tabs.impedance import tab as tab_module

    real = tab_module.rules.compute_analysis

    def slow(*args, **kwargs):
        time.sleep(0.3)
        return real(*args, **kwargs)

    monkeypatch.setattr(tab_module.rules, "compute_analysis", slow)
    window, tab = open_tab(qtbot, make_window, copy.deepcopy(demo), SAMPLE)
    view = tab.show_view("Table 2")
    settle(qtbot, tab)
    count = window.document.undo_stack.count()
    qtbot.mouseClick(view.batch_all, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.busy.isVisible(), timeout=3000)
    qtbot.waitUntil(lambda: "Fitting" in tab.busy.label.text(), timeout=3000)  # progress
    qtbot.mouseClick(tab.busy.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not tab.runner.is_busy(), timeout=10000)
    qtbot.wait(400)
    assert window.document.undo_stack.count() == count


def test_parameter_table_edits_values_bounds_and_fixed_one_step_each(qtbot, make_window, demo):
    window, tab = open_tab(qtbot, make_window, copy.deepcopy(demo), SAMPLE)
    view = tab.show_view("Parameters")
    settle(qtbot, tab)
    table = view.table
    row = [table.item(r, 0).text() for r in range(table.rowCount())].index("R1")
    count = window.document.undo_stack.count()
    table.item(row, 2).setText("20")  # what typing into the cell commits
    settle(qtbot, tab)
    circuit = parse_circuit(stored_circuit(window, tab).settings["circuit"])
    assert circuit.element("R1").param("R").value == 20.0
    table = view.table
    table.item(row, 6).setCheckState(Qt.CheckState.Checked)
    settle(qtbot, tab)
    circuit = parse_circuit(stored_circuit(window, tab).settings["circuit"])
    assert circuit.element("R1").param("R").fixed
    assert view.table.item(row, 6).checkState() == Qt.CheckState.Checked
    assert window.document.undo_stack.count() == count + 2
    tab.show_view("Circuit & fit")
    settle(qtbot, tab)
    assert "fixed" in tab.editor.view.elements["R1"].toolTip()
    window.document.undo()
    window.document.undo()
    settle(qtbot, tab)
    assert tab.editor.circuit().element("R1").param("R").value == 100.0


def test_lin_kk_and_drt_are_computed_in_the_background_once_per_spectrum(qtbot, make_window, demo):
    window, tab = open_tab(qtbot, make_window, copy.deepcopy(demo), "LBPO 0.05-0.15")
    view = tab.show_view("DRT")
    assert view.is_showing_message() and "Computing the DRT" in view.message_text()
    assert tab.runner.is_busy("drt"), "the window does not wait for the DRT"
    settle(qtbot, tab)
    qtbot.waitUntil(lambda: not view.is_showing_message(), timeout=20000)
    assert "peaks:" in view.note.text() and "\u03bb = " in view.note.text()
    kk = tab.show_view("Lin-KK")
    settle(qtbot, tab)
    qtbot.waitUntil(lambda: not kk.is_showing_message(), timeout=20000)
    assert "Lin-KK: M = " in kk.note.text()
    # back to the DRT: shown at once from the cache, nothing computed again
    tab.show_view("DRT")
    assert not tab.runner.is_busy("drt") and not view.is_showing_message()
