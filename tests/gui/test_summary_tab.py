"""The Summary tab rebuilds the study's tables from the project, live, and plots across samples."""

from __future__ import annotations

import copy
from functools import cache

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from lbpo_gui.core.demo.project import build_demo_project
from lbpo_gui.core.project import Project


@cache
def _demo() -> Project:
    return build_demo_project()


@pytest.fixture
def summary(make_window, qtbot):
    window = make_window(restore_state=False)
    window.load_project(copy.deepcopy(_demo()))
    tab = window.tab("Summary")
    window.tab_widget.setCurrentWidget(tab)
    settle(qtbot, tab)
    return window, tab


def settle(qtbot, tab) -> None:
    qtbot.waitUntil(
        lambda: not tab.has_pending_refresh() and not tab.runner.is_busy(), timeout=20000
    )
    QApplication.processEvents()


def cell(view, sample: str, column: str):
    model = view.model
    row = next(i for i, r in enumerate(model.rows) if r.get("sample") == sample)
    return model.rows[row][column]


def test_every_table_is_filled_from_the_demo(summary):
    _, tab = summary
    counts = {name: view.model.rowCount() for name, view in tab.table_views.items()}
    assert counts["table1_rate_capability.csv"] == 9
    assert counts["table2_impedance.csv"] == 3
    assert counts["cycling_170mA_g_100cycles.csv"] == 3
    assert counts["xps_components.csv"] >= 16
    assert counts["eds_interlayer_thickness.csv"] == 3
    t1 = tab.table_views["table1_rate_capability.csv"]
    assert cell(t1, "Pristine", "cap_17_mAh_g_cycle1") == pytest.approx(178.7, abs=0.2)
    # the matrix is grouped by coating: Pristine (no LPO) first, LPO 0.15 samples last
    names = [tab.matrix.item(r, 0).text() for r in range(tab.matrix.rowCount())]
    assert names[0] == "Pristine" and names[-1] in ("LBPO 0.15-0.15", "LBPO 0.1-0.15")


def test_a_mass_edit_updates_the_summary_at_once_and_undo_restores_it(summary, qtbot):
    window, tab = summary
    t1 = tab.table_views["table1_rate_capability.csv"]

    def first_step():  # (column, value): the column names the current density of the step
        column = t1.model.column_names[3]
        return column, cell(t1, "Pristine", column)

    before = first_step()
    assert before[0] == "cap_17_mAh_g_cycle1"
    echem = window.tab("Electrochemistry")
    sample = window.document.project.sample_by_name("Pristine")
    window.document.push(echem.mass_command(sample.id, {"composite_mass_mg": 30.0}))
    settle(qtbot, tab)
    column, value = first_step()
    # twice the mass: half the specific capacity at half the current density
    assert value == pytest.approx(before[1] / 2, abs=0.1) and column == "cap_8.5_mAh_g_cycle1"
    window.document.undo()
    settle(qtbot, tab)
    assert first_step() == before


def test_compute_missing_is_one_undo_step(summary, qtbot):
    window, tab = summary
    assert "Compute missing" in tab.compute_button.text()
    depth = window.document.undo_stack.count()
    qtbot.mouseClick(tab.compute_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.document.undo_stack.count() == depth + 1, timeout=60000)
    settle(qtbot, tab)
    statuses = {tab.matrix.item(0, c).text() for c in range(4, tab.matrix.columnCount())}
    assert all("analysed" in s and "not" not in s for s in statuses), statuses
    assert tab.compute_button.text() == "All analysed"
    window.document.undo()
    settle(qtbot, tab)
    assert "not analysed" in tab.matrix.item(0, 4).text()


def test_across_samples_plots_two_figures_with_the_correlation(summary, qtbot):
    _, tab = summary
    tab.tables_tabs.setCurrentWidget(tab.cross)
    tab.cross.choose("Table 2: R_electrode_SE_ohm", "Table 1: first_cycle_ce_pct")
    note = tab.cross.note.text()
    assert "Pearson r = " in note and "n = 3" in note
    labels = [i for i in tab.cross.plot_item.items if i.__class__.__name__ == "TextItem"]
    assert {t.toPlainText() for t in labels} == {"Pristine", "LPO 0.15", "LBPO 0.05-0.15"}
    # against the coating content: one curve per LPO level
    tab.cross.choose("LBO (wt%)", "Table 1: first_cycle_ce_pct")
    assert set(tab.cross.legend.names()) == {"LPO 0 wt%", "LPO 0.1 wt%", "LPO 0.15 wt%"}


def test_double_click_on_a_table_row_opens_its_data(summary, qtbot):
    window, tab = summary
    view = tab.table_views["table2_impedance.csv"]
    tab.tables_tabs.setCurrentWidget(view)
    row = next(i for i, r in enumerate(view.model.rows) if r["sample"] == "LPO 0.15")
    index = view.model.index(row, 1)
    rect = view.view.visualRect(index)
    qtbot.mouseClick(view.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.tab_widget.currentWidget() is window.tab("Impedance")
    sample = window.document.project.sample_by_name("LPO 0.15")
    assert window.sample_panel.current_sample_id() == sample.id


def test_all_tables_export_to_one_workbook(summary, tmp_path):
    import openpyxl

    _, tab = summary
    path = tab.export_all_xlsx(str(tmp_path / "tables"))
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Table 1", "Table 2", "Table S1", "XPS", "EDS"]


def test_figure_set_writes_every_panel_as_png_at_300_dpi_and_svg(summary, tmp_path):
    from PySide6.QtGui import QImage

    _, tab = summary
    written = tab.export_figure_set(str(tmp_path), dpi=300)
    svgs = sorted(p for p in written if p.suffix == ".svg")
    pngs = sorted(p for p in written if p.suffix == ".png")
    assert len(svgs) == len(pngs) >= 6
    stems = {p.stem for p in svgs}
    assert "rate_capability" in stems and any(s.startswith("xps") for s in stems)
    for png in pngs:
        image = QImage(str(png))
        assert round(image.dotsPerMeterX() * 0.0254) == 300
        assert image.width() >= 7 * 300
        # something is drawn: not a blank page
        assert len({image.pixel(x, image.height() // 2) for x in range(0, image.width(), 7)}) > 2


def test_the_report_shows_the_numbers_the_summary_shows(summary, tmp_path):
    """The HTML report and its CSVs hold, cell for cell, what the Summary tab's tables show."""
    import csv
    import html

    from lbpo_gui.core.report.html import write_report

    window, tab = summary
    files = write_report(window.document.project, tmp_path)
    page = html.unescape(files.report.read_text(encoding="utf-8"))
    by_name = {p.name: p for p in files.tables}
    for name, view in tab.table_views.items():
        model = view.model
        with by_name[name].open(newline="", encoding="utf-8") as fh:
            csv_rows = list(csv.DictReader(fh))
        assert len(csv_rows) == model.rowCount(), name
        for r, row in enumerate(model.rows):
            for column in model.column_names:
                value = row.get(column)
                if isinstance(value, float):
                    assert float(csv_rows[r][column]) == pytest.approx(value, rel=1e-9), (
                        name,
                        column,
                    )
                    # the report prints 6 significant digits, the tab rounds for reading
                    assert f">{value:.6g}<" in page, (name, column, value)
