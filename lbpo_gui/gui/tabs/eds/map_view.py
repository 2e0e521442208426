"""Sub-tab "Map & line": an element map (or HAADF) with a draggable, resizable line tool; the
profile along the line and its thickness update live beside it.

The line (``start_nm``, ``end_nm``, ``width_nm``) lives in the analysis settings. A drag of the
line or of one of its end handles is ONE undo step: a gesture token is taken when the drag
starts and every settings update during it carries the token (the commands merge). The width is
a spin box (one step per change); the band the profile averages over is outlined on the map.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ...analysis.export import ExportButton
from ...analysis.plots import pen
from ...analysis.views import AnalysisView, controls_row, note_label
from ...commands import new_gesture
from ...plotting import make_plot_widget
from .profile_plot import ProfilePlot
from .profile_view import profile_note
from .state import EdsState, elements_of, images_of, settings_key

#: Live updates during a drag at most this often, ms (the last position is always applied).
LIVE_INTERVAL_MS = 40
LINE_COLOUR = "#ff3b30"


def _line_of(settings: dict[str, Any]) -> dict[str, Any] | None:
    line = settings.get("line")
    return dict(line) if isinstance(line, dict) else None


class MapView(AnalysisView):
    """A map with the line tool and the live profile."""

    title = "Map && line"
    #: The user moved the line: (line dict, gesture token; 0 = a single step).
    lineEdited = Signal(object, int)
    #: "Across the interface" was clicked.
    autoLineRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = "Map & line"
        self.map_combo = QComboBox()
        self.map_combo.setObjectName("edsMapChoice")
        self.map_combo.setToolTip("Which element map (or image) to show under the line")
        self.map_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.map_combo.setMinimumContentsLength(6)
        self.map_combo.currentIndexChanged.connect(self._on_map_chosen)
        self.width_spin = QDoubleSpinBox()
        self.width_spin.setObjectName("edsLineWidth")
        self.width_spin.setRange(0.1, 10000.0)
        self.width_spin.setDecimals(1)
        self.width_spin.setSuffix(" nm")
        self.width_spin.setKeyboardTracking(False)
        self.width_spin.setToolTip(
            "Width of the band the profile sums over, across the line (outlined on the map)"
        )
        self.width_spin.valueChanged.connect(self._on_width)
        self.auto_button = QPushButton("Across the interface")
        self.auto_button.setObjectName("edsAutoLine")
        self.auto_button.setToolTip(
            "Put the line through the map centre along the interface normal found in the maps, "
            "as wide as the map allows"
        )
        self.auto_button.clicked.connect(self.autoLineRequested)

        self.map_widget = make_plot_widget()
        self.map_widget.setObjectName("edsMapPlot")
        self.map_item = self.map_widget.getPlotItem()
        self.map_item.setLabel("bottom", "x (nm)")
        self.map_item.setLabel("left", "y (nm)")
        self.map_item.vb.setAspectLocked(True)
        self.map_item.vb.invertY(True)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.map_item.addItem(self.image)
        self.band_outline = pg.PlotCurveItem(pen=pen("#ffffff", 1.0))
        self.map_item.addItem(self.band_outline)
        self.roi = pg.LineSegmentROI(
            [(0, 0), (1, 1)], pen=pg.mkPen(LINE_COLOUR, width=2), movable=True
        )
        self.roi.setZValue(30)
        self.map_item.addItem(self.roi)
        self.roi.sigRegionChangeStarted.connect(self._on_drag_started)
        self.roi.sigRegionChanged.connect(self._on_drag_moved)
        self.roi.sigRegionChangeFinished.connect(self._on_drag_finished)
        self.edge_marks = pg.ScatterPlotItem(
            size=9, pen=pg.mkPen("#202020"), brush=pg.mkBrush("#ffffff")
        )
        self.edge_marks.setZValue(31)
        self.map_item.addItem(self.edge_marks)
        self.map_export = ExportButton(self.map_widget, "eds_map")
        self.map_export.setText("Export map")

        self.profile = ProfilePlot("edsMapProfilePlot")
        self.plot_widget = self.profile.widget
        self.plot_item = self.profile.item
        self.profile_export = ExportButton(self.plot_widget, "eds_map_profile")
        self.profile_export.setText("Export profile")

        self.note = note_label()
        self.line_note = note_label()
        self.line_note.setObjectName("edsLineNote")
        # fixed heights: a note that grows by a line mid-drag would shrink the aspect-locked map
        # and move it under the cursor (the full text is in the tooltips)
        lines = self.note.fontMetrics().lineSpacing()
        self.note.setFixedHeight(3 * lines + 4)
        self.line_note.setFixedHeight(2 * lines + 4)
        self.note.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.line_note.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)

        top = controls_row(
            [
                "Map",
                self.map_combo,
                "Line width",
                self.width_spin,
                self.auto_button,
                8,
                self.map_export,
                self.profile_export,
            ]
        )
        self.splitter = QSplitter()
        self.splitter.setObjectName("edsMapSplitter")
        self.splitter.addWidget(self.map_widget)
        self.splitter.addWidget(self.plot_widget)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.map_widget.setMinimumWidth(140)
        self.plot_widget.setMinimumWidth(140)
        layout = QVBoxLayout(self.content)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(top)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.line_note)
        layout.addWidget(self.note)

        self._state: EdsState | None = None
        self._syncing = False
        self._gesture = 0
        self._pending: dict[str, Any] | None = None
        self._last_sent: dict[str, Any] | None = None
        self._image_key: Any = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(LIVE_INTERVAL_MS)
        self._timer.timeout.connect(self._send_pending)

    # ------------------------------------------------------------ line geometry
    def line_points(self) -> tuple[tuple[float, float], tuple[float, float]]:
        """The line's end points in map nm (from the ROI's handles)."""
        pts = [self.roi.mapToParent(h.pos()) for h in self.roi.getHandles()]
        return (float(pts[0].x()), float(pts[0].y())), (float(pts[1].x()), float(pts[1].y()))

    def shown_line(self) -> dict[str, Any]:
        """The line as the tool shows it (settings form)."""
        start, end = self.line_points()
        return {
            "start_nm": [start[0], start[1]],
            "end_nm": [end[0], end[1]],
            "width_nm": float(self.width_spin.value()),
        }

    def handle_scene_pos(self, index: int) -> QPointF:
        """Scene position of end handle ``index`` (0 = start), for tests and tools."""
        h = self.roi.getHandles()[index]
        return self.roi.mapToScene(h.pos())

    def is_dragging(self) -> bool:
        return bool(self._gesture)

    def _set_line(self, line: dict[str, Any]) -> None:
        self._syncing = True
        try:
            self.roi.setPos(QPointF(0, 0), update=False, finish=False)
            handles = self.roi.getHandles()
            self.roi.movePoint(handles[0], QPointF(*line["start_nm"]), finish=False)
            self.roi.movePoint(handles[1], QPointF(*line["end_nm"]), finish=False)
            self.width_spin.blockSignals(True)
            self.width_spin.setValue(float(line["width_nm"]))
            self.width_spin.blockSignals(False)
        finally:
            self._syncing = False
        self._draw_outline(line)

    def _draw_outline(self, line: dict[str, Any]) -> None:
        p0, p1 = np.asarray(line["start_nm"], float), np.asarray(line["end_nm"], float)
        d = p1 - p0
        length = float(np.hypot(*d))
        if length <= 0:
            self.band_outline.setData([], [])
            return
        v = np.array([-d[1], d[0]]) / length * float(line["width_nm"]) / 2
        corners = np.array([p0 + v, p1 + v, p1 - v, p0 - v, p0 + v])
        self.band_outline.setData(corners[:, 0], corners[:, 1])

    # ------------------------------------------------------------ user gestures
    @Slot()
    def _on_drag_started(self) -> None:
        if self._syncing:
            return
        self._gesture = new_gesture()
        self._last_sent = None

    @Slot()
    def _on_drag_moved(self) -> None:
        if self._syncing:
            return
        line = self.shown_line()
        self._draw_outline(line)
        if not self._gesture:
            return
        self._pending = line
        if not self._timer.isActive():
            self._timer.start()

    @Slot()
    def _send_pending(self) -> None:
        line, self._pending = self._pending, None
        if line is not None and line != self._last_sent and self._gesture:
            self._last_sent = line
            self.lineEdited.emit(line, self._gesture)

    @Slot()
    def _on_drag_finished(self) -> None:
        if self._syncing or not self._gesture:
            return
        self._timer.stop()
        self._pending = self.shown_line()
        self._send_pending()
        self._gesture = 0
        self._pending = None

    @Slot(float)
    def _on_width(self, value: float) -> None:
        if self._syncing or self._state is None:
            return
        line = self.shown_line()
        self._draw_outline(line)
        self.lineEdited.emit(line, 0)

    @Slot(int)
    def _on_map_chosen(self, index: int) -> None:
        if self._state is not None and not self._syncing:
            self._draw_image(self._state)

    # ------------------------------------------------------------ drawing
    def render(self, state: EdsState, force: bool = False) -> None:
        d = state.dataset
        if state.dataset_problem() is None and d is not None and d.kind != "eds_map":
            self.show_message(
                f"\u201c{d.label}\u201d is a line profile. The line tool works on element maps "
                "(Velox .emd, HyperSpy .hspy): import maps, or see the Profile view."
            )
            return
        super().render(state, force)

    def render_key(self, state: EdsState) -> Any:
        return (
            state.dataset.id if state.dataset else "",
            id(state.analysis),
            settings_key(state.settings),
        )

    def _fill_choices(self, state: EdsState) -> None:
        d = state.dataset
        assert d is not None
        names = elements_of(d) + images_of(d)
        current = [self.map_combo.itemText(i) for i in range(self.map_combo.count())]
        if current == names:
            return
        keep = self.map_combo.currentText()
        self._syncing = True
        try:
            self.map_combo.clear()
            self.map_combo.addItems(names)
            cathode = list(state.settings.get("cathode") or [])
            preferred = keep if keep in names else ("HAADF" if "HAADF" in names else "")
            preferred = preferred or (cathode[0] if cathode else (names[0] if names else ""))
            self.map_combo.setCurrentIndex(max(0, names.index(preferred)) if preferred else 0)
        finally:
            self._syncing = False

    def _draw_image(self, state: EdsState) -> None:
        d = state.dataset
        assert d is not None
        name = self.map_combo.currentText()
        if name not in d.arrays:
            return
        key = (d.id, name)
        if key == self._image_key:
            return
        a = np.asarray(d.arrays[name], dtype=float)
        px = float(d.metadata.get("pixel_size_nm") or 1.0)
        finite = a[np.isfinite(a)]
        lo, hi = np.percentile(finite, [1, 99.5]) if finite.size else (0.0, 1.0)
        if not hi > lo:
            hi = lo + 1.0
        cmap = "CET-L1" if name in images_of(d) else "viridis"
        self.image.setImage(a, levels=(float(lo), float(hi)))
        self.image.setColorMap(pg.colormap.get(cmap))
        self.image.setRect(QRectF(-px / 2, -px / 2, a.shape[1] * px, a.shape[0] * px))
        self.map_item.setTitle(f"{name} ({d.metadata.get('signal_unit') or 'counts'})", size="9pt")
        if self._image_key is None or self._image_key[0] != d.id:
            # the map's extent, then fixed: a line dragged near the edge must not rescale it
            self.map_item.vb.setRange(
                QRectF(-px / 2, -px / 2, a.shape[1] * px, a.shape[0] * px), padding=0.02
            )
            self.map_item.vb.disableAutoRange()
        self._image_key = key

    def render_content(self, state: EdsState) -> None:
        self._state = state
        self._fill_choices(state)
        self._draw_image(state)
        line = _line_of(state.settings)
        if line is not None and not self.is_dragging():
            self._set_line(line)
        self._mark_edges(state, line)
        problem = self.profile.draw(state)
        note = profile_note(state) if not problem or state.error else problem
        self.note.setText(note)
        self.note.setToolTip(note)
        text = self._line_text(state, line)
        self.line_note.setText(text)
        self.line_note.setToolTip(text)

    def _mark_edges(self, state: EdsState, line: dict[str, Any] | None) -> None:
        edges = state.results.get("edges") or {}
        if line is None or not edges:
            self.edge_marks.setData([], [])
            return
        p0, p1 = np.asarray(line["start_nm"], float), np.asarray(line["end_nm"], float)
        length = float(np.hypot(*(p1 - p0)))
        if length <= 0:
            return
        u = (p1 - p0) / length
        pts = [
            p0 + u * float(e["center_nm"]) for e in edges.values() if e.get("center_nm") is not None
        ]
        self.edge_marks.setData([p[0] for p in pts], [p[1] for p in pts])

    def _line_text(self, state: EdsState, line: dict[str, Any] | None) -> str:
        if line is None:
            return "No line: click \u201cAcross the interface\u201d."
        p0, p1 = np.asarray(line["start_nm"], float), np.asarray(line["end_nm"], float)
        length = float(np.hypot(*(p1 - p0)))
        text = (
            f"Line {length:.1f} nm long, {float(line['width_nm']):.1f} nm wide (red; drag it or "
            "its end handles; white: the band summed across; dots: the fitted edges)."
        )
        angle = state.profile.line_angle_deg if state.profile is not None else None
        if angle is not None:
            limit = float(state.settings.get("max_line_angle_deg") or 10.0)
            verdict = (
                "perpendicular enough"
                if angle <= limit
                else f"NOT perpendicular (> {limit:g} deg): distances are stretched"
            )
            text += f" {angle:.0f} deg from the interface normal: {verdict}."
        return text
