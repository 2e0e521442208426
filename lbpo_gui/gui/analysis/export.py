"""Figures and tables out of the program: PNG at a chosen DPI, SVG, the plotted curves as CSV,
and tables as CSV/XLSX. Every plot view shows an :class:`ExportButton`; every table view a
:class:`TableExportButton`.

PNG: the plot is rendered at ``dpi / 96`` times its on-screen size (so a 300 dpi PNG of a plot
shown 8 inches wide is 2400 px wide) and the DPI is written into the file. CSV of curves: the
*original* data of every curve (not the thinned display copy), one x and one y column per curve,
named after the legend entry and the axis labels (units included).
"""

from __future__ import annotations

import csv
import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QMainWindow,
    QMenu,
    QToolButton,
    QWidget,
)

from ...core.errors import LbpoError
from ...core.report.export import write_csv, write_xlsx
from .. import dialogs

#: The DPI offered first, and the least a figure for a journal should have.
DEFAULT_DPI = 300
MIN_DPI = 72
MAX_DPI = 1200
#: Qt's logical DPI of on-screen sizes.
SCREEN_DPI = 96.0

PNG_FILTER = "PNG image (*.png)"
SVG_FILTER = "SVG drawing (*.svg)"
CSV_FILTER = "CSV table (*.csv)"
XLSX_FILTER = "Excel workbook (*.xlsx)"


def _with_suffix(path: str | Path, suffix: str) -> Path:
    p = Path(path)
    return p if p.suffix.lower() == suffix else p.with_name(p.name + suffix)


def _scene_item(plot: pg.PlotItem | pg.PlotWidget) -> pg.PlotItem:
    return plot.getPlotItem() if isinstance(plot, pg.PlotWidget) else plot


def export_png(plot: pg.PlotItem | pg.PlotWidget, path: str | Path, dpi: int = DEFAULT_DPI) -> Path:
    """Write the plot as a PNG at ``dpi`` (its on-screen size scaled by dpi / 96)."""
    import pyqtgraph.exporters as exporters

    item = _scene_item(plot)
    path = _with_suffix(path, ".png")
    exporter = exporters.ImageExporter(item)
    width = max(1, int(round(item.sceneBoundingRect().width() * dpi / SCREEN_DPI)))
    exporter.parameters()["width"] = width
    image = exporter.export(toBytes=True)
    dots_per_metre = int(round(dpi / 0.0254))
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    if not image.save(str(path), "PNG"):
        raise OSError(f"cannot write {path}")
    return path


def export_svg(plot: pg.PlotItem | pg.PlotWidget, path: str | Path) -> Path:
    """Write the plot as an SVG drawing (Qt's SVG paint engine: vector lines and text).

    pyqtgraph's own SVG exporter fails on the paths current Qt writes, hence QSvgGenerator.
    """
    from PySide6.QtCore import QRectF, QSize
    from PySide6.QtGui import QPainter
    from PySide6.QtSvg import QSvgGenerator

    item = _scene_item(plot)
    path = _with_suffix(path, ".svg")
    source = item.sceneBoundingRect()
    target = QRectF(0, 0, source.width(), source.height())
    generator = QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(QSize(int(source.width()), int(source.height())))
    generator.setViewBox(target)
    generator.setTitle(str(item.titleLabel.text or "plot"))
    generator.setDescription("LBPO Workbench")
    painter = QPainter(generator)
    try:
        item.scene().render(painter, target, source)
    finally:
        painter.end()
    if not path.is_file() or path.stat().st_size == 0:
        raise OSError(f"cannot write {path}")
    return path


def _axis_label(item: pg.PlotItem, name: str) -> str:
    axis = item.getAxis(name)
    text = axis.labelText or ""
    units = axis.labelUnits or ""
    return f"{text} ({units})" if units else text


def plotted_curves(plot: pg.PlotItem | pg.PlotWidget) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """(name, x, y) of every curve drawn in the plot (and on extra view boxes such as a right
    axis), with the original, unthinned data."""
    item = _scene_item(plot)
    views = [item.vb] + [
        v for v in item.scene().items() if isinstance(v, pg.ViewBox) and v is not item.vb
    ]
    curves: list[tuple[str, np.ndarray, np.ndarray]] = []
    seen: set[int] = set()
    for view in views:
        for child in view.addedItems:
            if not isinstance(child, pg.PlotDataItem) or id(child) in seen:
                continue
            seen.add(id(child))
            x, y = child.getOriginalDataset()
            if x is None or y is None or len(x) == 0:
                continue
            name = child.name() or f"curve {len(curves) + 1}"
            curves.append((str(name), np.asarray(x, dtype=float), np.asarray(y, dtype=float)))
    return curves


def export_curves_csv(plot: pg.PlotItem | pg.PlotWidget, path: str | Path) -> Path:
    """Write every plotted curve as columns ``<name>: <x label>``, ``<name>: <y label>``."""
    item = _scene_item(plot)
    path = _with_suffix(path, ".csv")
    curves = plotted_curves(item)
    if not curves:
        raise LbpoError("the plot shows no curves to export")
    x_label = _axis_label(item, "bottom") or "x"
    y_label = _axis_label(item, "left") or "y"
    header: list[str] = []
    for name, _, _ in curves:
        header += [f"{name}: {x_label}", f"{name}: {y_label}"]
    n = max(len(x) for _, x, _ in curves)
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(header)
        for i in range(n):
            row: list[str] = []
            for _, x, y in curves:
                for a in (x, y):
                    v = a[i] if i < len(a) else math.nan
                    row.append("" if not math.isfinite(v) else repr(float(v)))
            out.writerow(row)
    return path


def default_folder(widget: QWidget) -> Path:
    """Where an export dialog starts: the ``export_folder()`` of the nearest parent that has
    one (an analysis tab: the project's folder), else the home folder."""
    parent = widget.parentWidget()
    while parent is not None:
        folder = getattr(parent, "export_folder", None)
        if callable(folder):
            return Path(folder())
        parent = parent.parentWidget()
    return Path.home()


def _status(widget: QWidget, text: str) -> None:
    window = widget.window()
    if isinstance(window, QMainWindow):
        window.statusBar().showMessage(text, 6000)


def _guarded(widget: QWidget, what: str, write: Callable[[], Path]) -> Path | None:
    """Run an export, showing a calm message (never the crash dialog) when it fails."""
    try:
        path = write()
    except (OSError, LbpoError, ValueError) as exc:
        dialogs.critical(widget, f"Cannot export the {what}", str(exc))
        return None
    _status(widget, f"Exported the {what} to {path}")
    return path


class ExportButton(QToolButton):
    """ "Export" with a menu: PNG (asks the DPI), SVG, curves as CSV; for one plot."""

    def __init__(
        self,
        plot: pg.PlotWidget | pg.PlotItem,
        name: str = "figure",
        folder: Callable[[], Path] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.plot = plot
        self.name = name
        self.folder = folder or (lambda: default_folder(self))
        self.setText("Export")
        self.setObjectName("plotExportButton")
        self.setToolTip("Save this plot as PNG (choose the DPI) or SVG, or its curves as CSV")
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self)
        self.png_action = QAction("PNG image\u2026", self)
        self.svg_action = QAction("SVG drawing\u2026", self)
        self.csv_action = QAction("Curves as CSV\u2026", self)
        for action, slot in (
            (self.png_action, self.export_png),
            (self.svg_action, self.export_svg),
            (self.csv_action, self.export_csv),
        ):
            action.triggered.connect(slot)
            menu.addAction(action)
        self.setMenu(menu)

    def _ask(self, title: str, suffix: str, filters: str) -> Path | None:
        start = str(self.folder() / f"{self.name}{suffix}")
        chosen = dialogs.save_file_name(self, title, start, filters)
        return _with_suffix(chosen, suffix) if chosen else None

    @Slot()
    def export_png(self, path: str | Path | None = None, dpi: int | None = None) -> Path | None:
        """Ask for the DPI (default 300) and a file, and write the PNG."""
        if dpi is None:
            dpi = dialogs.ask_int(
                self, "Export PNG", "Resolution (dots per inch):", DEFAULT_DPI, MIN_DPI, MAX_DPI
            )
            if dpi is None:
                return None
        target = Path(path) if path else self._ask("Export the plot as PNG", ".png", PNG_FILTER)
        if target is None:
            return None
        return _guarded(self, "plot", lambda: export_png(self.plot, target, dpi))

    @Slot()
    def export_svg(self, path: str | Path | None = None) -> Path | None:
        """Ask for a file and write the SVG."""
        target = Path(path) if path else self._ask("Export the plot as SVG", ".svg", SVG_FILTER)
        if target is None:
            return None
        return _guarded(self, "plot", lambda: export_svg(self.plot, target))

    @Slot()
    def export_csv(self, path: str | Path | None = None) -> Path | None:
        """Ask for a file and write the plotted curves as CSV."""
        target = Path(path) if path else self._ask("Export the curves as CSV", ".csv", CSV_FILTER)
        if target is None:
            return None
        return _guarded(self, "curves", lambda: export_curves_csv(self.plot, target))


TableSource = Callable[[], tuple[Sequence[str], Sequence[dict[str, Any]]]]


class TableExportButton(QToolButton):
    """ "Export" with a menu: CSV and XLSX of a table given as ``source() -> (columns, rows)``."""

    def __init__(
        self,
        source: TableSource,
        name: str = "table",
        folder: Callable[[], Path] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.source = source
        self.name = name
        self.folder = folder or (lambda: default_folder(self))
        self.setText("Export")
        self.setObjectName("tableExportButton")
        self.setToolTip("Save this table as CSV or as an Excel workbook")
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self)
        self.csv_action = QAction("CSV\u2026", self)
        self.xlsx_action = QAction("Excel workbook (XLSX)\u2026", self)
        self.csv_action.triggered.connect(self.export_csv)
        self.xlsx_action.triggered.connect(self.export_xlsx)
        menu.addAction(self.csv_action)
        menu.addAction(self.xlsx_action)
        self.setMenu(menu)

    def _target(self, path: str | Path | None, suffix: str, filters: str) -> Path | None:
        if path:
            return _with_suffix(path, suffix)
        start = str(self.folder() / f"{self.name}{suffix}")
        chosen = dialogs.save_file_name(self, f"Export the {self.name}", start, filters)
        return _with_suffix(chosen, suffix) if chosen else None

    @Slot()
    def export_csv(self, path: str | Path | None = None) -> Path | None:
        """Write the table as CSV."""
        target = self._target(path, ".csv", CSV_FILTER)
        if target is None:
            return None
        columns, rows = self.source()
        return _guarded(self, "table", lambda: write_csv(target, columns, rows))

    @Slot()
    def export_xlsx(self, path: str | Path | None = None) -> Path | None:
        """Write the table as a one-sheet workbook."""
        target = self._target(path, ".xlsx", XLSX_FILTER)
        if target is None:
            return None
        columns, rows = self.source()
        sheet = self.name[:31] or "table"
        return _guarded(self, "table", lambda: write_xlsx(target, {sheet: (columns, rows)}))


def model_table(model: Any) -> tuple[list[str], list[dict[str, Any]]]:
    """The columns and rows a QAbstractItemModel displays (header texts, display texts)."""
    from PySide6.QtCore import Qt

    columns = [
        str(
            model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole) or ""
        ).replace("\n", " ")
        for c in range(model.columnCount())
    ]
    rows = []
    for r in range(model.rowCount()):
        row = {}
        for c, name in enumerate(columns):
            value = model.data(model.index(r, c), Qt.ItemDataRole.DisplayRole)
            row[name] = "" if value is None else value
        rows.append(row)
    return columns, rows
