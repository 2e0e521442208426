"""The graphics items of the schematic: elements (symbol, id, values) and the wires and bus
bars that are drop targets. Items are views of the circuit tree: they hold an element id or a
:class:`~lbpo_gui.core.eis.drop.Drop` and never change the circuit themselves."""

from __future__ import annotations

from PySide6.QtCore import QLineF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
)
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from ...core.eis.circuit import Element
from ...core.eis.drop import Drop
from .layout import ELEMENT_H, ELEMENT_MID, ELEMENT_W
from .symbols import paint_symbol

INK = QColor("#1f1f1f")
WIRE = QColor("#404040")
HIGHLIGHT = QColor("#1565c0")
SELECTED = QColor("#ef6c00")
FIXED = QColor("#6a1b9a")
LABEL = QColor("#1b5e20")
GRID_BG = QColor("#ffffff")
HIT_WIDTH = 14.0

UNIT_TEXT = {
    "ohm": "\u03a9",
    "S s^n": "S s\u207f",
    "S s^0.5": "S s\u00bd",
    "H s^(n-1)": "H s\u207f\u207b\u00b9",
}
_PREFIXES = [
    (1e9, "G"),
    (1e6, "M"),
    (1e3, "k"),
    (1.0, ""),
    (1e-3, "m"),
    (1e-6, "\u00b5"),
    (1e-9, "n"),
    (1e-12, "p"),
    (1e-15, "f"),
]


def si_text(value: float, unit: str = "") -> str:
    """``value`` with an SI prefix and 3 significant digits (``1.23 k\u03a9``)."""
    unit = UNIT_TEXT.get(unit, unit)
    if value == 0 or not abs(value) < float("inf"):
        return f"{value:g} {unit}".strip()
    if not unit:
        return f"{value:.3g}"
    for scale, prefix in _PREFIXES:
        if abs(value) >= scale * 0.9995:
            return f"{value / scale:.3g} {prefix}{unit}"
    return f"{value:.3g} {unit}"


class ElementItem(QGraphicsItem):
    """One element: its id above the symbol, its values (and fit errors, arc label) under it."""

    def __init__(
        self, element: Element, lines: list[str], label: str = "", tooltip: str = ""
    ) -> None:
        super().__init__()
        self.element = element
        self.element_id = element.id
        self.lines = lines
        self.label = label
        self.highlighted = False
        self.selected = False
        self.setAcceptHoverEvents(True)
        self.setToolTip(tooltip)
        self.setCursor(Qt.CursorShape.OpenHandCursor)

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt API)
        return QRectF(0, 0, ELEMENT_W, ELEMENT_H)

    def set_highlighted(self, on: bool) -> None:
        if on != self.highlighted:
            self.highlighted = on
            self.update()

    def set_selected(self, on: bool) -> None:
        if on != self.selected:
            self.selected = on
            self.update()

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        box = self.boundingRect().adjusted(1, 1, -1, -1)
        if self.highlighted or self.selected:
            color = HIGHLIGHT if self.highlighted else SELECTED
            painter.setPen(
                QPen(
                    color, 2.0, Qt.PenStyle.DashLine if self.highlighted else Qt.PenStyle.SolidLine
                )
            )
            painter.setBrush(QColor(color.red(), color.green(), color.blue(), 22))
            painter.drawRoundedRect(box, 6, 6)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        fixed = any(p.fixed for p in self.element.params)
        painter.setPen(QPen(INK, 1.6))
        paint_symbol(painter, self.element.kind, ELEMENT_W, ELEMENT_MID)
        font = QFont(painter.font())
        font.setPointSizeF(9.5)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(FIXED if fixed else INK)
        painter.drawText(
            QRectF(0, 2, ELEMENT_W, 16),
            Qt.AlignmentFlag.AlignCenter,
            self.element_id + (" (fixed)" if fixed else ""),
        )
        font.setBold(False)
        font.setPointSizeF(8.5)
        painter.setFont(font)
        metrics = QFontMetricsF(font)
        y = ELEMENT_MID + 16
        painter.setPen(INK)
        for line in self.lines:
            text = metrics.elidedText(line, Qt.TextElideMode.ElideRight, ELEMENT_W)
            painter.drawText(QRectF(0, y, ELEMENT_W, 13), Qt.AlignmentFlag.AlignCenter, text)
            y += 12.5
        if self.label:
            painter.setPen(LABEL)
            font.setItalic(True)
            painter.setFont(font)
            text = metrics.elidedText(self.label, Qt.TextElideMode.ElideRight, ELEMENT_W)
            painter.drawText(QRectF(0, y, ELEMENT_W, 13), Qt.AlignmentFlag.AlignCenter, text)


class TargetItem(QGraphicsItem):
    """A wire or a bus bar: drawn as a line, hit within :data:`HIT_WIDTH`; ``drop`` says what
    landing on it does (None: not a target)."""

    def __init__(
        self, line: QLineF, drop: Drop | None, *, bracket: bool = False, tooltip: str = ""
    ) -> None:
        super().__init__()
        self.line = line
        self.drop = drop
        self.bracket = bracket
        self.highlighted = False
        path = QPainterPath(line.p1())
        path.lineTo(line.p2())
        stroker = QPainterPathStroker()
        stroker.setWidth(HIT_WIDTH)
        self._shape = stroker.createStroke(path)
        self.setZValue(-1)
        if tooltip:
            self.setToolTip(tooltip)

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt API)
        return self._shape.boundingRect()

    def shape(self) -> QPainterPath:
        return self._shape

    def set_highlighted(self, on: bool) -> None:
        if on != self.highlighted:
            self.highlighted = on
            self.update()

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self.highlighted:
            painter.setPen(QPen(HIGHLIGHT, 5.0, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        else:
            painter.setPen(QPen(WIRE, 3.0 if self.bracket else 1.6))
        painter.drawLine(self.line)
