"""The schematic view: draws a :class:`~.layout.Schematic` and turns mouse gestures into drops.

A gesture (a palette element carried in, or a placed element dragged) highlights the target
under the cursor and reports the circuit that dropping there would give; the release commits
it through the editor. Items are rebuilt from the layout after every change (the circuit tree
owns the topology; items are views).
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QLineF, QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QMouseEvent, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene, QGraphicsView, QWidget

from ...core.eis.circuit import Circuit
from ...core.eis.drop import Drop
from .items import INK, ElementItem, TargetItem
from .layout import ELEMENT_W, Schematic, layout

#: Mouse travel (px) before a press on an element becomes a drag.
DRAG_START = 6
#: Largest zoom factor of the schematic.
MAX_ZOOM = 1.5


class CircuitView(QGraphicsView):
    """The schematic. Emits ``elementClicked(id)`` / ``elementDoubleClicked(id)``,
    ``deleteRequested(id)`` and ``contextRequested(id, global QPoint)``; gestures are reported
    to the ``hover`` and ``release`` callbacks the editor sets."""

    elementClicked = Signal(str)
    elementDoubleClicked = Signal(str)
    deleteRequested = Signal(str)
    contextRequested = Signal(str, QPoint)
    #: (element id, wheel notches, Shift held): tune the element's value
    tuneRequested = Signal(str, float, bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("circuitView")
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setBackgroundBrush(QColor("#fbfbfb"))
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.elements: dict[str, ElementItem] = {}
        self.targets: list[TargetItem] = []
        self.schematic = Schematic()
        self.selected_id = ""
        self._press: tuple[str, QPointF] | None = None
        self._highlight: QGraphicsItem | None = None
        #: set by the editor: hover(scene point or None) during a gesture; release(point)
        self.hover: Callable[[QPointF | None], None] = lambda p: None
        self.release: Callable[[QPointF | None], None] = lambda p: None
        self.start_move: Callable[[str], None] = lambda element_id: None
        self.carrying: Callable[[], bool] = lambda: False

    # ------------------------------------------------------------------ drawing
    def show_circuit(
        self, circuit: Circuit, lines: Callable[[str], tuple[list[str], str, str]]
    ) -> None:
        """Lay out and draw ``circuit``; ``lines(id)`` gives (value lines, label, tooltip)."""
        scene = self.scene()
        scene.clear()
        self.elements.clear()
        self.targets.clear()
        self._highlight = None
        sch = layout(circuit)
        self.schematic = sch
        for w in sch.wires:
            item = TargetItem(QLineF(w.x1, w.y1, w.x2, w.y2), w.drop)
            scene.addItem(item)
            if w.drop is not None:
                self.targets.append(item)
        for b in sch.brackets:
            item = TargetItem(
                QLineF(b.x, b.y1, b.x, b.y2),
                Drop("parallel", b.path),
                bracket=True,
                tooltip="Drop here: in parallel with this whole block",
            )
            scene.addItem(item)
            self.targets.append(item)
        for pe in sch.elements:
            text, label, tip = lines(pe.element.id)
            item = ElementItem(pe.element, text, label, tip)
            item.setPos(pe.x, pe.y)
            scene.addItem(item)
            self.elements[pe.element.id] = item
        pen = QPen(INK, 1.4)
        for x, y, name in sch.terminals:
            scene.addEllipse(QRectF(x - 4, y - 4, 8, 8), pen, QColor("#ffffff"))
            t = scene.addSimpleText(name)
            t.setPos(x - t.boundingRect().width() / 2, y + 6)
        if self.selected_id in self.elements:
            self.elements[self.selected_id].set_selected(True)
        else:
            self.selected_id = ""
        scene.setSceneRect(QRectF(0, 0, max(sch.width, ELEMENT_W * 2), sch.height))
        self.fit_schematic()

    def fit_schematic(self) -> None:
        """Show the whole schematic, at most :data:`MAX_ZOOM` x."""
        rect = self.scene().sceneRect()
        if rect.isEmpty() or self.viewport().width() < 10:
            return
        vw, vh = self.viewport().width() - 8, self.viewport().height() - 8
        k = min(vw / rect.width(), vh / rect.height(), MAX_ZOOM)
        self.resetTransform()
        self.scale(k, k)
        self.centerOn(rect.center())

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self.fit_schematic()

    def select(self, element_id: str) -> None:
        if self.selected_id in self.elements:
            self.elements[self.selected_id].set_selected(False)
        self.selected_id = element_id if element_id in self.elements else ""
        if self.selected_id:
            self.elements[self.selected_id].set_selected(True)

    # ------------------------------------------------------------------ hit testing
    def element_at(self, scene_pos: QPointF) -> ElementItem | None:
        for item in self.scene().items(scene_pos):
            if isinstance(item, ElementItem):
                return item
        return None

    def target_at(self, scene_pos: QPointF) -> ElementItem | TargetItem | None:
        """The drop target under ``scene_pos``: an element, else a bus bar, else a wire."""
        el = self.element_at(scene_pos)
        if el is not None:
            return el
        near = self.scene().items(QRectF(scene_pos - QPointF(4, 4), scene_pos + QPointF(4, 4)))
        hits = [i for i in near if isinstance(i, TargetItem) and i.drop is not None]
        # the nearest line wins, so a branch's short stub is not shadowed by the bus bar beside
        # it; within a pixel or two the bus bar is preferred
        hits.sort(key=lambda i: (round(_distance(i.line, scene_pos) / 2.0), not i.bracket))
        return hits[0] if hits else None

    def set_highlight(self, item: QGraphicsItem | None) -> None:
        if item is self._highlight:
            return
        if self._highlight is not None:
            self._highlight.set_highlighted(False)  # type: ignore[attr-defined]
        self._highlight = item
        if item is not None:
            item.set_highlighted(True)  # type: ignore[attr-defined]

    # ------------------------------------------------------------------ mouse
    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        pos = self.mapToScene(event.position().toPoint())
        if event.button() == Qt.MouseButton.LeftButton:
            item = self.element_at(pos)
            self.setFocus()
            if item is not None:
                self._press = (item.element_id, pos)
                self.select(item.element_id)
                self.elementClicked.emit(item.element_id)
            else:
                self.select("")
                self.elementClicked.emit("")
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        pos = self.mapToScene(event.position().toPoint())
        if (
            self._press is not None
            and not self.carrying()
            and (pos - self._press[1]).manhattanLength() >= DRAG_START
        ):
            self.start_move(self._press[0])
        if self.carrying():
            self.hover(pos)
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        pos = self.mapToScene(event.position().toPoint())
        self._press = None
        if self.carrying():
            self.release(pos)
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        item = self.element_at(self.mapToScene(event.position().toPoint()))
        self._press = None
        if item is not None:
            self.elementDoubleClicked.emit(item.element_id)
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def contextMenuEvent(self, event) -> None:  # noqa: N802 (Qt API)
        item = self.element_at(self.mapToScene(event.pos()))
        if item is not None:
            self.select(item.element_id)
            self.contextRequested.emit(item.element_id, event.globalPos())
            event.accept()

    def wheelEvent(self, event) -> None:  # noqa: N802 (Qt API)
        item = self.element_at(self.mapToScene(event.position().toPoint()))
        if item is not None:
            notches = event.angleDelta().y() / 120.0
            shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            self.tuneRequested.emit(item.element_id, notches, shift)
            event.accept()
            return
        super().wheelEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.selected_id:
            self.deleteRequested.emit(self.selected_id)
            event.accept()
            return
        if event.key() == Qt.Key.Key_Escape and self.carrying():
            self.release(None)
            return
        super().keyPressEvent(event)


def _distance(line: QLineF, p: QPointF) -> float:
    """Distance from ``p`` to the segment ``line``, scene px."""
    d = line.p2() - line.p1()
    n2 = QPointF.dotProduct(d, d)
    t = 0.0 if n2 == 0 else min(1.0, max(0.0, QPointF.dotProduct(p - line.p1(), d) / n2))
    gap = line.p1() + d * t - p
    return math.hypot(gap.x(), gap.y())
