"""The usual schematic symbols of the circuit elements, painted in an element's box.

Each symbol is drawn between x = 0 and x = :data:`~.layout.ELEMENT_W` on the wire line
y = ``mid``: leads at both ends, the body in the middle. R is a zigzag, C two plates, Q (CPE)
two angled plates, L a coil, the distributed elements (W, Wo, Ws, G, La) a box with their symbol.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFont, QPainter, QPainterPath

BODY_W = 48.0


def symbol_path(kind: str, width: float, mid: float) -> tuple[QPainterPath, str]:
    """(the stroke path of ``kind``'s symbol, text to write inside its box or "")."""
    path = QPainterPath()
    x0 = (width - BODY_W) / 2
    x1 = x0 + BODY_W
    cx = width / 2
    if kind == "C":
        a, b = cx - 4, cx + 4
        path.moveTo(0, mid)
        path.lineTo(a, mid)
        path.moveTo(b, mid)
        path.lineTo(width, mid)
        for x in (a, b):
            path.moveTo(x, mid - 13)
            path.lineTo(x, mid + 13)
        return path, ""
    if kind == "Q":
        a, b = cx - 5, cx + 5
        path.moveTo(0, mid)
        path.lineTo(a, mid)
        path.moveTo(b, mid)
        path.lineTo(width, mid)
        for x in (a, b):  # angled plates: "< <"
            path.moveTo(x + 6, mid - 13)
            path.lineTo(x, mid)
            path.lineTo(x + 6, mid + 13)
        return path, ""
    path.moveTo(0, mid)
    path.lineTo(x0, mid)
    path.moveTo(x1, mid)
    path.lineTo(width, mid)
    if kind == "R":
        path.moveTo(x0, mid)
        step = BODY_W / 8
        for i in range(1, 8):
            path.lineTo(x0 + i * step, mid + (-8 if i % 2 else 8))
        path.lineTo(x1, mid)
        return path, ""
    if kind == "L":
        path.moveTo(x0, mid)
        hump = BODY_W / 4
        for i in range(4):
            path.arcTo(QRectF(x0 + i * hump, mid - hump / 2, hump, hump), 180, -180)
        return path, ""
    path.addRect(QRectF(x0, mid - 11, BODY_W, 22))
    return path, kind


def paint_symbol(painter: QPainter, kind: str, width: float, mid: float) -> None:
    """Stroke ``kind``'s symbol with the painter's pen (and its letter in a box)."""
    path, text = symbol_path(kind, width, mid)
    painter.drawPath(path)
    if text:
        font = QFont(painter.font())
        font.setBold(True)
        font.setPointSizeF(9.5)
        painter.setFont(font)
        painter.drawText(
            QRectF((width - BODY_W) / 2, mid - 11, BODY_W, 22), Qt.AlignmentFlag.AlignCenter, text
        )


def terminal_point(painter: QPainter, x: float, y: float) -> None:
    painter.drawEllipse(QPointF(x, y), 3.5, 3.5)
