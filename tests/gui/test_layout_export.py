"""The window fits a lab laptop, and every plot exports PNG (at a DPI), SVG and its curves."""

from __future__ import annotations

import csv

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QAbstractScrollArea, QApplication

from lbpo_gui.core.demo.project import build_demo_project
from lbpo_gui.gui import dialogs
from lbpo_gui.gui.analysis.export import ExportButton, TableExportButton, export_curves_csv

LAPTOP = (1280, 720)


@pytest.fixture(scope="module")
def demo():
    return build_demo_project()


def _settle(qtbot, tab) -> None:
    busy = getattr(getattr(tab, "data", None), "is_busy", lambda: False)
    qtbot.waitUntil(lambda: not tab.has_pending_refresh() and not busy(), timeout=15000)
    QApplication.processEvents()


def test_every_tab_and_view_fits_1280x720(qtbot, make_window, demo):
    window = make_window(restore_state=False)
    window.load_project(demo)
    window.resize(*LAPTOP)
    window.sample_panel.select_sample(demo.sample_by_name("LBPO 0.05-0.15").id)
    hint = window.minimumSizeHint()
    assert hint.width() <= LAPTOP[0] and hint.height() <= LAPTOP[1], hint
    dock = window.samples_dock.width()
    for tab in window.tabs:
        window.tab_widget.setCurrentWidget(tab)
        _settle(qtbot, tab)
        assert tab.minimumSizeHint().width() <= LAPTOP[0] - dock, type(tab).__name__
        for i, view in enumerate(getattr(tab, "views", [])):
            tab.view_tabs.setCurrentIndex(i)
            _settle(qtbot, tab)
            assert view.minimumSizeHint().width() <= 640, view.title
            for area in view.findChildren(QAbstractScrollArea):
                bar = area.horizontalScrollBar()
                if area.isVisible() and area.objectName() not in ("",) and bar.isVisible():
                    pytest.fail(f"{view.title}: {area.objectName()} scrolls sideways")
    # the panel beside the views can be collapsed to give the plots the width
    echem = window.tab("Electrochemistry")
    window.tab_widget.setCurrentWidget(echem)
    assert echem.splitter.isCollapsible(0)
    echem.splitter.setSizes([0, 1000])
    assert echem.splitter.sizes()[0] == 0


def test_every_echem_plot_exports_png_svg_and_csv(qtbot, make_window, demo, tmp_path):
    window = make_window(restore_state=False)
    window.load_project(demo)
    window.resize(*LAPTOP)
    window.sample_panel.select_sample(demo.sample_by_name("Pristine").id)
    tab = window.tab("Electrochemistry")
    window.tab_widget.setCurrentWidget(tab)
    exported = 0
    for i, view in enumerate(tab.views):
        tab.view_tabs.setCurrentIndex(i)
        _settle(qtbot, tab)
        buttons = view.findChildren(ExportButton)
        if view.plot_item is None:
            assert view.findChildren(TableExportButton) or "table" in view.title.lower()
            continue
        assert len(buttons) == 1 and buttons[0].isVisible(), view.title
        button = buttons[0]
        stem = tmp_path / f"view{i}"
        png = button.export_png(stem.with_suffix(".png"), dpi=300)
        image = QImage(str(png))
        assert not image.isNull()
        assert round(image.dotsPerMeterX() * 0.0254) == 300
        scene_width = view.plot_item.sceneBoundingRect().width()
        assert image.width() == pytest.approx(scene_width * 300 / 96, rel=0.02)
        svg = button.export_svg(stem.with_suffix(".svg"))
        assert "<svg" in svg.read_text(encoding="utf-8")[:2000]
        path = button.export_csv(stem.with_suffix(".csv"))
        with path.open(newline="", encoding="utf-8") as fh:
            rows = list(csv.reader(fh))
        assert len(rows) > 2 and all(":" in h for h in rows[0])
        assert any("(" in h for h in rows[0]), "units in the headers"
        exported += 1
    assert exported >= 4


def test_export_menu_asks_for_dpi_and_file(qtbot, make_window, demo, tmp_path, monkeypatch):
    window = make_window(restore_state=False)
    window.load_project(demo)
    window.sample_panel.select_sample(demo.sample_by_name("Pristine").id)
    tab = window.tab("Electrochemistry")
    window.tab_widget.setCurrentWidget(tab)
    view = tab.show_view("Voltage profiles")
    _settle(qtbot, tab)
    button = view.findChildren(ExportButton)[0]
    asked = []
    monkeypatch.setattr(
        dialogs, "ask_int", lambda *a: asked.append(a[3]) or 600
    )  # default offered: 300
    monkeypatch.setattr(dialogs, "save_file_name", lambda *a: str(tmp_path / "profiles"))
    button.png_action.trigger()
    assert asked == [300]
    image = QImage(str(tmp_path / "profiles.png"))
    assert round(image.dotsPerMeterX() * 0.0254) == 600
    # every curve of the plot is in the CSV with its original (unthinned) data
    path = export_curves_csv(view.plot_item, tmp_path / "curves.csv")
    header = path.read_text(encoding="utf-8").splitlines()[0]
    assert "Specific capacity (mAh/g)" in header and "Voltage" in header


def test_no_matplotlib_entry_in_the_plot_export_menu(qtbot, tmp_path):
    import pyqtgraph.exporters as exporters

    from lbpo_gui.gui.plotting import make_plot_widget

    widget = make_plot_widget()
    qtbot.addWidget(widget)
    names = [e.__name__ for e in exporters.Exporter.Exporters]
    assert "MatplotlibExporter" not in names and "ImageExporter" in names
    # every exporter that is left works on a real plot (none would raise the crash dialog)
    item = widget.getPlotItem()
    item.plot([1.0, 2.0, 3.0], [3.0, 1.0, 2.0], name="a")
    for exporter in exporters.Exporter.Exporters:
        if exporter.__name__ == "HDF5Exporter":
            continue  # asks for a dataset name; writes through h5py
        suffix = {"ImageExporter": "png", "CSVExporter": "csv"}.get(exporter.__name__, "out")
        target = tmp_path / f"{exporter.__name__}.{suffix}"
        exporter(item).export(str(target))
        assert target.is_file() and target.stat().st_size > 0
