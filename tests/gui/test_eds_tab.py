"""The EDS tab driven through its real widgets: side assignment, method, the line tool on maps
(a mouse drag of its handle is one undo step), the demo's thicknesses and the comparison."""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication
from scipy.special import ndtr

from lbpo_gui.core.demo.eds import eds_profile_truth
from lbpo_gui.core.demo.project import build_demo_project
from lbpo_gui.core.project import Dataset, Project
from lbpo_gui.core.project.model import Provenance
from lbpo_gui.gui.analysis.export import ExportButton, TableExportButton
from lbpo_gui.gui.tabs.eds import EdsTab

HSPY = "eds/eds-processing-notebooks"


@cache
def _demo() -> Project:
    return build_demo_project()


def demo_project() -> Project:
    return copy.deepcopy(_demo())


def settle(qtbot, tab: EdsTab) -> None:
    """Wait for deferred refreshes (and the map view's live-update timer)."""
    qtbot.waitUntil(
        lambda: not tab.has_pending_refresh() and not tab.map_view._timer.isActive(),
        timeout=10000,
    )
    QApplication.processEvents()


@pytest.fixture
def open_tab(make_window, qtbot):
    """A 1280x720 window showing the EDS tab of ``project`` with ``sample`` selected."""

    def factory(project: Project, sample: str):
        window = make_window(restore_state=False)
        window.resize(1280, 720)
        window.load_project(project)
        window.sample_panel.select_sample(project.sample_by_name(sample).id)
        tab = window.tab("EDS")
        assert isinstance(tab, EdsTab)
        window.tab_widget.setCurrentWidget(tab)
        settle(qtbot, tab)
        return window, tab

    return factory


def click_dataset(qtbot, tab: EdsTab, label: str) -> None:
    """Click the row of ``label`` in the tab's dataset list."""
    table = tab.dataset_list
    for row in range(table.rowCount()):
        if table.item(row, 0).text() == label:
            rect = table.visualItemRect(table.item(row, 0))
            qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
            settle(qtbot, tab)
            assert tab.state.dataset.label == label
            return
    raise AssertionError(f"no dataset {label!r}")


def choose(qtbot, combo, text: str, check: bool = True) -> None:
    """Pick ``text`` in a closed combo box with the keyboard, as a user would (emits
    ``activated``)."""
    combo.setFocus()
    target = combo.findText(text)
    assert target >= 0, text
    items = [combo.itemText(i) for i in range(combo.count())]
    if [t[:1] for t in items].count(text[:1]) == 1:
        qtbot.keyClicks(combo, text[:1])  # keyboard search: straight to the item
    key = Qt.Key.Key_Down if target > combo.currentIndex() else Qt.Key.Key_Up
    for _ in range(abs(target - combo.currentIndex())):  # arrows through the others
        qtbot.keyClick(combo, key)
    if check:
        assert combo.currentText() == text


def results(tab: EdsTab) -> dict:
    return tab.state.results


def synthetic_map_dataset(t50_nm: float = 4.0, sigma_nm: float = 1.0) -> Dataset:
    """Ni and S maps (counts, Poisson, fixed seed) with a vertical interface: Ni falls at
    x = 22 nm, S rises at x = 22 - t50; 0.5 nm pixels, 60 rows x 80 columns."""
    px, rows, cols = 0.5, 60, 80
    x = np.arange(cols) * px
    rng = np.random.default_rng(11)
    x_c = 22.0
    ni = 5 + 60 * ndtr(-(x - x_c) / sigma_nm)
    s = 4 + 45 * ndtr((x - (x_c - t50_nm)) / sigma_nm)
    arrays = {
        "Ni": rng.poisson(np.tile(ni, (rows, 1))).astype(float),
        "S": rng.poisson(np.tile(s, (rows, 1))).astype(float),
        "HAADF": np.tile(100 + 50 * ndtr(-(x - x_c) / sigma_nm), (rows, 1)),
    }
    meta = {
        "technique": "STEM-EDS maps",
        "elements": ["Ni", "S"],
        "images": ["HAADF"],
        "pixel_size_nm": px,
        "signal_unit": "counts",
        "shape": [rows, cols],
        "map_filter": None,
    }
    return Dataset(
        kind="eds_map",
        label="Synthetic maps",
        arrays=arrays,
        metadata=meta,
        provenance=Provenance(original_name="maps.emd", reader="synthetic"),
    )


def map_project() -> Project:
    project = Project("Maps")
    s = project.add_sample("Bare NCM", cathode="NCM811")
    project.add_dataset(s.id, synthetic_map_dataset())
    return project


# ============================================================================ profiles
def test_demo_profiles_give_the_generators_thickness(qtbot, open_tab):
    project = demo_project()
    window, tab = open_tab(project, "Pristine")
    assert tab.view_tabs.tabText(0) == "Profile"
    checked = 0
    for sample_name in ("Pristine", "LBPO 0.05-0.15"):
        window.sample_panel.select_sample(project.sample_by_name(sample_name).id)
        settle(qtbot, tab)
        for label in [d.label for d in tab.state.datasets]:
            click_dataset(qtbot, tab, label)
            truth = eds_profile_truth(sample_name, label[4:])
            r = results(tab)
            # the study's reading (T10, the default method) and the T50 the generator built in
            assert r["t_theta"]["code"] == "T10"
            assert r["t_theta"]["fit_nm"] == pytest.approx(truth["thickness_nm"], abs=0.5)
            assert r["thickness_nm"] == pytest.approx(truth["t50_nm"], abs=0.3)
            view = tab.profile_view
            assert view.profile.label_text.startswith("T10 = ")
            assert f"{r['t_theta']['fit_nm']:.1f}" in view.profile.label_text
            lo, hi = view.profile.band.getRegion()
            assert hi - lo == pytest.approx(r["t_theta"]["fit_nm"], rel=1e-6)
            assert "both >= 10%" in view.note.text() or "10 %" in view.note.text()
            checked += 1
    assert checked == 3
    # normalised to the fitted plateaus: every element runs from ~0 to ~1 (display only)
    steps = window.document.undo_stack.count()
    qtbot.mouseClick(tab.profile_view.normalised, Qt.MouseButton.LeftButton)
    settle(qtbot, tab)
    fits = [i for i in tab.profile_view.plot_item.listDataItems() if i.name().endswith("fit")]
    assert len(fits) == 4
    for item in fits:
        _, y = item.getData()
        assert min(y) == pytest.approx(0.0, abs=0.02) and max(y) == pytest.approx(1.0, abs=0.02)
    assert window.document.undo_stack.count() == steps


def test_assign_sides_with_the_combos_updates_the_thickness_and_undo(qtbot, open_tab):
    project = demo_project()
    window, tab = open_tab(project, "Pristine")
    click_dataset(qtbot, tab, "EDS after 100 cycles")
    dataset = tab.state.dataset
    before = results(tab)["thickness_nm"]
    assert tab.side_combos["Co"].currentText() == "Cathode"
    steps = window.document.undo_stack.count()
    # picking the side it already has changes nothing and stores nothing
    choose(qtbot, tab.side_combos["Co"], "Cathode")
    settle(qtbot, tab)
    assert window.document.undo_stack.count() == steps and not dataset.analyses

    # Co moved to the electrolyte: it rises nowhere near S, P: the fit and its warning say so
    choose(qtbot, tab.side_combos["Co"], "Electrolyte")
    settle(qtbot, tab)
    stored = dataset.analyses["eds_thickness"]
    assert stored.settings["electrolyte"] == ["Co", "S", "P"]
    assert stored.settings["cathode"] == ["Ni"]
    assert window.document.undo_stack.count() == steps + 1
    after = results(tab)["thickness_nm"]
    assert after != pytest.approx(before, abs=0.05)
    assert "Co" in tab.warnings_label.text() and tab.warnings_label.isVisible()
    assert "Co (electrolyte)" in tab.profile_view.profile.legend.names()

    # ignoring it instead, then keeping Ni alone on the cathode side
    choose(qtbot, tab.side_combos["Co"], "Ignore")
    settle(qtbot, tab)
    assert dataset.analyses["eds_thickness"].settings["electrolyte"] == ["S", "P"]
    assert results(tab)["thickness_nm"] == pytest.approx(before, abs=0.5)
    # the last cathode element cannot go: the fit needs one edge per side
    choose(qtbot, tab.side_combos["Ni"], "Ignore", check=False)
    settle(qtbot, tab)
    assert tab.side_combos["Ni"].currentText() == "Cathode"
    assert "at least one cathode" in tab.settings_error.text()
    assert window.document.undo_stack.count() == steps + 2

    window.document.undo()
    settle(qtbot, tab)
    assert tab.side_combos["Co"].currentText() == "Electrolyte"
    assert results(tab)["thickness_nm"] == pytest.approx(after)
    window.document.undo()
    settle(qtbot, tab)
    assert "eds_thickness" not in dataset.analyses
    assert tab.side_combos["Co"].currentText() == "Cathode"
    assert results(tab)["thickness_nm"] == pytest.approx(before)


def test_method_theta_and_broadening_are_undo_steps(qtbot, open_tab):
    project = demo_project()
    window, tab = open_tab(project, "LBPO 0.05-0.15")
    dataset = tab.state.dataset
    choose(qtbot, tab.method_combo, tab.method_combo.itemText(0))  # T50
    settle(qtbot, tab)
    assert dataset.analyses["eds_thickness"].settings["method"] == "T50"
    assert tab.profile_view.profile.label_text.startswith("T50 = ")
    choose(qtbot, tab.method_combo, tab.method_combo.itemText(1))  # T_theta from the fit
    settle(qtbot, tab)
    t10 = results(tab)["t_theta"]["fit_nm"]
    tab.theta_spin.setFocus()
    tab.theta_spin.lineEdit().selectAll()
    qtbot.keyClicks(tab.theta_spin.lineEdit(), "0.05")
    qtbot.keyClick(tab.theta_spin.lineEdit(), Qt.Key.Key_Return)
    settle(qtbot, tab)
    assert results(tab)["t_theta"]["code"] == "T05"
    assert results(tab)["t_theta"]["fit_nm"] > t10
    assert tab.profile_view.profile.label_text.startswith("T05 = ")
    # an instrumental sigma: removed in quadrature from the edges, T50 unchanged
    t50 = results(tab)["thickness_nm"]
    tab.sigma_edit.setFocus()
    qtbot.keyClicks(tab.sigma_edit, "1.0")
    qtbot.keyClick(tab.sigma_edit, Qt.Key.Key_Return)
    settle(qtbot, tab)
    r = results(tab)
    assert r["edges"]["cathode"]["sigma_instr_nm"] == pytest.approx(1.0)
    assert r["thickness_nm"] == pytest.approx(t50)
    assert r["t_theta"]["intrinsic_nm"] < r["t_theta"]["fit_nm"]
    # a bad number is refused with a message, nothing stored
    steps = window.document.undo_stack.count()
    tab.sigma_edit.selectAll()
    qtbot.keyClicks(tab.sigma_edit, "abc")
    qtbot.keyClick(tab.sigma_edit, Qt.Key.Key_Return)
    assert "enter a width" in tab.settings_error.text()
    assert window.document.undo_stack.count() == steps
    # or the Goldstein estimate from probe and lamella (used once the typed sigma is cleared)
    tab.sigma_edit.selectAll()
    qtbot.keyClick(tab.sigma_edit, Qt.Key.Key_Delete)
    qtbot.keyClick(tab.sigma_edit, Qt.Key.Key_Return)
    for edit, text in ((tab.probe_edit, "1.0"), (tab.lamella_edit, "60")):
        edit.setFocus()
        qtbot.keyClicks(edit, text)
        qtbot.keyClick(edit, Qt.Key.Key_Return)
    settle(qtbot, tab)
    edges = results(tab)["edges"]
    assert edges["cathode"]["broadening"]["source"] == "estimated"
    assert set(edges["cathode"]["broadening"]["terms"]) == {"probe", "beam_spread"}
    # NCM811 spreads the beam more than Li6PS5Cl
    assert edges["cathode"]["sigma_instr_nm"] > edges["electrolyte"]["sigma_instr_nm"] > 0.4
    assert dataset.analyses["eds_thickness"].settings["instrument"]["lamella_thickness_nm"] == 60
    for _ in range(7):
        window.document.undo()
    settle(qtbot, tab)
    assert "eds_thickness" not in dataset.analyses


# ============================================================================ maps
def settle_layout(qtbot, view) -> None:
    """Wait until the map's aspect-locked range stopped changing (positions are then final)."""
    last = None
    for _ in range(50):
        qtbot.wait(30)
        now = (view.handle_scene_pos(1), view.map_item.vb.viewRange())
        if now == last:
            return
        last = now


def _drag(qtbot, widget, start: QPoint, end: QPoint, steps: int = 6) -> None:
    """Press, move in steps and release on the plot's viewport, as a hand would: pyqtgraph
    gives the drag to the item under the mouse at the first move that starts it, drops moves
    faster than its rate limit and treats a small move within 0.5 s as a click; so rest on the
    start point, nudge 2 px after 0.6 s (the drag starts on the grabbed item), then move."""
    viewport = widget.viewport()
    qtbot.mouseMove(viewport, start)
    qtbot.wait(40)
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    qtbot.wait(600)
    d = end - start
    length = max(1.0, (d.x() ** 2 + d.y() ** 2) ** 0.5)
    qtbot.mouseMove(viewport, start + QPoint(round(2 * d.x() / length), round(2 * d.y() / length)))
    for k in range(1, steps + 1):
        qtbot.wait(40)
        qtbot.mouseMove(viewport, start + d * (k / steps))
    qtbot.wait(40)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=end)


def test_drag_the_line_handle_updates_profile_and_thickness_one_undo_step(qtbot, open_tab):
    project = map_project()
    window, tab = open_tab(project, "Bare NCM")
    view = tab.show_view("Map & line")
    settle(qtbot, tab)
    assert not view.is_showing_message()
    dataset = tab.state.dataset
    settle_layout(qtbot, view)
    r0 = results(tab)
    line0 = dict(tab.state.settings["line"])
    assert r0["thickness_nm"] == pytest.approx(4.0, abs=0.3)  # the built-in T50
    assert "not_perpendicular" not in r0["warning_codes"]
    assert "perpendicular enough" in view.line_note.text()
    profile0 = tab.state.profile.distance_nm.copy()
    n0 = len(view.profile.item.listDataItems())
    assert n0 >= 4  # data and fit of Ni and S
    steps = window.document.undo_stack.count()

    # drag the end handle 18 nm up: the line tilts ~ 30 deg off the interface normal
    widget = view.map_widget
    handle = view.handle_scene_pos(1)
    start = widget.mapFromScene(handle)
    target_scene = view.map_item.vb.mapViewToScene(
        view.map_item.vb.mapSceneToView(handle) + type(handle)(0, -18.0)
    )
    end = widget.mapFromScene(target_scene)
    _drag(qtbot, widget, start, end)
    settle(qtbot, tab)

    line1 = dataset.analyses["eds_map_thickness"].settings["line"]
    assert line1["start_nm"] == pytest.approx(line0["start_nm"])
    assert line1["end_nm"][1] == pytest.approx(line0["end_nm"][1] - 18.0, abs=1.0)
    assert window.document.undo_stack.count() == steps + 1  # the whole drag: one step
    r1 = results(tab)
    angle = np.degrees(
        np.arctan2(
            abs(line1["end_nm"][1] - line1["start_nm"][1]),
            abs(line1["end_nm"][0] - line1["start_nm"][0]),
        )
    )
    assert angle > 20
    # distances along a tilted line are stretched by 1 / cos(angle)
    assert r1["thickness_nm"] == pytest.approx(4.0 / np.cos(np.radians(angle)), abs=0.4)
    assert "not_perpendicular" in r1["warning_codes"]
    assert "NOT perpendicular" in view.line_note.text()
    assert "off the interface normal" in tab.warnings_label.toolTip()
    # the profile beside the map is the one along the new line
    assert not np.array_equal(tab.state.profile.distance_nm, profile0)
    assert view.line_points()[1] == pytest.approx(tuple(line1["end_nm"]), abs=1e-6)

    window.document.undo()
    settle(qtbot, tab)
    assert "eds_map_thickness" not in dataset.analyses
    assert results(tab)["thickness_nm"] == pytest.approx(r0["thickness_nm"])
    assert view.line_points()[1] == pytest.approx(tuple(line0["end_nm"]), abs=1e-6)


def test_drag_the_whole_line_and_change_its_width(qtbot, open_tab):
    project = map_project()
    window, tab = open_tab(project, "Bare NCM")
    view = tab.show_view("Map & line")
    settle(qtbot, tab)
    dataset = tab.state.dataset
    settle_layout(qtbot, view)
    line0 = dict(tab.state.settings["line"])
    widget = view.map_widget
    vb = view.map_item.vb
    # grab the line in its middle, away from the handles, and move it 5 nm down
    mid = [(a + b) / 2 for a, b in zip(line0["start_nm"], line0["end_nm"], strict=True)]
    mid[0] += 6.0
    from PySide6.QtCore import QPointF

    p0 = widget.mapFromScene(vb.mapViewToScene(QPointF(*mid)))
    p1 = widget.mapFromScene(vb.mapViewToScene(QPointF(mid[0], mid[1] + 5.0)))
    steps = window.document.undo_stack.count()
    _drag(qtbot, widget, p0, p1)
    settle(qtbot, tab)
    line1 = dataset.analyses["eds_map_thickness"].settings["line"]
    assert line1["start_nm"][1] == pytest.approx(line0["start_nm"][1] + 5.0, abs=0.6)
    assert line1["end_nm"][1] == pytest.approx(line0["end_nm"][1] + 5.0, abs=0.6)
    assert window.document.undo_stack.count() == steps + 1
    # a narrower band: one step, fewer counts per step in the profile
    counts_wide = float(np.max(tab.state.profile.signals["Ni"]))
    view.width_spin.setFocus()
    view.width_spin.lineEdit().selectAll()
    qtbot.keyClicks(view.width_spin.lineEdit(), "5")
    qtbot.keyClick(view.width_spin.lineEdit(), Qt.Key.Key_Return)
    settle(qtbot, tab)
    assert dataset.analyses["eds_map_thickness"].settings["line"]["width_nm"] == pytest.approx(5.0)
    assert window.document.undo_stack.count() == steps + 2
    assert float(np.max(tab.state.profile.signals["Ni"])) < counts_wide / 3
    assert results(tab)["thickness_nm"] == pytest.approx(4.0, abs=0.5)
    # "Across the interface" puts the core's line back
    qtbot.mouseClick(view.auto_button, Qt.MouseButton.LeftButton)
    settle(qtbot, tab)
    line2 = dataset.analyses["eds_map_thickness"].settings["line"]
    for key in ("start_nm", "end_nm", "width_nm"):
        assert line2[key] == pytest.approx(line0[key])
    # the map choice shows the HAADF image too (display only: no undo step)
    steps = window.document.undo_stack.count()
    choose(qtbot, view.map_combo, "HAADF")
    assert view.image.image.shape == (60, 80)
    assert window.document.undo_stack.count() == steps


def test_hspy_maps_assign_sides_and_read_the_rebco_interface(qtbot, open_tab, shared_data):
    folder = Path(shared_data) / HSPY
    paths = sorted(folder.glob("*.hspy")) if folder.is_dir() else []
    if not paths:
        pytest.skip("hspy maps not available")
    from lbpo_gui.core.readers.hspy_maps import read_hspy_maps

    project = Project("REBCO")
    s = project.add_sample("REBCO on STO")
    project.add_dataset(s.id, Dataset.from_import(read_hspy_maps(paths, "REBCO maps")))
    window, tab = open_tab(project, "REBCO on STO")
    view = tab.show_view("Map & line")
    settle(qtbot, tab)
    # no default markers in these maps: the analysis asks for the sides
    assert "cathode" in tab.state.error and "electrolyte" in tab.state.error
    choose(qtbot, tab.side_combos["Y"], "Cathode")
    settle(qtbot, tab)
    choose(qtbot, tab.side_combos["Sr"], "Electrolyte")
    settle(qtbot, tab)
    r = results(tab)
    assert not tab.state.error
    # an abrupt interface: the Y and Sr centres coincide within 0.5 nm, widths 1.5-4 nm
    assert abs(r["thickness_nm"]) < 0.5
    for el in ("Y", "Sr"):
        assert 1.5 < r["elements"][el]["width_10_90_nm"] < 4.0
    assert view.profile.label_text.startswith("T10 = ")
    assert window.document.undo_stack.count() == 2


# ============================================================================ across samples
def test_results_across_samples_table_and_export(qtbot, open_tab, tmp_path):
    project = demo_project()
    window, tab = open_tab(project, "Pristine")
    view = tab.show_view("Across samples")
    settle(qtbot, tab)
    table = view.table
    assert table.rowCount() == 3
    header = [table.horizontalHeaderItem(i).text() for i in range(table.columnCount())]
    assert header[:4] == ["Sample", "State", "T10 (nm)", "Elements"]
    values = {
        (table.item(r, 0).text(), table.item(r, 1).text()[:5]): float(table.item(r, 2).text())
        for r in range(table.rowCount())
    }
    assert values[("Pristine", "befor")] == pytest.approx(5.0, abs=0.5)
    assert values[("Pristine", "after")] == pytest.approx(20.0, abs=0.5)
    assert values[("LBPO 0.05-0.15", "after")] == pytest.approx(7.0, abs=0.5)
    button = view.findChildren(TableExportButton)[0]
    path = button.export_csv(tmp_path / "eds.csv")
    head = path.read_text(encoding="utf-8").splitlines()[0]
    assert head.startswith("sample,state,interlayer_thickness_nm,elements")
    plot_button = [b for b in view.findChildren(ExportButton) if b.isVisible()]
    assert plot_button and plot_button[0].export_png(tmp_path / "t.png", dpi=150).is_file()
    # a side change on one profile shows in the comparison
    tab.show_view("Profile")
    choose(qtbot, tab.side_combos["P"], "Ignore")
    settle(qtbot, tab)
    tab.show_view("Across samples")
    settle(qtbot, tab)
    assert view.rows[0]["elements"].endswith("S (electrolyte)")


def test_every_eds_view_has_export_and_fits_the_laptop(qtbot, open_tab):
    project = map_project()
    project.add_dataset(
        project.samples[0].id, copy.deepcopy(_demo().sample_by_name("Pristine")).datasets[-1]
    )
    window, tab = open_tab(project, "Bare NCM")
    for i, view in enumerate(tab.views):
        tab.view_tabs.setCurrentIndex(i)
        settle(qtbot, tab)
        assert view.minimumSizeHint().width() <= 640, view.title
        assert [b for b in view.findChildren(ExportButton) if b.isVisible()], view.title
    # a line profile has no map: the map view says so
    click_dataset(qtbot, tab, "EDS after 100 cycles")
    view = tab.show_view("Map & line")
    settle(qtbot, tab)
    assert view.is_showing_message() and "line profile" in view.message_text()
