"""The XPS tab on the demo project, driven with real mouse events: background end points and
component apexes dragged on the plot (one undo step per drag), components added by a click,
fits and Monte Carlo errors in workers, the component table against the core's fit, and a
template applied across the B 1s etch series."""

from __future__ import annotations

import copy
import csv
from functools import cache

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from lbpo_gui.core.demo.project import build_demo_project
from lbpo_gui.core.project import Project
from lbpo_gui.core.xps.fit import evaluate_spec, exposure_from_metadata, fit_spectrum
from lbpo_gui.core.xps.series import fit_series
from lbpo_gui.core.xps.templates import load_template
from lbpo_gui.gui.tabs.xps import XpsTab
from lbpo_gui.gui.tabs.xps.table import DISPLAY_COLUMNS, parse_number

SAMPLE = "LBPO 0.05-0.15"


@cache
def _demo() -> Project:
    return build_demo_project()


def demo_project() -> Project:
    return copy.deepcopy(_demo())


def dataset(project: Project, label: str, sample: str = SAMPLE):
    return next(d for d in project.sample_by_name(sample).datasets if d.label == label)


def settle(qtbot, tab: XpsTab) -> None:
    """Wait for the deferred refresh and the workers."""
    qtbot.waitUntil(
        lambda: not tab.has_pending_refresh() and not tab.runner.is_busy(), timeout=20000
    )
    QApplication.processEvents()


@pytest.fixture
def open_xps(make_window, qtbot):
    """The window showing the demo's XPS tab on dataset ``label`` of LBPO 0.05-0.15."""

    def factory(label: str = "S 2p before cycling"):
        project = demo_project()
        window = make_window(restore_state=False)
        window.resize(1280, 720)
        window.load_project(project)
        tab = window.tab("XPS")
        assert isinstance(tab, XpsTab)
        window.tab_widget.setCurrentWidget(tab)
        d = dataset(window.document.project, label)
        window.sample_panel.select_sample(window.document.project.sample_by_name(SAMPLE).id)
        settle(qtbot, tab)
        row = [x.id for x in tab.state.datasets].index(d.id)
        rect = tab.dataset_list.visualItemRect(tab.dataset_list.item(row, 0))
        qtbot.mouseClick(tab.dataset_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        settle(qtbot, tab)
        assert tab.state.dataset.id == d.id
        return window, tab, d.id

    return factory


# ------------------------------------------------------------------------ mouse helpers
def view_point(view, be: float, cps: float) -> QPoint:
    """Widget (viewport) coordinates of a data point of the fit plot."""
    vb = view.plot_item.getViewBox()
    scene = vb.mapViewToScene(QPointF(be, cps))
    return view.plot_widget.mapFromScene(scene)


def drag(qtbot, widget, start: QPoint, end: QPoint, steps: int = 8, probe=None) -> None:
    """Press at ``start``, move in steps with the left button held, release at ``end``;
    ``probe()`` is called once in the middle of the drag."""
    viewport = widget.viewport()
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    for i in range(1, steps + 1):
        p = start + (end - start) * (i / steps)
        event = QMouseEvent(
            QEvent.Type.MouseMove,
            QPointF(p),
            QPointF(viewport.mapToGlobal(p)),
            Qt.MouseButton.NoButton,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
        QApplication.sendEvent(viewport, event)
        QApplication.processEvents()
        if probe is not None and i == steps // 2:
            probe()
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)
    QApplication.processEvents()


def click_fit(qtbot, tab: XpsTab) -> None:
    qtbot.mouseClick(tab.fit_button, Qt.MouseButton.LeftButton)
    settle(qtbot, tab)
    assert tab.state.fitted, tab.state.analysis.results.get("error")


def stored(window, dataset_id: str):
    _, d = window.document.project.dataset(dataset_id)
    return d.analyses.get("xps_fit")


# ------------------------------------------------------------------------ tests
def test_drag_background_end_point_changes_background_and_fit(qtbot, open_xps):
    window, tab, did = open_xps("S 2p before cycling")
    view = tab.fit_view
    click_fit(qtbot, tab)
    before = stored(window, did)
    bg_before = np.array(before.arrays["background_cps"])
    areas_before = [c["area"] for c in before.results["components"]]
    steps_before = window.document.undo_stack.count()

    line = view.end_line  # the high-BE end (170 eV, drawn on the left)
    assert line.value() == pytest.approx(170.0)
    y = float(np.mean(view.plot_item.getViewBox().viewRange()[1]))
    seen = {}

    def probe():
        seen["bg"] = np.array(view.bg_item.getOriginalDataset()[1])
        seen["value"] = line.value()

    drag(
        qtbot, view.plot_widget, view_point(view, 170.0, y), view_point(view, 167.5, y), probe=probe
    )
    settle(qtbot, tab)
    # the preview moved during the drag: a shorter background on the new window
    assert 167.5 < seen["value"] < 170.0
    assert seen["bg"].size < bg_before.size
    # one undo step for the whole drag, the window stored, the fit cleared until Fit
    assert window.document.undo_stack.count() == steps_before + 1
    template = stored(window, did).settings["template"]
    assert template["end_eV"] == pytest.approx(167.5, abs=0.1)
    assert not tab.state.fitted
    click_fit(qtbot, tab)
    after = stored(window, did)
    assert after.arrays["binding_energy_eV"].max() == pytest.approx(167.5, abs=0.1)
    areas_after = [c["area"] for c in after.results["components"]]
    assert not np.allclose(areas_after, areas_before, rtol=1e-3)
    # undo: the refit, then the drag -> the first fit again
    window.document.undo()
    window.document.undo()
    settle(qtbot, tab)
    back = stored(window, did)
    assert np.array_equal(np.array(back.arrays["background_cps"]), bg_before)
    assert tab.fit_view.end_line.value() == pytest.approx(170.0)


def test_drag_component_apex_is_one_undo_step(qtbot, open_xps):
    window, tab, did = open_xps("S 2p before cycling")
    view = tab.fit_view
    click_fit(qtbot, tab)
    k = [c.name for c in tab.state.spec.components].index("argyrodite PS4")
    handle = view.handles[k]
    start = handle.pos()
    pos0 = tab.state.spec.components[k].position_eV
    area0 = tab.state.spec.components[k].area
    steps_before = window.document.undo_stack.count()
    target_be, target_y = pos0 + 0.3, start.y() * 0.85
    drag(
        qtbot,
        view.plot_widget,
        view_point(view, start.x(), start.y()),
        view_point(view, target_be, target_y),
        steps=10,
    )
    settle(qtbot, tab)
    assert window.document.undo_stack.count() == steps_before + 1
    moved = tab.state.spec.components[k]
    assert moved.position_eV == pytest.approx(target_be, abs=0.05)
    assert moved.area < area0
    window.document.undo()
    settle(qtbot, tab)
    assert tab.state.spec.components[k].position_eV == pytest.approx(pos0, abs=1e-9)
    assert tab.state.fitted


def test_add_component_by_click_then_undo(qtbot, open_xps):
    window, tab, did = open_xps("B 1s etch 0 s")
    view = tab.fit_view
    assert len(tab.state.spec.components) == 1
    qtbot.mouseClick(view.add_button, Qt.MouseButton.LeftButton)
    assert view.add_button.isChecked()
    x = np.asarray(dataset(window.document.project, "B 1s etch 0 s").arrays["binding_energy_eV"])
    yv = np.asarray(dataset(window.document.project, "B 1s etch 0 s").arrays["counts_per_s"])
    y_at = float(np.interp(189.0, x, yv))
    qtbot.mouseClick(
        view.plot_widget.viewport(), Qt.MouseButton.LeftButton, pos=view_point(view, 189.0, y_at)
    )
    settle(qtbot, tab)
    comps = tab.state.spec.components
    assert len(comps) == 2
    assert comps[1].position_eV == pytest.approx(189.0, abs=0.1)
    assert comps[1].area > 0
    assert not view.add_button.isChecked()
    assert view.table.rowCount() == 2
    assert len(view.handles) == 2
    window.document.undo()
    settle(qtbot, tab)
    assert len(tab.state.spec.components) == 1
    assert view.table.rowCount() == 1


def test_s2p_fit_table_matches_the_core_fit(qtbot, open_xps, tmp_path):
    window, tab, did = open_xps("S 2p before cycling")
    click_fit(qtbot, tab)
    d = dataset(window.document.project, "S 2p before cycling")
    core = fit_spectrum(
        d.arrays["binding_energy_eV"],
        d.arrays["counts_per_s"],
        load_template("s2p-argyrodite"),
        exposure_s=exposure_from_metadata(d.metadata),
    )
    table = tab.fit_view.table
    names = [table.item(r, 0).text() for r in range(table.rowCount())]
    assert names == [c.name for c in core.components]
    shown = [parse_number(table.item(r, 5).text()) for r in range(table.rowCount())]
    assert shown == pytest.approx([c.area_pct for c in core.components], abs=0.006)
    assert "\u00b1" in table.item(0, 2).text()  # errors shown after the fit
    # the exported table carries the unrounded numbers
    path = tab.fit_view.table_export.export_csv(tmp_path / "components.csv")
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [float(r["area_pct"]) for r in rows] == pytest.approx(
        [c.area_pct for c in core.components], rel=1e-6
    )
    # every curve exports: data, background, components, envelope
    path = tab.fit_view.curves_export.export_csv(tmp_path / "curves.csv")
    with open(path, newline="", encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    assert header[:3] == ["binding_energy_eV", "counts_per_s", "background_cps"]
    assert "envelope_cps" in header and f"{names[0]} (cps)" in header


def test_monte_carlo_errors_in_a_worker(qtbot, open_xps):
    window, tab, did = open_xps("S 2p before cycling")
    tab.mc_spin.setValue(20)
    qtbot.mouseClick(tab.mc_button, Qt.MouseButton.LeftButton)
    assert tab.runner.is_busy()
    settle(qtbot, tab)
    res = stored(window, did).results
    assert res["mc"]["n"] == 20
    assert all(c["mc"]["area_pct"]["sd"] > 0 for c in res["components"])
    assert "MC" in tab.fit_view.table.item(0, 5).text()


def test_template_across_the_b1s_depth_series(qtbot, open_xps):
    window, tab, did = open_xps("B 1s etch 0 s")
    series = tab.show_view("Series")
    settle(qtbot, tab)
    assert series.region_combo.currentText() == "B 1s"
    assert series.scope_combo.currentData() == "etch"
    # before the fit: the five spectra of the etch series, binding energy reversed
    assert len(series.plot_item.listDataItems()) == 5
    assert series.plot_item.getViewBox().xInverted()
    steps = window.document.undo_stack.count()
    qtbot.mouseClick(series.run_button, Qt.MouseButton.LeftButton)
    settle(qtbot, tab)
    assert window.document.undo_stack.count() == steps + 1
    project = window.document.project
    b1s = sorted(
        (d for d in project.sample_by_name(SAMPLE).datasets if d.metadata.get("region") == "B 1s"),
        key=lambda d: d.metadata["etch_time_s"],
    )
    assert len(b1s) == 5 and all(d.analyses["xps_fit"].results.get("components") for d in b1s)
    # the same numbers as the core's warm-started series fit
    core = fit_series(
        [
            (
                d.arrays["binding_energy_eV"],
                d.arrays["counts_per_s"],
                exposure_from_metadata(d.metadata),
            )
            for d in b1s
        ],
        load_template("b1s"),
    )
    name = core[0].components[0].name
    assert series.component_combo.currentText() == name
    series.quantity_combo.setCurrentIndex(series.quantity_combo.findData("area"))
    series.quantity_combo.activated.emit(series.quantity_combo.currentIndex())
    curve = series.plot_item.listDataItems()[-1]
    x, y = curve.getOriginalDataset()
    assert list(x) == [d.metadata["etch_time_s"] for d in b1s]
    assert y == pytest.approx([r.component(name).area for r in core], rel=1e-6)
    assert y[-1] < 0.5 * y[0]  # the coating's boron decays with etch time
    # the global fit shares the position across the series
    series.mode_combo.setCurrentIndex(series.mode_combo.findData("global"))
    qtbot.mouseClick(series.run_button, Qt.MouseButton.LeftButton)
    settle(qtbot, tab)
    positions = [d.analyses["xps_fit"].results["components"][0]["position_eV"] for d in b1s]
    assert np.ptp(positions) < 1e-9
    # one undo step per series fit
    window.document.undo()
    window.document.undo()
    settle(qtbot, tab)
    assert all("xps_fit" not in d.analyses for d in b1s)


def test_edit_fwhm_in_the_table_is_one_undo_step(qtbot, open_xps):
    window, tab, did = open_xps("B 1s etch 0 s")
    table = tab.fit_view.table
    steps = window.document.undo_stack.count()
    item = table.item(0, 3)
    rect = table.visualItemRect(item)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: table.state() == table.State.EditingState, timeout=2000)
    editor = QApplication.focusWidget()
    assert editor is not None and editor is not table
    editor.selectAll()
    qtbot.keyClicks(editor, "2.25")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.document.undo_stack.count() == steps + 1, timeout=3000)
    qtbot.wait(50)
    settle(qtbot, tab)
    assert tab.state.spec.components[0].fwhm_eV == pytest.approx(2.25)
    assert table.item(0, 3).text().startswith("2.250")
    window.document.undo()
    settle(qtbot, tab)
    assert tab.state.spec.components[0].fwhm_eV == pytest.approx(1.7)


def test_saved_template_is_offered_for_another_spectrum(qtbot, open_xps, monkeypatch):
    from lbpo_gui.gui import dialogs

    window, tab, did = open_xps("B 1s etch 0 s")
    qtbot.mouseClick(tab.fit_view.add_button, Qt.MouseButton.LeftButton)
    view = tab.fit_view
    y = float(np.mean(view.plot_item.getViewBox().viewRange()[1]))
    qtbot.mouseClick(
        view.plot_widget.viewport(), Qt.MouseButton.LeftButton, pos=view_point(view, 189.0, y)
    )
    settle(qtbot, tab)
    assert len(tab.state.spec.components) == 2
    monkeypatch.setattr(dialogs, "ask_text", lambda *a, **k: "B 1s + P 2s")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, tab)
    assert tab.template_combo.currentText() == "B 1s + P 2s (project)"
    # another spectrum of the series gets it from the chooser, fitted at once
    other = dataset(window.document.project, "B 1s etch 60 s")
    tab.set_dataset(other.id)
    settle(qtbot, tab)
    combo = tab.template_combo
    index = combo.findText("B 1s + P 2s (project)")
    assert index >= 0
    combo.setCurrentIndex(index)
    combo.activated.emit(index)
    settle(qtbot, tab)
    assert tab.state.dataset.id == other.id and tab.state.fitted
    assert len(tab.state.spec.components) == 2
    assert tab.state.analysis.settings["template"]["name"] == "B 1s + P 2s"


def test_cancel_drops_a_running_monte_carlo(qtbot, open_xps):
    window, tab, did = open_xps("S 2p before cycling")
    steps = window.document.undo_stack.count()
    tab.mc_spin.setValue(5000)
    qtbot.mouseClick(tab.mc_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.busy.isVisible(), timeout=5000)
    qtbot.mouseClick(tab.busy.cancel_button, Qt.MouseButton.LeftButton)
    settle(qtbot, tab)
    assert window.document.undo_stack.count() == steps
    assert stored(window, did) is None


def test_a_region_without_template_is_built_by_clicks_and_fitted(qtbot, make_window):
    """A C 1s spectrum (no built-in template): add the component where the peak is, fit, and
    recover the synthetic peak."""
    from guikit import make_dataset

    from lbpo_gui.core.xps.fit import evaluate_spec
    from lbpo_gui.core.xps.model import Background, Component, FitSpec

    rng = np.random.default_rng(3)
    be = np.arange(280.0, 292.0, 0.1)
    true_area, true_pos, true_fwhm = 4000.0, 284.8, 1.1
    truth = FitSpec("C 1s", [Component("C", true_pos, true_fwhm, true_area)], Background("none"))
    peak = evaluate_spec(be, np.ones_like(be), truth).component_curves[0]
    counts = rng.poisson((peak + 500.0) * 2.0) / 2.0
    project = Project("C 1s study")
    s = project.add_sample("Carbon", cathode="NCM811")
    project.add_dataset(
        s.id,
        make_dataset(
            "xps",
            "C 1s survey",
            {"binding_energy_eV": be, "counts_per_s": counts},
            region="C 1s",
            dwell_s=0.2,
            n_scans=10,
        ),
    )
    window = make_window(restore_state=False)
    window.resize(1280, 720)
    window.load_project(project)
    tab = window.tab("XPS")
    window.tab_widget.setCurrentWidget(tab)
    window.sample_panel.select_sample(s.id)
    settle(qtbot, tab)
    view = tab.fit_view
    assert tab.state.spec.components == []
    assert "No components yet" in view.note.text()
    qtbot.mouseClick(view.add_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(
        view.plot_widget.viewport(),
        Qt.MouseButton.LeftButton,
        pos=view_point(view, 285.0, float(np.max(counts)) * 0.8),
    )
    settle(qtbot, tab)
    assert len(tab.state.spec.components) == 1
    assert tab.state.spec.components[0].doublet is None  # C 1s is a singlet
    click_fit(qtbot, tab)
    fitted = tab.state.analysis.results["components"][0]
    assert fitted["position_eV"] == pytest.approx(true_pos, abs=0.02)
    assert fitted["fwhm_eV"] == pytest.approx(true_fwhm, rel=0.05)
    assert fitted["area"] == pytest.approx(true_area, rel=0.05)


def _open_constraints(qtbot, tab: XpsTab, row: int):
    """Double-click the Constraints cell of ``row``; the dialog that opens."""
    table = tab.fit_view.table
    col = [k for k, _ in DISPLAY_COLUMNS].index("constraints")
    rect = table.visualItemRect(table.item(row, col))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: tab.fit_view.constraints_dialog is not None, timeout=2000)
    dialog = tab.fit_view.constraints_dialog
    qtbot.waitUntil(dialog.isVisible, timeout=2000)
    return dialog


def _choose(qtbot, combo, data=None, text=None) -> None:
    """Pick an entry of a combo box with the keyboard, as a user would."""
    index = combo.findData(data) if data is not None else combo.findText(text)
    assert index >= 0, (data, text)
    combo.setFocus()
    while combo.currentIndex() != index:
        key = Qt.Key.Key_Down if combo.currentIndex() < index else Qt.Key.Key_Up
        qtbot.keyClick(combo, key)


def _type(qtbot, spin, text: str) -> None:
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, text)
    qtbot.keyClick(spin, Qt.Key.Key_Tab)


def test_link_a_fwhm_in_the_constraints_dialog_fit_and_undo(qtbot, open_xps):
    window, tab, did = open_xps("S 2p before cycling")
    names = [c.name for c in tab.state.spec.components]
    ms, ps4 = names.index("metal sulphide (NiS/CoS)"), names.index("argyrodite PS4")
    assert tab.state.spec.components[ms].fwhm_link is None
    steps = window.document.undo_stack.count()
    dialog = _open_constraints(qtbot, tab, ms)
    row = dialog.rows["fwhm"]
    _choose(qtbot, row.mode, data="ratio")
    _choose(qtbot, row.ref, text="argyrodite PS4")
    assert row.value.isEnabled()
    _type(qtbot, row.value, "1.25")
    qtbot.mouseClick(
        dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(lambda: window.document.undo_stack.count() == steps + 1, timeout=3000)
    settle(qtbot, tab)
    link = tab.state.spec.components[ms].fwhm_link
    assert (link.ref, link.mode, link.value) == ("argyrodite PS4", "ratio", pytest.approx(1.25))
    col = [k for k, _ in DISPLAY_COLUMNS].index("constraints")
    assert "FWHM = argyrodite PS4 \u00d7 1.25" in tab.fit_view.table.item(ms, col).text()
    click_fit(qtbot, tab)
    fitted = {c["name"]: c for c in stored(window, did).results["components"]}
    assert fitted[names[ms]]["fwhm_eV"] == pytest.approx(1.25 * fitted[names[ps4]]["fwhm_eV"])
    while window.document.undo_stack.index() > steps:
        window.document.undo()
    settle(qtbot, tab)
    assert tab.state.spec.components[ms].fwhm_link is None


def test_a_cycle_of_links_is_refused_in_the_dialog(qtbot, open_xps):
    window, tab, did = open_xps("S 2p before cycling")
    names = [c.name for c in tab.state.spec.components]
    before = stored(window, did).settings if stored(window, did) else None
    steps = window.document.undo_stack.count()
    dialog = _open_constraints(qtbot, tab, names.index("argyrodite PS4"))
    row = dialog.rows["position"]
    _choose(qtbot, row.mode, data="offset")
    _choose(qtbot, row.ref, text="S-S")  # S-S's position is an offset from PS4
    qtbot.mouseClick(
        dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    assert "cycle" in dialog.error.text() and dialog.isVisible()
    qtbot.mouseClick(
        dialog.buttons.button(dialog.buttons.StandardButton.Cancel), Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(lambda: tab.fit_view.constraints_dialog is None, timeout=2000)
    assert window.document.undo_stack.count() == steps
    after = stored(window, did).settings if stored(window, did) else None
    assert after == before


def test_constraints_button_turns_a_singlet_into_a_doublet(qtbot, open_xps):
    window, tab, did = open_xps("B 1s etch 0 s")
    assert tab.state.spec.components[0].doublet is None
    table = tab.fit_view.table
    rect = table.visualItemRect(table.item(0, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseClick(tab.fit_view.constraints_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.fit_view.constraints_dialog is not None, timeout=2000)
    dialog = tab.fit_view.constraints_dialog
    box = dialog.doublet_box
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(12, 8))  # its check box
    assert box.isChecked()
    _type(qtbot, dialog.splitting, "0.75")
    qtbot.mouseClick(
        dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(lambda: tab.state.spec.components[0].doublet is not None, timeout=3000)
    assert tab.state.spec.components[0].doublet.splitting_eV == pytest.approx(0.75)


def test_quantification_view_and_charge_correction_with_undo(qtbot, open_xps):
    window, tab, did = open_xps("S 2p before cycling")
    click_fit(qtbot, tab)
    qtbot.mouseClick(
        tab.view_tabs.tabBar(),
        Qt.MouseButton.LeftButton,
        pos=tab.view_tabs.tabBar().tabRect(2).center(),
    )
    settle(qtbot, tab)
    q = tab.quant_view
    assert tab.view_tabs.currentWidget() is q
    assert q.group_combo.currentText().startswith("before cycling")
    rows = {r["name"]: r for r in q.rows}
    assert set(rows) == {"S 2p", "P 2p"}
    assert rows["S 2p"]["source"] == "fit" and rows["P 2p"]["source"] == "Shirley"
    # Li6PS5Cl: S : P = 5 : 1 (P 16.7 at.%; the unfitted P 2p's Shirley area, without the
    # demo's sloped background and the GL tails outside the window, reads ~10 % low)
    assert rows["P 2p"]["atomic_pct"] == pytest.approx(16.7, abs=2.5)
    assert q.table.rowCount() == 2
    # by component: the S 2p components share the S 2p at. %
    _choose(qtbot, q.by_combo, data="components")
    q.by_combo.activated.emit(q.by_combo.currentIndex())
    assert sum(r["atomic_pct"] for r in q.rows if r["region"] == "S 2p") == pytest.approx(
        rows["S 2p"]["atomic_pct"], abs=0.2
    )
    # charge correction: put the PS4 2p3/2 at 161.80 eV
    _choose(qtbot, q.ref_combo, text="S 2p: argyrodite PS4")
    measured = q.ref_combo.currentData()
    assert q.ref_energy.value() == pytest.approx(measured, abs=0.005)  # not C 1s: no shift yet
    steps = window.document.undo_stack.count()
    # a typing slip (a C 1s energy for an S 2p line) is refused
    from lbpo_gui.gui import dialogs

    _type(qtbot, q.ref_energy, "284.80")
    qtbot.mouseClick(q.apply_button, Qt.MouseButton.LeftButton)
    assert dialogs.recorded[-1].title == "Charge shift not applied"
    assert window.document.undo_stack.count() == steps
    _type(qtbot, q.ref_energy, "161.80")
    qtbot.mouseClick(q.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.document.undo_stack.count() == steps + 1, timeout=5000)
    settle(qtbot, tab)
    shift = 161.80 - measured
    spectra = {d.label: d for d in q.spectra()}
    assert set(spectra) == {"S 2p before cycling", "P 2p before cycling"}
    for d in spectra.values():
        assert d.metadata["charge_shift_eV"] == pytest.approx(shift, abs=1e-4)
    ps4 = next(
        c for c in stored(window, did).results["components"] if c["name"] == "argyrodite PS4"
    )
    assert ps4["position_eV"] == pytest.approx(161.80, abs=0.01)
    tab.show_view("Fit")
    settle(qtbot, tab)
    assert f"Charge-corrected by {shift:+.2f} eV" in tab.fit_view.note.text()
    tab.show_view("Quantification")
    settle(qtbot, tab)
    window.document.undo()
    settle(qtbot, tab)
    assert all("charge_shift_eV" not in d.metadata for d in q.spectra())
    ps4 = next(
        c for c in stored(window, did).results["components"] if c["name"] == "argyrodite PS4"
    )
    assert ps4["position_eV"] == pytest.approx(measured, abs=1e-6)


def test_series_plots_atomic_percent_among_the_regions_of_each_level(qtbot, open_xps):
    window, tab, did = open_xps("B 1s etch 0 s")
    project = window.document.project
    sample = project.sample_by_name(SAMPLE)
    # an S 2p spectrum measured on the powder at the first etch level (same acquisition)
    s2p = copy.deepcopy(dataset(project, "S 2p before cycling"))
    b1s0 = dataset(project, "B 1s etch 0 s")
    extra = type(s2p)(
        "xps",
        "S 2p etch 0 s",
        s2p.arrays,
        {**s2p.metadata, **{k: b1s0.metadata[k] for k in ("specimen", "state", "etch_time_s")}},
    )
    project.add_dataset(sample.id, extra)
    settle(qtbot, tab)
    series = tab.show_view("Series")
    settle(qtbot, tab)
    qtbot.mouseClick(series.run_button, Qt.MouseButton.LeftButton)
    settle(qtbot, tab)
    name = series.component_combo.currentText()
    _choose(qtbot, series.quantity_combo, data="atomic_pct")
    series.quantity_combo.activated.emit(series.quantity_combo.currentIndex())
    x, y = series.plot_item.listDataItems()[-1].getOriginalDataset()
    b1s = sorted(
        (d for d in sample.datasets if d.metadata.get("region") == "B 1s"),
        key=lambda d: d.metadata["etch_time_s"],
    )
    share = [
        next(c for c in d.analyses["xps_fit"].results["components"] if c["name"] == name)
        for d in b1s
    ]
    # alone at the deeper levels the component's at. % is its share of B 1s ...
    assert y[1:] == pytest.approx([c["area_pct"] for c in share[1:]], rel=1e-6)
    # ... and at etch 0 the S 2p of the same acquisition takes its part (RSFs, KE^0.6)
    from lbpo_gui.core.xps.quantification import rsf

    s_area = quantify_region_area(extra)
    b_area = sum(c["area"] for c in b1s[0].analyses["xps_fit"].results["components"])
    b_corr = b_area / (rsf("B 1s") * (1486.6 - share[0]["position_eV"]) ** 0.6)
    s_corr = s_area["area"] / (rsf("S 2p") * (1486.6 - s_area["position"]) ** 0.6)
    assert y[0] == pytest.approx(share[0]["area_pct"] * b_corr / (b_corr + s_corr), rel=1e-6)
    assert "At. %" in series.note.text()


def quantify_region_area(d) -> dict[str, float]:
    """Area and position of an unfitted spectrum as the Quantification view takes them."""
    from lbpo_gui.core.xps.sample_quant import RegionInput, quantify

    row = quantify(
        [RegionInput("S 2p", d.label, d.arrays["binding_energy_eV"], d.arrays["counts_per_s"])]
    ).rows[0]
    return {"area": row["area_cps_eV"], "position": row["position_eV"]}


def test_a_casaxps_fit_in_an_imported_vms_is_the_starting_model(
    qtbot, make_window, shared_data, monkeypatch
):
    """FeO_analyzed.vms carries CasaXPS's own fit: importing it shows that model (Tougaard
    background, four SGL(30) components) and Fit refines it."""
    from lbpo_gui.core.xps.casa import casa_spec_of
    from lbpo_gui.gui.tabs.xps.tab import CASA_ENTRY

    window = make_window(restore_state=False)
    window.resize(1280, 720)
    window.load_project(Project())
    from lbpo_gui.gui import dialogs

    monkeypatch.setattr(dialogs, "ask_text", lambda *a, **k: "FeO reference")  # the new sample
    path = shared_data / "xps/pynxtools-xps/FeO_analyzed.vms"
    with qtbot.waitSignal(window.importer.finished, timeout=10000):
        assert window.import_data([path])
    tab = window.tab("XPS")
    window.tab_widget.setCurrentWidget(tab)
    settle(qtbot, tab)
    d = tab.state.dataset
    assert d is not None
    casa = casa_spec_of(d.metadata)
    assert tab.template_combo.currentText() == CASA_ENTRY
    assert [c.name for c in tab.state.spec.components] == [c.name for c in casa.components]
    assert tab.state.spec.background.kind == "tougaard"
    click_fit(qtbot, tab)
    res = stored(window, d.id).results
    start = evaluate_spec(
        d.arrays["binding_energy_eV"],
        d.arrays["counts_per_s"],
        casa,
        exposure_s=exposure_from_metadata(d.metadata),
    )
    assert res["reduced_chi_square"] <= start.reduced_chi_square * 1.001  # refined, not worse
    fitted = {c["name"]: c for c in res["components"]}
    # the main line stays where CasaXPS put it (its LF satellite shape is read as the nearest
    # shape we have, with a warning, so the weak components may settle elsewhere)
    main = max(casa.components, key=lambda c: c.area)
    assert fitted[main.name]["position_eV"] == pytest.approx(main.position_eV, abs=0.3)
    assert tab.template_combo.currentText() == CASA_ENTRY
